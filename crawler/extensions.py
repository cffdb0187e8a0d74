"""Progress on stderr while crawling: one line every few seconds with pages and articles."""

from __future__ import annotations

import sys
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, stats: Any, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("PRESSNEWS_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler.stats, crawler.settings.getfloat("PRESSNEWS_PROGRESS_INTERVAL", 3.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def report(self) -> None:
        s = self.stats.get_stats()
        pages = sum(v for k, v in s.items() if k.endswith("/pages"))
        new = sum(v for k, v in s.items() if k.endswith("/articles_new"))
        upd = sum(v for k, v in s.items() if k.endswith("/articles_updated"))
        errs = sum(v for k, v in s.items() if "/errors/" in k)
        print(
            f"  … {pages} pages, {new} new, {upd} updated articles, {errs} errors", file=sys.stderr
        )

    def spider_closed(self, spider: Any) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
