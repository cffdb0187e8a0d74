"""Publication dates: structured metadata first, then a visible dateline next to the headline.

Vietnamese pages write dates day-first ("09/12/2021", "Thứ năm, 09/12/2021", "Cập nhật:
27/09/2022 16:05", "ngày 12 tháng 3 năm 2025"). ASP.NET portals running the en-US culture print
"4/8/2021 3:02:00 AM": the English AM/PM marker means month/day/year (vi-VN writes SA/CH).
Output is ISO 8601: a date, or a datetime in Vietnam time (+07:00; a time the page gives in
another zone, such as WordPress's UTC meta tags, is converted to the same instant in +07:00).

Never invented: a text without a year ("06 May, 08:09 PM"), a date before 1995 or in the
future, or a date in the body text (an event date) gives None. htmldate is not used: its
extensive mode takes dates from the URL and from anywhere in the page text, and its parsing of
ambiguous "4/8/2021" is not Vietnamese-aware, so it would guess where we must stay silent.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone

from lxml.html import HtmlElement

from crawler.extract.html import (
    attr_match,
    block_lines,
    el_attrs,
    is_dateline,
    parse_html,
    title_anchor,
)
from vnlang.text import nfc

# ISO dates and datetimes (meta values, JSON-LD, <time datetime>): 2021-04-08T03:02:00.000+07:00.
_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
# Numeric day-first (or en-US month-first) dates with a 4-digit year: 09/12/2021, 9-12-2021.
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")
# Vietnamese long form: "ngày 12 tháng 3 năm 2025".
_VN_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,\s*)?năm\s+(\d{4})", re.I)
# English month names with a year: "8 April 2021", "April 8, 2021", "Thu, 08 Apr 2021".
_EN_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_EN_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
# A clock time: 16:05, 16h05, 3:02:00 AM, 08:30 SA (vi-VN AM), 02:15 CH (vi-VN PM).
_TIME = re.compile(
    r"(?<![\d:])(\d{1,2})\s*[:hg]\s*(\d{2})(?::(\d{2}))?(?!\d)\s*(AM|PM|A\.M\.|P\.M\.|SA|CH)?(?![\w])",
    re.I,
)
# A zone after the time: GMT+7, (GMT+07:00), UTC+7, GMT.
_ZONE = re.compile(r"\b(?:GMT|UTC)(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?", re.I)
# The text allowed between a date and its time ("09/12/2021 - 08:30", "lúc 16:05", "|").
_JOIN = re.compile(r"^[\s,|\-–—(]*(?:lúc|vào lúc|at|ngày)?[\s,|\-–—(]*$", re.I)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
_VN_TZ = "+07:00"
_VN = timezone(timedelta(hours=7))
_MIN_YEAR = 1995
# meta name/property/itemprop values that carry the publication date, best first.
_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
)
_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenews", "analysisnewsarticle"}
# class/id of blocks whose dates are other articles' (related lists, sidebars, comments).
_FOREIGN_BLOCK = re.compile(
    r"relate|lienquan|tinkhac|other|sidebar|comment|binhluan|widget|list", re.I
)
# "datePublished": "..." in JSON-LD that json cannot parse.
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    return value if y >= _MIN_YEAR and value <= today + timedelta(days=1) else None


def _zone(text: str) -> str | None:
    match = _ZONE.search(text)
    if not match:
        return None
    if not match.group(1):
        return "+00:00"
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    return f"{sign}{hours:02d}:{minutes:02d}" if hours <= 14 and minutes < 60 else None


def _clock(match: re.Match[str]) -> tuple[int, int, int] | None:
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    marker = (match.group(4) or "").upper().replace(".", "")
    if marker in ("PM", "CH") and hour < 12:
        hour += 12
    elif marker in ("AM", "SA") and hour == 12:
        hour = 0
    return (hour, minute, second) if hour < 24 and minute < 60 and second < 60 else None


def _near_time(text: str, start: int, end: int) -> re.Match[str] | None:
    """A clock time just after the date, or just before it ("08:30 | 12/06/2023")."""
    for match in _TIME.finditer(text, end, min(len(text), end + 25)):
        return match if _JOIN.match(text[end : match.start()]) else None
    for match in _TIME.finditer(text, max(0, start - 25), start):
        if _JOIN.match(text[match.end() : start]):
            return match
    return None


def _iso_out(day: date, clock: tuple[int, int, int] | None, zone: str | None) -> str:
    """ISO 8601 in Vietnam time: a time given in another zone is converted (same instant)."""
    if clock is None:
        return day.isoformat()
    hour, minute, second = clock
    value = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{zone or _VN_TZ}"
    if zone and zone != _VN_TZ:
        value = datetime.fromisoformat(value).astimezone(_VN).isoformat()
    return value


def parse_vn_datetime(text: str) -> str | None:
    """The first complete date in a short text, as ISO 8601; None when there is no year."""
    if not text:
        return None
    text = nfc(text).strip()[:300]
    iso = _ISO.search(text)
    if iso:
        day = _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if day is None:
            return None
        if iso.group(4) is None:
            return day.isoformat()
        clock = (int(iso.group(4)), int(iso.group(5)), int(iso.group(6) or 0))
        if clock[0] > 23 or clock[1] > 59 or clock[2] > 59:
            return day.isoformat()
        zone = iso.group(7)
        zone = "+00:00" if zone == "Z" else (f"{zone[:3]}:{zone[-2:]}" if zone else None)
        return _iso_out(day, clock, zone)
    found: list[tuple[int, int, date | None, re.Match[str]]] = []
    for match in _NUMERIC.finditer(text):
        a, b, y = int(match.group(1)), int(match.group(2)), int(match.group(3))
        time_match = _near_time(text, match.start(), match.end())
        marker = (time_match.group(4) or "").upper() if time_match else ""
        # en-US ASP.NET ("4/8/2021 3:02:00 AM"): month first; fall back when impossible
        day = (_valid(y, a, b) or _valid(y, b, a)) if marker in ("AM", "PM") else _valid(y, b, a)
        found.append((match.start(), match.end(), day, match))
        break
    for match in _VN_LONG.finditer(text):
        day = _valid(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        found.append((match.start(), match.end(), day, match))
        break
    for pattern, order in ((_EN_DMY, (1, 2)), (_EN_MDY, (2, 1))):
        for match in pattern.finditer(text):
            month = _MONTHS.get(match.group(order[1]).lower())
            if month:
                day = _valid(int(match.group(3)), month, int(match.group(order[0])))
                found.append((match.start(), match.end(), day, match))
                break
    if not found:
        return None
    start, end, day, _ = min(found, key=lambda f: f[0])
    if day is None:
        return None
    time_match = _near_time(text, start, end)
    clock = _clock(time_match) if time_match else None
    return _iso_out(day, clock, _zone(text[end:]) if clock else None)


def _ld_objects(data: object) -> list[dict]:
    """All dicts of a JSON-LD value, @graph members and nested values included."""
    out: list[dict] = []
    stack = [data]
    while stack and len(out) < 200:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return out


def _ld_types(obj: dict) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def jsonld_objects(root: HtmlElement) -> list[dict]:
    """Parsed JSON-LD objects of a page (malformed scripts are skipped)."""
    objects: list[dict] = []
    for script in root.xpath('//script[contains(@type, "ld+json")]'):
        raw = (script.text or "").strip().removeprefix("<![CDATA[").removesuffix("]]>")
        try:
            objects.extend(_ld_objects(json.loads(raw, strict=False)))
        except (ValueError, RecursionError):
            match = _LD_DATE.search(raw)
            if match:
                objects.append({"@type": "Article", "datePublished": match.group(1)})
    return objects


# What each finder read last: (source, excerpt, rule), for the evidence of `find_published`.
Found = tuple[str, str, str]


def _from_jsonld(root: HtmlElement, seen: list[Found]) -> str | None:
    objects = jsonld_objects(root)
    ranked = sorted(objects, key=lambda o: not (_ld_types(o) & _ARTICLE_TYPES))
    for obj in ranked:
        value = obj.get("datePublished")
        if isinstance(value, str) and (parsed := parse_vn_datetime(value)):
            kind = "/".join(sorted(_ld_types(obj))) or "object"
            seen.append(("json-ld", f'"datePublished": "{value}"', f"JSON-LD {kind} datePublished"))
            return parsed
    return None


def _from_meta(root: HtmlElement, seen: list[Found]) -> str | None:
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_KEYS and key not in values and meta.get("content"):
            values[key] = meta.get("content", "")
    for el in root.xpath('//*[@itemprop="datePublished"][not(self::meta)]'):
        values.setdefault(
            "datepublished", el.get("datetime") or el.get("content") or el.text_content()
        )
    for key in _META_KEYS:
        if key in values and (parsed := parse_vn_datetime(values[key])):
            seen.append(
                (
                    "meta",
                    f'{key}="{values[key]}"',
                    f"meta tag {key} (the first of the known date keys)",
                )
            )
            return parsed
    return None


def _foreign(el: HtmlElement, stop: HtmlElement | None) -> bool:
    """Whether an element sits in a related-news/sidebar/comment block."""
    for node in [el, *el.iterancestors()]:
        if node is stop:
            return False
        if attr_match(_FOREIGN_BLOCK, el_attrs(node)):
            return True
    return False


def header_zone(anchor: HtmlElement) -> HtmlElement:
    """The article header area: the headline's grandparent, unless that is the whole page."""
    zone = anchor
    for _ in range(2):
        parent = zone.getparent()
        if parent is None or parent.tag in ("body", "html", "form"):
            break
        zone = parent
    return zone


def _from_time_elements(
    root: HtmlElement, anchor: HtmlElement | None, seen: list[Found]
) -> str | None:
    scopes = root.xpath("//article//header") if anchor is None else [header_zone(anchor)]
    for scope in scopes:
        for el in scope.iter("time"):
            value = el.get("datetime")
            if value and not _foreign(el, scope) and (parsed := parse_vn_datetime(value)):
                seen.append(
                    ("html", f'<time datetime="{value}">', "a <time> element in the article header")
                )
                return parsed
    return None


def _inside(el: HtmlElement, box: HtmlElement) -> bool:
    return el is box or any(a is box for a in el.iterancestors())


def _from_dateline(root: HtmlElement, anchor: HtmlElement | None, seen: list[Found]) -> str | None:
    """A short date-only line right under (or just above) the headline, before the body starts."""
    if anchor is None:
        return None
    lines = block_lines(root)
    head = " ".join(anchor.text_content().split())[:40]
    index = next((i for i, ln in enumerate(lines) if _inside(ln.owner, anchor)), None)
    if index is None:  # an inline headline: the line of the block that holds it
        index = next(
            (i for i, ln in enumerate(lines) if head in ln.text and _inside(anchor, ln.owner)), None
        )
    if index is None:
        return None
    zone = header_zone(anchor)
    candidates = []
    for ln in lines[index + 1 : index + 12]:
        if len(ln.text) > 160:
            break  # the body has started: dates from here on are event dates
        candidates.append(ln)
    candidates += [ln for ln in lines[max(0, index - 3) : index][::-1] if _inside(ln.owner, zone)]
    for ln in candidates:
        ok = is_dateline(ln.text) and not _foreign(ln.owner, None)
        if ok and (parsed := parse_vn_datetime(ln.text)):
            seen.append(("dateline", ln.text, "a short date line next to the headline, day first"))
            return parsed
    return None


def find_published(
    tree_or_html: HtmlElement | str,
    url: str = "",
    title: str = "",
    seen: list[Found] | None = None,
) -> str | None:
    """The publication date of a page: JSON-LD, meta tags, header <time>, then a dateline.
    `seen`, when given, receives (source, excerpt, rule) of what the date was read from."""
    seen = seen if seen is not None else []
    try:
        root = parse_html(tree_or_html) if isinstance(tree_or_html, (str, bytes)) else tree_or_html
        if root is None:
            return None
        for finder in (_from_jsonld, _from_meta):
            if found := finder(root, seen):
                return found
        if not title:
            heads = root.xpath("//h1")
            title = heads[0].text_content() if len(heads) == 1 else ""
        anchor = title_anchor(root, title)
        return _from_time_elements(root, anchor, seen) or _from_dateline(root, anchor, seen)
    except Exception:  # a date is optional: never fail extraction over it
        return None
