"""Coverage: what the crawls actually looked at, per source and per province × year.

A user who sends a table upward must also say what was not looked at. Each crawl records, per
source (`source_coverage`, written by the crawler's bookkeeping): pages fetched and failed, the
deepest listing page reached, the oldest and newest article dates seen, and whether the archive
was walked to its end (else why not). This module reads those records, and the stored articles'
dates, into:

- `sources(store)`: one `SourceCoverage` per source, over every run;
- `coverage(store, province=None, years=None)`: the province × year matrix of `CoverageCell`s;
- `is_covered(store, province, year)`: whether every unit `--province` would match is covered;
- `empty_result_note(store, province, date_from, date_to)`: the one line a search that found
  nothing prints ("no article found in covered sources" / "... not covered by any source").

A source covers its own province (its sources-file `province` hint; a new 2025 name such as
"Huế" covers the units merged into it). National sources (no province) cover no province. For one source and one
year, counting back from the newest article seen (listings run newest first):

- walked to its end: every year from its oldest article's year on is covered; earlier years
  are outside its archive (`none`);
- not walked to its end: years after its oldest article's year are covered, that year is
  `partial` (the walk stopped inside it), earlier years are a `gap` (not looked at);
- never crawled, or no dated article seen: a `gap` for every year.

A cell takes the best of its province's sources: `covered` > `partial` > `gap` > `none`
(sources exist, none reaches back that far: shown "not covered"); `no source` when the province
has none. Years after a source's last crawl are a `gap` for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from vnlang.gazetteer import all_provinces, lookup, predecessors, search_units

from .query import QueryError
from .store import Store

Status = Literal["covered", "partial", "gap", "none", "no source"]
_RANK: dict[str, int] = {"covered": 4, "partial": 3, "gap": 2, "none": 1, "no source": 0}
# How each status reads in text output.
LABELS: dict[str, str] = {
    "covered": "covered",
    "partial": "partly covered",
    "gap": "gap (not walked that far back)",
    "none": "not covered (outside the sources' archives)",
    "no source": "no source",
}


@dataclass
class SourceCoverage:
    """What the crawls of one source reached, over every run recorded."""

    source: str
    province: str | None  # its province hint (canonical name), None for a national source
    runs: int = 0
    last_crawled: str | None = None  # start of its latest run
    pages: int = 0  # fetched, every run
    failed: int = 0  # failed, every run
    listing_depth: int = 0  # deepest listing page reached in any run (1: first pages only)
    walked_to_end: bool = False  # some run walked its archive to the end
    walked_on: str | None = None  # start of the latest run that did
    stopped: str = ""  # why its latest run did not (empty when it did)
    oldest: str | None = None  # oldest article date seen (stored articles, any run)
    newest: str | None = None
    articles: int = 0
    in_registry: bool = False  # named by the sources file given (see `sources`)

    def status(self, year: int) -> Status:
        """This source's coverage of one year (module docstring)."""
        if self.oldest is None or self.last_crawled is None:
            return "gap"
        first, last = int(self.oldest[:4]), int(self.last_crawled[:4])
        if year > last:
            return "gap"
        if self.walked_to_end:
            return "covered" if year >= first else "none"
        if year > first:
            return "covered"
        return "partial" if year == first else "gap"

    def units(self) -> set[str]:
        """The provinces this source covers: the unit it names (a 2025 unit that kept an old
        name covers that old unit only; a new 2025 name covers the units merged into it)."""
        p = lookup(self.province) if self.province else None
        if p is None:
            return set()
        return {p.name} if p.gso_code else set(predecessors(p.name)) or {p.name}

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CoverageCell:
    """One province in one year."""

    province: str
    year: int
    status: Status
    sources: list[str] = field(default_factory=list)  # sources covering it (wholly or partly)
    gaps: list[str] = field(default_factory=list)  # sources of the province that did not reach it
    articles: int = 0  # articles seen about this province with a date in this year (any source)
    oldest: str | None = None  # how far back this province's sources reach (oldest date seen)

    @property
    def covered(self) -> bool:
        return self.status == "covered"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _canonical(province: str | None) -> str | None:
    if not province:
        return None
    p = lookup(province)
    return p.name if p else province


def sources(store: Store, registry: Mapping[str, str | None] | None = None) -> list[SourceCoverage]:
    """Every source the store's crawls recorded, plus those of `registry` (source key ->
    province hint, e.g. the sources file) never crawled into this store; sorted by key."""
    out: dict[str, SourceCoverage] = {}
    rows = store.conn.execute(
        "SELECT c.source, c.province, c.pages, c.failed, c.listing_depth, c.walked_to_end, "
        "c.stopped, r.started FROM source_coverage c JOIN runs r ON r.id = c.run_id "
        "ORDER BY c.run_id"
    ).fetchall()
    for src, province, pages, failed, depth, walked, stopped, started in rows:
        s = out.setdefault(src, SourceCoverage(src, None))
        s.province = _canonical(province) or s.province
        s.runs += 1
        s.last_crawled = started
        s.pages += pages
        s.failed += failed
        s.listing_depth = max(s.listing_depth, depth)
        if walked:
            s.walked_to_end = True
            s.walked_on = started
        s.stopped = stopped
    for src, province in (registry or {}).items():
        s = out.setdefault(src, SourceCoverage(src, _canonical(province)))
        s.in_registry = True
        if s.province is None:
            s.province = _canonical(province)
    dates = store.conn.execute(
        "SELECT source, min(date), max(date), count(*) FROM articles GROUP BY source"
    ).fetchall()
    for src, oldest, newest, n in dates:
        if src in out:
            out[src].oldest, out[src].newest, out[src].articles = oldest, newest, n
    return [out[k] for k in sorted(out)]


def _provinces(province: str | None, srcs: Iterable[SourceCoverage]) -> list[str]:
    if province is not None:
        units = search_units(province)
        if not units:
            raise QueryError(
                f"unknown province {province!r}: give a province name, e.g. 'Thanh Hóa' or "
                "'Ninh Binh'"
            )
        return sorted(units)
    names = {p.name for p in all_provinces() if p.gso_code}  # the 63 units before the merger
    for s in srcs:
        names |= s.units()
    return sorted(names)


def default_years(srcs: Iterable[SourceCoverage]) -> range:
    """From the oldest article any source reached to the year of the latest crawl (this year
    when nothing was crawled)."""
    srcs = list(srcs)
    this_year = datetime.now(UTC).year
    firsts = [int(s.oldest[:4]) for s in srcs if s.oldest and s.oldest[:4].isdigit()]
    lasts = [int(s.last_crawled[:4]) for s in srcs if s.last_crawled]
    last = max(lasts, default=this_year)
    return range(min(firsts, default=last), last + 1)


def coverage(
    store: Store,
    province: str | None = None,
    years: Iterable[int] | None = None,
    registry: Mapping[str, str | None] | None = None,
) -> list[CoverageCell]:
    """The province × year matrix, province by province, years in order. `province` narrows it
    to the units `--province` would match (a `QueryError` for an unknown name); `years` defaults
    to `default_years`; `registry` adds the sources file's sources never crawled here."""
    srcs = sources(store, registry)
    wanted = _provinces(province, srcs)
    year_list = list(years) if years is not None else list(default_years(srcs))
    by_unit: dict[str, list[SourceCoverage]] = {}
    for s in srcs:
        for unit in s.units():
            by_unit.setdefault(unit, []).append(s)
    counts: dict[tuple[str, int], int] = {}
    only = f"AND province IN ({','.join('?' * len(wanted))}) " if province is not None else ""
    for prov, year, n in store.conn.execute(
        "SELECT province, substr(date, 1, 4), count(*) FROM articles "
        f"WHERE province IS NOT NULL AND date IS NOT NULL {only}GROUP BY 1, 2",
        wanted if province is not None else [],
    ):
        if year.isdigit():
            counts[(prov, int(year))] = n
    cells = []
    for unit in wanted:
        mine = by_unit.get(unit, [])
        oldest = min((s.oldest for s in mine if s.oldest), default=None)
        for year in year_list:
            cell = CoverageCell(unit, year, "no source", articles=counts.get((unit, year), 0))
            cell.oldest = oldest
            for s in mine:
                status = s.status(year)
                if status in ("covered", "partial"):
                    cell.sources.append(s.source)
                else:
                    cell.gaps.append(s.source)
                if _RANK[status] > _RANK[cell.status]:
                    cell.status = status
            cells.append(cell)
    return cells


def is_covered(store: Store, province: str, year: int) -> bool:
    """Every unit `--province PROVINCE` matches is covered in `year` by some source walked
    through the whole year (a search that finds nothing there means there is nothing)."""
    cells = coverage(store, province, [year])
    return bool(cells) and all(c.covered for c in cells)


def _spans(years: list[int]) -> str:
    """[2015, 2016, 2017, 2020] -> "2015–2017, 2020"."""
    out: list[str] = []
    start = prev = None
    for y in [*sorted(years), None]:
        if start is not None and (y is None or y != prev + 1):
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if y is not None and start is None:
            start = y
        prev = y
    return ", ".join(out)


def empty_result_note(
    store: Store, province: str | None, date_from: str | None, date_to: str | None
) -> str | None:
    """The one line a search that found nothing prints: whether the provinces and years it
    asked about were looked at. None when the search named neither a province nor dates."""
    if province is None and date_from is None and date_to is None:
        return None
    srcs = sources(store)
    span = default_years(srcs)
    first = int(date_from[:4]) if date_from else span.start
    last = int(date_to[:4]) if date_to else span.stop - 1
    years = list(range(first, max(first, last) + 1))
    if province is None:
        cells = coverage(store, None, years)
        units = {c.province for c in cells}
        full = {u for u in units if all(c.covered for c in cells if c.province == u)}
        if not full:
            return (
                f"{_spans(years)}: no province is covered by any source; see `pressnews coverage`"
            )
        return (
            f"no article found in covered sources; only {len(full)} of {len(units)} provinces "
            f"are covered for {_spans(years)}; see `pressnews coverage`"
        )
    cells = coverage(store, province, years)
    missing: dict[str, list[int]] = {}
    for c in cells:
        if not c.covered:
            missing.setdefault(c.province, []).append(c.year)
    if not missing:
        return "no article found in covered sources"
    note = ", ".join(f"{unit} {_spans(ys)}" for unit, ys in missing.items())
    note += ": not covered by any source"
    partial = sorted({f"{c.province} {c.year}" for c in cells if c.status == "partial"})
    if partial:
        note += f" (partly walked: {', '.join(partial)})"
    if any(c.covered for c in cells):
        note = "no article found in covered sources; " + note
    return note + "; see `pressnews coverage`"
