"""Shared fixtures: the loopback fixture-site server, a crawl of it, a tmp database, CliRunner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fixtures.faultserver import FaultSiteServer

from indexer.model import Article
from search_cli.demo.server import SiteServer, sources_toml
from search_cli.demo.sites_config import RESILIENCE_SITES, SITES_DIR, load_expected, site_names

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# Crawl settings for tests: the fixture server is local, so no politeness delays.
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "RETRY_TIMES=2",
    "-s",
    "DOWNLOAD_TIMEOUT=5",
]


def make_article(aid: str = "a1", **fields: Any) -> Article:
    """An `Article` with every required field filled; keywords override (the builder the store,
    health and Elasticsearch tests share). Use the `article` fixture, or import it from here."""
    base: dict[str, Any] = dict(
        id=aid,
        url=f"https://example.vn/{aid}",
        source="s",
        title=f"Bài {aid}",
        body=f"Nội dung riêng của bài {aid}. " * 3,
        fetched_at="2024-01-02T00:00:00+00:00",
    )
    base.update(fields)
    return Article(**base)


@pytest.fixture
def article():
    """`make_article`, for tests that prefer a fixture to an import."""
    return make_article


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run `pressnews` in a process of its own (Scrapy's reactor starts once per process)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "search_cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=REPO,
        check=False,
    )


def export(db: Path) -> list[dict[str, Any]]:
    out = run_cli("export", "--db", str(db))
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


@dataclass
class Crawl:
    server: SiteServer
    db: Path
    sources_file: Path
    result: subprocess.CompletedProcess[str]
    articles: list[dict[str, Any]]
    requests: list[Any]  # the server's request log during this crawl

    def for_site(self, site: str) -> list[dict[str, Any]]:
        return [a for a in self.articles if a["source"] == site]


CLEAN_SITES = [s for s in site_names(SITES_DIR) if s not in RESILIENCE_SITES]


@pytest.fixture(scope="session")
def site_server():
    with FaultSiteServer(SITES_DIR) as server:
        yield server


def write_sources(server: SiteServer, path: Path, sites: list[str] | None = None) -> Path:
    text = sources_toml(server, SITES_DIR)
    if sites is not None:
        import tomllib

        data = tomllib.loads(text)
        keep = {k: v for k, v in data["sources"].items() if k in sites}
        lines = []
        for key, entry in keep.items():
            lines.append(f"[sources.{key}]")
            for field, value in entry.items():
                lines.append(f"{field} = {json.dumps(value, ensure_ascii=False)}")
        text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def crawl(site_server, tmp_path_factory) -> Crawl:
    """One real crawl of every clean fixture site into a fresh database."""
    tmp = tmp_path_factory.mktemp("crawl")
    sources = write_sources(site_server, tmp / "sources.toml", CLEAN_SITES)
    db = tmp / "crawl.db"
    site_server.clear_log()
    result = run_cli("crawl", "--db", str(db), "--sources", str(sources), "-q", *FAST)
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-2000:]
    requests = list(site_server.requests)
    return Crawl(site_server, db, sources, result, export(db), requests)


@pytest.fixture
def expected():
    return lambda site: load_expected(site, SITES_DIR)


# Tests that crawl the fixture sites in a subprocess (the session `crawl`, the resilience and
# demo runs) are marked `slow`: `pytest -m "not slow"` is the quick loop while editing.
_SLOW_MODULES = {"test_resilience", "test_crawl_fixture_sites"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__ if item.module is not None else ""
        if (
            "crawl" in getattr(item, "fixturenames", ())
            or module.rsplit(".", 1)[-1] in _SLOW_MODULES
            or "demo" in item.name
        ):
            item.add_marker(pytest.mark.slow)
