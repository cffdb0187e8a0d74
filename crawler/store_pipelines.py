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
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from crawler.article_from_page import EXTRACTOR_VERSION, NotAnArticle, process_for_store
from crawler.bookkeeping import (
    finish_run,
    mark_frontier_done,
    record_coverage,
    record_crawl_state,
    record_frontier,
    record_revisit,
    record_seen_page,
    record_unlisted,
    start_run,
)
from crawler.documents.process import READER_VERSION, process_document
from crawler.events.recompute import recompute_events
from crawler.items import DocumentItem, FrontierItem, PageItem, Revisit, SeenPage
from crawler.urls import clean_url
from crawler.worker_process import exit_with_parent, ready
from indexer.documents import FetchedDocument, add_referrer, save_document
from indexer.store import RawPage, Store

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
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for _ in range(workers):
            pool.submit(ready)
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
        if isinstance(item, DocumentItem):
            if item.body:  # read (and OCR) in a worker when there are workers
                if self.pool is not None:
                    try:
                        item.read = await asyncio.wrap_future(
                            self.pool.submit(process_document, item.body, item.link_title)
                        )
                    except BrokenProcessPool:
                        self.pool = None
                        item.read = process_document(item.body, item.link_title)
                else:
                    item.read = process_document(item.body, item.link_title)
            return item
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
        self.pending_referrers: dict[str, list[str]] = {}  # document URL -> pages linking to it

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
        known = getattr(spider, "sources", {}) or {}
        sources = list(known)
        stats = self.stats.get_stats()
        finish_run(self.store, self.run_id, stats, sources, reason)
        provinces = {key: getattr(src, "province", None) for key, src in known.items()}
        walked = record_coverage(self.store, self.run_id, stats, provinces, reason)
        requested = getattr(spider, "requested", {})
        for key, complete in walked.items():
            if complete and key in requested:
                n = record_unlisted(self.store, key, requested[key])
                if n < 0:
                    spider.logger.warning(
                        "%s: %d stored articles no longer listed: taken for a discovery "
                        "problem, none marked removed",
                        key,
                        -n,
                    )
        try:
            recompute_events(self.store)  # the training events of what changed
        finally:
            self.store.close()
            self.store = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        assert self.store is not None
        if isinstance(item, SeenPage):
            record_seen_page(self.store, item)
            return item
        if isinstance(item, Revisit):
            self._date_seen(item.source, record_revisit(self.store, item))
            return item
        if isinstance(item, FrontierItem):
            record_frontier(self.store, item)
            return item
        if isinstance(item, DocumentItem):
            self._store_document(item)
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
            done = {clean_url(u) for u in item.seen_urls}
            if item.frontier_key:
                done.add(item.frontier_key)
            mark_frontier_done(self.store, sorted(done))
        self.stats.inc_value(f"pressnews/{item.source}/articles_{outcome}")
        self._date_seen(item.source, item.article.date)
        return item

    def _date_seen(self, source: str, date: str | None) -> None:
        """Coverage: the oldest and newest article dates this run saw, per source."""
        if date:
            self.stats.min_value(f"pressnews/{source}/oldest", date[:10])
            self.stats.max_value(f"pressnews/{source}/newest", date[:10])

    def _store_document(self, item: DocumentItem) -> None:
        assert self.store is not None
        if item.read is None:  # 304, or known and not fetched again: only the new referrer
            with self.store.transaction():
                for referrer in item.referrers:
                    if not add_referrer(self.store, item.url, referrer):
                        # the document is still being read: its referrers join it when stored
                        self.pending_referrers.setdefault(item.url, []).append(referrer)
            if item.status == 304:
                self.stats.inc_value(f"pressnews/{item.source}/documents_unchanged")
            return
        read = item.read
        outcome = save_document(
            self.store,
            FetchedDocument(
                url=item.url,
                source=item.source,
                status=item.status,
                headers=item.headers,
                body=item.body,
                fetched_at=item.fetched_at,
                format=read.format,
                text=read.text,
                flags=read.flags,
                note=read.note,
                facts=read.facts,
                referrers=item.referrers + self.pending_referrers.pop(item.url, []),
                link_title=item.link_title,
                reader_version=READER_VERSION,
            ),
        )
        self.stats.inc_value(f"pressnews/{item.source}/documents_{outcome}")
