"""Thin Scrapy shells: `ProcessPipeline` turns a page into an article (pure code in
`crawler.article_from_page`), `StorePipeline` writes it to the SQLite store and records the run.

Extraction and enrichment are CPU work; with `PRESSNEWS_WORKERS` > 0 (`pressnews crawl` uses
one less than the machine's cores, at most 4) they run in spawned worker processes, so the
crawl's event loop keeps fetching while pages are processed. Items are awaited, so the store
still sees them one by one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from crawler.article_from_page import EXTRACTOR_VERSION, NotAnArticle, process_for_store
from crawler.bookkeeping import finish_run, record_crawl_state, record_seen_page, start_run
from crawler.items import PageItem, SeenPage
from indexer.store import RawPage, Store


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the crawl process is gone (even by kill -9),
    and leave Ctrl-C to the crawl process.

    A Ctrl-C in a terminal reaches every process of the group: the crawl process stops the
    crawl and then these workers, which must not die of it mid-item with a traceback of their
    own. They start with SIGINT ignored (see `_spawn_workers`); this keeps it so."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _ready() -> None:
    """A no-op task: submitting one per worker starts them all at once."""


# The worker pools of this process, so a forced stop (a second signal) can still end them.
_POOLS: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()


def _spawn_workers(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes, all started now with SIGINT ignored.

    An ignored signal stays ignored across exec, so a Ctrl-C while a worker is still starting
    (importing, before its initializer runs) cannot interrupt it with a traceback either; the
    crawl process ignores SIGINT only for the few milliseconds the processes take to start."""
    # spawn, not fork: the crawl process runs an event loop and holds SQLite handles.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for _ in range(workers):
            pool.submit(_ready)
    finally:
        signal.signal(signal.SIGINT, previous)
    _POOLS.add(pool)
    return pool


def stop_workers() -> None:
    """End every worker pool of this process without waiting for queued work."""
    for pool in list(_POOLS):
        pool.shutdown(wait=True, cancel_futures=True)


def default_workers() -> int:
    return max(0, min(4, (os.cpu_count() or 1) - 1))


class ProcessPipeline:
    def __init__(self, stats: Any, workers: int) -> None:
        self.stats = stats
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProcessPipeline:
        return cls(crawler.stats, crawler.settings.getint("PRESSNEWS_WORKERS", 0))

    def open_spider(self, spider: Any = None) -> None:
        if self.workers > 0:
            self.pool = _spawn_workers(self.workers)

    def close_spider(self, spider: Any = None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem):
            return item
        args = (
            item.url,
            item.text,
            item.source,
            item.fetched_at,
            item.source_province,
            item.selectors,
        )
        try:
            if self.pool is not None:
                try:
                    item.article, item.index_fields = await asyncio.wrap_future(
                        self.pool.submit(process_for_store, *args)
                    )
                except BrokenProcessPool:  # a worker died (e.g. killed): carry on in-process
                    self.pool = None
                    item.article, item.index_fields = process_for_store(*args)
            else:
                item.article, item.index_fields = process_for_store(*args)
        except NotAnArticle as exc:
            self.stats.inc_value(f"pressnews/{item.source}/dropped/empty")
            raise DropItem(f"{item.url}: {exc}") from None
        return item


class StorePipeline:
    """Commits every article as it arrives, so a killed crawl loses nothing already fetched.

    The run is recorded when the spider has closed (Scrapy's `spider_closed` signal), because
    only then is the reason known: `finished`, or `shutdown` for a crawl stopped by a signal."""

    def __init__(self, db_path: str, stats: Any, cache_mb: int = 16) -> None:
        self.db_path = db_path
        self.stats = stats
        self.cache_mb = cache_mb
        self.store: Store | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        db = crawler.settings.get("PRESSNEWS_DB")
        if not db:
            raise NotConfigured("PRESSNEWS_DB is not set")
        pipeline = cls(db, crawler.stats, crawler.settings.getint("PRESSNEWS_STORE_CACHE_MB", 16))
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store.open(self.db_path)
        # The crawl writes one article at a time: a small page cache keeps the crawl's memory
        # flat as the database grows (the operating system caches the file anyway).
        self.store.conn.execute(f"PRAGMA cache_size = {-1024 * self.cache_mb}")
        self.run_id = start_run(self.store)
        # Remembered so `pressnews reprocess` gives the enrichment the same province hint.
        for key, src in (getattr(self.crawler.spider, "sources", {}) or {}).items():
            self.store.set_meta(f"source_province:{key}", src.province or "")

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None:
            return
        sources = list(getattr(spider, "sources", {}) or {})
        finish_run(self.store, self.run_id, self.stats.get_stats(), sources, reason)
        self.store.close()
        self.store = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.store is not None
        if isinstance(item, SeenPage):
            record_seen_page(self.store, item)
            return item
        assert item.article is not None
        raw = RawPage(
            url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body,
            fetched_at=item.fetched_at,
            extractor_version=EXTRACTOR_VERSION,
        )
        with self.store.transaction():
            outcome = self.store.upsert(item.article, raw, item.index_fields)
            record_crawl_state(self.store, item)
        self.stats.inc_value(f"pressnews/{item.source}/articles_{outcome}")
        return item
