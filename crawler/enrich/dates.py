"""The date of the event an article reports ("Chiều ngày 23/9/2022, Sở ... tổ chức ...").

The first event-like date of the lead wins: a day and month, with the year from the text or, when
the text omits it, from the publication date (the most recent such day on or before it, within
half a year). A date that belongs to a cited document ("Nghị định số 09/2017/NĐ-CP ngày
09/02/2017"), a deadline or an effective date is not an event date, nor is a page dateline
("4/8/2021 3:02:00 AM"). A malformed first date ("23/9/204"), an impossible one, or one after the
publication date (after today when there is none) gives None: nothing is invented.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from crawler.evidence import derived, quote
from indexer.model import Evidence

# Day and month, with an optional year: 23/9/2022, 6-4-2021, 25/11, 09.02.2017, 23/9/204.
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})(?:\2(\d{1,4}))?(?![\d/])")
# A span of days: "từ ngày 10 đến 12/5/2023", "trong 2 ngày 10-11/5", "ngày 9 và 10/11",
# "trong 2 ngày 13 và 14-1" (first day). The month's separator is the year's.
_RANGE = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*(?:-|–|đến|và)\s*(?:ngày\s*)?\d{1,2}\s?([/.-])\s?(\d{1,2})"
    r"(?:\2(\d{1,4}))?(?![\d/])"
)
# "ngày 12 tháng 3 năm 2025", "ngày 12 tháng 3", "ngày 25 và 26 tháng 11 năm 2021" (first day).
_WORDS = re.compile(
    r"\bngày\s+(\d{1,2})(?:\s*(?:-|–|và|đến)\s*(?:ngày\s*)?\d{1,2})?\s+tháng\s+(\d{1,2})"
    r"(?:\s*năm\s*(\d{1,4}))?\b",
    re.I,
)
# A page dateline or timestamp right after the date ("4/8/2021 3:02:00 AM", "23/9/2022 | 08:30").
_TIME_AFTER = re.compile(r"^\s*[|,-]?\s*\d{1,2}:\d{2}")
# Clause openers that make a date an event date: "Sáng", "Chiều ngày", "Sáng nay (", "Ngày".
_EVENT_BEFORE = re.compile(
    r"(?:^|[\s,.;:(–-])(?:sáng|chiều|trưa|tối|đêm|ngày|hôm nay|hôm qua|nay|qua|vừa qua|"
    r"trong (?:hai |2 |ba |3 )?ngày|từ ngày|từ|vào ngày|hôm)\s*(?:ngày\s*)?\(?\s*$",
    re.I,
)
# Words just before a date that tie it to a document, deadline or validity, not to the event.
_NOT_EVENT_BEFORE = re.compile(
    r"(?:\d\s?[/-]\s?[A-ZĐ][\w&-]*\s*|ban hành|ký|hiệu lực|kể từ|đến|trước|hạn|hết|tới|"
    r"\b(?:Nghị định|Quyết định|Chỉ thị|Nghị quyết|Thông tư|Kết luận|Kế hoạch|Công văn|Luật|"
    r"Quy định|Hướng dẫn|Thông báo|văn bản)(?:\s+số)?\s+\d+\s*)\s*(?:ngày\s*)?$",
    re.I,
)
_BODY_SCAN = 4000  # characters after the lead searched for an event date ("Sáng 6/4, ...")
# A paragraph: the lead is the first one long enough to be one (short lines before it count).
_PARA_TEXT = re.compile(r"[^\n]+")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_from(day: int, month: int, published: date | None) -> date | None:
    """The most recent day/month on or before `published`, if within half a year of it."""
    if published is None:
        return None
    for y in (published.year, published.year - 1):
        d = _valid(y, month, day)
        if d and d <= published + timedelta(days=1):
            return d if (published - d).days <= 183 else None
    return None


def _candidates(text: str) -> list[tuple[int, int, int, str | None]]:
    """(offset, day, month, year as written or None) for each date-like phrase, in text order."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _WORDS.finditer(text):
        # The day's offset, so that the "ngày" of "ngày 12 tháng 3" opens it as an event.
        out.append((m.start(1), int(m.group(1)), int(m.group(2)), m.group(3), m.end()))
        taken.append(m.span())
    for m in _RANGE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append((m.start(1), int(m.group(1)), int(m.group(3)), m.group(4), m.end()))
        taken.append(m.span())
    for m in _NUMERIC.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        # "14.9", "5-7" without a year: a date only after an opener ("Chiều 14.9"), which
        # `_event_date` requires of every date without a year.
        out.append((m.start(), int(m.group(1)), int(m.group(3)), m.group(4), m.end()))
    out.sort()
    return [(s, d, mo, y) for s, d, mo, y, e in out if not _TIME_AFTER.match(text[e : e + 12])]


def _event_date(
    text: str, published: date | None, strict: bool
) -> tuple[bool, str | None, int, str]:
    """(found an event-like date, its ISO form or None when it is unusable, where, how).

    Event-like: not tied to a document or deadline, and either opened by "Sáng"/"Ngày"/... or,
    outside `strict` mode, written with its year ("2/3 số đại biểu" is a fraction).
    """
    latest = published or date.today()
    for start, day, month, year in _candidates(text):
        before = text[max(0, start - 60) : start]
        if _NOT_EVENT_BEFORE.search(before):
            continue
        opener = _EVENT_BEFORE.search(before)
        if (strict or year is None) and not opener:
            continue
        if year is None:
            d = _year_from(day, month, published) if 1 <= month <= 12 else None
            how = "the year from the publication date"
        elif len(year) == 4:
            d = _valid(int(year), month, day)
            how = "the year as written"
        elif len(year) == 2:
            d = _valid(2000 + int(year), month, day)
            how = "a two-digit year"
        else:
            d = None  # "23/9/204": a typo, not a year
            how = "a malformed year"
        how = (f"opened by «{opener.group(0).strip(' ,.;:(–-')}»; " if opener else "") + how
        if d is None or d > latest + timedelta(days=1) or d.year < 1990:
            return True, None, start, how + ": unusable (impossible, future or malformed)"
        return True, d.isoformat(), start, how
    return False, None, -1, ""


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def extract_event_date(
    text: str, published: str | None, title: str = "", why: list[Evidence] | None = None
) -> str | None:
    """ISO date of the reported event, or None (see the module docstring). With `why`,
    appends the date's mention and the rule that took it (`text` is the stored body)."""
    pub = _parse_published(published)
    lead_end = len(text)
    for count, m in enumerate(_PARA_TEXT.finditer(text), 1):
        if len(m.group(0).strip()) >= 60 or count >= 3:
            lead_end = m.end()
            break
    rest = text[lead_end : lead_end + _BODY_SCAN]
    chunks = (
        (text[:lead_end], False, "body", 0, "the first event-like date of the lead"),
        (title, True, "title", 0, "a date in the title opened by an event word"),
        (rest, True, "body", lead_end, "a date after the lead opened by an event word"),
    )
    for chunk, strict, source, base, rule in chunks:
        found, value, at, how = _event_date(chunk, pub, strict)
        if found:
            if why is not None:
                stored = title if source == "title" else text
                end = at + len(_DATE_SPAN.match(chunk, at).group(0))  # type: ignore[union-attr]
                why.append(
                    quote(
                        "event_date",
                        value,
                        source,
                        stored,
                        base + at,
                        base + end,
                        f"{rule} ({how})",
                    )
                )
            return value
    if why is not None:
        why.append(
            derived("event_date", None, "no event-like date in the lead, the title or the body")
        )
    return None


# A date mention from its day: "23/9/2022", "12 tháng 3 năm 2025" (for the evidence's span).
_DATE_SPAN = re.compile(r"\d{1,2}(?:\s?(?:[/.-]|tháng|năm)\s?\d{1,4}){0,2}")
