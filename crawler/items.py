"""The Scrapy items the spider yields: a fetched page judged to be an article (`PageItem`), a
page judged not to be one (`SeenPage`), remembered with its validators, and a stored article's
page asked for again that answered 304, 404 or 410 (`Revisit`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indexer.model import Article


@dataclass
class PageItem:
    """A fetched page the spider judged to be an article; pipelines turn it into an `Article`."""

    source: str
    url: str  # canonical article URL (the identity)
    final_url: str  # where the page was actually fetched from, after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    text: str  # decoded, NFC
    fetched_at: str
    source_province: str | None = None
    selectors: dict[str, str] = field(default_factory=dict)
    seen_urls: list[str] = field(default_factory=list)  # requested URL and redirect hops
    frontier_key: str | None = None  # the request's row in the crawl frontier, if it has one
    article: Article | None = None
    index_fields: Any = None  # indexer.fts.IndexFields, computed with the article


@dataclass
class SeenPage:
    """A fetched page that is not an article (a listing, an intro page): only its validators are
    kept, so that the next crawl after a completed one asks for it conditionally."""

    source: str
    url: str
    status: int
    etag: str | None
    last_modified: str | None
    fetched_at: str


@dataclass
class Revisit:
    """A stored article's URL asked for again that answered without a page: 304 (not modified:
    the article is still there, its date counts as seen) or 404/410 (the page was removed)."""

    source: str
    url: str
    status: int
    fetched_at: str


@dataclass
class FrontierItem:
    """Crawl-frontier bookkeeping from one callback: links requested, skipped in budget mode or
    refused by the per-source cap (`rows`), and requests whose pages were processed (`done`).
    Written in one transaction, so a killed crawl never records a listing page as walked
    without the links it showed."""

    source: str
    rows: list[FrontierRow] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FrontierRow:
    url: str  # the request's key: its URL, or page URL + "#postback:" + target + argument
    kind: str  # "article", "listing" or "postback"
    state: str  # "pending" (requested, or refused by the cap) or "skipped" (budget mode)
    score: float = 0.0
    reason: str = ""  # "cap", "focus sample", or "" for a request made
    data: str | None = None  # a postback's page, target and argument (JSON)


@dataclass
class DocumentItem:
    """An attached document (PDF, DOC, DOCX) fetched from links on `referrers`; status 304 (no
    body) when it had not changed, 0 for a page linking to a document fetched or stored before
    (only the referrer is recorded)."""

    source: str
    url: str
    referrers: list[str]
    link_title: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    read: Any = None  # crawler.documents.process.ProcessedDocument, filled by ProcessPipeline
