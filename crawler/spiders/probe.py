"""The crawl's spider, bounded and watching itself: what `pressnews probe` runs.

`ProbeSpider` is `PortalSpider` with one source made from the probed URL, a share of the request
budget for each kind of page (so a budget of 30 sees article pages, pagers and navigation rather
than 30 articles of one listing), nothing sent down the item pipelines, and a record of what it
saw: every page with its verdict, every link with what the crawl does with it and why, robots.txt,
sitemaps, feeds and failures. `crawler.probe` turns that record into a `ProbeReport`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler import discovery
from crawler.extract.decode import decode_html
from crawler.extract.page import is_article
from crawler.faults import blocked_reason, classify_failure, login_form, script_rendered_reason
from crawler.items import PageItem, SeenPage
from crawler.middlewares import RobotsWithSitemaps
from crawler.sources import Source
from crawler.spiders.portal import (
    ARTICLE,
    PAGER,
    SKIP,
    PortalSpider,
    link_role,
)
from crawler.urls import clean_url, is_home

# Links recorded per page at most (the report shows a sample of them).
MAX_LINKS_RECORDED = 200


@dataclass
class SeenLink:
    url: str
    text: str
    role: str  # skip | pager | article | navigation (crawler.spiders.portal.link_role)
    reason: str
    found_on: str


@dataclass
class PageRecord:
    """One fetched page as the crawl judged it."""

    url: str
    status: int
    via: str  # start | article link | pager | navigation | postback
    redirects: list[str] = field(default_factory=list)
    content_type: str = ""
    title: str = ""
    article: bool = False
    reason: str = ""  # the article verdict and its signals
    blocked: str | None = None  # an anti-bot challenge page
    script: str | None = None  # drawn by JavaScript in the browser
    login: bool = False  # holds a login form
    words: int = 0
    links: int = 0
    article_links: int = 0
    pagination: discovery.Pagination = field(default_factory=lambda: discovery.Pagination("none"))


@dataclass
class FailureRecord:
    url: str
    kind: str  # classify_failure: http_403, timeout, robots_disallowed, ...
    status: int | None = None
    login: bool = False  # the error page holds a login form
    via: str = ""


@dataclass
class XmlRecord:
    url: str
    kind: str  # sitemap: urlset | sitemapindex | bad; feed: feed | bad
    entries: int = 0
    found_in: str = ""  # robots.txt | page | sources entry | sitemap index


class ProbeSpider(PortalSpider):
    name = "probe"

    def __init__(
        self,
        url: str = "",
        key: str = "probe",
        max_pages: int = 30,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # No page cap on the source: it would cut a page's links in document order (menus
        # first); the request budget at the downloader bounds the probe instead.
        self.probe_source = Source(key=key, name=key, start_urls=(url,))
        budget = max(1, max_pages)
        # Shares of the budget: article pages, pager pages (links or postbacks); navigation
        # takes what is left.
        self.caps = {"article link": max(2, budget // 3), "pager": max(1, budget // 6)}
        self.used = {"article link": 0, "pager": 0}
        self.held_back = {"article link": 0, "pager": 0}
        self.pages: list[PageRecord] = []
        self.links: dict[str, SeenLink] = {}
        self.found: list[PageItem] = []
        self.failures: list[FailureRecord] = []
        self.sitemaps: dict[str, XmlRecord] = {}
        self.feeds: dict[str, XmlRecord] = {}
        self.robots: RobotsWithSitemaps | None = None
        self.robots_url: str | None = None
        self.robots_status: int | None = None

    def _load_sources(self) -> dict[str, Source]:
        return {self.probe_source.key: self.probe_source}

    # -- bounded requests ----------------------------------------------------------------------
    def _page_request(
        self,
        src: Source,
        url: str,
        *,
        nav_depth: int,
        priority: int,
        start: bool = False,
        lastmod: str | None = None,
        kind: str = "listing",
        score: float = 0.0,
    ) -> Request | None:
        if start:
            via = "start"
        elif kind == "article":
            via = "article link"
        else:
            via = "pager" if priority == self.prio_pager else "navigation"
        if via in self.caps and self.used[via] >= self.caps[via]:
            self.held_back[via] += 1
            return None
        req = super()._page_request(
            src,
            url,
            nav_depth=nav_depth,
            priority=priority,
            start=start,
            lastmod=lastmod,
            kind=kind,
            score=score,
        )
        if req is not None:
            req.meta["probe_via"] = via
            if via in self.used:
                self.used[via] += 1
        return req

    def _postbacks(
        self, src: Source, response: TextResponse, tree: Any, url: str, nav_depth: int
    ) -> Iterator[Request]:
        for req in super()._postbacks(src, response, tree, url, nav_depth):
            if self.used["pager"] >= self.caps["pager"]:
                self.held_back["pager"] += 1
                return
            self.used["pager"] += 1
            req.meta["probe_via"] = "postback"
            yield req

    # -- watching ------------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        record = self._record_page(response)
        for out in super().parse_page(response):
            if isinstance(out, PageItem):
                self.found.append(out)
                if record is not None:
                    record.article = True
            elif not isinstance(out, SeenPage):
                yield out

    def _record_page(self, response: Response) -> PageRecord | None:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        record = PageRecord(
            url=response.url,
            status=response.status,
            via=response.meta.get("probe_via", "navigation"),
            redirects=list(response.meta.get("redirect_urls", [])),
            content_type=ctype,
        )
        self.pages.append(record)
        if ctype and not any(t in ctype for t in ("html", "text/plain")):
            return record
        text, _ = decode_html(response.body, ctype or None)
        tree = discovery.parse_html(text)
        if tree is None:
            return record
        record.title = " ".join(" ".join(tree.xpath("//title//text()")).split())[:200]
        record.blocked = blocked_reason(tree)
        record.script = script_rendered_reason(tree)
        record.login = login_form(tree)
        record.words = len(" ".join(tree.xpath("//body//text()[not(ancestor::script)]")).split())
        url = clean_url(response.url)
        if is_home(url):
            record.reason = "the home page"
        elif url in self.listing_urls:
            record.reason = "a start page or a listing page"
        else:
            record.reason = is_article(url, tree).reason
        return record

    def _follow(
        self,
        src: Source,
        response: Response,
        tree: Any,
        url: str,
        nav_depth: int,
        from_article: bool,
    ) -> Iterator[Request]:
        netloc = urlsplit(url).netloc
        links = discovery.page_links(tree, response.url)
        record = next((p for p in reversed(self.pages) if p.url == response.url), None)
        pagers = []
        articles = 0
        for link in links:
            role, reason = link_role(src, link, netloc, from_article)
            if role == PAGER:
                pagers.append(link)
            elif role == ARTICLE:
                articles += 1
            if len(self.links) < MAX_LINKS_RECORDED * 5 and (
                link.url not in self.links or self.links[link.url].role == SKIP
            ):
                self.links[link.url] = SeenLink(link.url, link.text, role, reason, response.url)
        if record is not None:
            record.links = len(links)
            record.article_links = articles
            if not from_article:
                record.pagination = discovery.pagination(tree, response.url, pagers)
        # Highest priority first: under a small budget the engine starts downloads while a
        # page's requests are still being queued, so the order they are queued in matters.
        requests = list(super()._follow(src, response, tree, url, nav_depth, from_article))
        yield from sorted(requests, key=lambda r: -r.priority)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        if isinstance(robotparser, RobotsWithSitemaps) and self.robots is None:
            parts = urlsplit(request.url)
            self.robots = robotparser
            self.robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            for url in robotparser.sitemaps(self.robots_url):
                self.sitemaps.setdefault(clean_url(url), XmlRecord(url, "?", found_in="robots.txt"))
        super().robots_parsed(robotparser, request)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        kind, entries = discovery.parse_sitemap(response.body)
        rec = self.sitemaps.setdefault(
            clean_url(response.url), XmlRecord(response.url, "?", found_in="a link")
        )
        rec.kind, rec.entries = kind or "bad", len(entries)
        if kind == "sitemapindex":
            for e in entries:
                self.sitemaps.setdefault(
                    clean_url(e.url), XmlRecord(e.url, "?", found_in="a sitemap index")
                )
        yield from super().parse_sitemap(response)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        links = discovery.parse_feed(response.body)
        rec = self.feeds.setdefault(
            clean_url(response.url), XmlRecord(response.url, "?", found_in="a page")
        )
        rec.kind, rec.entries = ("feed" if links is not None else "bad"), len(links or [])
        yield from super().parse_feed(response)

    def _xml_request(self, src: Source, url: str, callback: Any, kind: str) -> Request:
        records = self.sitemaps if kind == "sitemap" else self.feeds
        records.setdefault(clean_url(url), XmlRecord(url, "?", found_in="a page"))
        return super()._xml_request(src, url, callback, kind)

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = classify_failure(failure)
        if kind == "budgetspent":
            self.held_back.setdefault("budget", 0)
            self.held_back["budget"] += 1
            return
        if request.meta.get("kind") == "robots":
            return
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        login = False
        if response is not None and isinstance(response, TextResponse):
            tree = discovery.parse_html(response.text)
            login = tree is not None and login_form(tree)
        self.failures.append(
            FailureRecord(request.url, kind, status, login, request.meta.get("probe_via", ""))
        )
        super().on_error(failure)
