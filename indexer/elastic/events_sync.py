"""Feeding the training events to Elasticsearch: `pressnews-events`, one document per training.

The same checkpointed sync as the articles (`sync.sync_kind`): template `pressnews-events`,
versioned indices `pressnews-events-v1`, `-v2`, ... behind the alias `pressnews-events`.

Events are recomputed as a whole (`crawler.events.recompute`), so their checkpoint is their own
(`indexer.events`): an event's `seq` is bumped whenever its data changes, `es_seq` is the
version Elasticsearch last accepted. An event that leaves the store (merged into another, whose
`aliases` now lists it, or no longer a training) leaves a deletion record; the sync sends a bulk
delete for it and forgets the record once Elasticsearch has carried it out (or had nothing to
delete). `--rebuild` fills a new version with every event and drops the deletion records.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from vnlang.legaldocs import match_key

from .. import events as ev_store
from .mapping import EVENTS_MAPPING_VERSION, events_alias_for, events_index_template
from .sync import Kind, SyncReport, _day, map_point, sync_kind

# The event's keys (docs/interfaces.md "The event"), copied as they are into the document.
EVENT_KEYS = (
    "id", "title", "start", "end", "province", "province_now", "organisers", "format",
    "audience", "attendance", "trainers", "topics", "decrees", "reports", "aliases", "phase",
)  # fmt: skip
# Fields only the index has, derived by `event_document`.
EVENT_DERIVED_FIELDS = (
    "date", "year", "location", "trainer_count", "report_count", "decree_keys", "sources",
)  # fmt: skip


def event_document(event: dict[str, Any]) -> dict[str, Any]:
    """The Elasticsearch document of one event (`Event.to_dict()`; pure, input unchanged).

    `date` is the event's date (its first day, else its earliest report's date) as a day, absent
    when nothing dates it (`year` is then "undated"); `location` is the map point of the
    province at the training's date (absent when unknown); `attendance` is `{"value": int,
    "qualifier": str}` or absent."""
    doc: dict[str, Any] = {k: event.get(k) for k in EVENT_KEYS}
    for key in ("organisers", "topics", "decrees", "aliases"):
        doc[key] = [x for x in doc[key] or [] if x]
    doc["trainers"] = [
        {"name": t.get("name", ""), "role": t.get("role", ""), "trainer_id": t.get("trainer_id")}
        for t in doc["trainers"] or []
        if isinstance(t, dict)
    ]
    doc["reports"] = [
        {k: r.get(k) for k in ("id", "url", "source", "title", "date")}
        for r in doc["reports"] or []
        if isinstance(r, dict)
    ]
    for key in ("start", "end"):
        doc[key] = _day(doc[key])
    att = doc["attendance"]
    if isinstance(att, dict) and isinstance(att.get("value"), int):
        doc["attendance"] = {"value": att["value"], "qualifier": att.get("qualifier") or ""}
    else:
        doc["attendance"] = None
    dates = [r["date"] for r in doc["reports"] if r.get("date")]
    doc["date"] = _day(event.get("date")) or doc["start"] or _day(min(dates) if dates else None)
    doc["year"] = doc["date"][:4] if doc["date"] else "undated"
    point = map_point(doc["province"])
    if point is not None:
        doc["location"] = point
    doc["trainer_count"] = len(doc["trainers"])
    doc["report_count"] = len(doc["reports"])
    doc["decree_keys"] = sorted({k for k in (match_key(d) for d in doc["decrees"]) if k})
    doc["sources"] = sorted({r["source"] for r in doc["reports"] if r.get("source")})
    return doc


def _pending(store: Any) -> list[tuple[str, int, dict[str, Any]]]:
    return [(eid, seq, e.to_dict()) for eid, seq, e in ev_store.pending_event_sync(store)]


EVENTS = Kind(
    noun="training event",
    template=events_index_template,
    mapping_version=EVENTS_MAPPING_VERSION,
    pending=_pending,
    count_pending=ev_store.count_pending_event_sync,
    mark_synced=ev_store.mark_events_synced,
    reset=ev_store.reset_event_sync,
    to_doc=event_document,
    pending_deletions=ev_store.pending_event_deletions,
    mark_deleted=ev_store.mark_event_deletions_done,
)


def sync_events(
    store: Any,
    es: Elasticsearch,
    *,
    alias: str | None = None,
    rebuild: bool = False,
    chunk_size: int = 500,
    max_retries: int = 5,
    initial_backoff: float = 2.0,
) -> SyncReport:
    """Push the events that changed and delete those that left; see the module docstring.

    Raises `ElasticUnavailable` (one line) when Elasticsearch cannot be used; what it accepted
    before a mid-run failure is recorded, the rest stays pending."""
    return sync_kind(
        EVENTS, store, es, alias=alias or events_alias_for(), rebuild=rebuild,
        chunk_size=chunk_size, max_retries=max_retries, initial_backoff=initial_backoff,
    )  # fmt: skip
