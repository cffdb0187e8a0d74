"""The HTML report: self-contained, offline, honest about bounds and coverage; rendered in a
real headless Chromium when one is installed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import find_chromium, render

from indexer.report import (
    ReportData,
    ReportEvent,
    ReportLink,
    attendance_total,
    province_counts,
    render_html,
)

EVENTS = [
    ReportEvent(
        "ev-a", "Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
        "2025-03-12", "2025-03-13", "Lào Cai", "Lào Cai", "online", 200, "hơn",
        ("Lê Văn Nghiêm", "Trần Thị Bích"), ("09/2017/NĐ-CP",),
        (ReportLink("Khai mạc lớp tập huấn", "https://lc.example.vn/1", "soTTTT-laocai"),
         ReportLink("Hơn 200 cán bộ dự tập huấn", "https://baolc.example.vn/2", "baolaocai")),
    ),
    ReportEvent(
        "ev-b", "Bồi dưỡng nghiệp vụ thông tin đối ngoại", "2025-05-02", None, "Nghệ An",
        "Nghệ An", "in_person", 120, "", ("Lê Văn Nghiêm",), (),
        (ReportLink("Bồi dưỡng thông tin đối ngoại", "https://na.example.vn/3", "nghean"),),
    ),
    ReportEvent(
        "ev-c", "Xử lý khủng hoảng truyền thông", "2024-11-20", None, "Quảng Nam", "Đà Nẵng",
        "hybrid", 100, "gần", (), ("09/2017/NĐ-CP",), (),
    ),
]  # fmt: skip


def _data(**kw) -> ReportData:
    base = dict(
        title="Tập huấn phát ngôn",
        generated="2026-12-06T05:30:00+00:00",
        date_from="2024-01-01",
        date_to="2025-12-31",
        events=EVENTS,
        covered={"Lào Cai", "Nghệ An", "Đà Nẵng", "Cà Mau"},
        health=[{"source": "baolaocai", "last_success": "2026-12-01", "articles_30d": 4,
                 "error_rate": 0.1, "flags": []}],
    )  # fmt: skip
    base.update(kw)
    return ReportData(**base)


def test_attendance_bounds_are_kept_apart():
    t = attendance_total(EVENTS)
    assert (t.exact, t.lower_bound, t.approximate) == (120, 200, 100)
    assert t.total == 420 and t.events_with_figure == 3


def test_counts_by_province_at_the_time():
    counts = province_counts(EVENTS)
    assert counts == {"Lào Cai": 1, "Nghệ An": 1, "Quảng Nam": 1}


def test_self_contained_no_script_no_remote_resource():
    page = render_html(_data())
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<script" not in page
    # Nothing is loaded from elsewhere: the only URLs are the reports' links (href).
    assert not re.search(r'\b(?:src|@import|url\()\s*=?\s*["\']?https?:', page)
    assert "<link " not in page
    # The charts are inline SVG with text drawn as outlines (no font needed).
    assert page.count("<svg") >= 4


def test_bounds_and_archipelagos_and_coverage_are_said():
    page = render_html(_data())
    assert "lower bound" in page and "approximate" in page and "≥ 420" in page
    assert "Covered, no training found" in page and "Cà Mau" in page
    assert "Not covered by any source" in page
    # The archipelagos are drawn (as outlines, so their names are in the SVG <title>-less
    # paths); the page's data and the map's legend say so in the text a test can read.
    assert page.count("<svg") >= 1
    for e in EVENTS:
        assert e.title in page
    assert 'href="https://baolc.example.vn/2"' in page
    assert "hơn 200" in page and "gần 100" in page


def test_no_events_does_not_say_nobody_trained_without_coverage():
    page = render_html(_data(events=[], covered=None))
    assert "Coverage is unknown" in page
    assert "Covered, no training found" not in page


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed (apt-get chromium)")
def test_report_renders_in_a_real_browser(tmp_path: Path):
    from PIL import Image, ImageStat

    html_file = tmp_path / "report.html"
    html_file.write_text(render_html(_data()), encoding="utf-8")
    result = render(html_file, tmp_path / "report.png")
    assert result.console == [] and result.net_errors == []
    image = Image.open(result.png).convert("L")
    assert image.size == (1200, 1800)
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 20  # not blank: text, marks and bars on white
    # The top of the page (title, figures, map and charts) is drawn, not only the first line.
    top = ImageStat.Stat(image.crop((0, 200, 1200, 900)))
    assert top.stddev[0] > 20


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed (apt-get chromium)")
def test_the_console_check_sees_errors(tmp_path: Path):
    """The negative control: a page that logs an error is caught by the check above."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body>x<script>console.error('boom')</script></body></html>")
    result = render(bad, tmp_path / "bad.png", 400, 300)
    assert any("boom" in m for m in result.console)


# -- the command ----------------------------------------------------------------------------
def _store_with_events(path: Path) -> None:
    from conftest import make_article

    from crawler.events.recompute import recompute_events
    from indexer.model import Speaker
    from indexer.store import Store

    body = (
        "Sáng ngày 12/3/2025, Sở Văn hóa, Thể thao và Du lịch tỉnh Lào Cai tổ chức hội nghị "
        "tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí cho hơn 200 học viên. "
        "Ông Lê Văn Nghiêm, Phó Cục trưởng Cục Thông tin đối ngoại, truyền đạt chuyên đề."
    )
    with Store.open(path) as store:
        for aid, title in (("r1", "Lào Cai tập huấn kỹ năng phát ngôn"),
                           ("r2", "Hơn 200 học viên dự tập huấn phát ngôn tại Lào Cai")):  # fmt: skip
            store.upsert(
                make_article(
                    aid,
                    title=title,
                    body=body,
                    relevant=True,
                    published="2025-03-12",
                    event_date="2025-03-12",
                    date="2025-03-12",
                    province="Lào Cai",
                    province_now="Lào Cai",
                    topics=["phát ngôn"],
                    speakers=[Speaker("Lê Văn Nghiêm", "Phó Cục trưởng Cục Thông tin đối ngoại")],
                    decrees=["09/2017/NĐ-CP"],
                )  # fmt: skip
            )
        recompute_events(store, full=True)


def test_report_command_writes_one_file_and_leaves_the_store(tmp_path: Path):
    from click.testing import CliRunner

    from search_cli.main import cli

    db = tmp_path / "p.db"
    _store_with_events(db)
    before = db.stat().st_mtime_ns
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        cli, ["report", "--db", str(db), "--out", str(out), "--from", "2025", "--to", "2025"]
    )
    assert result.exit_code == 0, result.output
    assert "1 training(s), 2 report(s)" in result.output
    page = out.read_text(encoding="utf-8")
    assert "Lào Cai" in page and "hơn 200" in page and "Lê Văn Nghiêm" in page
    assert "Period: 2025-01-01 – 2025-12-31" in page
    assert db.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "r.html"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "{tmp}"], "is a folder"),
        (["--out", "{tmp}/missing/r.html"], "does not exist"),
        (["--out", "{tmp}/r.html", "--from", "2025", "--to", "2024"], "is after"),
        (["--out", "{tmp}/r.html", "--province", "Atlantis"], "Atlantis"),
        (["--out", "{db}"], "database itself"),
    ],
)
def test_report_errors_are_one_line(tmp_path: Path, args, message):
    from click.testing import CliRunner

    from search_cli.main import cli

    db = tmp_path / "p.db"
    _store_with_events(db)
    args = [a.format(tmp=tmp_path, db=db) for a in args]
    result = CliRunner().invoke(cli, ["report", "--db", str(db), *args])
    assert result.exit_code == 1, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()
