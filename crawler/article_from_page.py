"""From a fetched page to an `Article`: extraction, then enrichment. Pure; used by the crawl
pipelines and by `pressnews reprocess` alike, so both give the same article for the same page."""

from __future__ import annotations

from dataclasses import replace

from parsel import Selector

from crawler.enrich.enrich_article import enrich
from crawler.extract.dates import parse_vn_datetime
from crawler.extract.page import extract
from crawler.urls import article_id
from indexer.fts import IndexFields, index_fields
from indexer.model import Article, Extracted, pick_date
from vnlang.text import nfc, squeeze

# Bump when extraction or enrichment changes what they produce; `reprocess` re-runs older ones.
EXTRACTOR_VERSION = "1"


class NotAnArticle(ValueError):
    """The page gave no title or no body: not something to store."""


def apply_selectors(ex: Extracted, text: str, selectors: dict[str, str]) -> Extracted:
    """Per-source CSS overrides (sources file `selectors`), for the rare site that needs one."""
    if not selectors:
        return ex
    sel = Selector(text=text)
    changes: dict[str, object] = {}
    if "title" in selectors:
        title = squeeze(" ".join(sel.css(selectors["title"]).xpath("string()").getall()))
        if title:
            changes["title"] = nfc(title)
    if "body" in selectors:
        paras = [
            squeeze(p)
            for p in sel.css(selectors["body"]).xpath(".//p | .//li").xpath("string()").getall()
        ]
        body = "\n".join(p for p in paras if p)
        if body:
            changes["body"] = nfc(body)
    if "date" in selectors:
        raw = squeeze(" ".join(sel.css(selectors["date"]).xpath("string()").getall()))
        changes["published"] = parse_vn_datetime(raw) if raw else None
    return replace(ex, **changes) if changes else ex


def process_page(
    url: str,
    text: str,
    *,
    source: str,
    fetched_at: str,
    source_province: str | None = None,
    selectors: dict[str, str] | None = None,
) -> Article:
    ex = apply_selectors(extract(url, text), text, selectors or {})
    if not ex.title.strip() or not ex.body.strip():
        raise NotAnArticle("no title" if not ex.title.strip() else "no body text")
    en = enrich(ex, source_province=source_province)
    return Article(
        id=article_id(url),
        url=url,
        source=source,
        title=ex.title,
        body=ex.body,
        published=ex.published,
        event_date=en.event_date,
        date=pick_date(ex.published, en.event_date),
        province=en.province,
        province_now=en.province_now,
        speakers=list(en.speakers),
        decrees=list(en.decrees),
        relevant=en.relevant,
        topics=list(en.topics),
        authors=list(ex.authors),
        images=list(ex.images),
        attachments=list(ex.attachments),
        fetched_at=fetched_at,
    )


def process_for_store(
    url: str,
    text: str,
    source: str,
    fetched_at: str,
    source_province: str | None,
    selectors: dict[str, str],
) -> tuple[Article, IndexFields]:
    """`process_page` plus what the store derives for its index: all the CPU work of one page,
    in a form a worker process can run (plain arguments in, picklable values out)."""
    article = process_page(
        url,
        text,
        source=source,
        fetched_at=fetched_at,
        source_province=source_province,
        selectors=selectors,
    )
    return article, index_fields(article)
