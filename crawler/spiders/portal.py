"""The one generic spider: finds a site's articles from its sources-file entry alone.

Discovery: start pages and every same-site link (listing pages and their pagination first),
ASP.NET postback pagers as form requests (with loop detection), sitemaps (declared or named in
robots.txt), RSS/Atom feeds (declared or linked from pages). Each fetched page is judged
article-or-not by `crawler.extract.page.is_article`; articles go down the item pipelines as
`PageItem`s under their canonical URL. Incremental: article URLs already stored are skipped
(sitemap lastmod not newer) or fetched conditionally (ETag / Last-Modified -> 304).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.http import FormRequest, Request, Response, TextResponse
from scrapy.utils.misc import load_object
from twisted.python.failure import Failure

from crawler import discovery
from crawler.bookkeeping import CrawlState, FrontierEntry
from crawler.extract.decode import decode_html
from crawler.extract.page import is_article
from crawler.faults import blocked_reason, classify_failure
from crawler.focus import (
    BAND,
    BAND_SAMPLE,
    LIKELY,
    SAMPLE,
    LinkText,
    budget_share,
    in_sample,
    link_score,
    url_words,
)
from crawler.items import DocumentItem, FrontierItem, FrontierRow, PageItem, Revisit, SeenPage
from crawler.middlewares import RobotsWithSitemaps
from crawler.sources import Source, select_sources
from crawler.urls import (
    canonical_article_url,
    clean_url,
    is_copy_url,
    is_home,
    names_same_item,
    same_site,
)

# Request priorities (Scrapy fetches higher first). The "focused" order (the default): articles
# likely to report a training (`crawler.focus.LIKELY`), best first; then listing pages and their
# pagination, so the walk through the archive keeps going; then navigation; then the other
# articles, best first. The "breadth" order (PRESSNEWS_ORDER=breadth, the order before focused
# crawling): every article as found, then pagination, then navigation.
PRIO_ARTICLE, PRIO_PAGER, PRIO_NAV = 30, 20, 0
FOCUS_LIKELY, FOCUS_PAGER, FOCUS_NAV, FOCUS_OTHER = 200, 100, 90, 80
ORDERS = ("focused", "breadth")
# How many navigation hops (not counting pagination) from a start page are followed.
MAX_NAV_DEPTH = 3
# Links followed from one page at most: a hostile page with endless links cannot flood a run.
MAX_LINKS_PER_PAGE = 400
# Links to the attached documents pressnews reads (by the extension, in the path or a query value).
DOCUMENT_LINK = re.compile(r"\.(pdf|docx?)(?=$|[?#&;])", re.IGNORECASE)
# Content types a document may come with (the bytes decide among them).
DOCUMENT_TYPES = (
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream",
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
)
# Beyond this many distinct pages claiming one rel=canonical, the canonical is ignored.
SHARED_CANONICAL = 2
# What a stored article's page may answer when asked for again: not modified, or removed.
NOT_MODIFIED, GONE = 304, (404, 410)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# Frontier rows of a sitemap or feed are written this many URLs at a time (not all at its end).
_FRONTIER_CHUNK = 1_000


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        sources: str | None = None,
        source: str | None = None,
        full: str | bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sources_file = sources
        self.only = [k for k in (source or "").split(",") if k]
        self.full = full in (True, "1", "true", "yes")
        self.sources: dict[str, Source] = {}
        self.state: CrawlState | None = None
        self.requested: dict[str, set[str]] = defaultdict(set)  # source -> canonical keys
        # Pages seen only beyond the navigation depth limit and not requested (yet): a page
        # requested later by another path leaves the set (the stat is its size at the end).
        self.depth_capped: dict[str, set[str]] = defaultdict(set)
        self.page_count: dict[str, int] = defaultdict(int)
        self.listing_signatures: dict[str, set[str]] = defaultdict(set)
        self.postbacks_done: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        self.feeds_seen: set[str] = set()
        self.listing_urls: set[str] = set()
        self.canonical_claims: dict[str, dict[str, str]] = defaultdict(
            dict
        )  # canonical -> page->title
        # Sitemaps named in robots.txt come from the robots.txt Scrapy's middleware fetched
        # (its `robots_parsed` signal); the spider asks for robots.txt itself only when the
        # middleware does not fetch it (ROBOTSTXT_OBEY off, another parser).
        self.robots_from_middleware = False
        self.robots_read: set[str] = set()  # sources whose robots.txt sitemaps were read
        # Frontier rows gathered by the current callback, written with its FrontierItem.
        self.rows: dict[str, list[FrontierRow]] = defaultdict(list)
        self.order = "focused"
        self.focus_all = False
        self.focus_sample = SAMPLE
        self.focus_band = BAND
        self.focus_band_sample = BAND_SAMPLE
        self.focus_backlog = 500
        # Attached documents (PRESSNEWS_DOCUMENTS): stored ones' validators, those requested.
        self.fetch_documents = False
        self.document_maxsize = 0
        self.document_validators: dict[str, tuple[str | None, str | None]] = {}
        self.documents_requested: set[str] = set()
        self.document_referrers: dict[str, list[str]] = defaultdict(list)
        self.documents_fetched: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PortalSpider:
        kwargs.setdefault("sources", crawler.settings.get("PRESSNEWS_SOURCES"))
        kwargs.setdefault("source", crawler.settings.get("PRESSNEWS_SOURCE_KEYS"))
        kwargs.setdefault("full", crawler.settings.getbool("PRESSNEWS_FULL"))
        spider: PortalSpider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure(crawler.settings)
        robots_parsed = getattr(signals, "robots_parsed", None)
        if spider.robots_from_middleware and robots_parsed is not None:
            crawler.signals.connect(spider.robots_parsed, signal=robots_parsed)
        else:
            spider.robots_from_middleware = False
        return spider

    def _configure(self, settings: Any) -> None:
        self.sources = self._load_sources()
        self.order = str(settings.get("PRESSNEWS_ORDER") or "focused")
        if self.order not in ORDERS:
            raise ValueError(f"PRESSNEWS_ORDER must be one of {', '.join(ORDERS)}")
        self.focus_all = settings.getbool("PRESSNEWS_FOCUS")
        self.focus_sample = settings.getfloat("PRESSNEWS_FOCUS_SAMPLE", SAMPLE)
        self.focus_band = settings.getfloat("PRESSNEWS_FOCUS_BAND", BAND)
        self.focus_band_sample = settings.getfloat("PRESSNEWS_FOCUS_BAND_SAMPLE", BAND_SAMPLE)
        self.focus_backlog = settings.getint("PRESSNEWS_FOCUS_BACKLOG", 500)
        db = settings.get("PRESSNEWS_DB")
        backlog = {key: self._backlog(src) for key, src in self.sources.items()}
        # (--full asks for everything unconditionally, but still knows the stored articles:
        # one that now answers 404/410 is recorded as removed)
        self.state = CrawlState.load(db, list(self.sources), backlog) if db else None
        self.fetch_documents = settings.getbool("PRESSNEWS_DOCUMENTS", False)
        self.document_maxsize = settings.getint("PRESSNEWS_DOCUMENT_MAXSIZE", 20 * 1024 * 1024)
        if self.fetch_documents and db and not self.full:
            self.document_validators = CrawlState.document_validators(db)
        parser = settings.get("ROBOTSTXT_PARSER")
        self.robots_from_middleware = bool(
            settings.getbool("ROBOTSTXT_OBEY")
            and parser
            and issubclass(load_object(parser), RobotsWithSitemaps)
        )

    def _count_depth_capped(self, source: str) -> None:
        self.crawler.stats.set_value(
            f"pressnews/{source}/nav_depth_capped", len(self.depth_capped[source])
        )

    def _load_sources(self) -> dict[str, Source]:
        """The sources this run crawls (the probe gives its one source instead)."""
        return select_sources(self.sources_file, self.only)

    # -- focus -------------------------------------------------------------------------------
    def _focus(self, src: Source) -> bool:
        """Budget mode for this source: the sources file decides, else `--focus`."""
        return src.focus if src.focus is not None else self.focus_all

    def _share(self, src: Source, score: float) -> float:
        """The share of links scoring `score` that budget mode fetches for `src` now."""
        return budget_share(
            score,
            src.focus_sample if src.focus_sample is not None else self.focus_sample,
            src.focus_band if src.focus_band is not None else self.focus_band,
            src.focus_band_sample if src.focus_band_sample is not None else self.focus_band_sample,
        )

    def _backlog(self, src: Source) -> int:
        return src.focus_backlog if src.focus_backlog is not None else self.focus_backlog

    def _article_priority(self, score: float) -> int:
        if self.order == "breadth":
            return PRIO_ARTICLE
        if score >= LIKELY:
            return FOCUS_LIKELY + round(score * 100)
        return round(score * FOCUS_OTHER)

    @property
    def prio_pager(self) -> int:
        return PRIO_PAGER if self.order == "breadth" else FOCUS_PAGER

    @property
    def prio_nav(self) -> int:
        return PRIO_NAV if self.order == "breadth" else FOCUS_NAV

    def _skip_for_budget(self, src: Source, url: str, score: float) -> bool:
        """Budget mode: a link below LIKELY, not stored yet and outside the sample (of the band
        or of the rest: `crawler.focus.budget_share`) is recorded as skipped (later runs fetch
        it, a budget at a time) instead of fetched."""
        if not self._focus(src) or score >= LIKELY:
            return False
        url = clean_url(url)
        known = self.state.get(url) if self.state else None
        if known is not None and known.kind == "article":
            return False  # stored: asked for conditionally, as without budget mode
        if in_sample(url, self._share(src, score)):
            return False
        key = canonical_article_url(url)
        if key not in self.requested[src.key]:
            self.crawler.stats.inc_value(f"pressnews/{src.key}/focus_skipped")
            if self.state is None or url not in self.state.skipped:
                self.rows[src.key].append(
                    FrontierRow(url, "article", "skipped", score, "focus sample")
                )
        return True

    def _stored_article(self, url: str) -> bool:
        known = self.state.get(clean_url(url)) if self.state else None
        return known is not None and known.kind == "article"

    def _frontier(self, src: Source, done: list[str] | None = None) -> Iterator[FrontierItem]:
        """The frontier rows gathered so far for `src` (and pages processed), as one item."""
        rows = self.rows.pop(src.key, [])
        if rows or done:
            yield FrontierItem(src.key, rows, [d for d in done or [] if d])

    def _resume_requests(self, src: Source) -> Iterator[Request]:
        """What earlier runs left: requests a capped or interrupted run did not get to (the
        rest of an archive walk among them), then the best articles budget mode skipped."""
        if self.state is None:
            return
        stats = self.crawler.stats
        postbacks: dict[str, list[list[str]]] = defaultdict(list)
        for entry in self.state.resume.get(src.key, []):
            data = _data(entry)
            if entry.kind == "postback":
                postbacks[str(data.get("page"))].append(
                    [str(data.get("target")), str(data.get("argument"))]
                )
                continue
            req = self._page_request(
                src,
                entry.url,
                nav_depth=int(data.get("nav_depth", MAX_NAV_DEPTH)),
                priority=self.prio_pager
                if entry.kind == "listing"
                else self._article_priority(entry.score),
                kind=entry.kind,
                score=entry.score,
            )
            if req is not None:
                stats.inc_value(f"pressnews/{src.key}/resumed")
                yield req
        for page, pending in postbacks.items():
            # The pager's form comes from the page itself: fetch it, then post what was left.
            stats.inc_value(f"pressnews/{src.key}/resumed", len(pending))
            yield Request(
                page,
                callback=self.parse_page,
                errback=self.on_error,
                meta={
                    "source": src.key,
                    "kind": "page",
                    "nav_depth": 0,
                    "resume_postbacks": pending,
                },
                priority=self.prio_pager,
                dont_filter=True,
            )
        for entry in self.state.backlog.get(src.key, []):
            req = self._page_request(
                src,
                entry.url,
                nav_depth=MAX_NAV_DEPTH,
                priority=self._article_priority(entry.score),
                kind="article",
                score=entry.score,
            )
            if req is not None:
                stats.inc_value(f"pressnews/{src.key}/backlog")
                yield req

    # -- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request | FrontierItem]:
        for request in self._start_requests():
            yield request
        for src in self.sources.values():
            for item in self._frontier(src):
                yield item

    def _start_requests(self) -> Iterator[Request]:
        for src in self.sources.values():
            for url in src.start_urls:
                self.listing_urls.add(clean_url(url))
                req = self._page_request(
                    src, url, nav_depth=0, priority=self.prio_pager, start=True
                )
                if req is not None:
                    yield req
            if not self.robots_from_middleware:
                robots = urljoin(src.start_urls[0], "/robots.txt")
                yield Request(
                    robots,
                    callback=self.parse_robots,
                    errback=self.on_error,
                    meta={"source": src.key, "kind": "robots", "handle_httpstatus_all": True},
                    priority=self.prio_pager + 5,
                    dont_filter=True,
                )
            yield from self._resume_requests(src)
            for url in src.sitemap_urls:
                yield self._xml_request(src, url, self.parse_sitemap, "sitemap")
            for url in src.feed_urls:
                self.feeds_seen.add(clean_url(url))
                yield self._xml_request(src, url, self.parse_feed, "feed")

    def _xml_request(self, src: Source, url: str, callback: Any, kind: str) -> Request:
        return Request(
            clean_url(url),
            callback=callback,
            errback=self.on_error,
            meta={"source": src.key, "kind": kind},
            priority=self.prio_pager + 5,
        )

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
        """A request for a page, or None (requested already, known unchanged, or over the cap).

        Every request but a start page's is recorded in the frontier as pending until its page
        is processed; a link the per-source cap refuses is recorded as pending too (reason
        `cap`), so the next run goes on from it."""
        url = clean_url(url)
        key = canonical_article_url(url)
        if not start and key in self.requested[src.key]:
            return None
        data = json.dumps({"nav_depth": nav_depth}) if kind == "listing" else None
        if not start and self.page_count[src.key] >= src.max_pages:
            # (coverage: the archive was not walked to its end; the frontier keeps the link)
            self.crawler.stats.set_value(f"pressnews/{src.key}/cap_reached", 1)
            self.crawler.stats.inc_value(f"pressnews/{src.key}/capped")
            self.rows[src.key].append(FrontierRow(url, kind, "pending", score, "cap", data))
            return None
        self.requested[src.key].add(key)
        if key in self.depth_capped[src.key]:  # reached after all
            self.depth_capped[src.key].discard(key)
            self._count_depth_capped(src.key)
        meta: dict[str, Any] = {
            "source": src.key,
            "kind": "page",
            "nav_depth": nav_depth,
            "page_kind": kind,  # "article" or "listing" (a listing, pager or navigation page)
        }
        headers: dict[str, str] = {}
        known = self.state.get(url) if self.state else None
        # A page that was not an article is asked for conditionally too, after a run that
        # completed (its links were then all followed) and never as a start page.
        remembered = (
            not self.full
            and known is not None
            and (
                known.kind == "article"
                or (known.kind == "page" and not start and self.state.complete)
            )
        )
        if remembered:
            assert known is not None
            if (
                known.kind == "article"
                and lastmod
                and known.fetched_at
                and lastmod[:19] <= known.fetched_at[:19]
            ):
                self.crawler.stats.inc_value(f"pressnews/{src.key}/skipped_known")
                return None
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
            meta["handle_httpstatus_list"] = [NOT_MODIFIED]
        if known is not None and known.kind == "article":  # its page may since have been removed
            meta["handle_httpstatus_list"] = [*meta.get("handle_httpstatus_list", []), *GONE]
            meta["known_article"] = True
        self.page_count[src.key] += 1
        if not start:
            meta["frontier_key"] = url
            self.rows[src.key].append(FrontierRow(url, kind, "pending", score, "", data))
        return Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            meta=meta,
            headers=headers,
            priority=priority,
            dont_filter=start,
        )

    # -- pages -------------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        src = self.sources[response.meta["source"]]
        stats = self.crawler.stats
        stats.inc_value(f"pressnews/{src.key}/pages")
        if response.status == NOT_MODIFIED:
            stats.inc_value(f"pressnews/{src.key}/not_modified")
            if response.meta.get("known_article"):
                yield Revisit(src.key, clean_url(response.url), NOT_MODIFIED, _now())
            else:  # a listing not read again: the links behind it were not walked this run
                stats.inc_value(f"pressnews/{src.key}/listing_not_modified")
            return
        if response.status in GONE:
            stats.inc_value(f"pressnews/{src.key}/gone")
            yield Revisit(src.key, clean_url(response.url), response.status, _now())
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if ctype and not any(t in ctype for t in ("html", "xml", "text/plain")):
            stats.inc_value(f"pressnews/{src.key}/skipped/binary")
            return
        if (
            "xml" in ctype
            or "rss" in ctype
            or "atom" in ctype
            or response.body[:200].lstrip().startswith(b"<?xml")
        ):
            # A feed or sitemap reached through an ordinary link is still a feed or sitemap.
            if discovery.parse_feed(response.body) is not None:
                yield from self.parse_feed(response)
                return
            if discovery.parse_sitemap(response.body)[0] is not None:
                yield from self.parse_sitemap(response)
                return
        text, _encoding = decode_html(response.body, ctype or None)
        tree = discovery.parse_html(text)
        if tree is None:
            stats.inc_value(f"pressnews/{src.key}/errors/malformed")
            return
        blocked = blocked_reason(tree)
        if blocked:
            stats.inc_value(f"pressnews/{src.key}/errors/blocked")
            self.logger.warning("blocked page at %s: %s", response.url, blocked)
            return
        url = clean_url(response.url)
        declared = src.is_declared_article(url)
        if declared is None:
            verdict = is_article(url, tree)  # the same parser as extraction: one parse
            article = verdict.is_article and url not in self.listing_urls and not is_home(url)
        else:
            article = declared
        nav_depth = response.meta.get("nav_depth", 0)
        if article:
            yield self._item(src, response, tree, text, url)
        else:
            self.listing_urls.add(url)
            # coverage: the deepest page of a listing's pager reached (1: its first page)
            stats.max_value(
                f"pressnews/{src.key}/listing_depth", response.meta.get("pager_depth", 0) + 1
            )
            yield self._seen(src, response, url)
        yield from self._follow(src, response, tree, url, nav_depth, from_article=article)
        resumed = response.meta.get("resume_postbacks")
        if resumed and not article and isinstance(response, TextResponse):
            wanted = {(t, a) for t, a in resumed}
            yield from self._postbacks(src, response, tree, url, nav_depth, only=wanted)
        # A page that is not an article is walked: recorded with the links it showed, at once.
        done = [] if article else [response.meta.get("frontier_key")]
        yield from self._frontier(src, done)

    def _item(self, src: Source, response: Response, tree: Any, text: str, url: str) -> PageItem:
        canonical = self._choose_canonical(tree, url)
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
            if k.lower() in (b"content-type", b"etag", b"last-modified", b"date")
        }
        return PageItem(
            source=src.key,
            url=canonical,
            final_url=response.url,
            status=response.status,
            headers=headers,
            body=response.body,
            text=text,
            fetched_at=_now(),
            source_province=src.province,
            selectors=dict(src.selectors),
            seen_urls=[*response.meta.get("redirect_urls", []), response.url],
            frontier_key=response.meta.get("frontier_key"),
        )

    def _seen(self, src: Source, response: Response, url: str) -> SeenPage:
        def header(name: bytes) -> str | None:
            value = response.headers.get(name)
            return value.decode("latin-1") if value else None

        return SeenPage(
            src.key, url, response.status, header(b"ETag"), header(b"Last-Modified"), _now()
        )

    def _choose_canonical(self, tree: Any, url: str) -> str:
        own = canonical_article_url(url)
        declared = discovery.canonical_link(tree, url)
        if not declared:
            return own
        target = canonical_article_url(declared)
        if target == own:
            return own
        if (
            not same_site(target, urlsplit(url).netloc)
            or is_home(target)
            or not names_same_item(target, own)
            or clean_url(declared) in self.listing_urls  # start pages included
        ):
            return own
        title = "".join(tree.xpath("normalize-space(//title)"))[:200]
        claims = self.canonical_claims[target]
        claims.setdefault(own, title)
        if len(claims) > SHARED_CANONICAL or len(set(claims.values())) > 1:
            return own  # many different pages share it: a broken template, not a canonical
        return target

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
        if len(links) > MAX_LINKS_PER_PAGE:
            self.crawler.stats.inc_value(f"pressnews/{src.key}/capped_link_pages")
            links = links[:MAX_LINKS_PER_PAGE]
        # A page that shows the same links as a page already read *at the same address* (a
        # postback answering with page 1 again) is a repeat: its pager is not posted again. The
        # address is part of it: a home page and the news listing often show the same newest
        # links, and the listing's pager must still be walked.
        page = clean_url(response.url)
        signature = hashlib.sha1(
            "\n".join([page, *sorted(link.url for link in links if not link.pagination)]).encode()
        ).hexdigest()
        repeat = signature in self.listing_signatures[src.key]
        self.listing_signatures[src.key].add(signature)
        stale = not from_article and self._nothing_new(src, links, netloc)
        if stale:
            self.crawler.stats.inc_value(f"pressnews/{src.key}/listing_pages_with_nothing_new")
        for link in links:
            if (
                self.fetch_documents
                and DOCUMENT_LINK.search(link.url)
                and same_site(link.url, netloc)
                and src.allows(link.url)
            ):
                yield from self._document_request(src, link, url)
                continue
            role, reason = link_role(src, link, netloc, from_article)
            if role == SKIP:
                if reason not in _UNCOUNTED:  # counted by what it is ("not news: login")
                    self.crawler.stats.inc_value(f"pressnews/{src.key}/skipped/{reason}")
                continue
            if role == PAGER:
                if stale:  # nothing new on this page: older pages hold nothing new either
                    continue
                req = self._page_request(
                    src, link.url, nav_depth=nav_depth, priority=self.prio_pager
                )
                if req is not None:
                    req.meta["pager_depth"] = response.meta.get("pager_depth", 0) + 1
            elif role == ARTICLE:
                if from_article and self._stored_article(link.url):
                    # A stored article linked from an article ("Tin khác"): the listings that
                    # show it ask for it conditionally; here it would only cost a request.
                    self.crawler.stats.inc_value(f"pressnews/{src.key}/skipped_known")
                    continue
                score = link_score(LinkText(link.url, link.text, link.title, link.teaser))
                if self._skip_for_budget(src, link.url, score):
                    continue
                req = self._page_request(
                    src,
                    link.url,
                    nav_depth=nav_depth + 1,
                    priority=self._article_priority(score),
                    kind="article",
                    score=score,
                )
            elif nav_depth < MAX_NAV_DEPTH:
                req = self._page_request(
                    src, link.url, nav_depth=nav_depth + 1, priority=self.prio_nav
                )
            else:
                key = canonical_article_url(clean_url(link.url))
                if key not in self.requested[src.key]:
                    # a page not reached (unless another path requests it later): coverage
                    # cannot say the archive was walked to its end
                    self.depth_capped[src.key].add(key)
                    self._count_depth_capped(src.key)
                req = None
            if req is not None:
                yield req
        for feed in discovery.feed_links(tree, response.url):
            key = clean_url(feed)
            if key not in self.feeds_seen and same_site(feed, netloc):
                self.feeds_seen.add(key)
                yield self._xml_request(src, feed, self.parse_feed, "feed")
        if not from_article and not repeat and not stale and isinstance(response, TextResponse):
            yield from self._postbacks(src, response, tree, url, nav_depth)

    # -- attached documents --------------------------------------------------------------------
    def _document_request(
        self, src: Source, link: discovery.Link, referrer: str
    ) -> Iterator[Request | DocumentItem]:
        """A request for a linked document, once per run; conditional when it is stored with
        validators; none when it is stored without (fetched once), only its new referrer."""
        url = clean_url(link.url)
        known = self.document_validators.get(url)
        if referrer not in self.document_referrers[url]:
            self.document_referrers[url].append(referrer)
        if url in self.documents_requested or (known is not None and not any(known)):
            if known is not None or url in self.documents_fetched:
                # remember who links to it, without fetching it again
                yield DocumentItem(src.key, url, [referrer], link.text, 0, {}, b"", _now())
            return
        if self.page_count[src.key] >= src.max_pages:
            return
        self.documents_requested.add(url)
        self.page_count[src.key] += 1
        headers: dict[str, str] = {}
        if known is not None:
            etag, modified = known
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        yield Request(
            url,
            callback=self.parse_document,
            errback=self.on_error,
            headers=headers,
            meta={
                "source": src.key,
                "kind": "document",
                "referrer": referrer,
                "link_title": link.text,
                "download_maxsize": self.document_maxsize,
                "handle_httpstatus_list": [304],
            },
            priority=PRIO_NAV - 5,
        )

    def parse_document(self, response: Response) -> Iterator[DocumentItem]:
        src = self.sources[response.meta["source"]]
        stats = self.crawler.stats
        stats.inc_value(f"pressnews/{src.key}/documents")
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if response.status != 304 and not (
            any(t in ctype for t in DOCUMENT_TYPES)
            or response.body[:5] == b"%PDF-"
            or response.body[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
        ):
            stats.inc_value(f"pressnews/{src.key}/skipped/not_a_document")
            return
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
            if k.lower() in (b"content-type", b"etag", b"last-modified", b"content-disposition")
        }
        url = clean_url(response.request.url if response.request else response.url)
        self.documents_fetched.add(url)
        yield DocumentItem(
            source=src.key,
            url=url,
            referrers=list(self.document_referrers.get(url) or [response.meta["referrer"]]),
            link_title=response.meta.get("link_title") or "",
            status=response.status,
            headers=headers,
            body=b"" if response.status == 304 else response.body,
            fetched_at=_now(),
        )

    def _nothing_new(self, src: Source, links: list[discovery.Link], netloc: str) -> bool:
        """Incremental runs after a completed one, or resuming a walk a capped or interrupted
        run left (its pending listing pages go on from where it stopped): a listing page whose
        every link is a stored article, an article budget mode skipped, a page an earlier run
        saw (the site's menu) or a page already requested in this run has nothing new behind
        its pager."""
        if self.state is None or self.full:
            return False
        resuming = any(e.kind != "article" for e in self.state.resume.get(src.key, []))
        if not (self.state.complete or resuming):
            return False
        for link in links:
            if link.pagination or not same_site(link.url, netloc):
                continue
            if discovery.skip_reason(link.url) or is_copy_url(link.url):
                continue
            url = clean_url(link.url)
            known = self.state.get(url)
            if known is not None or url in self.state.skipped:
                continue  # a stored article, a page seen before (a menu link), a skipped one
            if canonical_article_url(url) in self.requested[src.key]:
                continue
            return False
        return True

    def _postbacks(
        self,
        src: Source,
        response: TextResponse,
        tree: Any,
        url: str,
        nav_depth: int,
        only: set[tuple[str, str]] | None = None,
    ) -> Iterator[Request]:
        """Postback pager requests; `only`: those a capped or interrupted run left (resumed).
        Each is recorded in the frontier (its key: the page URL, `#postback:`, target and
        argument), pending until its page is processed or, over the cap, for the next run."""
        form = discovery.postback_form(tree)
        if form is None:
            return
        path = urlsplit(url).path
        found = discovery.postbacks(tree)
        if only is not None:
            have = {(pb.target, pb.argument) for pb in found}
            found += [discovery.Postback(t, a, "") for t, a in only if (t, a) not in have]
            found = [pb for pb in found if (pb.target, pb.argument) in only]
        for pb in found:
            key = (path, pb.target, pb.argument)
            if key in self.postbacks_done[src.key]:
                continue
            frontier_key = f"{url}#postback:{pb.target}:{pb.argument}"
            data = json.dumps({"page": url, "target": pb.target, "argument": pb.argument})
            if self.page_count[src.key] >= src.max_pages:
                self.crawler.stats.set_value(f"pressnews/{src.key}/cap_reached", 1)
                self.crawler.stats.inc_value(f"pressnews/{src.key}/capped")
                self.rows[src.key].append(
                    FrontierRow(frontier_key, "postback", "pending", 0.0, "cap", data)
                )
                continue
            self.postbacks_done[src.key].add(key)
            self.page_count[src.key] += 1
            self.rows[src.key].append(
                FrontierRow(frontier_key, "postback", "pending", 0.0, "", data)
            )
            formdata = {"__EVENTTARGET": pb.target, "__EVENTARGUMENT": pb.argument}
            form_id = form.get("id")
            yield FormRequest.from_response(
                response,
                formxpath=f"//form[@id='{form_id}']"
                if form_id
                else "//form[.//input[@name='__VIEWSTATE']]",
                formdata=formdata,
                dont_click=True,
                callback=self.parse_page,
                errback=self.on_error,
                meta={
                    "source": src.key,
                    "kind": "page",
                    "nav_depth": nav_depth,
                    "pager_depth": response.meta.get("pager_depth", 0) + 1,
                    "frontier_key": frontier_key,
                },
                priority=self.prio_pager,
            )

    # -- robots, sitemaps, feeds -------------------------------------------------------------
    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Scrapy's robots.txt middleware fetched and parsed a site's robots.txt (once per
        site): request the sitemaps it names for the sources that start on that site."""
        if not isinstance(robotparser, RobotsWithSitemaps):
            return
        parts = urlsplit(request.url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        for src in self.sources.values():
            if src.key in self.robots_read or clean_url(
                urljoin(src.start_urls[0], "/robots.txt")
            ) != clean_url(robots_url):
                continue
            self.robots_read.add(src.key)
            for req in self._robots_sitemaps(src, robotparser.sitemaps(robots_url)):
                self.crawler.engine.crawl(req)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """The spider's own robots.txt request, when the middleware does not fetch it."""
        src = self.sources[response.meta["source"]]
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        yield from self._robots_sitemaps(
            src, discovery.sitemaps_from_robots(response.text, response.url)
        )

    def _robots_sitemaps(self, src: Source, urls: list[str]) -> Iterator[Request]:
        declared = {clean_url(u) for u in src.sitemap_urls}
        for url in urls:
            if clean_url(url) not in declared:
                yield self._xml_request(src, url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        src = self.sources[response.meta["source"]]
        kind, entries = discovery.parse_sitemap(response.body)
        if kind is None:
            self._bad_listing(src, response, "bad_sitemap")
        elif kind == "sitemapindex":
            netloc = urlsplit(src.start_urls[0]).netloc
            for entry in entries:
                if same_site(entry.url, netloc) and src.allows(entry.url):
                    yield self._xml_request(src, entry.url, self.parse_sitemap, "sitemap")
            yield from self._frontier(src)
        else:
            yield from self._listed_articles(src, [(e.url, e.lastmod) for e in entries])

    def parse_feed(self, response: Response) -> Iterator[Request]:
        src = self.sources[response.meta["source"]]
        links = discovery.parse_feed(response.body)
        if links is None:
            self._bad_listing(src, response, "bad_feed")
        else:
            yield from self._listed_articles(src, [(urljoin(response.url, u), None) for u in links])

    def _bad_listing(self, src: Source, response: Response, kind: str) -> None:
        self.crawler.stats.inc_value(f"pressnews/{src.key}/errors/{kind}")
        self.logger.warning("%s: %s", kind, response.url)

    def _listed_articles(
        self, src: Source, urls: list[tuple[str, str | None]]
    ) -> Iterator[Request]:
        """Requests for the article URLs a sitemap or feed lists (same site, allowed, pages)."""
        netloc = urlsplit(src.start_urls[0]).netloc
        for n, (url, lastmod) in enumerate(urls, 1):
            if n % _FRONTIER_CHUNK == 0:  # a sitemap of 50,000 URLs: rows written as they come
                yield from self._frontier(src)
            if same_site(url, netloc) and src.allows(url) and not discovery.skip_reason(url):
                # Nothing but the URL is known: its words are the headline.
                score = link_score(LinkText(url, url_words(url)))
                if self._skip_for_budget(src, url, score):
                    continue
                req = self._page_request(
                    src,
                    url,
                    nav_depth=MAX_NAV_DEPTH,
                    priority=self._article_priority(score),
                    lastmod=lastmod,
                    kind="article",
                    score=score,
                )
                if req is not None:
                    yield req
        yield from self._frontier(src)

    # -- errors ------------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta.get("source", "?")
        kind = classify_failure(failure)
        if request.meta.get("kind") == "robots":
            return  # a robots.txt that errors is not the site failing
        if kind == "robots_disallowed":  # obeying robots.txt is not a fault
            self.crawler.stats.inc_value(f"pressnews/{source}/skipped/robots")
            return
        self.crawler.stats.inc_value(f"pressnews/{source}/errors/{kind}")
        if (
            request.meta.get("kind") in ("sitemap", "feed")
            or request.meta.get("page_kind") != "article"
        ):
            # a listing, sitemap or feed that failed: what it lists was not looked at
            self.crawler.stats.inc_value(f"pressnews/{source}/listing_failed")
        self.logger.warning("%s: %s (%s)", kind, request.url, failure.getErrorMessage()[:200])


def _data(entry: FrontierEntry) -> dict[str, Any]:
    try:
        value = json.loads(entry.data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# What the crawl does with a link (`link_role`).
SKIP, PAGER, ARTICLE, NAV = "skip", "pager", "article", "navigation"
_OTHER_SITE, _DENIED, _COPY = "another site", "a deny pattern", "a print, AMP or mobile copy"
# Skips the run's stats do not count (the others are counted by what they are: "not news: login").
_UNCOUNTED = {_OTHER_SITE, _DENIED, _COPY}


def link_role(
    src: Source, link: discovery.Link, netloc: str, from_article: bool
) -> tuple[str, str]:
    """What the crawl does with a link found on a page of `netloc`, and why: (SKIP, reason),
    (PAGER, ...), (ARTICLE, ...) or (NAV, ...). The crawl and `pressnews probe` both ask this."""
    if not same_site(link.url, netloc):
        return SKIP, _OTHER_SITE
    if not src.allows(link.url):
        return SKIP, _DENIED
    reason = discovery.skip_reason(link.url)
    if reason:
        return SKIP, reason
    if is_copy_url(link.url):
        return SKIP, _COPY
    declared = src.is_declared_article(link.url)
    if link.pagination and not from_article:
        return PAGER, "pages a listing (next, page numbers, 'Xem thêm', page=N)"
    if declared:
        return ARTICLE, "matches an allow pattern"
    if declared is None and (why := article_link_reason(link)):
        return ARTICLE, why
    if declared is False:
        return NAV, "matches no allow pattern"
    return NAV, "navigation (followed a few hops)"


def article_link_reason(link: discovery.Link) -> str | None:
    """Why a link looks like it leads to an article: its text reads like a headline (several
    words) or its URL carries an id; None when it does not."""
    words = len(link.text.split())
    path = urlsplit(link.url)
    has_id = any(ch.isdigit() for ch in path.path.rsplit("/", 1)[-1]) or any(
        k in path.query.lower() for k in ("id=", "itemid=", "articleid=")
    )
    if words >= 5:
        return f"headline-like text ({words} words)"
    if has_id and words >= 2:
        return "an id in the URL and a title"
    return None
