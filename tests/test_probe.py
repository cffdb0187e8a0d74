"""`pressnews probe URL`: the diagnosis of every fixture site, the failure causes, and the
suggested sources entry crawling its site as well as the hand-written one."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import CLEAN_SITES, FAST, export, run_cli
from fixtures.faultserver import FaultSiteServer

from crawler import discovery
from crawler.extract.html import parse_html
from crawler.faults import login_form, script_rendered_reason
from crawler.probe import SuggestedEntry, _our_group, suggest_key
from crawler.sources import parse_sources
from search_cli.demo.sites_config import SITES_DIR, load_expected, site_names

PROBE_SITES = Path(__file__).parent / "fixtures" / "probesites"
ALL_SITES = site_names(SITES_DIR)
# How each fixture site's news listing pages, as the probe must find it from the home page.
PAGINATION = {
    "dnn": "postback",
    "sharepoint": "postback",
    "legacy1258": "links",
    "liferay": "links",
    "wordpress": "links",
    "newsjsonld": "load-more",
    "sitemaponly": "none",
    "flaky": "none",
}


# -- pure parts ---------------------------------------------------------------------------------
def _pagination(site: str, path: str, url: str) -> discovery.Pagination:
    tree = parse_html((SITES_DIR / site / path).read_text("utf-8"))
    pagers = [link for link in discovery.page_links(tree, url) if link.pagination]
    return discovery.pagination(tree, url, pagers)


def test_pagination_kinds_of_fixture_listings() -> None:
    base = "http://127.0.0.1:8000"
    assert (
        _pagination("dnn", "lists/tin-tuc-1.html", base + "/tin-tuc/tabid/105/default.aspx").kind
        == "postback"
    )
    assert (
        _pagination("sharepoint", "lists/tin-tuc-1.html", base + "/Pages/tin-tuc.aspx").kind
        == "postback"
    )
    assert _pagination("legacy1258", "ds/tintuc-1.html", base + "/tintuc.asp?cat=3").kind == "links"
    assert _pagination("newsjsonld", "thoi-su/index.html", base + "/thoi-su/").kind == "load-more"
    # A "Xem thêm" on a home page that leads to a section is not pagination of the home page.
    assert _pagination("newsjsonld", "index.html", base + "/").kind == "none"
    assert _pagination("sitemaponly", "tin-tuc/index.html", base + "/tin-tuc/").kind == "none"


def test_script_rendered_pages_are_told_from_ordinary_ones() -> None:
    app = parse_html((PROBE_SITES / "scriptapp" / "index.html").read_text("utf-8"))
    assert "app root" in (script_rendered_reason(app) or "")
    listing = parse_html((SITES_DIR / "sitemaponly" / "tin-tuc" / "index.html").read_text("utf-8"))
    assert "placeholders" in (script_rendered_reason(listing) or "")
    article = parse_html(
        (SITES_DIR / "wordpress" / "category" / "tin-tuc" / "index.html").read_text("utf-8")
    )
    assert script_rendered_reason(article) is None
    assert login_form(parse_html((PROBE_SITES / "loginwall" / "login.html").read_text("utf-8")))
    assert not login_form(article)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://stttt.hanam.gov.vn/Pages/tin-tuc.aspx", "stttt-hanam"),
        ("https://www.baotintuc.vn/", "baotintuc"),
        ("http://thanhhoa.gov.vn:8080/", "thanhhoa"),
        ("http://127.0.0.1:8123/", "127-0-0-1-8123"),
        ("http://localhost:5000/x", "localhost-5000"),
    ],
)
def test_suggested_key_from_the_host(url: str, key: str) -> None:
    assert suggest_key(url) == key


def test_suggested_entry_is_a_valid_sources_entry() -> None:
    entry = SuggestedEntry(
        "stttt-hanam",
        'Sở "Thông tin" và Truyền thông\\Hà Nam',
        ["https://stttt.hanam.gov.vn/Pages/tin-tuc.aspx?a=1&b=2"],
        "Hà Nam",
        ["https://stttt.hanam.gov.vn/sitemap.xml"],
    )
    parsed = parse_sources(tomllib.loads(entry.toml()))
    src = parsed["stttt-hanam"]
    assert src.name == 'Sở "Thông tin" và Truyền thông\\Hà Nam'
    assert src.start_urls == ("https://stttt.hanam.gov.vn/Pages/tin-tuc.aspx?a=1&b=2",)
    assert src.province == "Hà Nam"
    assert src.sitemap_urls == ("https://stttt.hanam.gov.vn/sitemap.xml",)


def test_robots_group_that_applies_to_us() -> None:
    text = (
        "User-agent: Googlebot\nDisallow: /g/\n\n"
        "User-agent: *\nDisallow: /admin/ # quản trị\nAllow: /admin/public\nCrawl-delay: 5\n"
    )
    assert _our_group(text, "pressnews/0.1 (+https://x)") == [
        "Disallow: /admin/",
        "Allow: /admin/public",
        "Crawl-delay: 5",
    ]
    own = text + "\nUser-agent: pressnews\nDisallow: /private/\n"
    assert _our_group(own, "pressnews/0.1") == ["Disallow: /private/"]


def test_bad_url_and_bad_budget_are_one_line_errors() -> None:
    from click.testing import CliRunner

    from search_cli.main import cli

    res = CliRunner().invoke(cli, ["probe", "ftp://example.vn/"])
    assert res.exit_code == 1
    assert res.output.strip().count("\n") == 0 and "not an http(s) URL" in res.output
    res = CliRunner().invoke(cli, ["probe", "https://example.vn/", "--max-pages", "0"])
    assert res.exit_code == 2
    res = CliRunner().invoke(
        cli, ["probe", "https://example.vn/", "-s", "PRESSNEWS_REQUEST_BUDGET=3"]
    )
    assert res.exit_code == 1 and "--max-pages" in res.output


# -- real probes of the fixture sites (each in a process of its own) ----------------------------
def _probe(url: str, tmp: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    env = {
        "PRESSNEWS_DB": str(tmp / "never.db"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
    }
    res = run_cli("probe", url, "--json", *args, *FAST, env=env, timeout=120)
    assert res.returncode in (0, 1), res.stderr[-2000:]
    return res.returncode, json.loads(res.stdout), res.stderr


@pytest.fixture(scope="module")
def probes(tmp_path_factory) -> dict[str, Any]:
    """Every fixture site probed from its home page, with its suggested entry keyed by site."""
    tmp = tmp_path_factory.mktemp("probe")
    out: dict[str, Any] = {"tmp": tmp}
    with FaultSiteServer(SITES_DIR) as server:
        for site in ALL_SITES:
            out[site] = _probe(server.base_urls[site] + "/", tmp, "--key", site)
        # The suggested entries of the clean sites, crawled as one sources file.
        text = "\n".join(out[s][1]["entry_toml"] for s in CLEAN_SITES)
        sources = tmp / "suggested.toml"
        sources.write_text(text, encoding="utf-8")
        db = tmp / "suggested.db"
        res = run_cli("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
        assert res.returncode == 0, res.stderr[-3000:]
        out["crawl"] = (server.base_urls, export(db))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("site", ALL_SITES)
def test_probe_finds_articles_and_the_pagination_on_every_fixture_site(probes, site) -> None:
    status, report, _ = probes[site]
    assert status == 0 and report["found"] and report["cause"] is None
    assert report["pagination"] == PAGINATION[site]
    assert report["requests"] <= 30
    assert report["article"]["title"] and report["article"]["body_start"]
    expected = {a["title"] for a in load_expected(site)["articles"]}
    assert report["article"]["title"] in expected
    assert report["robots"]["start_allowed"]
    # The entry is what crawler.sources reads.
    src = parse_sources(tomllib.loads(report["entry_toml"]))[site]
    assert src.start_urls and src.name
    assert any(link["article"] for link in report["links"])
    assert any(not link["article"] and link["reason"] for link in report["links"])


@pytest.mark.slow
def test_probe_names_the_listing_pages_and_sitemaps(probes) -> None:
    _, dnn, _ = probes["dnn"]
    assert dnn["entry"]["start_urls"][0].endswith("/tin-tuc/tabid/105/default.aspx")
    assert dnn["entry"]["province"] == "Thanh Hóa"
    assert dnn["article"]["speakers"] and all(
        set(s) == {"name", "role"} for s in dnn["article"]["speakers"]
    )
    assert any(
        r["rule"] == "Disallow: /tin-tuc/tabid/105/ArticleID/1340/" and r["blocks"]
        for r in dnn["robots"]["rules"]
    )
    _, smo, _ = probes["sitemaponly"]
    assert [s["found_in"] for s in smo["sitemaps"]][0] == "robots.txt"
    assert smo["entry"]["sitemap_urls"] and smo["listings"] == []
    assert any("JavaScript" in n for n in smo["notes"])
    _, wp, _ = probes["wordpress"]
    assert wp["entry"]["start_urls"][0].endswith("/category/tin-tuc/")


@pytest.mark.slow
def test_suggested_entries_crawl_their_sites_as_well_as_the_hand_written_ones(probes) -> None:
    bases, articles = probes["crawl"]
    for site in CLEAN_SITES:
        base = bases[site]
        got = sorted(a["url"][len(base) :] for a in articles if a["source"] == site)
        want = sorted(a["path"] for a in load_expected(site)["articles"])
        assert got == want, site


@pytest.mark.slow
def test_probe_writes_nothing(probes) -> None:
    tmp = probes["tmp"]
    assert not (tmp / "never.db").exists()
    assert not (tmp / "data").exists() and not (tmp / "cache").exists()


@pytest.mark.slow
def test_failure_causes(tmp_path) -> None:
    with FaultSiteServer(PROBE_SITES) as server:
        cases = {
            server.url("scriptapp", "/"): "script-rendered page",
            server.url("robotsdenied", "/"): "blocked by robots.txt",
            server.url("loginwall", "/"): "login wall: the start page redirects to a login form",
            server.url("loginwall", "/noi-bo/"): "login wall: the start page answers 401",
            server.url(
                "loginwall", "/thanh-vien/"
            ): "login wall or access denied: the start page answers 403 with a login form",
        }
        for url, cause in cases.items():
            status, report, _ = _probe(url, tmp_path)
            assert status == 1, url
            assert not report["found"] and report["cause"].startswith(cause), (url, report["cause"])
        robots = server.requests_for("robotsdenied")
        assert [r.path_qs for r in robots] == ["/robots.txt"]  # the page itself never fetched


@pytest.mark.slow
def test_text_report_and_budget(tmp_path) -> None:
    with FaultSiteServer(SITES_DIR, ["legacy1258"]) as server:
        res = run_cli("probe", server.url("legacy1258", "/"), "--max-pages", "5", *FAST)
        assert res.returncode == 0, res.stderr[-2000:]
        assert len(server.requests_for("legacy1258")) <= 5
    for heading in (
        "robots.txt",
        "sitemaps and feeds",
        "listing pages",
        "links (a sample)",
        "one extracted article",
        "suggested sources entry",
    ):
        assert heading in res.stdout
    assert "[sources.127-0-0-1-" in res.stdout
