"""Re-extract and re-enrich every stored article from its raw page, without fetching.

Raw pages are read a chunk at a time and the articles written in batches (`Store.upsert_many`,
one transaction a batch), so memory stays flat and a reprocess of a large store is not bound by
one commit per article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.article_from_page import EXTRACTOR_VERSION, NotAnArticle, process_page
from crawler.documents.process import READER_VERSION, process_document
from crawler.events.recompute import recompute_events
from crawler.extract.decode import decode_html
from indexer import documents as stored_documents
from indexer.model import Article
from indexer.store import Store

BATCH = 200


@dataclass
class ReprocessReport:
    seen: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    damaged: list[str] = field(default_factory=list)  # ids whose stored raw page is unreadable
    events: int = 0  # training events after the recompute
    documents: int = 0  # attached documents read again from their stored bytes
    documents_updated: int = 0


def reprocess(store: Store, progress: Callable[[int], None] | None = None) -> ReprocessReport:
    report = ReprocessReport()
    batch: list[Article] = []

    def write() -> None:
        for outcome in store.upsert_many([(a, None, None) for a in batch]):
            if outcome == "unchanged":
                report.unchanged += 1
            else:
                report.updated += 1
        batch.clear()

    for article, raw in store.iter_raw():
        report.seen += 1
        if raw is None:
            report.damaged.append(article["id"])
            continue
        text, _ = decode_html(raw.body, raw.headers.get("content-type"))
        try:
            new = process_page(
                article["url"],
                text,
                source=article["source"],
                fetched_at=article["fetched_at"],
                source_province=_source_province(store, article["source"]),
            )
        except NotAnArticle:
            report.failed += 1
            continue
        batch.append(new)
        if len(batch) >= BATCH:
            write()
        if progress and report.seen % 100 == 0:
            progress(report.seen)
    write()
    store.set_meta("extractor_version", EXTRACTOR_VERSION)
    for doc_id, data, link_title in stored_documents.iter_stored(store):
        report.documents += 1
        p = process_document(data, link_title)
        changed = stored_documents.update_reading(
            store,
            doc_id,
            format=p.format,
            text=p.text,
            flags=p.flags,
            note=p.note,
            facts=p.facts,
            reader_version=READER_VERSION,
        )
        report.documents_updated += int(changed)
    report.events = recompute_events(store, full=True).events
    return report


def _source_province(store: Store, source: str) -> str | None:
    value = store.get_meta(f"source_province:{source}")
    return value or None
