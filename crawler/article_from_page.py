"""From a fetched page to an `Article`: extraction, then enrichment. Pure; used by the crawl
pipelines and by `pressnews reprocess` alike, so both give the same article for the same page."""

from __future__ import annotations

from dataclasses import replace

from parsel import Selector

from crawler.enrich.enrich_article import enrich, enrich_with_evidence
from crawler.evidence import derived, page
from crawler.extract.dates import parse_vn_datetime
from crawler.extract.page import extract
from crawler.urls import article_id
from indexer.fts import IndexFields, index_fields
from indexer.model import Article, Extracted, pick_date
from vnlang.text import nfc, squeeze

# Bump when extraction or enrichment changes what they produce; `reprocess` re-runs older ones.
EXTRACTOR_VERSION = "2"


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
    if not changes:
        return ex
    kept = [e for e in ex.evidence if e.field not in changes]
    for key, value in changes.items():
        shown = f"{len(str(value))} characters" if key == "body" else value
        kept.append(
            page(
                key, shown, "html", selectors[key], "the sources file's CSS selector for this site"
            )
        )
    return replace(ex, **changes, evidence=kept)


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
    try:
        en, why = enrich_with_evidence(ex, source_province=source_province)
    except Exception as exc:  # evidence never costs an article: the values without it
        en = enrich(ex, source_province=source_province)
        why = [derived("evidence", None, f"the evidence could not be built ({type(exc).__name__})")]
    date = pick_date(ex.published, en.event_date)
    rule = "published" if ex.published else ("the event date" if en.event_date else "undated")
    evidence = [
        *ex.evidence,
        *why,
        derived("date", date, f"published, else the event date, else none: {rule}"),
    ]
    return Article(
        id=article_id(url),
        url=url,
        source=source,
        title=ex.title,
        body=ex.body,
        published=ex.published,
        event_date=en.event_date,
        date=date,
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
        evidence=evidence,
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
