"""Operating pressnews (issue 9): a crawl stopped by SIGINT or SIGTERM, runs whose every source
failed, the lock of another crawl, the demo's way to real use, what the search list shows, and
robots.txt fetched once per site.

The tests that crawl run `pressnews` in a subprocess against the fixture server and are marked
`slow` (`pytest -m "not slow"` skips them)."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from cli_support import assert_one_line_error, invoke, make_db, snapshot
from conftest import CLEAN_SITES, FAST, REPO, export, make_article, run_cli, write_sources
from hypothesis import given, settings
from hypothesis import strategies as st
from test_resilience import _count, _running

from crawler.bookkeeping import finish_run, list_runs, start_run
from crawler.crawl_runner import (
    LOCK_WAIT,
    CrawlLocked,
    CrawlReport,
    SourceReport,
    check_settings,
    crawl_lock,
)
from indexer.model import Speaker
from indexer.snippets import clean_text, lead_snippet, make_snippet
from indexer.store import Store
from search_cli.commands.demo import choose_database
from search_cli.demo.sites_config import load_expected
from search_cli.output import cut_list, fit_snippet

# A crawl slow enough to be stopped midway: one request at a time, 0.4 s apart.
SLOW = [
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "DOWNLOAD_DELAY=0.4",
    "-s",
    "CONCURRENT_REQUESTS=1",
]


def _children(pid: int) -> list[str]:
    return subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def _runs(db: Path) -> list[dict]:
    result = run_cli("runs", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- 1. SIGINT and SIGTERM during a crawl ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "status", "whole_group"),
    [
        (signal.SIGINT, 130, True),  # Ctrl-C in a terminal: the crawl and its workers get it
        (signal.SIGTERM, 143, False),  # kill / systemd stop: the crawl process alone
    ],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_stops_the_crawl_cleanly_and_the_run_is_recorded_interrupted(
    site_server, tmp_path, signum, status, whole_group
):
    sources = write_sources(site_server, tmp_path / "s.toml", CLEAN_SITES)
    db = tmp_path / "stopped.db"
    cmd = [sys.executable, "-m", "search_cli", "crawl", "--db", str(db), "--sources", str(sources)]
    cmd += ["-q", *SLOW, "-s", "PRESSNEWS_WORKERS=2"]
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.time() + 60
    while _count(db) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, "the crawl ended before it could be stopped"
    workers = _children(proc.pid)
    assert workers, "no worker processes to check"
    stored = _count(db)
    if whole_group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == status, err
    assert "Traceback" not in err and "Traceback" not in out
    assert f"Interrupted by {signal.Signals(signum).name}" in err
    deadline = time.time() + 10
    while time.time() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers), "a worker process survived"
    [run] = _runs(db)
    assert run["status"] == "interrupted" and run["ended"], run
    assert run["summary"]["signal"] == signal.Signals(signum).name
    assert run["summary"]["finish_reason"] == "shutdown"
    articles = export(db)
    total = sum(len(load_expected(site)["articles"]) for site in CLEAN_SITES)
    assert stored <= len(articles) < total  # what was stored is kept; the crawl did not finish
    shown = run_cli("runs", "--db", str(db)).stdout
    assert f"interrupted — stopped by {signal.Signals(signum).name}" in shown


def test_the_exit_status_follows_the_signal():
    sources = [SourceReport("a", pages=3)]
    assert CrawlReport(sources, "finished").exit_status == 0
    assert CrawlReport(sources, "shutdown", signal=signal.SIGINT).exit_status == 130
    assert CrawlReport(sources, "shutdown", signal=signal.SIGTERM).exit_status == 143
    assert CrawlReport([SourceReport("a", errors={"dns": 1})], "finished").exit_status == 1


# -- 2. A run in which every source failed ---------------------------------------------------


@pytest.mark.slow
def test_a_run_whose_every_source_failed_is_recorded_failed_with_the_error_kind(tmp_path):
    sources = tmp_path / "s.toml"
    port = _closed_port()
    sources.write_text(
        f'[sources.gone]\nname = "Closed port"\nstart_urls = ["http://127.0.0.1:{port}/"]\n',
        encoding="utf-8",
    )
    db = tmp_path / "failed.db"
    args = ["--sources", str(sources), "-q", *FAST, "-s", "RETRY_TIMES=0"]
    result = run_cli("crawl", "--db", str(db), *args)
    assert result.returncode == 1, result.stderr
    assert "failed entirely: gone" in result.stderr and "Traceback" not in result.stderr
    [run] = _runs(db)
    assert run["status"] == "failed" and run["ended"]
    assert run["summary"]["failed_sources"] == ["gone"]
    assert run["summary"]["errors"]["gone"].get("refused"), run["summary"]
    assert run["sources"][0]["errors"].get("refused")
    assert "failed — failed entirely: gone (refused: " in run_cli("runs", "--db", str(db)).stdout


@pytest.mark.parametrize(
    ("stats", "reason"),
    [
        ({"pressnews/a/errors/dns": 2, "pressnews/b/errors/refused": 1}, "finished"),
        ({"pressnews/a/pages": 4, "pressnews/b/errors/refused": 3}, "finished"),
        ({"pressnews/a/pages": 4, "pressnews/b/pages": 1}, "finished"),
        ({"pressnews/a/pages": 4}, "shutdown"),
        ({}, "finished"),  # nothing fetched and no error (robots.txt forbade all): not failed
    ],
)
def test_the_record_and_the_exit_status_use_one_rule(tmp_path, stats, reason):
    with Store.open(tmp_path / "r.db") as store:
        status = finish_run(store, start_run(store), stats, ["a", "b"], reason)
        [row] = list_runs(store)
    report = CrawlReport(
        [
            SourceReport(
                key,
                pages=stats.get(f"pressnews/{key}/pages", 0),
                errors={
                    k.rsplit("/", 1)[1]: v
                    for k, v in stats.items()
                    if k.startswith(f"pressnews/{key}/errors/")
                },
            )
            for key in ("a", "b")
        ],
        reason,
    )
    assert row.summary["failed_sources"] == report.failed_sources
    if reason == "finished":
        assert (status in ("failed", "partial")) == (report.exit_status == 1)
        assert (status == "failed") == (len(report.failed_sources) == 2)
    for src in report.failed_sources:
        assert row.summary["errors"][src] == report.sources[["a", "b"].index(src)].errors


# -- 3. The lock of another crawl --------------------------------------------------------------


def _hold_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the crawl lock of `db` (an flock, as a crawl takes it)."""
    code = (
        "import fcntl, os, sys, time\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, f"{db}.lock", str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_lock_held_briefly_is_waited_for(tmp_path):
    db = tmp_path / "c.db"
    holder = _hold_lock(db, 1.0)
    try:
        started = time.monotonic()
        with crawl_lock(str(db), wait=10):
            waited = time.monotonic() - started
        assert 0.5 <= waited < 10
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_held_longer_fails_after_the_stated_wait(tmp_path):
    db = tmp_path / "c.db"
    holder = _hold_lock(db, 60)
    try:
        started = time.monotonic()
        with pytest.raises(CrawlLocked) as caught, crawl_lock(str(db), wait=1):
            pass
        waited = time.monotonic() - started
        assert 1 <= waited < 5
        message = str(caught.value)
        assert f"another crawl is running on {db}" in message
        assert f"(lock {db}.lock); waited 1 s" in message

        sources = tmp_path / "s.toml"
        sources.write_text('[sources.a]\nname = "A"\nstart_urls = ["http://127.0.0.1:9/"]\n')
        args = ["crawl", "--db", str(db), "--sources", str(sources), "-q"]
        line = assert_one_line_error(invoke(*args, "-s", "PRESSNEWS_LOCK_WAIT=0.5"), 1)
        assert "another crawl is running" in line and line.endswith("waited 0.5 s")
        line = assert_one_line_error(invoke(*args, "-s", "PRESSNEWS_LOCK_WAIT=soon"), 1)
        assert "PRESSNEWS_LOCK_WAIT" in line and "seconds" in line
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_wait_is_ten_seconds_unless_set():
    assert LOCK_WAIT == 10
    assert check_settings({"PRESSNEWS_LOCK_WAIT": "2.5"}) == {"PRESSNEWS_LOCK_WAIT": 2.5}


# -- 4. From the demo to real use --------------------------------------------------------------


def test_the_demo_database_is_where_the_next_commands_look(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    default = str(tmp_path / "data" / "pressnews.db")
    chosen = choose_database(None, default)
    assert chosen.path == default and chosen.found_by_default and chosen.instead_of is None
    other = str(tmp_path / "mine.db")
    assert choose_database(other, default).found_by_default is False
    Path(default).parent.mkdir()
    Path(default).write_bytes(b"not to be touched")
    chosen = choose_database(None, default)
    assert chosen.instead_of == default and not chosen.found_by_default
    assert chosen.path != default and not Path(chosen.path).exists()
    assert Path(chosen.path).parent.parent == tmp_path  # a new folder in the temporary folder
    assert Path(default).read_bytes() == b"not to be touched"


@pytest.mark.slow
def test_the_demo_leaves_an_existing_database_alone_and_prints_the_commands(tmp_path):
    existing = make_db(tmp_path / "mine.db")
    before = snapshot(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = run_cli("demo", env={"PRESSNEWS_DB": str(existing), "TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("tmp/")} == before
    # The demo's own temporary folder (sources file) is gone; its database folder stays.
    [left] = list(temp.iterdir())
    assert left.name.startswith("pressnews-demo-db-") and (left / "demo.db").exists()
    assert f"{existing} exists" in result.stdout
    commands = [line.strip() for line in result.stdout.splitlines() if " search --db " in line]
    assert commands and all(str(left / "demo.db") in c for c in commands)
    # The printed command works as printed.
    done = subprocess.run(
        shlex.split(commands[0]), capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0 and "matching article(s)" in done.stdout, done.stderr
    health = json.loads(run_cli("sources", "--db", str(left / "demo.db"), "--json").stdout)
    demo_sources = {h["source"] for h in health if not h["in_sources_file"]}
    assert demo_sources == set(CLEAN_SITES) | {"vanban"}  # vanban: the document site
    assert all(h["last_success"] for h in health if h["source"] in demo_sources)


@pytest.mark.slow
def _sigint_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_the_demo_cleans_up_and_exits_130(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    db = tmp_path / "demo.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "search_cli", "demo"],
        cwd=REPO,
        env={**os.environ, "PRESSNEWS_DB": str(db), "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As in a terminal: a suite started as a background job of a shell inherits SIGINT
        # ignored, and Python then leaves it ignored in the demo (no KeyboardInterrupt).
        preexec_fn=_sigint_as_in_a_terminal,
    )
    assert proc.stdout is not None
    assert "crawling" in proc.stdout.readline()
    deadline = time.time() + 10
    while not (children := _children(proc.pid)) and time.time() < deadline:
        time.sleep(0.05)
    assert children, "the demo started no crawl"
    proc.send_signal(signal.SIGINT)  # the demo's children run in a process group of their own
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Interrupted: the demo stopped"), err
    assert "Traceback" not in out
    assert list(temp.iterdir()) == []  # the sources file and its folder are removed
    assert not db.exists()  # an unfinished demo database is removed too
    assert not any(_running(pid) for pid in children)


def test_sources_lists_the_sources_the_database_holds(tmp_path):
    db = make_db(tmp_path / "p.db")
    sources = tmp_path / "s.toml"
    sources.write_text('[sources.other]\nname = "Other"\nstart_urls = ["https://o.vn/"]\n')
    rows = json.loads(
        invoke("sources", "--db", str(db), "--sources", str(sources), "--json").stdout
    )
    by_name = {r["source"]: r for r in rows}
    assert set(by_name) == {"other", "hanam-stttt", "thanhhoa-portal"}
    assert by_name["other"]["in_sources_file"] is True
    assert by_name["hanam-stttt"]["in_sources_file"] is False
    assert by_name["hanam-stttt"]["last_success"]  # with its health from the recorded run
    table = invoke("sources", "--db", str(db), "--sources", str(sources)).stdout
    assert "hanam-stttt*" in table and f"* in the database but not in {sources}" in table


# -- 5. What a person reads --------------------------------------------------------------------


BODIES = [
    "Hội nghị tập huấn kỹ năng phát ngôn và cung cấp thông tin. ",
    "Lớp bồi dưỡng nghiệp vụ phát ngôn cho cán bộ các sở ngành. ",
    "Sở Thông tin tổ chức tọa đàm về xử lý khủng hoảng truyền thông. ",
    "Người phát ngôn cấp huyện học cách trả lời phỏng vấn báo chí. ",
]


@pytest.fixture
def people_db(tmp_path):
    """Articles with many speakers and documents, in four provinces."""
    path = tmp_path / "people.db"
    speakers = [Speaker(f"Nguyễn Văn {n}", f"Vai trò {n}") for n in ("An", "Bình", "Cường")]
    speakers += [Speaker("Trần Thị Dung", "Phó Giám đốc Sở"), Speaker("Lê Văn Em", "")]
    speakers += [Speaker("Phạm Minh Hiếu", "Giám đốc Sở Thông tin và Truyền thông")]
    decrees = ["72/2015/NĐ-CP", "Luật Báo chí 2016", "125/KH-STTTT", "41/QĐ-UBND"]
    decrees += ["1025/KH-UBND", "09/2017/NĐ-CP"]
    provinces = ["Hà Nam", "Thanh Hóa", "Nghệ An", "Quảng Trị"]
    with Store.open(path) as store:
        for i, province in enumerate(provinces):
            store.upsert(
                make_article(
                    f"p{i}",
                    title=f"Tập huấn kỹ năng phát ngôn {i}",
                    body=f"{province} ngày {i + 10}: " + BODIES[i] * 12,
                    province=province,
                    published=f"2023-0{i + 1}-10",
                    date=f"2023-0{i + 1}-10",
                    speakers=speakers if i == 0 else speakers[:1],
                    decrees=decrees if i == 0 else decrees[:1],
                    relevant=True,
                )
            )
    return str(path)


def test_a_search_by_speaker_shows_roles_and_the_matched_speaker_first(people_db):
    out = invoke("search", "--db", people_db, "--speaker", "pham minh hieu").stdout
    assert "speakers: Phạm Minh Hiếu (Giám đốc Sở Thông tin và Truyền thông), " in out
    assert "+2 more" in out  # six speakers, four shown
    plain = invoke("search", "--db", people_db, "phát ngôn").stdout
    assert (
        "speakers: Nguyễn Văn An, Nguyễn Văn Bình, Nguyễn Văn Cường, Trần Thị Dung +2 more" in plain
    )
    assert "(Vai trò" not in plain


def test_a_search_by_decree_shows_the_documents_matched_first(people_db):
    out = invoke("search", "--db", people_db, "--decree", "9/2017/ND-CP").stdout
    assert "documents: 09/2017/NĐ-CP, 72/2015/NĐ-CP, Luật Báo chí 2016, 125/KH-STTTT +2 more" in out
    plain = invoke("search", "--db", people_db, "phát ngôn").stdout
    assert "documents:" not in plain


def test_no_matching_articles_is_said_once(people_db):
    result = invoke("search", "--db", people_db, "zzzzqqq")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No matching articles."
    assert "0 of 0" not in result.stdout


def test_facets_honour_limit(people_db):
    out = invoke("search", "--db", people_db, "--facets", "--limit", "2").stdout
    provinces = out.split("Provinces:")[1].split("Speakers:")[0]
    assert len([ln for ln in provinces.splitlines() if ln.strip()]) == 2
    data = json.loads(
        invoke("search", "--db", people_db, "--facets", "--limit", "3", "--json").stdout
    )
    assert len(data["provinces"]) == 3 and len(data["decrees"]) == 3
    assert (
        len(
            json.loads(invoke("search", "--db", people_db, "--facets", "--json").stdout)[
                "provinces"
            ]
        )
        == 4
    )


def test_the_readable_list_never_cuts_a_word(people_db):
    words = set(clean_text(" ".join(BODIES) + " Hà Nam Thanh Hóa Nghệ An Quảng Trị").split(" "))
    words |= {f"{i}:" for i in range(10, 14)} | {"ngày"}
    for args in (["phát ngôn"], ["--province", "Hà Nam"]):  # a match, and the body's start
        out = invoke("search", "--db", people_db, *args, env={"COLUMNS": "30"}).stdout
        snippets = [ln.strip() for ln in out.splitlines() if "…" in ln]
        assert snippets, out
        for line in snippets:
            assert line.endswith("…")
            assert set(line.strip("…").split(" ")) <= words, line


def test_lists_say_what_they_cut():
    assert cut_list(["a", "b", "c"], 4) == "a, b, c"
    assert cut_list(["a", "b", "c", "d", "e", "f"], 4) == "a, b, c, d +2 more"


def test_fit_snippet_cuts_at_a_space_and_keeps_marks_balanced():
    snippet = "một <mark>hai</mark> ba " + "bốn " * 40 + "<mark>năm</mark>"
    fitted = fit_snippet(snippet, 20)
    assert fitted == "một <mark>hai</mark> ba bốn bốn…"  # 18 characters shown
    assert fit_snippet("<mark>một hai ba</mark> bốn năm", 8) == "<mark>một hai</mark>…"
    assert fit_snippet("ngắn", 20) == "ngắn"


def test_snippets_of_awkward_text():
    decomposed = unicodedata.normalize("NFD", "Tập huấn phát ngôn cho người phát ngôn")
    assert make_snippet(decomposed, ["phat", "ngon"]).count("<mark>") == 4
    glued = make_snippet("người phát\r\nngôn\u200bmới\tnăm\u00a02023", ["ngon"])
    assert glued == "người phát <mark>ngôn</mark> mới năm 2023"
    assert make_snippet("một hai ba bốn năm sáu theo 09/2017/NĐ-CP về", ["2017"], width=3) == (
        "…sáu theo 09/<mark>2017</mark>/NĐ-CP…"
    )
    assert lead_snippet("từ " * 100, 20) == "từ từ từ từ từ từ từ…"
    assert lead_snippet("ngắn gọn") == "ngắn gọn"


_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợ0123456789"
_TEXT = st.lists(
    st.one_of(
        st.text(alphabet=_LETTERS, min_size=1, max_size=8),
        st.sampled_from(
            [" ", "  ", "\n", "\r\n", "\t", "\u200b", "\u00a0", ". ", "/", "-", "\x1b"]
        ),
        st.sampled_from(["\u0301", "\u0323", "\u00ad"]),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, picks=st.lists(st.integers(0, 40), max_size=3), width=st.integers(1, 12))
def test_a_snippet_is_whole_words_of_the_text(text, picks, width):
    clean = clean_text(text)
    tokens = clean.split(" ") if clean else []
    words = re.findall(r"\w+", clean.lower())
    query = [words[i % len(words)] for i in picks] if words else []
    snippet = make_snippet(text, query, width)
    assert not re.search(r"[\x00-\x1f\x7f\u200b]", snippet)
    assert "  " not in snippet
    plain = re.sub(r"</?mark>", "", snippet)
    if plain.startswith("…"):
        plain = plain[1:]
    if plain.endswith("…"):
        plain = plain[:-1]
    if not plain:
        return
    shown = plain.split(" ")
    # A run of whole tokens of the cleaned text, in order: no word cut, none glued.
    starts = [i for i in range(len(tokens)) if tokens[i : i + len(shown)] == shown]
    assert starts, (snippet, clean)


# -- 6. robots.txt once per site ---------------------------------------------------------------


def test_robots_txt_is_fetched_once_per_site(crawl):
    fetched = Counter(r.site for r in crawl.requests if r.path_qs == "/robots.txt")
    assert fetched == Counter({site: 1 for site in CLEAN_SITES})
    # Discovery still reads it: the sitemap-only site's sitemap is named only in robots.txt.
    assert any(
        r.site == "sitemaponly" and r.path_qs == "/sitemap_index.xml" for r in crawl.requests
    )


@pytest.mark.slow
def test_robots_txt_once_when_the_spider_fetches_it_itself(site_server, tmp_path):
    """With ROBOTSTXT_OBEY off the middleware fetches nothing: the spider asks, once."""
    sources = write_sources(site_server, tmp_path / "s.toml", ["sitemaponly"])
    db = tmp_path / "r.db"
    site_server.clear_log()
    result = run_cli(
        "crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST,
        "-s", "ROBOTSTXT_OBEY=false",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    robots = [r for r in site_server.requests_for("sitemaponly") if r.path_qs == "/robots.txt"]
    assert len(robots) == 1
    assert len(export(db)) == len(load_expected("sitemaponly")["articles"])


def test_csv_starts_with_a_byte_order_mark_for_excel(tmp_path):
    """Excel needs the BOM to read Vietnamese UTF-8; csv readers using utf-8-sig drop it."""
    import csv
    import io

    from click.testing import CliRunner
    from conftest import make_article

    from indexer.store import Store
    from search_cli.main import cli

    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.upsert(
            make_article("a1", title="Tập huấn phát ngôn", relevant=True, province="Hà Nam")
        )
    out = CliRunner().invoke(cli, ["search", "--db", str(db), "--csv"]).stdout_bytes
    assert out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert rows[0]["title"] == "Tập huấn phát ngôn" and rows[0]["province"] == "Hà Nam"
