"""Page history and coverage through real crawls of fixture sites served on 127.0.0.1.

A copy of the WordPress fixture site whose article changes between two crawls (two versions
kept, `show --history` lists the change) and then answers 404 (kept, marked removed, hidden
from default searches); and a source walked only partly (`max_pages`), shown as a gap."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FAST, run_cli, write_sources
from fixtures.faultserver import FaultSiteServer

from search_cli.demo.sites_config import SITES_DIR

pytestmark = pytest.mark.slow

ARTICLE = "/2023/09/23/tap-huan-ky-nang-phat-ngon-va-cung-cap-thong-tin-cho-bao-chi-nam-2023/"
OLD_TITLE = "Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí năm 2023"
NEW_TITLE = OLD_TITLE + " (cập nhật)"


def _ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
    return result.stdout


def _export(db: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in _ok("export", "--db", str(db)).splitlines()]
    return {r["url"]: r for r in rows}


@pytest.fixture(scope="module")
def history_crawls(tmp_path_factory):
    """Three crawls of a copy of the WordPress site: as it is; after the article's title and
    date changed; after the article was deleted (404). Yields what each step left."""
    tmp = tmp_path_factory.mktemp("history")
    sites = tmp / "sites"
    shutil.copytree(SITES_DIR / "wordpress", sites / "wordpress")
    shutil.copy(SITES_DIR / "sources.toml", sites / "sources.toml")
    page = sites / "wordpress" / ARTICLE.strip("/") / "index.html"
    db = tmp / "h.db"
    steps: dict[str, object] = {"db": db}
    with FaultSiteServer(sites, ["wordpress"]) as server:
        sources = write_sources(server, tmp / "sources.toml", ["wordpress"])
        crawl = ("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
        url = server.base_urls["wordpress"] + ARTICLE
        steps["url"] = url
        _ok(*crawl)
        steps["first"] = _export(db)[url]
        html = page.read_text(encoding="utf-8")
        changed = html.replace(f"{OLD_TITLE}</h1>", f"{NEW_TITLE}</h1>")
        changed = changed.replace(f'content="{OLD_TITLE}"', f'content="{NEW_TITLE}"')
        changed = changed.replace("2023-09-23T", "2023-09-25T").replace(
            ">23/09/2023<", ">25/09/2023<"
        )
        assert changed != html
        page.write_text(changed, encoding="utf-8")
        _ok(*crawl)
        steps["second"] = _export(db)[url]
        steps["history"] = json.loads(_ok("show", url, "--history", "--json", "--db", str(db)))
        steps["history_text"] = _ok("show", url, "--history", "--db", str(db))
        page.unlink()
        _ok(*crawl)
        steps["third"] = _export(db)
        steps["runs"] = json.loads(_ok("runs", "--json", "--db", str(db)))
    _ok("reprocess", "--db", str(db))  # re-extracting the stored pages is no page change
    steps["after_reprocess"] = json.loads(_ok("show", url, "--history", "--json", "--db", str(db)))
    steps["export_after_reprocess"] = _export(db)
    return steps


def test_a_changed_page_keeps_two_versions_and_history_lists_the_change(history_crawls):
    first, second = history_crawls["first"], history_crawls["second"]
    assert first["title"] == OLD_TITLE and second["title"] == NEW_TITLE
    assert first["date"] == "2023-09-23" and second["date"] == "2023-09-25"
    assert first["id"] == second["id"]
    versions = history_crawls["history"]["versions"]
    assert len(versions) == 2
    assert versions[0]["title"] == OLD_TITLE and not versions[0]["current"]
    assert versions[1]["current"] and versions[1]["changes"]["title"] == {
        "from": OLD_TITLE,
        "to": NEW_TITLE,
    }
    assert versions[1]["changes"]["date"] == {"from": "2023-09-23", "to": "2023-09-25"}
    text = history_crawls["history_text"]
    assert "version 1" in text and "version 2" in text
    assert f"title: {OLD_TITLE} → {NEW_TITLE}" in text
    assert "date: 2023-09-23 → 2023-09-25" in text


def test_an_unchanged_page_keeps_no_version(history_crawls):
    db = history_crawls["db"]
    others = [a for u, a in history_crawls["third"].items() if u != history_crawls["url"]]
    assert others
    for a in others:
        out = json.loads(_ok("show", a["id"], "--history", "--json", "--db", str(db)))
        assert len(out["versions"]) == 1, a["url"]


def test_a_page_that_turns_404_is_kept_and_marked_removed(history_crawls):
    db, url = history_crawls["db"], history_crawls["url"]
    exported = history_crawls["third"]
    assert url in exported  # kept
    gone = exported[url]
    assert gone["removed"] and gone["title"] == NEW_TITLE
    assert all(a["removed"] is None for u, a in exported.items() if u != url)
    # hidden from default searches, shown and marked with --include-removed
    plain = json.loads(
        _ok("search", "xử lý khủng hoảng phát ngôn", "--all", "--json", "--db", str(db))
    )
    assert url not in {h["url"] for h in plain}
    words = ("search", "cung cấp thông tin cho báo chí", "--db", str(db))
    assert url not in {h["url"] for h in json.loads(_ok(*words, "--json"))}
    shown = json.loads(_ok(*words, "--json", "--include-removed"))
    assert [h["removed"] for h in shown if h["url"] == url] == [gone["removed"]]
    assert f"[removed {gone['removed']}]" in _ok(*words, "--include-removed")
    history = json.loads(_ok("show", url, "--history", "--json", "--db", str(db)))
    assert history["removal"]["reason"] == "http 404"
    assert len(history["versions"]) == 2  # the removal is no new version
    assert "removed " in _ok("show", url, "--history", "--db", str(db))


def test_the_run_with_the_404_is_not_a_failure(history_crawls):
    latest = history_crawls["runs"][0]
    assert latest["status"] == "ok"
    assert not latest["sources"][0]["errors"]


def test_a_partly_walked_source_shows_as_a_gap(tmp_path):
    with FaultSiteServer(SITES_DIR, ["sharepoint", "dnn"]) as server:
        sources = write_sources(server, tmp_path / "sources.toml", ["sharepoint", "dnn"])
        text = sources.read_text(encoding="utf-8")
        sources.write_text(
            text.replace("[sources.sharepoint]", "[sources.sharepoint]\nmax_pages = 10"),
            encoding="utf-8",
        )
        db = tmp_path / "c.db"
        _ok("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
    base = ("--db", str(db), "--sources", str(sources))
    report = json.loads(_ok("coverage", *base, "--json"))
    by_source = {s["source"]: s for s in report["sources"]}
    partly, whole = by_source["sharepoint"], by_source["dnn"]
    assert not partly["walked_to_end"] and partly["stopped"] == "max_pages reached"
    assert whole["walked_to_end"] and whole["stopped"] == ""
    assert whole["oldest"] == "2021-04-08" and whole["listing_depth"] >= 2
    assert partly["pages"] == 10 and partly["failed"] == 0
    cells = {(c["province"], c["year"]): c for c in report["cells"]}
    oldest_year = int(partly["oldest"][:4])
    assert cells[("Hà Nam", oldest_year)]["status"] == "partial"
    assert cells[("Hà Nam", oldest_year - 1)]["status"] == "gap"
    assert cells[("Hà Nam", oldest_year - 1)]["gaps"] == ["sharepoint"]
    assert cells[("Thanh Hóa", 2021)]["status"] == "covered"
    assert cells[("Thanh Hóa", 2021)]["sources"] == ["dnn"]
    assert "Hà Giang" in report["no_source"]
    table = _ok("coverage", *base)
    assert "no: max_pages reached" in table and "No source at all" in table
    # a search that finds nothing says which of the years asked about were looked at
    result = run_cli("search", "--province", "Hà Nam", "--from", "2021", "--to", "2021", *base[:2])
    assert result.returncode == 0
    assert result.stderr.strip() == (
        "Hà Nam 2021: not covered by any source; see `pressnews coverage`"
    )
    result = run_cli("search", "zzzz", "--province", "Thanh Hóa", "--from", "2021", *base[:2])
    assert result.stderr.strip() == "no article found in covered sources"


def test_a_page_no_longer_listed_is_marked_only_after_a_full_walk(tmp_path):
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR / "sitemaponly", sites / "sitemaponly")
    gone = "/tin-tuc/kon-tum-phat-trien-vung-trong-sam-ngoc-linh-gan-voi-bao-ve-rung.html"
    db = tmp_path / "u.db"
    with FaultSiteServer(sites, ["sitemaponly"]) as server:
        sources = write_sources(server, tmp_path / "sources.toml", ["sitemaponly"])
        crawl = ("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
        url = server.base_urls["sitemaponly"] + gone
        _ok(*crawl)
        assert _export(db)[url]["removed"] is None
        # every link to the article (listings, sitemap, other articles) now points elsewhere;
        # the page itself still answers 200
        for file in (sites / "sitemaponly").rglob("*"):
            if file.is_file() and file.suffix in (".html", ".xml") and file.name not in gone:
                text = file.read_text(encoding="utf-8")
                if gone in text:
                    file.write_text(text.replace(gone, "/tin-tuc/"), encoding="utf-8")
        _ok(*crawl)  # incremental: unchanged listings answer 304, so nothing can be concluded
        assert _export(db)[url]["removed"] is None
        _ok(*crawl, "--full")  # every listing read again, to the end: the article is unlisted
    exported = _export(db)
    assert exported[url]["removed"]
    assert [u for u, a in exported.items() if a["removed"]] == [url]
    history = json.loads(_ok("show", url, "--history", "--json", "--db", str(db)))
    assert history["removal"]["reason"] == "no longer listed"


def test_reprocess_keeps_versions_and_removals_as_they_are(history_crawls):
    after = history_crawls["after_reprocess"]
    assert len(after["versions"]) == 2 and after["removal"]["reason"] == "http 404"
    exported = history_crawls["export_after_reprocess"]
    assert (
        exported[history_crawls["url"]]["removed"]
        == history_crawls["third"][history_crawls["url"]]["removed"]
    )
    assert sum(1 for a in exported.values() if a["removed"]) == 1


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_page_that_turns_410_is_kept_and_marked(tmp_path, full):
    path = "/2023/10/05/hop-bao-thuong-ky-quy-iii-nam-2023/"
    db = tmp_path / "g.db"
    with FaultSiteServer(SITES_DIR, ["wordpress"]) as server:
        sources = write_sources(server, tmp_path / "sources.toml", ["wordpress"])
        crawl = ("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
        _ok(*crawl)
        (site,) = server._sites  # the page is withdrawn: from now on it answers 410 Gone
        site.routes[path] = {"body": "<html><body>Gone</body></html>", "status": 410}
        _ok(*crawl, *(["--full"] if full else []))
        url = server.base_urls["wordpress"] + path
    exported = _export(db)
    assert exported[url]["removed"]
    assert [u for u, a in exported.items() if a["removed"]] == [url]
    history = json.loads(_ok("show", url, "--history", "--json", "--db", str(db)))
    assert history["removal"]["reason"] == "http 410" and len(history["versions"]) == 1
