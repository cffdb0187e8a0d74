"""Run a crawl from Python: the library API under `pressnews crawl` (and the demo).

Scrapy's reactor can start once per process, so `run_crawl` is for a process of its own (the
CLI); tests run the CLI in a subprocess.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.bookkeeping import SIGNAL_STAT, close_running_runs, source_failed, source_stats
from crawler.sources import select_sources
from crawler.warc import prepare_warc_dir
from indexer.errors import PressnewsError
from indexer.maintenance import lock_path as lock_file


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
    "PRESSNEWS_FOCUS": "--focus",
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
    "PRESSNEWS_STORE_CACHE_MB": 1,
    "RETRY_TIMES": 0,
    "REDIRECT_MAX_TIMES": 0,
    "DEPTH_LIMIT": 0,
    "PRESSNEWS_WARC_MAX_SIZE": 1,
    "PRESSNEWS_FOCUS_SAMPLE": 0,
    "PRESSNEWS_FOCUS_BAND": 0,
    "PRESSNEWS_FOCUS_BAND_SAMPLE": 0,
    "PRESSNEWS_FOCUS_BACKLOG": 0,
}
_AT_MOST = {
    "PRESSNEWS_WORKERS": 64,
    "PRESSNEWS_FOCUS_SAMPLE": 1,
    "PRESSNEWS_FOCUS_BAND": 1,
    "PRESSNEWS_FOCUS_BAND_SAMPLE": 1,
}
# Settings that take one of a few words.
_CHOICES = {"PRESSNEWS_ORDER": ("focused", "breadth")}
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
    if name in _CHOICES:
        if v.lower() not in _CHOICES[name]:
            raise SettingsError(
                f"-s {name}={_shown(value)}: use one of {', '.join(_CHOICES[name])}"
            )
        return v.lower()
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


# How long a crawl waits for the lock of another one (a killed run's workers may take a few
# seconds to end) before giving up; the `PRESSNEWS_LOCK_WAIT` setting (seconds) changes it.
LOCK_WAIT = 10.0
_LOCK_POLL = 0.1


@contextmanager
def crawl_lock(db_path: str, wait: float = LOCK_WAIT) -> Iterator[None]:
    """An exclusive lock beside the database: two crawls of one store never overlap.

    The lock is an flock on `<db>.lock`: the kernel drops it when the process dies, even on
    `kill -9`, so a killed run never leaves a stale lock behind. A lock held by another process
    is waited for up to `wait` seconds (a dying run may still be ending), then `CrawlLocked`.
    """
    lock_path = lock_file(db_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CrawlLocked(
                        f"another crawl is running on {db_path} (lock {lock_path}); "
                        f"waited {wait:g} s"
                    ) from None
                time.sleep(min(_LOCK_POLL, max(0.0, deadline - time.monotonic())))
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
    signal: int | None = None  # the SIGINT or SIGTERM that stopped the crawl, if one did

    @property
    def failed_sources(self) -> list[str]:
        """The sources that failed entirely: the same rule the run's record uses."""
        return [s.key for s in self.sources if source_failed(s.pages, s.errors, self.finish_reason)]

    @property
    def signal_name(self) -> str | None:
        return signal.Signals(self.signal).name if self.signal is not None else None

    @property
    def exit_status(self) -> int:
        """The process's exit status: 128 + the signal for a stopped crawl (130 for SIGINT,
        143 for SIGTERM), 1 when a source failed entirely, else 0."""
        if self.signal is not None:
            return 128 + self.signal
        return 1 if self.failed_sources else 0


def crawl_settings(
    db_path: str,
    sources_file: str | None,
    keys: list[str],
    overrides: dict[str, Any] | None = None,
    *,
    full: bool = False,
    progress: bool = False,
    focus: bool = False,
) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("PRESSNEWS_DB", str(Path(db_path).expanduser()), priority="cmdline")
    settings.set("PRESSNEWS_SOURCES", sources_file, priority="cmdline")
    settings.set("PRESSNEWS_SOURCE_KEYS", ",".join(keys), priority="cmdline")
    settings.set("PRESSNEWS_FULL", full, priority="cmdline")
    settings.set("PRESSNEWS_FOCUS", focus, priority="cmdline")
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
    focus: bool = False,
) -> CrawlReport:
    """Crawl the chosen sources into the store at `db_path`; blocks until the crawl ends."""
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.portal import PortalSpider

    keys = keys or []
    chosen = select_sources(sources_file, keys)
    settings = crawl_settings(
        db_path, sources_file, keys, overrides, full=full, progress=progress, focus=focus
    )
    warc_dir = settings.get("PRESSNEWS_WARC_DIR")
    if warc_dir:  # checked before anything is fetched
        folder = str(prepare_warc_dir(warc_dir).resolve())
        settings.set("PRESSNEWS_WARC_DIR", folder, priority="cmdline")
    with crawl_lock(db_path, wait=settings.getfloat("PRESSNEWS_LOCK_WAIT", LOCK_WAIT)):
        log = settings.getbool("PRESSNEWS_LOG", False)
        settings.set("LOG_INSTALL_ROOT_HANDLER", log, priority="cmdline")
        settings.set("LOG_ENABLED", log, priority="cmdline")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(PortalSpider)
        shutdown = _Shutdown(process, crawler)
        with shutdown.handlers():
            process.crawl(crawler)
            # Scrapy's own handlers are replaced by `_Shutdown`'s, which remember the signal.
            process.start(install_signal_handlers=False)
        if shutdown.forced:
            _after_forced_stop(db_path, shutdown.signal_name)
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
    reason = str(stats.get("finish_reason", "shutdown" if shutdown.signum else "unknown"))
    return CrawlReport(reports, reason, dict(stats), shutdown.signum)


class _Shutdown:
    """SIGINT and SIGTERM during a crawl: the first stops it gracefully (requests in flight
    end, the pipelines close, the run is recorded as interrupted with its end time), a second
    one stops the event loop at once. The signal is remembered for the exit status.

    Installed in place of Scrapy's handlers (which do the same but forget the signal) from
    before the event loop starts: a signal that comes before the engine runs is acted on as
    soon as it does."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, process: Any, crawler: Any) -> None:
        self.process = process
        self.crawler = crawler
        self.signum: int | None = None
        self.forced = False
        self.engine_running = False

    @contextmanager
    def handlers(self) -> Iterator[None]:
        from scrapy import signals

        self.crawler.signals.connect(self._engine_started, signal=signals.engine_started)
        previous = {s: signal.getsignal(s) for s in self.SIGNALS}
        for s in self.SIGNALS:
            signal.signal(s, self._received)
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _received(self, signum: int, _frame: Any) -> None:
        # The reactor is imported only once the engine runs: importing it earlier would install
        # Twisted's default reactor before Scrapy installs the asyncio one.
        if self.signum is None:
            self.signum = signum
            if self.engine_running:
                from twisted.internet import reactor

                reactor.callFromThread(self._stop)
        elif not self.forced:
            self.forced = True
            for s in self.SIGNALS:  # a third signal changes nothing
                signal.signal(s, signal.SIG_IGN)
            if self.engine_running:
                from twisted.internet import reactor

                reactor.callFromThread(self._force)

    @property
    def signal_name(self) -> str | None:
        return signal.Signals(self.signum).name if self.signum is not None else None

    def _engine_started(self) -> None:
        from twisted.internet import reactor

        self.engine_running = True
        if self.signum is not None:  # a signal came while the crawl was starting
            reactor.callLater(0, self._stop)

    def _stop(self) -> None:
        # Not in the signal handler: the interrupted code may hold the stats or the log.
        from twisted.internet import reactor

        engine = getattr(self.crawler, "engine", None)
        if engine is not None and not engine.running:  # still starting: stop when it runs
            reactor.callLater(0.05, self._stop)
            return
        if self.crawler.stats is not None and self.signal_name is not None:
            self.crawler.stats.set_value(SIGNAL_STAT, self.signal_name)
        self.process.stop()  # the crawl ends, then Scrapy stops the event loop

    def _force(self) -> None:
        from twisted.internet import reactor

        if reactor.running:
            reactor.stop()


def _after_forced_stop(db_path: str, signal_name: str | None) -> None:
    """A second signal stopped the loop before the pipelines closed: end the worker processes
    and record the run as interrupted now (we still hold the lock, so a running run is ours)."""
    from crawler.store_pipelines import stop_workers
    from indexer.store import Store

    stop_workers()
    try:
        with Store.open(db_path) as store:
            close_running_runs(store, signal_name)
    except Exception:  # best effort: the next crawl marks it interrupted anyway
        pass
