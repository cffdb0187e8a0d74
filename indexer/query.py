"""The one query model every search backend answers, and the parsing shared by all of them.

A user query becomes a list of `Term`s of folded words (accents removed, đ -> d, i/y unified):
a plain word is a one-word term, a "quoted phrase" or a token with punctuation inside
(`09/2017/NĐ-CP`, `TP.HCM`) is a phrase term. Punctuation elsewhere is dropped, so no user input
can make a backend raise a syntax error.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal, Protocol

from vnlang.text import fold

from .errors import PressnewsError
from .model import Article

SortOrder = Literal["relevance", "date"]

# A double-quoted span ("…", “…”, or «…»): a phrase the user wants in order.
_QUOTED = re.compile(r'["“”«»](.*?)(?:["“”«»]|$)')
# A word: letters and digits (after folding everything is ASCII-ish, but keep Unicode to be safe).
_WORD = re.compile(r"\w+", re.UNICODE)
# A token with punctuation between word characters (09/2017/NĐ-CP, TP.HCM, BR-VT).
_INNER_PUNCT = re.compile(r"\w[^\w\s]+\w")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded words; more than one means "in this order, adjacent"


def parse_text(text: str) -> list[Term]:
    """Split a user query into folded terms: words, "phrases" and punctuated tokens as phrases."""
    terms: list[Term] = []
    seen: set[tuple[str, ...]] = set()

    def add(words: list[str]) -> None:
        key = tuple(w for w in words if w)
        if key and key not in seen:
            seen.add(key)
            terms.append(Term(key))

    folded = fold(text or "")
    rest = []
    last = 0
    for m in _QUOTED.finditer(folded):
        rest.append(folded[last : m.start()])
        add(_WORD.findall(m.group(1)))
        last = m.end()
    rest.append(folded[last:])
    for chunk in rest:
        for token in chunk.split():
            words = _WORD.findall(token)
            if len(words) > 1 and _INNER_PUNCT.search(token):
                add(words)
            else:
                for w in words:
                    add([w])
    return terms


def all_words(terms: list[Term]) -> list[str]:
    out: list[str] = []
    for t in terms:
        out.extend(t.words)
    return out


@dataclass(frozen=True)
class Query:
    text: str = ""
    province: str | None = None
    province_exact: bool = False
    speaker: str | None = None
    decree: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    sort: SortOrder = "relevance"
    limit: int = 20
    include_all: bool = False  # False: only articles judged relevant
    include_removed: bool = False  # False: articles whose page was removed are left out

    @property
    def terms(self) -> list[Term]:
        return parse_text(self.text)

    def speaker_words(self) -> list[str]:
        return _WORD.findall(fold(self.speaker or ""))


@dataclass
class Hit:
    article: dict[str, Any]  # the exported article (docs/interfaces.md), without the body
    score: float
    snippet: str = ""  # text around the match, with [..] around matched words
    duplicates: list[str] = field(default_factory=list)  # urls of other copies of this report

    def to_json(self) -> dict[str, Any]:
        a = self.article
        out: dict[str, Any] = {k: a.get(k, _HIT_DEFAULTS.get(k)) for k in HIT_FIELDS}
        out.update(score=round(self.score, 4), snippet=self.snippet, also_at=self.duplicates)
        return out


# A hit carries the article's fields but the long or internal ones (docs/interfaces.md).
_NOT_IN_HITS = frozenset(
    {"body", "authors", "images", "attachments", "fetched_at", "first_seen", "duplicate_of"}
)
HIT_FIELDS = tuple(f.name for f in fields(Article) if f.name not in _NOT_IN_HITS)
_HIT_DEFAULTS: dict[str, Any] = {"speakers": [], "decrees": [], "topics": [], "relevant": False}


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int  # matches in the searched set (relevant only, unless --all)
    more_with_all: int = 0  # how many more matches --all would add


@dataclass
class Facets:
    provinces: list[tuple[str, int]]
    speakers: list[tuple[str, int]]
    decrees: list[tuple[str, int]]
    years: list[tuple[str, int]]
    total: int
    undated: int = 0  # articles with no date (neither published nor an event date)


class QueryError(PressnewsError, ValueError):
    """A query that cannot be answered (an unknown province, a bad date): the message says why."""


class SearchBackend(Protocol):
    def search(self, query: Query) -> SearchResult: ...

    def facets(self, query: Query, size: int = 10) -> Facets: ...


def parse_date_bound(value: str | None, *, end: bool = False) -> str | None:
    """Accept 2022, 2022-09, 2022-09-23, 23/9/2022 and return an inclusive ISO date bound.

    None means no bound; anything else that is not a real date (an empty string, month 13,
    year 0) is a `QueryError`, never a silently different date."""
    if value is None:
        return None
    v = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", v, re.ASCII)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        if not 1 <= y <= 9999:
            raise QueryError(f"{value!r} is not a valid date: the year must be 0001 to 9999")
        if mo is None:
            return f"{y:04d}-12-31" if end else f"{y:04d}-01-01"
        mon = int(mo)
        if not 1 <= mon <= 12:
            raise QueryError(f"{value!r} is not a valid date: the month must be 1 to 12")
        if d is None:
            last = calendar.monthrange(y, mon)[1]
            return _safe_date(y, mon, last if end else 1, value)
        return _safe_date(y, mon, int(d), value)
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", v, re.ASCII)
    if m:
        return _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)), value)
    raise QueryError(f"cannot read the date {value!r}: use YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY")


def _safe_date(y: int, m: int, d: int, raw: str) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError as exc:
        raise QueryError(f"{raw!r} is not a valid date: {exc}") from None
