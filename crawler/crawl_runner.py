"""Run a crawl from Python: the library API under `pressnews crawl` (and the demo).

Scrapy's reactor can start once per process, so `run_crawl` is for a process of its own (the
CLI); tests run the CLI in a subprocess.
"""

from __future__ import annotations

import fcntl
import json
import math
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


class SettingsError(PressnewsError, ValueError):
    """A `-s NAME=VALUE` setting that cannot be used; the message names it and says why."""


# Set by pressnews's own options, never by -s: the lock is taken on --db, so a different
# PRESSNEWS_DB would write to a database nobody locked.
RESERVED_SETTINGS = {
    "PRESSNEWS_DB": "--db",
    "PRESSNEWS_SOURCES": "--sources",
    "PRESSNEWS_SOURCE_KEYS": "--source",
    "PRESSNEWS_FULL": "--full",
    "PRESSNEWS_PROGRESS": "--quiet",
    "PRESSNEWS_LOG": "--log",
    "LOG_ENABLED": "--log",
    "LOG_INSTALL_ROOT_HANDLER": "--log",
}
# Integer-valued by default but read as a number of seconds (Scrapy's `getfloat`).
_SECONDS = {
    "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_START_DELAY",
    "CLOSESPIDER_TIMEOUT",
    "CLOSESPIDER_TIMEOUT_NO_ITEM",
    "DNS_TIMEOUT",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_TIMEOUT",
    "LOGSTATS_INTERVAL",
}
# Lower bounds beyond "a number": counts of things done at once.
_AT_LEAST = {
    "CONCURRENT_REQUESTS": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "CONCURRENT_REQUESTS_PER_IP": 0,
    "CONCURRENT_ITEMS": 1,
    "PRESSNEWS_WORKERS": 0,
    "RETRY_TIMES": 0,
    "REDIRECT_MAX_TIMES": 0,
    "DEPTH_LIMIT": 0,
}
_AT_MOST = {"PRESSNEWS_WORKERS": 64}
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def check_settings(overrides: dict[str, Any]) -> dict[str, Any]:
    """`-s` settings with the value of each known setting converted to its type.

    The type of a setting is that of its default (pressnews's settings, else Scrapy's): an
    integer, a number of seconds, true/false, a JSON object for a dict setting, one of the log
    levels for LOG_LEVEL. A value of the wrong type is a `SettingsError` here, before anything
    starts, instead of a traceback inside Scrapy. Names neither Scrapy nor pressnews define are
    passed through as strings (an extension may read them)."""
    from scrapy.settings import Settings

    defaults = Settings()
    defaults.setmodule("crawler.settings", priority="project")
    out: dict[str, Any] = {}
    for name, value in overrides.items():
        if name in RESERVED_SETTINGS:
            raise SettingsError(
                f"-s {name}: set by pressnews itself; use {RESERVED_SETTINGS[name]} instead"
            )
        out[name] = _typed(name, value, defaults.get(name)) if isinstance(value, str) else value
    return out


def _shown(value: str) -> str:
    return value if value.isprintable() else repr(value)


def _typed(name: str, value: str, default: Any) -> Any:
    from scrapy.settings import BaseSettings

    v = value.strip()
    if name == "LOG_LEVEL":
        if v.upper() not in _LOG_LEVELS:
            raise SettingsError(f"-s {name}={_shown(value)}: use one of {', '.join(_LOG_LEVELS)}")
        return v.upper()
    if isinstance(default, bool):
        if v.lower() in _TRUE:
            return True
        if v.lower() in _FALSE:
            return False
        raise SettingsError(f"-s {name}={_shown(value)}: use true or false")
    if isinstance(default, int | float):
        number: int | float
        try:
            if isinstance(default, float) or name in _SECONDS:
                number = float(v)
                if not math.isfinite(number) or number < 0:
                    raise ValueError
            else:
                number = int(v)
        except ValueError:
            kind = (
                "a number of seconds, 0 or more"
                if isinstance(default, float) or name in _SECONDS
                else "a whole number"
            )
            raise SettingsError(f"-s {name}={_shown(value)}: must be {kind}") from None
        low, high = _AT_LEAST.get(name), _AT_MOST.get(name)
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"at least {low}" if high is None else f"from {low} to {high}"
            raise SettingsError(f"-s {name}={_shown(value)}: must be {bounds}")
        return number
    if (
        isinstance(default, list | tuple)
        and default
        and all(isinstance(x, int) and not isinstance(x, bool) for x in default)
    ):
        try:
            return [int(x) for x in v.split(",") if x.strip()]
        except ValueError:
            raise SettingsError(
                f"-s {name}={_shown(value)}: must be whole numbers, e.g. 500,502"
            ) from None
    if isinstance(default, dict | BaseSettings):
        try:
            parsed = json.loads(v)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise SettingsError(
                f'-s {name}={_shown(value)}: must be a JSON object, e.g. {{"key": 1}}'
            )
        return parsed
    return value


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
