"""An Atom 1.0 feed (RFC 4287) of the newest articles: what `pressnews feed` writes.

`newest` chooses the articles through a `SearchBackend` (so `--province` means what it means in
a search); `build_feed` is pure: exported articles in (docs/interfaces.md), XML bytes out.

Dates are never invented: an entry's `updated` is the article's `date` (with the time of day
when the page gave one), else the time the store first saw it; `published` is only written when
the page gave a publication date. Atom needs a date-time, so a bare date becomes midnight and a
time without an offset is read as Vietnam time (UTC+7), the time of the pages we crawl.
"""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from vnlang.gazetteer import lookup

from .query import Query, SearchBackend

ATOM_NS = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VIETNAM = timezone(timedelta(hours=7))
# Tag URIs (RFC 4151) minted by pressnews: stable whatever the store's path or the feed's URL.
TAG_PREFIX = "tag:pressnews,2025:"
TOPIC_SCHEME = TAG_PREFIX + "topic"
PROVINCE_SCHEME = TAG_PREFIX + "province"
GENERATOR = "pressnews"
# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", ATOM_NS)


@dataclass(frozen=True)
class FeedSpec:
    """What the feed is of: its title and id follow from it."""

    province: str | None = None  # in any spelling
    include_all: bool = False  # every article, not only those judged relevant

    @property
    def province_name(self) -> str:
        """The province as the gazetteer spells it ("ninh binh" -> "Ninh Bình")."""
        if not self.province:
            return ""
        unit = lookup(self.province)
        return unit.name if unit is not None else clean(self.province).strip()

    @property
    def title(self) -> str:
        what = "Newest articles" if self.include_all else "New press-information trainings"
        where = f" — {self.province_name}" if self.province else ""
        return f"pressnews: {what}{where}"

    @property
    def id(self) -> str:
        """Stable for the same selection, whatever the spelling of the province."""
        parts = ["feed/all" if self.include_all else "feed/trainings"]
        if self.province:
            parts.append("province=" + quote(self.province_name, safe=""))
        return TAG_PREFIX + ";".join(parts)


def article_uri(article_id: str) -> str:
    """The entry id of an article: derived from its stable id only."""
    return TAG_PREFIX + "article/" + quote(article_id, safe="")


def clean(text: Any) -> str:
    """NFC text without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", unicodedata.normalize("NFC", str(text or "")))


def atom_time(value: str | None) -> datetime | None:
    """A stored ISO date or date-time as an aware date-time (None if there is none or it cannot
    be read): a bare date is midnight, a time without an offset is Vietnam time."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return datetime(d.year, d.month, d.day, tzinfo=VIETNAM)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=VIETNAM)


def published_time(article: Mapping[str, Any]) -> datetime | None:
    """When the page says it was published; None when it does not say."""
    return atom_time(article.get("published"))


def updated_time(article: Mapping[str, Any]) -> datetime | None:
    """The article's `date` (the page's own time of day when the date is the publication date),
    else when the store first saw it."""
    day = article.get("date")
    published = article.get("published") or ""
    if day and published[:10] == day:
        when = atom_time(published)
        if when is not None:
            return when
    return atom_time(day) or atom_time(article.get("first_seen"))


def _first_seen(article: Mapping[str, Any]) -> datetime:
    return atom_time(article.get("first_seen")) or datetime.min.replace(tzinfo=UTC)


def newest(
    backend: SearchBackend,
    *,
    province: str | None = None,
    limit: int = 50,
    include_all: bool = False,
) -> list[dict[str, Any]]:
    """The `limit` newest articles (relevant ones unless `include_all`; copies of a report left
    out), as `search --sort date` lists them: newest `date` first, undated articles last
    (docs/interfaces.md), and those newest first seen first."""
    q = Query(province=province, sort="date", limit=limit, include_all=include_all)
    articles = [hit.article for hit in backend.search(q).hits]
    dated = [a for a in articles if a.get("date")]
    undated = sorted((a for a in articles if not a.get("date")), key=_first_seen, reverse=True)
    return dated + undated


def _speaker(s: Any) -> str:
    if isinstance(s, Mapping):
        name, role = clean(s.get("name")), clean(s.get("role"))
    else:
        name, role = clean(s), ""
    return f"{name} ({role})" if role else name


def summary_text(article: Mapping[str, Any]) -> str:
    """The date, the province, the speakers with their roles and the documents cited."""
    lines = []
    if article.get("date"):
        lines.append(f"Date: {clean(article['date'])}")
    else:
        seen = clean(article.get("first_seen"))[:10]
        lines.append("Date: not given" + (f" (first seen {seen})" if seen else ""))
    province, now = clean(article.get("province")), clean(article.get("province_now"))
    if province:
        lines.append(
            f"Province: {province}"
            + (f" (since 1 July 2025: {now})" if now and now != province else "")
        )
    elif now:
        lines.append(f"Province: {now}")
    else:
        lines.append("Province: national")
    speakers = [_speaker(s) for s in article.get("speakers") or []]
    if speakers:
        lines.append("Speakers: " + "; ".join(speakers))
    decrees = [clean(d) for d in article.get("decrees") or []]
    if decrees:
        lines.append("Documents: " + "; ".join(decrees))
    return "\n".join(lines)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        el.text = text
    return el


def _entry(feed: ET.Element, article: Mapping[str, Any]) -> datetime | None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", article_uri(str(article["id"])))
    _sub(entry, "title", clean(article.get("title")) or clean(article.get("url")), type="text")
    _sub(entry, "link", rel="alternate", type="text/html", href=clean(article.get("url")))
    updated = updated_time(article)
    if updated is not None:
        _sub(entry, "updated", updated.isoformat())
    published = published_time(article)
    if published is not None:
        _sub(entry, "published", published.isoformat())
    _sub(entry, "summary", summary_text(article), type="text")
    seen: set[tuple[str, str]] = set()
    for term, scheme in [
        *((clean(t), TOPIC_SCHEME) for t in article.get("topics") or []),
        (clean(article.get("province")), PROVINCE_SCHEME),
        (clean(article.get("province_now")), PROVINCE_SCHEME),
    ]:
        if term and (term, scheme) not in seen:
            seen.add((term, scheme))
            _sub(entry, "category", term=term, scheme=scheme, label=term)
    return updated


def build_feed(
    articles: Iterable[Mapping[str, Any]],
    *,
    spec: FeedSpec,
    self_url: str,
    now: str,
) -> bytes:
    """The Atom document for `articles` (exported article dicts, in the order given), UTF-8.

    The feed's `updated` is its newest entry's; `now` (an ISO time) only for an empty feed."""
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {_XML_LANG: "vi"})
    _sub(feed, "id", spec.id)
    _sub(feed, "title", spec.title, type="text")
    updated_el = _sub(feed, "updated")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=clean(self_url))
    author = _sub(feed, "author")
    _sub(author, "name", "pressnews")
    _sub(feed, "generator", GENERATOR)
    times: list[datetime] = []
    for article in articles:
        when = _entry(feed, article)
        if when is None:  # an article with neither date nor first_seen: no valid entry
            feed.remove(feed[-1])
            continue
        times.append(when)
    newest_time = max(times, default=None) or atom_time(now) or datetime.now(UTC)
    updated_el.text = newest_time.isoformat()
    ET.indent(feed)
    out = io.BytesIO()
    ET.ElementTree(feed).write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue() + b"\n"
