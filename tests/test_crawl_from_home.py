"""A source whose start URL is the site's home page: the crawl reaches every article, also on
the postback portals whose news listing repeats the home page's links on its first page."""

from __future__ import annotations

import pytest
from conftest import FAST, export, run_cli
from fixtures.faultserver import FaultSiteServer

from search_cli.demo.sites_config import SITES_DIR, load_expected


@pytest.mark.slow
@pytest.mark.parametrize("site", ["dnn", "sharepoint"])
def test_a_crawl_started_at_the_home_page_walks_the_postback_listing(tmp_path, site):
    with FaultSiteServer(SITES_DIR, sites=[site]) as server:
        base = server.base_urls[site]
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[sources.{site}]\nname = "{site}"\nstart_urls = ["{base}/"]\n', encoding="utf-8"
        )
        db = tmp_path / "p.db"
        res = run_cli("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
        assert res.returncode == 0, res.stderr[-3000:]
        got = sorted(a["url"][len(base) :] for a in export(db))
    want = sorted(a["path"] for a in load_expected(site)["articles"])
    assert got == want
