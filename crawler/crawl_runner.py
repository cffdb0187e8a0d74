"""Run a crawl from Python: the library API under `pressnews crawl` (and the demo).

Scrapy's reactor can start once per process, so `run_crawl` is for a process of its own (the
CLI); tests run the CLI in a subprocess.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.bookkeeping import source_stats
from crawler.sources import select_sources
from indexer.errors import PressnewsError


class CrawlLocked(PressnewsError, RuntimeError):
    """Another crawl holds the lock on this database."""


@contextmanager
def crawl_lock(db_path: str) -> Iterator[None]:
    """An exclusive lock beside the database: two crawls of one store never overlap.

    The lock is an flock on `<db>.lock`: the kernel drops it when the process dies, even on
    `kill -9`, so a killed run never leaves a stale lock behind.
    """
    lock_path = Path(db_path).expanduser().resolve().with_suffix(Path(db_path).suffix + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlLocked(f"another crawl is running on {db_path} (lock {lock_path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


@dataclass
class SourceReport:
    key: str
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.pages == 0 and bool(self.errors)


@dataclass
class CrawlReport:
    sources: list[SourceReport]
    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)  # Scrapy's stats of the run

    @property
    def failed_sources(self) -> list[str]:
        return [
            s.key
            for s in self.sources
            if s.failed or (self.finish_reason != "finished" and s.pages == 0)
        ]


def crawl_settings(
    db_path: str,
    sources_file: str | None,
    keys: list[str],
    overrides: dict[str, Any] | None = None,
    *,
    full: bool = False,
    progress: bool = False,
) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("PRESSNEWS_DB", str(Path(db_path).expanduser()), priority="cmdline")
    settings.set("PRESSNEWS_SOURCES", sources_file, priority="cmdline")
    settings.set("PRESSNEWS_SOURCE_KEYS", ",".join(keys), priority="cmdline")
    settings.set("PRESSNEWS_FULL", full, priority="cmdline")
    settings.set("PRESSNEWS_PROGRESS", progress, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    db_path: str,
    sources_file: str | None = None,
    keys: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    full: bool = False,
    progress: bool = False,
) -> CrawlReport:
    """Crawl the chosen sources into the store at `db_path`; blocks until the crawl ends."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.portal import PortalSpider

    keys = keys or []
    chosen = select_sources(sources_file, keys)
    settings = crawl_settings(db_path, sources_file, keys, overrides, full=full, progress=progress)
    with crawl_lock(db_path):
        log = settings.getbool("PRESSNEWS_LOG", False)
        settings.set("LOG_INSTALL_ROOT_HANDLER", log, priority="cmdline")
        settings.set("LOG_ENABLED", log, priority="cmdline")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(PortalSpider)
        process.crawl(crawler)
        process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
    reports = []
    for key in chosen:
        s = source_stats(stats, key)
        reports.append(
            SourceReport(
                key=key,
                pages=int(s.get("pages", 0)),
                new=int(s.get("articles_new", 0)),
                updated=int(s.get("articles_updated", 0)),
                unchanged=int(s.get("articles_unchanged", 0)),
                not_modified=int(s.get("not_modified", 0)),
                errors=dict(s["errors"]),
            )
        )
    return CrawlReport(reports, str(stats.get("finish_reason", "unknown")), dict(stats))
