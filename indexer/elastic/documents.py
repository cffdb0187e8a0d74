"""Attached documents in Elasticsearch: one index `<prefix>-documents` beside the articles'
alias, with the same Vietnamese analysis (text with and without diacritics), pushed whole on
every sync (documents are few and change rarely; `_id` is the document id, so a re-push
overwrites), and a Kibana data view over it.

The index is plain (no versions behind an alias): when its mapping version is older than this
pressnews', the sync deletes and recreates it and pushes every document again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch, helpers

from ..documents import iter_documents
from .client import translate_errors, url_of
from .mapping import _keyword_with_folded as keyword_with_folded
from .mapping import _text_twice as text_twice
from .mapping import analysis
from .sync import map_point, mapping_version

DOCUMENTS_MAPPING_VERSION = 1
DATA_VIEW_ID = "pressnews-documents-data-view"


def documents_index(articles_alias: str) -> str:
    """`pressnews-documents` beside `pressnews-articles` (same prefix)."""
    base = articles_alias.removesuffix("-articles")
    return f"{base}-documents"


def mappings() -> dict[str, Any]:
    date = {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
    return {
        "dynamic": False,
        "_meta": {"pressnews_documents_mapping_version": DOCUMENTS_MAPPING_VERSION},
        "properties": {
            "id": {"type": "keyword"},
            "url": {"type": "keyword"},
            "source": {"type": "keyword"},
            "type": {"type": "keyword"},
            "symbol": {"type": "keyword"},
            "title": text_twice(),
            "text": text_twice(),
            "issuer": keyword_with_folded(),
            "signer": keyword_with_folded(),
            "date": {**date, "ignore_malformed": True},
            "year": {"type": "keyword"},
            "fetched_at": {**date, "ignore_malformed": True},
            "province": keyword_with_folded(),
            "province_now": keyword_with_folded(),
            "location": {"type": "geo_point"},
            "format": {"type": "keyword"},
            "flags": {"type": "keyword"},
            "referrers": {"type": "keyword"},
            "cites": {"type": "keyword"},
            "planned": {
                "type": "object",
                "properties": {
                    "topic": text_twice(),
                    "topics": {"type": "keyword"},
                    "period": {"type": "keyword"},
                    "start": {**date, "ignore_malformed": True},
                    "end": {**date, "ignore_malformed": True},
                    "place": keyword_with_folded(),
                },
            },
            "held": {
                "type": "object",
                "properties": {
                    "topic": text_twice(),
                    "date": {**date, "ignore_malformed": True},
                    "attendance": {"type": "integer"},
                },
            },
            "trainings_total": {"type": "integer"},
            "attendees_total": {"type": "integer"},
            "spokespeople": {
                "type": "object",
                "properties": {"name": keyword_with_folded(), "role": text_twice()},
            },
        },
    }


def index_body() -> dict[str, Any]:
    return {
        "settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1", "analysis": analysis()},
        "mappings": mappings(),
    }


def to_es_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The Elasticsearch document of one exported document (`indexer.documents`); pure."""
    facts = doc.get("extracted") or {}
    out: dict[str, Any] = {
        key: doc.get(key)
        for key in ("id", "url", "source", "type", "symbol", "title", "date", "fetched_at")
    }
    out.update(
        text=doc.get("text") or "",
        year=(doc.get("date") or "")[:4] or "undated",
        province=doc.get("province"),
        province_now=doc.get("province_now"),
        issuer=facts.get("issuer"),
        signer=facts.get("signer"),
        format=doc.get("format"),
        flags=list(doc.get("flags") or []),
        referrers=list(doc.get("referrers") or []),
        cites=list(facts.get("cites") or []),
        planned=[
            {k: p.get(k) for k in ("topic", "topics", "period", "start", "end", "place")}
            for p in facts.get("planned") or []
        ],
        held=[
            {k: h.get(k) for k in ("topic", "date", "attendance")} for h in facts.get("held") or []
        ],
        spokespeople=[
            {"name": p.get("name"), "role": p.get("role")} for p in facts.get("spokespeople") or []
        ],
    )
    totals = facts.get("totals") or {}
    if "trainings" in totals:
        out["trainings_total"] = totals["trainings"]
    if "attendees" in totals:
        out["attendees_total"] = totals["attendees"]
    point = map_point(doc.get("province"))
    if point is not None:
        out["location"] = point
    return out


def document_actions(docs: Iterable[dict[str, Any]], index: str) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": doc["id"],
            "_source": to_es_document(doc),
        }


@dataclass
class DocumentsSyncReport:
    index: str
    sent: int = 0
    accepted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    recreated: bool = False

    def line(self) -> str:
        note = " (index recreated for a new mapping)" if self.recreated else ""
        return (
            f"Documents: {self.accepted} of {self.sent} pushed to {self.index}, "
            f"{len(self.failed)} failed{note}."
        )


def sync_documents(store: Any, es: Elasticsearch, *, articles_alias: str) -> DocumentsSyncReport:
    """Create (or recreate, for a newer mapping) the documents index and push every document.
    Raises `ElasticUnavailable` (one line) when Elasticsearch cannot be used."""
    index = documents_index(articles_alias)
    report = DocumentsSyncReport(index=index)
    with translate_errors(es, url_of(es)):
        version = mapping_version(es, index, "pressnews_documents_mapping_version", missing=0)
        if version is not None and version < DOCUMENTS_MAPPING_VERSION:
            es.indices.delete(index=index)
            report.recreated, version = True, None
        if version is None:
            es.indices.create(index=index, **index_body())
        docs = iter_documents(store)
        report.sent = len(docs)
        for ok, item in helpers.streaming_bulk(
            es, document_actions(docs, index), raise_on_error=False, max_retries=5
        ):
            info = next(iter(item.values()))
            if ok:
                report.accepted += 1
            else:
                report.failed.append((str(info.get("_id", "?")), str(info.get("error", ""))[:200]))
    return report


def data_view(articles_alias: str) -> dict[str, Any]:
    """The Kibana data view over the documents index (time field: the document's date)."""
    return {
        "type": "index-pattern",
        "id": DATA_VIEW_ID,
        "attributes": {
            "title": documents_index(articles_alias),
            "name": "pressnews documents",
            "timeFieldName": "date",
            "fieldFormatMap": "{}",
            "runtimeFieldMap": "{}",
            "sourceFilters": "[]",
            "allowNoIndex": True,
        },
        "references": [],
    }
