"""Scheduled-crawl behaviour through real crawls of the fixture server: faults, incremental
re-crawls, a crawl killed with SIGKILL, total failure, the lock, the private-address guard."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import CLEAN_SITES, FAST, REPO, export, run_cli, write_sources

from crawler.crawl_runner import CrawlLocked, crawl_lock
from crawler.middlewares import forbidden_reason
from search_cli.demo.sites_config import SITES_DIR, load_expected


def paths_of(articles, base):
    return sorted(a["url"][len(base) :] for a in articles)


@pytest.fixture(scope="module")
def flaky_crawl(site_server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("flaky")
    sources = write_sources(site_server, tmp / "s.toml", ["flaky"])
    db = tmp / "f.db"
    result = run_cli("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
    return result, db, export(db)


def test_faults_are_survived_and_good_articles_stored(site_server, flaky_crawl):
    result, _db, articles = flaky_crawl
    assert result.returncode == 0, result.stderr[-2000:]
    want = sorted(a["path"] for a in load_expected("flaky", SITES_DIR)["articles"])
    assert paths_of(articles, site_server.base_urls["flaky"]) == want
    titles = {a["title"] for a in articles}
    assert (
        "Quảng Trị tập huấn xử lý khủng hoảng truyền thông cho người phát ngôn" in titles
    )  # wrong charset


def test_faults_are_named_in_the_run_history(flaky_crawl):
    _result, db, _ = flaky_crawl
    runs = json.loads(run_cli("runs", "--db", str(db), "--json").stdout)
    errors = runs[0]["sources"][0]["errors"]
    for kind in (
        "timeout",
        "too_large",
        "truncated",
        "reset",
        "blocked",
        "forbidden_address",
        "http_500",
        "bad_feed",
    ):
        assert errors.get(kind), (kind, errors)
    assert runs[0]["status"] == "ok"


def test_hostile_pages_do_not_flood_the_run(flaky_crawl):
    _result, db, _ = flaky_crawl
    runs = json.loads(run_cli("runs", "--db", str(db), "--json").stdout)
    assert runs[0]["sources"][0]["errors"].get("http_404", 0) <= 400  # 50,000 links on one page


def test_second_crawl_downloads_no_article_again(site_server, crawl, tmp_path):
    db = tmp_path / "again.db"
    shutil.copy(crawl.db, db)
    site_server.clear_log()
    result = run_cli("crawl", "--db", str(db), "--sources", str(crawl.sources_file), "-q", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    article_paths = {
        (site, a["path"])
        for site in CLEAN_SITES
        for a in load_expected(site, SITES_DIR)["articles"]
    }
    downloaded = [
        (r.site, r.path_qs)
        for r in site_server.requests
        if (r.site, r.path_qs) in article_paths and r.status == 200
    ]
    assert downloaded == []
    # Listing pages with nothing new end the walk through their pagers (postback pages too).
    assert len(site_server.requests) < len(crawl.requests)
    posts_then = [r for r in crawl.requests if r.method == "POST"]
    posts_now = [r for r in site_server.requests if r.method == "POST"]
    assert len(posts_now) < len(posts_then)
    again = export(db)
    assert sorted(a["id"] for a in again) == sorted(a["id"] for a in crawl.articles)
    # Pages judged not to be articles were remembered with their validators: asked for
    # conditionally (start pages excepted), they answer 304 instead of being downloaded again.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    remembered = conn.execute("SELECT count(*) FROM crawl_state WHERE kind = 'page'").fetchone()[0]
    conn.close()
    assert remembered > 0
    assert any(
        r.status == 304 and (r.site, r.path_qs) not in article_paths for r in site_server.requests
    )


def _count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _running(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_kill_9_midway_then_resume_loses_and_duplicates_nothing(site_server, crawl, tmp_path):
    db = tmp_path / "killed.db"
    slow = [
        "-s",
        "AUTOTHROTTLE_ENABLED=false",
        "-s",
        "DOWNLOAD_DELAY=0.4",
        "-s",
        "CONCURRENT_REQUESTS=1",
    ]
    cmd = [
        sys.executable,
        "-m",
        "search_cli",
        "crawl",
        "--db",
        str(db),
        "--sources",
        str(crawl.sources_file),
        "-q",
        *slow,
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while _count(db) < 5 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the crawl ended before it could be killed"
    children = subprocess.run(
        ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
    ).stdout.split()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10  # extraction workers notice and end too: no orphans
    while time.time() < deadline and any(_running(pid) for pid in children):
        time.sleep(0.2)
    assert not any(_running(pid) for pid in children)
    before = {a["id"]: a for a in export(db)}
    assert 5 <= len(before) < len(crawl.articles)
    result = run_cli("crawl", "--db", str(db), "--sources", str(crawl.sources_file), "-q", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    after = export(db)
    ids = [a["id"] for a in after]
    assert len(ids) == len(set(ids))  # nothing duplicated
    assert set(before) <= set(ids)  # nothing lost
    assert sorted(ids) == sorted(a["id"] for a in crawl.articles)  # what was not fetched is fetched
    for a in after:
        if a["id"] in before:
            assert a["body"] == before[a["id"]]["body"]
    runs = json.loads(run_cli("runs", "--db", str(db), "--json").stdout)
    assert [r["status"] for r in runs[:2]] == ["ok", "interrupted"]


def test_a_source_that_fails_entirely_exits_nonzero(site_server, tmp_path):
    sources = write_sources(site_server, tmp_path / "s.toml", ["sitemaponly"])
    with sources.open("a", encoding="utf-8") as f:
        f.write('\n[sources.gone]\nname = "Unreachable"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    db = tmp_path / "d.db"
    result = run_cli("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
    assert result.returncode == 1
    assert "gone" in result.stderr and "Traceback" not in result.stderr
    assert export(db), "the healthy source was still stored"
    health = json.loads(
        run_cli("sources", "--db", str(db), "--sources", str(sources), "--json").stdout
    )
    flags = {h["source"]: h["flags"] for h in health}
    assert "unreachable" in flags["gone"] and flags["sitemaponly"] == []


def test_two_crawls_never_overlap(tmp_path, crawl):
    db = tmp_path / "locked.db"
    with crawl_lock(str(db)):
        with pytest.raises(CrawlLocked), crawl_lock(str(db), wait=0):
            pass
        result = run_cli(
            "crawl",
            "--db",
            str(db),
            "--sources",
            str(crawl.sources_file),
            "-q",
            "-s",
            "PRESSNEWS_LOCK_WAIT=0",
        )
    assert result.returncode != 0 and "another crawl is running" in result.stderr


@pytest.mark.parametrize(
    ("host", "bad"),
    [
        ("169.254.169.254", True),
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.1.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", True),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
    ],
)
def test_private_address_guard(host, bad):
    assert (forbidden_reason(host) is not None) == bad


def test_crawl_succeeds_when_elasticsearch_is_down(site_server, tmp_path):
    sources = write_sources(site_server, tmp_path / "s.toml", ["sitemaponly"])
    db = tmp_path / "d.db"
    result = run_cli(
        "crawl",
        "--db",
        str(db),
        "--sources",
        str(sources),
        "-q",
        "--es",
        "http://127.0.0.1:9",
        *FAST,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        "not synced to Elasticsearch" in result.stderr and "next sync catches up" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert len(export(db)) == len(load_expected("sitemaponly")["articles"])
