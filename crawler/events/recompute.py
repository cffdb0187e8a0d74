"""Recompute the training events and the trainer registry from the stored articles.

Called at the end of every crawl (`StorePipeline.spider_closed`), by `pressnews reprocess`, and
after a correction (`pressnews correct`, its `--undo`: `recompute_after_correction`).
Incremental: only the provinces (2025 units) where an article changed since the last run are
regrouped, since reports of one training never span two provinces; ids stay stable
(`indexer.events.assign_ids`). `full=True` regroups everything (reprocess: the rules may have
changed). The registry is rebuilt from all events (it is small).
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.events.build import ReportInput, build_event, build_trainers, report_record
from crawler.events.grouping import group
from indexer.event_model import Event
from indexer.events import (
    RecomputeReport,
    changed_articles,
    current_seq,
    event_of_article,
    event_provinces_of,
    events_seq,
    iter_events,
    relevant_articles,
    replace_events,
    replace_trainers,
    stamp_event_changes,
    update_events,
)
from indexer.store import Store


def recompute_events(store: Store, *, full: bool = False) -> RecomputeReport:
    """Bring the events and the trainer registry up to date with the articles."""
    last = events_seq(store)
    seq = current_seq(store)
    scope: set[str | None] | None
    if full or last is None:
        scope = None
    else:
        changed = changed_articles(store, last)
        if not changed:
            return RecomputeReport()
        scope = {p for _, p in changed} | event_provinces_of(store, [i for i, _ in changed])
    inputs = [report_record(doc, n) for n, doc in enumerate(relevant_articles(store, scope))]
    by_id: dict[str, ReportInput] = {i.doc["id"]: i for i in inputs}
    groups = group([i.record for i in inputs])

    def build(event_id: str, ids: list[str]) -> Event:
        return build_event(event_id, [by_id[i] for i in ids])

    report = replace_events(store, scope, groups, build, seq)
    trainers, events = build_trainers(list(iter_events(store)))
    update_events(store, events)
    replace_trainers(store, trainers)
    stamp_event_changes(store)  # what the Elasticsearch sync sends next
    return report


@dataclass(frozen=True)
class CorrectionRecompute:
    """What a correction did to the events: the recompute, and the article's event now."""

    report: RecomputeReport
    event: str | None  # the id of the event the article is a report of now (None: none)
    provinces: tuple[str | None, ...]  # the 2025 units it concerns (None: no province)


def recompute_after_correction(store: Store, article_id: str) -> CorrectionRecompute | None:
    """After a correction of one article (or its undo), regroup at once the provinces it
    concerns: the article's province now and the province of the event it was a report of (a
    province or relevance correction moves it; a speaker or date correction changes how it
    groups). None when the article is neither relevant nor a report of an event: its events are
    none of the correction's business."""
    doc = store.get(article_id) or {}
    before = event_of_article(store, article_id)
    if before is None and not doc.get("relevant"):
        return None
    concerned = [doc.get("province_now")] if doc.get("relevant") else []
    if before is not None:
        concerned += list(event_provinces_of(store, [article_id]))
    report = recompute_events(store)
    return CorrectionRecompute(
        report, event_of_article(store, article_id), tuple(dict.fromkeys(concerned))
    )
