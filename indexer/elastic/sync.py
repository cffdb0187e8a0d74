"""Feeding Elasticsearch from the store: only what changed, marked synced only once accepted.

The store (SQLite) is the system of record; every change bumps an article's `seq`, and the
store remembers the last `seq` Elasticsearch accepted for it (`es_seq`). `sync()` pushes
`store.pending_sync()` with the bulk helper (retries with backoff on 429), then records, per
document, only what Elasticsearch accepted: a rejected article stays pending and is retried on
the next run. Document ids are article ids, so pushing twice is harmless.

`rebuild=True` fills a new versioned index (v2, v3, ...) with every article and moves the
alias to it in one `_aliases` call; the old index is left in place (the report names it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers

from vnlang.gazetteer import lookup
from vnlang.legaldocs import match_key
from vnlang.text import fold

from ..model import Article
from .client import ElasticUnavailable, one_line, translate_errors, url_of
from .mapping import MAPPING_VERSION, IndexNames, alias_for, index_template

# The article keys of docs/interfaces.md, copied as they are into the document.
# The exported article's keys, from the model (one definition).
ARTICLE_KEYS = tuple(f.name for f in fields(Article))


@dataclass
class SyncReport:
    sent: int = 0
    accepted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    index: str = ""  # the physical index written to
    alias: str = ""
    created: bool = False  # the index (and alias) did not exist before this run
    rebuilt: bool = False
    # Before a rebuild: the indices the alias pointed to.
    previous: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # older versions left in place (never deleted)
    pending: int = 0  # articles still pending after the run
    warnings: list[str] = field(default_factory=list)
    noun: str = "article"  # what the documents are ("article", "training event")
    # Documents deleted because their record left the store (events merged or dropped).
    to_delete: int = 0
    deleted: int = 0
    delete_failed: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.accepted} of {self.sent} {self.noun}(s) accepted into {self.index} "
            f"(alias {self.alias})."
        ]
        if self.to_delete:
            out.append(
                f"{self.deleted} of {self.to_delete} {self.noun}(s) that left the store "
                f"deleted from {self.index}."
            )
        if self.created:
            out.append(f"Created {self.index} and the alias {self.alias}.")
        if self.rebuilt:
            was = ", ".join(self.previous) or "nothing"
            out.append(f"Rebuilt: the alias {self.alias} now points to {self.index} (was: {was}).")
        if self.left:
            out.append("Left in place (delete when no longer needed): " + ", ".join(self.left))
        if self.failed:
            out.append(f"{len(self.failed)} rejected; they stay pending and are retried next run.")
        if self.delete_failed:
            out.append(f"{len(self.delete_failed)} deletion(s) failed; they are retried next run.")
        out.extend(self.warnings)
        return out


# -- documents ------------------------------------------------------------------------------------
def _day(value: Any) -> str | None:
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return value[:10]
    return None


def _extra(article: dict[str, Any]) -> str:
    """The folded text the embedded index keeps beside title and body (speakers, roles, ...)."""
    parts = [f"{s.get('name', '')} {s.get('role', '')}" for s in article.get("speakers") or []]
    parts += list(article.get("decrees") or []) + list(article.get("topics") or [])
    parts += [article.get("province") or "", article.get("province_now") or ""]
    return fold(" ".join(parts))


def map_point(province: str | None) -> dict[str, float] | None:
    """The province's map point (gazetteer lat/lon) as a geo_point, or None."""
    if not province:
        return None
    p = lookup(province)
    if p is None:
        return None
    return {"lat": p.lat, "lon": p.lon}


def to_document(article: dict[str, Any]) -> dict[str, Any]:
    """The Elasticsearch document for one exported article (pure; the input is not modified).

    The article's own keys are kept as they are (search hits give them back); derived fields
    are added: `extra`, `speakers_key`, `decree_keys`, `location`; `evidence` (a list, empty
    when the store has none) is stored, not indexed. `date` is always filled:
    the article's date, else published, else event date, else the day it was fetched.
    """
    doc: dict[str, Any] = {k: article.get(k) for k in ARTICLE_KEYS}
    for key in ("speakers", "decrees", "topics", "authors", "images", "attachments", "evidence"):
        doc[key] = list(doc[key] or [])
    doc["relevant"] = bool(doc["relevant"])
    doc["speakers"] = [
        {"name": s.get("name", ""), "role": s.get("role", "")}
        for s in doc["speakers"]
        if isinstance(s, dict)
    ]
    # Never the crawl date: an undated article has no `date` and `year` "undated".
    doc["date"] = (
        _day(article.get("date"))
        or _day(article.get("published"))
        or _day(article.get("event_date"))
    )
    doc["year"] = doc["date"][:4] if doc["date"] else "undated"
    doc["extra"] = _extra(article)
    doc["speakers_key"] = [fold(s["name"]) for s in doc["speakers"] if s["name"].strip()]
    keys = {k for k in (match_key(d) for d in doc["decrees"] if d) if k}
    doc["decree_keys"] = sorted(keys)
    point = map_point(doc["province"])
    if point is not None:
        doc["location"] = point
    return doc


def bulk_actions(
    articles: Iterable[dict[str, Any]],
    index: str,
    to_doc: Callable[[dict[str, Any]], dict[str, Any]] = to_document,
) -> Iterator[dict[str, Any]]:
    """Index actions for the bulk helper; `_id` is the article id, so a re-push overwrites.
    (`to_doc` makes the document: `to_document` for articles, `event_document` for events.)"""
    for article in articles:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": article["id"],
            "_source": to_doc(article),
        }


def delete_actions(ids: Iterable[str], index: str) -> Iterator[dict[str, Any]]:
    """Delete actions for the bulk helper (a record that left the store)."""
    for doc_id in ids:
        yield {"_op_type": "delete", "_index": index, "_id": doc_id}


# -- index management -----------------------------------------------------------------------------
def install_template(
    es: Elasticsearch, names: IndexNames, template: dict[str, Any] | None = None
) -> None:
    es.indices.put_index_template(**(template or index_template(names)))


def alias_targets(es: Elasticsearch, names: IndexNames) -> list[str]:
    """The indices the alias points to (empty when there is no alias yet)."""
    try:
        resp = es.indices.get_alias(name=names.alias)
    except NotFoundError:
        return []
    return sorted(resp.body.keys() if hasattr(resp, "body") else resp.keys())


def versions(es: Elasticsearch, names: IndexNames) -> dict[int, str]:
    """Existing versioned indices: version number -> index name."""
    resp = es.indices.get(index=names.pattern, allow_no_indices=True, expand_wildcards="all")
    body = resp.body if hasattr(resp, "body") else resp
    out: dict[int, str] = {}
    for name in body:
        v = names.version_of(name)
        if v is not None:
            out[v] = name
    return out


def _write_index(targets: list[str], names: IndexNames) -> str:
    numbered = [(names.version_of(t) or -1, t) for t in targets]
    return max(numbered)[1]


def _create(es: Elasticsearch, index: str, alias: str | None) -> None:
    # Settings and mappings come from the template (it matches `<alias>-v*`).
    if alias:
        es.indices.create(index=index, aliases={alias: {}})
    else:
        es.indices.create(index=index)


def mapping_version(
    es: Elasticsearch,
    index: str,
    key: str = "pressnews_mapping_version",
    missing: int | None = None,
) -> int | None:
    """The version an index's mapping carries in its `_meta` under `key`: None when there is no
    such index; `missing` when the index has no (or no numeric) version."""
    try:
        resp = es.indices.get_mapping(index=index)
    except NotFoundError:
        return None
    body = resp.body if hasattr(resp, "body") else resp
    meta = ((body.get(index) or {}).get("mappings") or {}).get("_meta") or {}
    v = meta.get(key)
    return int(v) if isinstance(v, int) or (isinstance(v, str) and v.isdigit()) else missing


def ensure_index(
    es: Elasticsearch,
    names: IndexNames,
    report: SyncReport,
    template: dict[str, Any] | None = None,
) -> str:
    """Install the template; create `<alias>-v1` behind the alias if there is no alias yet."""
    install_template(es, names, template)
    targets = alias_targets(es, names)
    if targets:
        return _write_index(targets, names)
    if es.indices.exists(index=names.alias):
        raise ElasticUnavailable(
            one_line(
                f"an index named {names.alias} exists where pressnews expects its alias: "
                "delete it or choose another prefix"
            )
        )
    existing = versions(es, names)
    index = names.version(max(existing, default=0) + 1)
    _create(es, index, names.alias)
    report.created = True
    return index


def swap_alias(es: Elasticsearch, names: IndexNames, old: list[str], new: str) -> None:
    """Move the alias from `old` to `new` in one atomic `_aliases` request."""
    actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": names.alias}} for i in old]
    actions.append({"add": {"index": new, "alias": names.alias}})
    es.indices.update_aliases(actions=actions)


# -- the sync -------------------------------------------------------------------------------------
def _reason(info: dict[str, Any]) -> str:
    err = info.get("error")
    if isinstance(err, dict):
        text = ": ".join(str(p) for p in (err.get("type"), err.get("reason")) if p)
        cause = err.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            text += f" ({cause['reason']})"
        return one_line(text or err)
    if err:
        return one_line(err)
    return f"status {info.get('status', '?')}"


def _push(
    es: Elasticsearch,
    rows: list[tuple[str, int, dict[str, Any]]],
    index: str,
    report: SyncReport,
    *,
    chunk_size: int,
    max_retries: int,
    initial_backoff: float,
    on_accepted: Any,
    to_doc: Callable[[dict[str, Any]], dict[str, Any]] = to_document,
) -> None:
    seqs = {aid: seq for aid, seq, _ in rows}
    accepted: list[tuple[str, int]] = []

    def flush() -> None:
        if accepted:
            on_accepted(list(accepted))
            accepted.clear()

    results = helpers.streaming_bulk(
        es,
        bulk_actions((a for _, _, a in rows), index, to_doc),
        chunk_size=chunk_size,
        max_retries=max_retries,
        initial_backoff=initial_backoff,
        max_backoff=60,
        raise_on_error=False,  # per-document failures are yielded, not raised
        raise_on_exception=True,  # a dead server is an error for the whole run
        yield_ok=True,
    )
    try:
        for ok, item in results:
            op, info = next(iter(item.items()))
            aid = str(info.get("_id", ""))
            if ok and aid in seqs:
                accepted.append((aid, seqs[aid]))
                report.accepted += 1
                if len(accepted) >= chunk_size:
                    flush()
            elif not ok:
                report.failed.append((aid or "?", _reason(info)))
    finally:
        flush()  # what was accepted before a failure stays recorded


def _delete(
    es: Elasticsearch,
    rows: list[tuple[str, int]],
    index: str,
    report: SyncReport,
    *,
    chunk_size: int,
    max_retries: int,
    initial_backoff: float,
    on_done: Callable[[list[tuple[str, int]]], None],
) -> None:
    """Bulk-delete these ids; a delete that found nothing (404) is done too."""
    seqs = dict(rows)
    done: list[tuple[str, int]] = []
    results = helpers.streaming_bulk(
        es,
        delete_actions((i for i, _ in rows), index),
        chunk_size=chunk_size,
        max_retries=max_retries,
        initial_backoff=initial_backoff,
        max_backoff=60,
        raise_on_error=False,
        raise_on_exception=True,
        yield_ok=True,
    )
    try:
        for ok, item in results:
            _op, info = next(iter(item.items()))
            doc_id = str(info.get("_id", ""))
            if doc_id in seqs and (ok or info.get("status") == 404):
                done.append((doc_id, seqs[doc_id]))
                report.deleted += 1
            else:
                report.delete_failed.append((doc_id or "?", _reason(info)))
    finally:
        if done:
            on_done(done)


@dataclass(frozen=True)
class Kind:
    """What one index holds and how the store keeps its checkpoint (articles, events)."""

    noun: str
    template: Callable[[IndexNames], dict[str, Any]]
    mapping_version: int
    pending: Callable[[Any], list[tuple[str, int, dict[str, Any]]]]  # (id, seq, record)
    count_pending: Callable[[Any], int]
    mark_synced: Callable[[Any, list[tuple[str, int]]], None]
    reset: Callable[[Any], None]
    to_doc: Callable[[dict[str, Any]], dict[str, Any]]
    # (id, seq) of records that left the store, and how to forget them once deleted
    pending_deletions: Callable[[Any], list[tuple[str, int]]] | None = None
    mark_deleted: Callable[[Any, list[tuple[str, int]]], None] | None = None


ARTICLES = Kind(
    noun="article",
    template=index_template,
    mapping_version=MAPPING_VERSION,
    pending=lambda store: list(store.pending_sync()),
    count_pending=lambda store: store.count_pending_sync(),
    mark_synced=lambda store, accepted: store.mark_synced(accepted),
    reset=lambda store: store.reset_sync(),
    to_doc=to_document,
)


def sync(
    store: Any,
    es: Elasticsearch,
    *,
    alias: str | None = None,
    rebuild: bool = False,
    chunk_size: int = 500,
    max_retries: int = 5,
    initial_backoff: float = 2.0,
) -> SyncReport:
    """Push what changed since the last successful sync; see the module docstring.

    Raises `ElasticUnavailable` (one line) when Elasticsearch cannot be used; the store is then
    untouched, except that articles accepted before a mid-run failure are recorded as synced.
    """
    alias = alias or alias_for()  # pressnews-articles, or $PRESSNEWS_ES_PREFIX-articles
    return sync_kind(
        ARTICLES, store, es, alias=alias, rebuild=rebuild, chunk_size=chunk_size,
        max_retries=max_retries, initial_backoff=initial_backoff,
    )  # fmt: skip


def sync_kind(
    kind: Kind,
    store: Any,
    es: Elasticsearch,
    *,
    alias: str,
    rebuild: bool = False,
    chunk_size: int = 500,
    max_retries: int = 5,
    initial_backoff: float = 2.0,
) -> SyncReport:
    """`sync()` for any `Kind`: index what changed, delete what left, or rebuild."""
    names = IndexNames(alias)
    report = SyncReport(alias=alias, noun=kind.noun)
    url = url_of(es)
    opts: dict[str, Any] = {
        "chunk_size": chunk_size, "max_retries": max_retries, "initial_backoff": initial_backoff,
    }  # fmt: skip
    with translate_errors(es, url):
        if not rebuild:
            report.index = ensure_index(es, names, report, kind.template(names))
            current = mapping_version(es, report.index)
            if current is not None and current < kind.mapping_version:
                report.warnings.append(
                    f"{report.index} has mapping version {current} < {kind.mapping_version}: "
                    "run `pressnews index --rebuild`"
                )
            rows = kind.pending(store)
            report.sent = len(rows)
            if rows:
                _push(
                    es, rows, report.index, report, **opts,
                    on_accepted=lambda acc: kind.mark_synced(store, acc), to_doc=kind.to_doc,
                )  # fmt: skip
            if kind.pending_deletions is not None and kind.mark_deleted is not None:
                gone = kind.pending_deletions(store)
                report.to_delete = len(gone)
                mark_deleted = kind.mark_deleted
                if gone:
                    _delete(
                        es, gone, report.index, report, **opts,
                        on_done=lambda done: mark_deleted(store, done),
                    )  # fmt: skip
        else:
            _rebuild(kind, store, es, names, report, opts)
    report.pending = kind.count_pending(store)
    return report


def _rebuild(
    kind: Kind,
    store: Any,
    es: Elasticsearch,
    names: IndexNames,
    report: SyncReport,
    opts: dict[str, Any],
) -> None:
    install_template(es, names, kind.template(names))
    if es.indices.exists(index=names.alias) and not alias_targets(es, names):
        raise ElasticUnavailable(
            one_line(f"an index named {names.alias} exists where pressnews expects its alias")
        )
    previous = alias_targets(es, names)
    existing = versions(es, names)
    index = names.version(max(existing, default=0) + 1)
    _create(es, index, None)  # outside the alias until it is full
    report.index, report.rebuilt, report.previous = index, True, previous

    # Everything goes again. The store forgets what Elasticsearch held only now that the new
    # index exists; if the run dies below, the next plain sync re-pushes into the live alias.
    kind.reset(store)
    rows = kind.pending(store)
    report.sent = len(rows)
    accepted: list[tuple[str, int]] = []
    if rows:
        _push(
            es, rows, index, report, **opts, on_accepted=accepted.extend, to_doc=kind.to_doc,
        )  # fmt: skip
    # The alias moves even when some documents failed: they stay pending and the next sync
    # sends them through the alias, i.e. into this new index.
    swap_alias(es, names, previous, index)
    kind.mark_synced(store, accepted)
    report.left = sorted(i for i in existing.values() if i != index)
    if report.left:
        report.warnings.append(
            "The old index versions still hold documents; delete them when the new one is "
            "checked (DELETE /" + ",".join(report.left) + ")."
        )
