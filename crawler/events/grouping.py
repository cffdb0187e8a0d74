"""Which reports are of the same training: a pure function from per-article records to groups.

Two reports can be of one training only when nothing rules it out ("cannot link"):
- the same province (by the 2025 unit; two old provinces that merged later stay apart: an
  article's own `province` must agree too, unless one of them names the 2025 unit itself);
- dates that agree: both dated by the text, the training days within `NEAR_DAYS` of each other;
  one dated only by publication, the other's training in the week before it; neither dated by
  the text, published within `WINDOW_DAYS` of each other;
- not a training and its follow-up ("đợt 2", a review conference): different phases.

Among reports that can link, a score says whether they do: shared trainers (by full name),
organisers, attendance, audience, topics and distinctive words of title and lead, and the same
first day. Groups grow greedily from the best pair down (`LINK_SCORE`), and two groups join only
when no pair across them is ruled out, so a chain of similar reports never joins two trainings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from vnlang.text import fold

NEAR_DAYS = 2  # both dated by the text: first days at most this far apart (or spans overlapping)
WEEK_DAYS = 7  # dated only by publication: the training is in the week before it
WINDOW_DAYS = 4  # neither dated by the text: published at most this far apart
LINK_SCORE = 2.0
# An undated report ("vừa qua") joins the one group it can belong to with this much evidence.
UNDATED_SCORE = 0.5
# A dated report still alone joins the one group it can belong to with this much.
SOLE_SCORE = 1.0
UNDATED_MARGIN = 2.0  # ... or with this much more evidence than for any other group


@dataclass(frozen=True)
class ReportRecord:
    """What grouping knows of one relevant article (see `crawler.events.recompute`)."""

    id: str
    order: int  # earlier-stored first (ties and the order of groups)
    province: str | None
    province_now: str | None
    start: str | None  # training's first day, from the text
    end: str | None  # last day, from the text (None: one day)
    published: str | None
    title: str = ""
    lead: str = ""
    trainers: frozenset[str] = frozenset()  # folded full names
    organisers: frozenset[str] = frozenset()  # folded
    audience: str = ""  # folded
    attendance: int | None = None
    topics: frozenset[str] = frozenset()
    decrees: frozenset[str] = frozenset()
    phase: str | None = None
    words: frozenset[str] = field(default=frozenset(), compare=False)  # distinctive words


# Words every training report uses: no evidence of sameness.
_COMMON = frozenset(
    """
    tap huan boi duong hoi nghi lop khoa ki nang phat ngon cung cap thong tin cho bao chi doi
    ngoai cong tac nam to chuc tinh so va truyen thong sang chieu ngay nay vua qua cac cua voi
    trong tai de ve la co duoc nguoi can bo cong chuc vien chuc hoc vien dai bieu nghiep vu khai
    mac be giang mot nhung nhiem vu quan li nha nuoc ubnd uy ban nhan dan thanh pho huyen xa thi
    kien thuc trien khai tham du chu tri phat bieu dong chi giam doc pho truong phong ban tuyen
    giao van hoa the thao du lich khoa hoc cong nghe dien tu cong thong tin theo hien nay thoi
    gian dia ban dia phuong don vi co quan nganh cap thuc hien nham nang cao chat luong hieu qua
    hoat dong tot hon vien bao cao vien da se con khi neu tu den dong thoi ngoai ra ben canh
    theo do trinh bay chuyen de gioi thieu huong dan
    """.split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)
def distinctive_words(text: str) -> frozenset[str]:
    """Folded words of `text` that say something about this training (numbers, places, names)."""
    return frozenset(w for w in _WORD.findall(fold(text)) if w not in _COMMON and len(w) > 1)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _interval(r: ReportRecord) -> tuple[date, date] | None:
    s = _day(r.start)
    if s is None:
        return None
    e = _day(r.end) or s
    return (s, max(s, e))


def _gap(a: tuple[date, date], b: tuple[date, date]) -> int:
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


MERGER_DATE = "2025-07-01"  # the 34 units from this day


def _when(r: ReportRecord) -> str:
    return r.start or r.published or ""


def same_place(a: ReportRecord, b: ReportRecord) -> bool:
    """Same province; an old unit and the 2025 unit it joined only when the report naming the
    new unit is from after the merger (before it, "Thái Nguyên" is old Thái Nguyên, not Bắc Kạn)."""
    if not a.province_now or a.province_now != b.province_now:
        return False
    if a.province == b.province:
        return True
    return any(r.province == r.province_now and _when(r) >= MERGER_DATE for r in (a, b))


def dates_agree(a: ReportRecord, b: ReportRecord) -> bool:
    ia, ib = _interval(a), _interval(b)
    if ia and ib:
        return _gap(ia, ib) <= NEAR_DAYS
    pa, pb = _day(a.published), _day(b.published)
    if ia or ib:
        dated, pub = (ia, pb) if ia else (ib, pa)
        if pub is None:
            return False
        assert dated is not None
        # (a report published on the first day of a two-day training may be dated by another
        # report with its second day)
        return (dated[0] - pub).days <= 1 and (pub - dated[1]).days <= WEEK_DAYS
    if pa and pb:
        return abs((pa - pb).days) <= WINDOW_DAYS
    return False


def phases_agree(a: ReportRecord, b: ReportRecord) -> bool:
    if a.phase == b.phase:
        return True
    if "review" in (a.phase, b.phase):
        return False
    return a.phase is None or b.phase is None


def can_link(a: ReportRecord, b: ReportRecord) -> bool:
    return same_place(a, b) and dates_agree(a, b) and phases_agree(a, b)


def _names_overlap(a: frozenset[str], b: frozenset[str]) -> int:
    return len(a & b)


def _orgs_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """A body in both ("sở thông tin và truyền thông" and "... tỉnh lào cai" are one)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def score(a: ReportRecord, b: ReportRecord) -> float:
    """How much the two reports look like one training (both already `can_link`)."""
    s = 0.0
    s += 2.5 * min(2, _names_overlap(a.trainers, b.trainers))
    if a.trainers and b.trainers and not (a.trainers & b.trainers):
        s -= 0.5
    if _orgs_overlap(a.organisers, b.organisers):
        s += 1.0
    if a.attendance and b.attendance:
        s += 1.5 if a.attendance == b.attendance else 0.0
    wa, wb = distinctive_words(a.audience), distinctive_words(b.audience)
    s += 1.5 * _jaccard(wa, wb)
    if len(wa) >= 2 and len(wb) >= 2 and not wa & wb:
        s -= 0.5  # two different audiences ("hiệu trưởng" / "công chức xã")
    if a.topics and b.topics:
        s += 0.5 if a.topics & b.topics else -1.0
    if a.decrees & b.decrees:
        s += 0.5
    s += 4.0 * _jaccard(a.words, b.words)
    ia, ib = _interval(a), _interval(b)
    if ia and ib:
        gap = _gap(ia, ib)
        s += 2.0 if gap == 0 else -1.0 * gap
    elif not ia and not ib:
        s -= 0.5
    return s


class _Groups:
    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: [i] for i in self.parent}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)


# Reports whose anchor days (first day, else publication) are further apart than this can never
# be one training (a span of up to ten days, two days' slack, a week before publication), so
# they are never compared: grouping stays near-linear in the number of reports.
_COMPARE_DAYS = 20


def _anchor(r: ReportRecord) -> date | None:
    return _day(r.start) or _day(r.published)


class _Block:
    """The reports of one province: which pairs can link (cached) and each report's possible
    partners, found by a sliding window over the anchor days."""

    def __init__(self, block: list[ReportRecord]) -> None:
        self.records = block
        self.by_id = {r.id: r for r in block}
        self.partners: dict[str, list[str]] = {r.id: [] for r in block}
        self._link: dict[tuple[str, str], bool] = {}
        self.anchor = {r.id: _anchor(r) for r in block}
        dated = sorted((d, n, r) for n, r in enumerate(block) if (d := self.anchor[r.id]))
        for i, (da, _, a) in enumerate(dated):
            for db, _, b in dated[i + 1 :]:
                if (db - da).days > _COMPARE_DAYS:
                    break
                ok = can_link(a, b)
                self._link[(a.id, b.id) if a.id < b.id else (b.id, a.id)] = ok
                if ok:
                    self.partners[a.id].append(b.id)
                    self.partners[b.id].append(a.id)

    def link(self, x: str, y: str) -> bool:
        key = (x, y) if x < y else (y, x)
        if key not in self._link:
            # Not compared while building: too far apart (or undated) to be one training.
            self._link[key] = False
        return self._link[key]


def _place_alone(block: _Block, groups: _Groups) -> None:
    """A report still alone joins a group when that group is the only one in its province and
    days (its week, for a report the text does not date) it could belong to, or far the most
    like it, and they share something (`SOLE_SCORE`, `UNDATED_SCORE`)."""
    for r in block.records:
        if len(groups.members[groups.find(r.id)]) > 1:
            continue
        floor = SOLE_SCORE if r.start else UNDATED_SCORE
        candidates: list[tuple[float, str]] = []
        for root in {groups.find(o) for o in block.partners[r.id]}:
            members = groups.members[root]
            if root == groups.find(r.id) or not all(block.link(r.id, m) for m in members):
                continue
            best = max(score(r, block.by_id[m]) for m in members)
            candidates.append((best, root))
        candidates.sort(reverse=True)
        if not candidates or candidates[0][0] < floor:
            continue
        # One candidate, or one far ahead of the others.
        if len(candidates) == 1 or candidates[0][0] - candidates[1][0] >= UNDATED_MARGIN:
            groups.join(candidates[0][1], r.id)


def group(records: list[ReportRecord], threshold: float = LINK_SCORE) -> list[list[str]]:
    """The reports grouped by training: each group's ids in `order`, groups by their first."""
    by_id = {r.id: r for r in records}
    blocks: dict[str | None, list[ReportRecord]] = {}
    for r in records:
        blocks.setdefault(r.province_now, []).append(r)
    groups = _Groups(by_id)
    for key, members in blocks.items():
        if key is None:
            continue
        block = _Block(members)
        pairs: list[tuple[float, int, int, str, str]] = []
        for x, partners in block.partners.items():
            for y in partners:
                a, b = by_id[x], by_id[y]
                if (a.order, a.id) < (b.order, b.id):
                    s = score(a, b)
                    if s >= threshold:
                        pairs.append((-s, a.order, b.order, a.id, b.id))
        for _, _, _, x, y in sorted(pairs):
            rx, ry = groups.find(x), groups.find(y)
            if rx == ry:
                continue
            if not all(block.link(m, n) for m in groups.members[rx] for n in groups.members[ry]):
                continue
            groups.join(x, y)
        _place_alone(block, groups)
    out = [
        sorted(members, key=lambda i: (by_id[i].order, i))
        for root, members in groups.members.items()
        if groups.find(root) == root
    ]
    return sorted(out, key=lambda g: (by_id[g[0]].order, g[0]))
