"""The one article model shared by the crawler, the store, the search backends and the export.

`Extracted` is what page extraction gives (pure, from HTML); `Enrichment` is what the Vietnamese
rules add (pure, from text); `Article` is both together with identity and crawl facts, and is
what `pressnews export` writes, one JSON object per line (see docs/interfaces.md).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str = ""


@dataclass(frozen=True)
class Image:
    url: str
    caption: str = ""


@dataclass(frozen=True)
class Attachment:
    url: str
    title: str = ""
    type: str = ""  # "pdf", "doc", "docx", "xls", ...


@dataclass(frozen=True)
class Evidence:
    """Where one value of an article came from and which rule decided it (`show --why`).

    `source` names what it was read from: `title`, `body` or `caption` (stored text: `start`
    and `end` are offsets into the stored title, body or the caption of `images[image]`, and
    `text[start:end] == excerpt`), or a part of the page not stored as text: `json-ld`, `meta`,
    `dateline`, `html` (an element such as the h1, a `<time>`, a byline), `url`, `sources`
    (the sources file's province hint) or `rule` (a value derived from other values); for
    those, `excerpt` is the attribute, JSON or element text and the offsets are None.
    `rule` says which rule decided the value: the pattern family, the signals and weights.
    """

    field: str
    value: Any
    source: str
    excerpt: str
    start: int | None
    end: int | None
    rule: str
    image: int | None = None  # the image whose caption `start`/`end` point into

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "source": self.source,
            "excerpt": self.excerpt,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "image": self.image,
        }


@dataclass
class Extracted:
    """What a page says about itself, before any Vietnamese-specific enrichment."""

    url: str
    title: str
    body: str
    published: str | None = None  # ISO 8601 date or datetime, never invented
    authors: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    lead: str = ""  # the standfirst / sapo when the page marks one (also the start of body)
    site_name: str = ""
    # Where title, body, date, authors, images and attachments were read from.
    evidence: list[Evidence] = field(default_factory=list, compare=False, repr=False)


@dataclass
class Enrichment:
    """What the Vietnamese rules find in an article's text."""

    province: str | None = None
    province_now: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    decrees: list[str] = field(default_factory=list)
    event_date: str | None = None
    relevant: bool = False
    topics: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: str
    url: str
    source: str
    title: str
    body: str
    published: str | None = None
    event_date: str | None = None
    date: str | None = None
    province: str | None = None
    province_now: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    decrees: list[str] = field(default_factory=list)
    relevant: bool = False
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    fetched_at: str = ""
    first_seen: str = ""  # when the store first saw it (set by the store)
    duplicate_of: str | None = None  # id of the first-seen copy of the same report
    # the date its page answered 404/410 or left its site, else None (the store sets it)
    removed: str | None = None
    # Where each value came from (extraction and enrichment fill it; None: not known, and a
    # store write keeps the evidence it has). Not part of the exported article.
    evidence: list[Evidence] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The exported article (without `evidence`): `dataclasses.asdict` without its deep copy
        of every string (3x faster: the store builds this dict for every article it writes)."""
        out: dict[str, Any] = {}
        for name in _exported(type(self)):
            value = getattr(self, name)
            out[name] = value if type(value) in _SCALARS else _plain(value)
        return out


_SCALARS = frozenset({str, int, float, bool, type(None)})  # `_plain` returns these as they are


@functools.cache
def _exported(cls: type) -> tuple[str, ...]:
    return tuple(name for name in _names(cls) if name != "evidence")


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _names(type(value))}
    return value


# The exported article's last keys, which the store sets when it writes the article.
STORE_KEYS = ("fetched_at", "first_seen", "removed", "duplicate_of")
_JSON = json.JSONEncoder(ensure_ascii=False)


def document_core(a: Article) -> str:
    """The JSON of the exported article without `STORE_KEYS`: the store appends those to make
    the stored document and hashes this text to tell a changed article (pure, so it is computed
    with the article's index fields, in a crawl's worker process)."""
    data = a.to_dict()
    for key in STORE_KEYS:
        del data[key]
    return _JSON.encode(data)


def pick_date(published: str | None, event_date: str | None) -> str | None:
    """The date to sort and filter by: published, else the event date, else None. Never the
    crawl date: an undated article sorts last, counts as "undated" and matches no date range."""
    for value in (published, event_date):
        if value:
            return value[:10]
    return None
