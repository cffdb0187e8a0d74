"""`pressnews report`: one self-contained HTML file about the trainings of a period.

Pure rendering: `ReportData` in, an HTML string out. Charts are drawn with matplotlib (a
well-kept plotting library that needs no browser, server or network) as inline SVG whose text is
turned into glyph outlines, so the file shows the same everywhere, offline, whatever fonts the
reader has; matplotlib's bundled DejaVu Sans covers Vietnamese. The page itself uses no script,
no external style sheet, no web font and no image file.

The map is schematic: a mark per province at its reference map point, sized by the trainings
found there; provinces that the crawled sources cover but where no training was found, and
provinces no source covers, are drawn differently (never one for the other); the Hoàng Sa
(Đà Nẵng) and Trường Sa (Khánh Hòa) archipelagos are always drawn as part of Vietnam.
"""

from __future__ import annotations

import html
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vnlang.gazetteer import RENAMES, Province, all_provinces
from vnlang.geography import ARCHIPELAGOS, MAP_FRAME

from . import coverage, documents
from .event_model import Event
from .events import EventQuery, list_events
from .store import Store

LOWER_BOUND = frozenset({"hơn", "trên", "hơn hẳn", "ít nhất"})
APPROXIMATE = frozenset({"gần", "khoảng", "xấp xỉ", "trên dưới", "chừng"})


@dataclass(frozen=True)
class ReportLink:
    title: str
    url: str
    source: str


@dataclass(frozen=True)
class ReportEvent:
    id: str
    title: str
    start: str | None
    end: str | None
    province: str | None
    province_now: str | None
    format: str | None = None  # "in_person", "online", "hybrid"
    attendance: int | None = None
    qualifier: str = ""  # "hơn", "gần", "khoảng", ... as written; "" for an exact number
    trainers: tuple[str, ...] = ()
    decrees: tuple[str, ...] = ()
    reports: tuple[ReportLink, ...] = ()


@dataclass
class ReportData:
    title: str
    generated: str  # ISO timestamp of the rendering
    date_from: str | None
    date_to: str | None
    events: list[ReportEvent]
    # Province names (pre- or post-2025) that at least one source covers in the period; None
    # when coverage is unknown (then no province is drawn as "trained nobody").
    covered: set[str] | None = None
    province_filter: str | None = None
    health: list[dict[str, Any]] = field(default_factory=list)
    undated_events: int = 0
    # Per plan (attached documents): province, plan symbol, date, planned, held (see
    # `indexer.documents.planned_vs_held`); empty when no plan was read.
    planned: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AttendanceTotal:
    exact: int  # sum of exact figures
    lower_bound: int  # sum of "hơn/trên N" figures (the true total is higher)
    approximate: int  # sum of "gần/khoảng N" figures
    events_with_figure: int
    events_without: int

    @property
    def total(self) -> int:
        return self.exact + self.lower_bound + self.approximate


def attendance_total(events: Iterable[ReportEvent]) -> AttendanceTotal:
    exact = lower = approx = with_figure = without = 0
    for e in events:
        if e.attendance is None:
            without += 1
            continue
        with_figure += 1
        q = e.qualifier.strip().lower()
        if q in LOWER_BOUND:
            lower += e.attendance
        elif q:
            approx += e.attendance
        else:
            exact += e.attendance
    return AttendanceTotal(exact, lower, approx, with_figure, without)


def _map_provinces() -> list[Province]:
    """The units drawn on the map: the 63 provinces of before the 2025 merger (finer points),
    and the 2025 units whose name is new."""
    provinces = all_provinces()
    old = {p.name for p in provinces if p.gso_code}
    renamed = {new for _, new in RENAMES.values()}
    return [p for p in provinces if p.gso_code or (p.name not in old and p.name not in renamed)]


_RENAMED_FROM = {new: old for old, (_, new) in RENAMES.items()}


def province_counts(events: Iterable[ReportEvent]) -> Counter[str]:
    """Trainings per map unit: the event's province as named at the time (a renamed province
    at its old point)."""
    names = {p.name for p in _map_provinces()}
    counts: Counter[str] = Counter()
    for e in events:
        for name in (e.province, _RENAMED_FROM.get(e.province or ""), e.province_now):
            if name in names:
                counts[name] += 1
                break
    return counts


def _is_covered(p: Province, covered: set[str] | None) -> bool | None:
    if covered is None:
        return None
    return p.name in covered or p.merged_into in covered


def _svg(fig: Any) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "pressnews"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_alpha(0)
    return fig


def map_svg(data: ReportData) -> str:
    counts = province_counts(data.events)
    fig = _figure(6.0, 8.6)
    ax = fig.add_subplot()
    min_lon, max_lon, min_lat, max_lat = MAP_FRAME
    ax.set_xlim(min_lon, max_lon)
    ax.set_ylim(min_lat, max_lat)
    ax.set_aspect(1.0)
    ax.set_facecolor("#eef5fb")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#9bb")
    biggest = max(counts.values(), default=1)
    trained, quiet, uncovered, unknown = [], [], [], []
    for p in _map_provinces():
        if counts.get(p.name):
            trained.append(p)
        else:
            state = _is_covered(p, data.covered)
            (unknown if state is None else quiet if state else uncovered).append(p)
    if uncovered:
        ax.scatter(
            [p.lon for p in uncovered], [p.lat for p in uncovered], s=22, marker="x",
            color="#b0b0b0", linewidths=1.0, label="not covered by any source",
        )  # fmt: skip
    if unknown:
        ax.scatter(
            [p.lon for p in unknown], [p.lat for p in unknown], s=14, marker="o",
            color="#c8c8c8", label="no training found (coverage unknown)",
        )  # fmt: skip
    if quiet:
        ax.scatter(
            [p.lon for p in quiet], [p.lat for p in quiet], s=30, marker="o",
            facecolors="white", edgecolors="#555", linewidths=1.0,
            label="covered, no training found",
        )  # fmt: skip
    if trained:
        ax.scatter(
            [p.lon for p in trained], [p.lat for p in trained],
            s=[40 + 360 * counts[p.name] / biggest for p in trained],
            color="#c0392b", alpha=0.75, edgecolors="#7b241c", linewidths=0.8,
            label="trainings (mark size: how many)",
        )  # fmt: skip
        for p in sorted(trained, key=lambda p: -counts[p.name])[:12]:
            ax.annotate(
                f"{p.name} ({counts[p.name]})", (p.lon, p.lat), xytext=(6, 3),
                textcoords="offset points", fontsize=7, color="#222",
            )  # fmt: skip
    for arch in ARCHIPELAGOS:
        ax.scatter(
            [lon for _, lon in arch.islands], [lat for lat, _ in arch.islands], s=6,
            marker="o", color="#2c3e50",
        )  # fmt: skip
        ax.annotate(
            f"{arch.name}\n({arch.province}, Việt Nam)", (arch.lon, arch.lat), xytext=(0, 12),
            textcoords="offset points", fontsize=7, ha="center", color="#2c3e50",
        )  # fmt: skip
    ax.legend(loc="upper right", fontsize=7, frameon=True, framealpha=0.9)
    ax.set_title("Trainings by province", fontsize=10)
    return _svg(fig)


def _months(events: Sequence[ReportEvent]) -> list[str]:
    months = sorted({e.start[:7] for e in events if e.start})
    if not months:
        return []
    out, (y, m) = [], map(int, months[0].split("-"))
    last = months[-1]
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def monthly_svg(events: Sequence[ReportEvent]) -> str | None:
    months = _months(events)
    if not months:
        return None
    per = Counter(e.start[:7] for e in events if e.start)
    exact: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    approx: Counter[str] = Counter()
    for e in events:
        if e.start and e.attendance is not None:
            q = e.qualifier.strip().lower()
            bucket = lower if q in LOWER_BOUND else approx if q else exact
            bucket[e.start[:7]] += e.attendance
    fig = _figure(7.5, 4.6)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    xs = range(len(months))
    ax1.bar(xs, [per[m] for m in months], color="#2e86c1")
    ax1.set_ylabel("trainings", fontsize=8)
    ax1.set_title("Trainings per month", fontsize=10)
    ax1.yaxis.get_major_locator().set_params(integer=True)
    b1 = [exact[m] for m in months]
    b2 = [lower[m] for m in months]
    b3 = [approx[m] for m in months]
    ax2.bar(xs, b1, color="#239b56", label="exact")
    ax2.bar(xs, b2, bottom=b1, color="#f5b041", hatch="//", label="“hơn/trên N”: at least")
    ax2.bar(
        xs, b3, bottom=[a + b for a, b in zip(b1, b2, strict=True)], color="#aab7b8",
        label="“gần/khoảng N”: about",
    )  # fmt: skip
    ax2.set_ylabel("attendance", fontsize=8)
    ax2.set_title("Attendance per month (as reported)", fontsize=10)
    ax2.legend(fontsize=7)
    step = max(1, len(months) // 12)
    ax2.set_xticks(list(xs)[::step], months[::step], rotation=45, fontsize=7)
    fig.tight_layout()
    return _svg(fig)


def top_svg(title: str, counts: Counter[str], colour: str, limit: int = 10) -> str | None:
    top = counts.most_common(limit)
    if not top:
        return None
    fig = _figure(5.0, 0.45 * len(top) + 0.9)
    ax = fig.add_subplot()
    labels = [name if len(name) <= 38 else name[:37] + "…" for name, _ in top][::-1]
    ax.barh(range(len(top)), [n for _, n in top][::-1], color=colour)
    ax.set_yticks(range(len(top)), labels, fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return _svg(fig)


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def _attendance_text(e: ReportEvent) -> str:
    if e.attendance is None:
        return "—"
    return f"{e.qualifier} {e.attendance}".strip()


def _dates(e: ReportEvent) -> str:
    if not e.start:
        return "undated"
    return e.start if not e.end or e.end == e.start else f"{e.start} – {e.end}"


FORMATS = {"in_person": "in person", "online": "online", "hybrid": "hybrid"}

STYLE = """
body{font-family:"Noto Sans","DejaVu Sans","Segoe UI",Roboto,Arial,sans-serif;margin:24px;
color:#1c2833;max-width:1100px}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px
solid #d5d8dc;padding-bottom:.2em}.meta{color:#566573;font-size:.9em}
.grid{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.grid>div{flex:1 1 320px}
.figures{display:flex;gap:24px;flex-wrap:wrap;margin:12px 0}.figure{background:#f4f6f7;
padding:10px 16px;border-radius:6px}.figure b{display:block;font-size:1.4em}
table{border-collapse:collapse;width:100%;font-size:.88em}th,td{border-bottom:1px solid #e5e8e8;
padding:4px 6px;text-align:left;vertical-align:top}th{background:#f4f6f7}
.note{font-size:.85em;color:#566573}svg{max-width:100%;height:auto}
ul.reports{margin:0;padding-left:1.1em}
"""


def render_html(data: ReportData) -> str:
    events = sorted(data.events, key=lambda e: (e.start or "", e.id), reverse=True)
    totals = attendance_total(events)
    trainers: Counter[str] = Counter(t for e in events for t in dict.fromkeys(e.trainers))
    documents: Counter[str] = Counter(d for e in events for d in dict.fromkeys(e.decrees))
    trained_provinces = len(province_counts(events))
    if data.date_from or data.date_to:
        period = f"{data.date_from or 'the start'} – {data.date_to or 'today'}"
    else:
        period = "all dates"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(data.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(data.title)}</h1>",
        f'<p class="meta">Period: {_e(period)}'
        + (f" · Province: {_e(data.province_filter)}" if data.province_filter else "")
        + f" · Generated {_e(data.generated)} by pressnews</p>",
        '<div class="figures">',
        f'<div class="figure"><b>{len(events)}</b>trainings</div>',
        f'<div class="figure"><b>{sum(len(e.reports) for e in events)}</b>reports</div>',
        f'<div class="figure"><b>{trained_provinces}</b>provinces with a training</div>',
        f'<div class="figure"><b>{_e(_total_text(totals))}</b>attendance reported</div>',
        "</div>",
        f'<p class="note">{_e(_attendance_note(totals))}</p>',
    ]
    if not events:
        parts.append(
            "<p><b>No training found in the period.</b> "
            + (
                "The map shows which provinces the crawled sources cover."
                if data.covered is not None
                else "Coverage is unknown: this does not mean no training was held."
            )
            + "</p>"
        )
    parts += ['<div class="grid">', f"<div>{map_svg(data)}</div>", "<div>"]
    for svg in (
        monthly_svg(events),
        top_svg("Top trainers (trainings)", trainers, "#8e44ad"),
        top_svg("Documents taught (trainings)", documents, "#d35400"),
    ):
        if svg:
            parts.append(svg)
    parts += ["</div></div>"]
    if data.covered is not None:
        parts.append(_coverage_note(data, events))
    parts += ["<h2>Trainings</h2>", _events_table(events)]
    if data.undated_events:
        parts.append(
            f'<p class="note">{data.undated_events} undated training(s) are not in the period '
            "filter and not counted above.</p>"
        )
    if data.planned:
        parts += ["<h2>Planned and held (the provinces' own plans)</h2>", _planned_table(data)]
    if data.health:
        parts += ["<h2>Source health</h2>", _health_table(data.health)]
    parts.append("</body></html>")
    return "\n".join(parts)


def _total_text(t: AttendanceTotal) -> str:
    if not t.events_with_figure:
        return "—"
    prefix = "≥ " if t.lower_bound else "≈ " if t.approximate else ""
    return f"{prefix}{t.total:,}".replace(",", ".")


def _attendance_note(t: AttendanceTotal) -> str:
    notes = [
        f"Attendance is summed over the {t.events_with_figure} training(s) whose reports give a "
        f"number ({t.events_without} give none)."
    ]
    if t.lower_bound:
        notes.append(
            f"{t.lower_bound:,} of it comes from figures written “hơn/trên N” (more than N): "
            "the total is a lower bound."
        )
    if t.approximate:
        notes.append(f"{t.approximate:,} comes from “gần/khoảng N” (about N): approximate.")
    return " ".join(notes)


def _coverage_note(data: ReportData, events: Sequence[ReportEvent]) -> str:
    counts = province_counts(events)
    quiet, uncovered = [], []
    for p in _map_provinces():
        if counts.get(p.name):
            continue
        (quiet if _is_covered(p, data.covered) else uncovered).append(p.name)
    return (
        "<h2>Coverage</h2>"
        f"<p><b>Covered, no training found ({len(quiet)}):</b> {_e(', '.join(quiet) or '—')}</p>"
        f"<p><b>Not covered by any source ({len(uncovered)}):</b> "
        f"{_e(', '.join(uncovered) or '—')}</p>"
    )


def _events_table(events: Sequence[ReportEvent]) -> str:
    if not events:
        return "<p>—</p>"
    rows = [
        "<table><tr><th>Dates</th><th>Province</th><th>Training</th><th>Format</th>"
        "<th>Attendance</th><th>Trainers</th><th>Documents</th><th>Reports</th></tr>"
    ]
    for e in events:
        province = e.province or "—"
        if e.province_now and e.province_now != e.province:
            province += f" (now {e.province_now})"
        reports = "".join(
            f'<li><a href="{_e(r.url)}">{_e(r.title or r.url)}</a> '
            f'<span class="note">{_e(r.source)}</span></li>'
            for r in e.reports
        )
        rows.append(
            f"<tr><td>{_e(_dates(e))}</td><td>{_e(province)}</td><td>{_e(e.title)}"
            f'<br><span class="note">{_e(e.id)}</span></td>'
            f"<td>{_e(FORMATS.get(e.format or '', '—'))}</td><td>{_e(_attendance_text(e))}</td>"
            f"<td>{_e(', '.join(e.trainers) or '—')}</td><td>{_e(', '.join(e.decrees) or '—')}</td>"
            f'<td><ul class="reports">{reports}</ul></td></tr>'
        )
    rows.append("</table>")
    return "\n".join(rows)


def _planned_table(data: ReportData) -> str:
    rows = [
        "<table><tr><th>Province</th><th>Plan</th><th>Date</th><th>Trainings planned</th>"
        "<th>Held (found reported)</th><th>Not found held</th></tr>"
    ]
    for r in data.planned:
        rows.append(
            f"<tr><td>{_e(r.get('province') or '—')}</td><td>{_e(r.get('plan') or '—')}</td>"
            f"<td>{_e(r.get('date') or '—')}</td><td>{_e(r.get('planned'))}</td>"
            f"<td>{_e(r.get('held'))}</td><td>{_e((r.get('planned') or 0) - (r.get('held') or 0))}</td></tr>"
        )
    rows.append("</table>")
    rows.append(
        '<p class="note">A planned training counts as held when an article of the province '
        "reports a training on its topic in its period, or the province's own report lists it; "
        "“not found held” means no such report was found in the crawled sources, not that the "
        "training did not take place.</p>"
    )
    return "\n".join(rows)


def _health_table(health: Sequence[dict[str, Any]]) -> str:
    rows = [
        "<table><tr><th>Source</th><th>Last success</th><th>Articles (30 days)</th>"
        "<th>Error rate</th><th>Health</th></tr>"
    ]
    for r in health:
        rate = r.get("error_rate")
        rows.append(
            f"<tr><td>{_e(r.get('source'))}</td><td>{_e(r.get('last_success') or 'never')}</td>"
            f"<td>{_e(r.get('articles_30d'))}</td>"
            f"<td>{'—' if rate is None else f'{rate:.0%}'}</td>"
            f"<td>{_e('; '.join(r.get('flags') or []) or 'ok')}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


# -- from the store ---------------------------------------------------------------------------
def report_event(ev: Event) -> ReportEvent:
    return ReportEvent(
        id=ev.id,
        title=ev.title,
        start=ev.start or ev.date,
        end=ev.end,
        province=ev.province,
        province_now=ev.province_now,
        format=ev.format,
        attendance=ev.attendance.value if ev.attendance else None,
        qualifier=ev.attendance.qualifier if ev.attendance else "",
        trainers=tuple(t.name for t in ev.trainers),
        decrees=tuple(ev.decrees),
        reports=tuple(ReportLink(r.title, r.url, r.source) for r in ev.reports),
    )


def covered_provinces(
    store: Store,
    province: str | None,
    years: Sequence[int],
    registry: Mapping[str, str | None] | None = None,
) -> set[str] | None:
    """The provinces some source covers (wholly or partly) in one of `years`; None when the
    store has no coverage records at all (a store from before coverage was recorded), so that
    the report never draws "no training" where nobody looked."""
    if not coverage.sources(store, registry) or not years:
        return None
    cells = coverage.coverage(store, province, years, registry)
    return {c.province for c in cells if c.status in ("covered", "partial")}


def report_data(
    store: Store,
    *,
    generated: str,
    date_from: str | None = None,
    date_to: str | None = None,
    province: str | None = None,
    health: list[dict[str, Any]] | None = None,
    registry: Mapping[str, str | None] | None = None,
    title: str = "Trainings of spokespeople and press officers",
) -> ReportData:
    """Everything `render_html` draws, read from the store: the events of the period (by their
    date; the province filter as `pressnews events --province`), the coverage of their years."""
    query = EventQuery(province=province, date_from=date_from, date_to=date_to)
    found = list_events(store, query)
    undated = 0
    if date_from or date_to:
        undated = sum(1 for ev in list_events(store, EventQuery(province=province)) if not ev.date)
    first = int((date_from or min((e.date for e in found if e.date), default="") or "0")[:4])
    last = int((date_to or max((e.date for e in found if e.date), default="") or "0")[:4])
    if not first or not last:
        spans = [s for s in coverage.sources(store, registry) if s.oldest]
        first = first or int(min((s.oldest or "9999" for s in spans), default="0")[:4])
        last = last or int(generated[:4])
    years = list(range(first, last + 1)) if first and last and first <= last else []
    planned = [
        r
        for r in documents.planned_vs_held(store, province)
        if r["planned"]
        and (not date_from or (r.get("date") or "")[:4] >= date_from[:4])
        and (not date_to or (r.get("date") or "9999")[:4] <= date_to[:4])
    ]
    return ReportData(
        title=title,
        generated=generated,
        date_from=date_from,
        date_to=date_to,
        events=[report_event(ev) for ev in found],
        covered=covered_provinces(store, province, years, registry),
        province_filter=province,
        health=health or [],
        undated_events=undated,
        planned=planned,
    )
