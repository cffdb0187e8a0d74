"""Thin Scrapy shells: `ProcessPipeline` turns a page into an article (pure code in
`crawler.process`), `StorePipeline` writes it to the SQLite store and records the run."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from crawler.items import PageItem
from crawler.process import EXTRACTOR_VERSION, NotAnArticle, process_page
from indexer.runs import finish_run, record_crawl_state, start_run
from indexer.store import RawPage, Store


class ProcessPipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProcessPipeline:
        return cls(crawler.stats)

    def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        try:
            item.article = process_page(
                item.url,
                item.text,
                source=item.source,
                fetched_at=item.fetched_at,
                source_province=item.source_province,
                selectors=item.selectors,
            )
        except NotAnArticle as exc:
            self.stats.inc_value(f"pressnews/{item.source}/dropped/empty")
            raise DropItem(f"{item.url}: {exc}") from None
        return item


class StorePipeline:
    """Commits every article as it arrives, so a killed crawl loses nothing already fetched."""

    def __init__(self, db_path: str, stats: Any) -> None:
        self.db_path = db_path
        self.stats = stats
        self.store: Store | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        db = crawler.settings.get("PRESSNEWS_DB")
        if not db:
            raise NotConfigured("PRESSNEWS_DB is not set")
        pipeline = cls(db, crawler.stats)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store.open(self.db_path)
        self.run_id = start_run(self.store)
        # Remembered so `pressnews reprocess` gives the enrichment the same province hint.
        for key, src in (getattr(self.crawler.spider, "sources", {}) or {}).items():
            self.store.set_meta(f"source_province:{key}", src.province or "")

    def close_spider(self, spider: Any = None) -> None:
        if self.store is None:
            return
        spider = self.crawler.spider
        sources = list(getattr(spider, "sources", {}) or {})
        reason = self.stats.get_value("finish_reason") or "finished"
        finish_run(self.store, self.run_id, self.stats.get_stats(), sources, reason)
        self.store.close()
        self.store = None

    def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        assert self.store is not None and item.article is not None
        raw = RawPage(
            url=item.final_url,
            status=item.status,
            headers=item.headers,
            body=item.body,
            fetched_at=item.fetched_at,
            extractor_version=EXTRACTOR_VERSION,
        )
        with self.store.transaction():
            outcome = self.store.upsert(item.article, raw)
            record_crawl_state(self.store, item)
        self.stats.inc_value(f"pressnews/{item.source}/articles_{outcome}")
        return item
