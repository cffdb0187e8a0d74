"""Training events and trainers in the store: how they are written (with stable ids) and read.

Reading (what the CLI, the exports and the reports use):
- `list_events(store, EventQuery)`: events, newest first, filtered with the search semantics of
  articles (docs/interfaces.md): words (diacritics, variants, phrases) match the event's reports,
  `province` takes any spelling and a 2025 unit finds the old units merged into it, `speaker`
  and `decree` match as in `pressnews search`, `date_from`/`date_to` on the event's date.
- `get_event(store, id)`: one event by id, following an alias (an id merged into another);
  `iter_events(store)`: every event.
- `list_trainers(store, TrainerQuery)`, `get_trainer(store, id)`, `iter_trainers(store)`.

Writing (`crawler.events.recompute` calls these after a crawl and after `pressnews reprocess`):
- `replace_events(store, scope, groups, build)`: the events of some provinces recomputed; ids
  are kept by `assign_ids`: an event keeps its id when reports join or leave it; when groups
  merge, the oldest id survives and the others become aliases; when an event splits, its id
  stays with the larger part; a new event's id comes from its first report.
- `replace_trainers(store, trainers)`.
- `stamp_event_changes(store)`: at the end of a recompute, a new `seq` for every event whose
  data changed; events removed by `replace_events` leave a record in `event_deletions`.

The Elasticsearch checkpoint (`indexer/elastic/events_sync.py` reads and marks it):
`pending_event_sync`, `mark_events_synced`, `pending_event_deletions`,
`mark_event_deletions_done`, `count_pending_event_sync`, `reset_event_sync`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vnlang.text import fold

from .errors import PressnewsError
from .event_model import Event, Trainer
from .query import Query, QueryError
from .sqlite_search import SqliteSearch, province_units
from .store import Store, now_iso


class UnknownRecord(PressnewsError, LookupError):
    """No event or trainer with that id."""


# -- ids ------------------------------------------------------------------------------------------
@dataclass
class IdAssignment:
    ids: list[str]  # one per new group, in order
    aliases: dict[str, str] = field(default_factory=dict)  # merged id -> surviving id
    dropped: list[str] = field(default_factory=list)  # old ids whose reports all left


def assign_ids(
    old: dict[str, set[str]],
    created: dict[str, int],
    groups: list[list[str]],
    new_id: Callable[[list[str]], str],
    taken: set[str] = frozenset(),  # type: ignore[assignment]
) -> IdAssignment:
    """Stable ids for recomputed groups (pure).

    `old`: each old event's reports; `created`: the order old events were created in (lower is
    older); `groups`: the new groups; `new_id(group)`: a fresh id for a new event; `taken`: ids
    in use elsewhere (other provinces, aliases) that a fresh id must avoid.

    Each old id goes with the new group holding most of its reports (a split keeps the id on the
    larger part; ties go to the group with its earliest report). A group given several old ids
    keeps the oldest; the others become its aliases. A group given none gets a fresh id."""
    report_group = {r: n for n, g in enumerate(groups) for r in g}
    claims: dict[int, list[str]] = {}
    dropped: list[str] = []
    for oid, reports in old.items():
        counts: dict[int, int] = {}
        for r in reports:
            if r in report_group:
                counts[report_group[r]] = counts.get(report_group[r], 0) + 1
        if not counts:
            dropped.append(oid)
            continue
        best = max(counts, key=lambda n: (counts[n], -n))
        claims.setdefault(best, []).append(oid)
    ids: list[str] = []
    aliases: dict[str, str] = {}
    used = set(taken) | set(old)
    for n, g in enumerate(groups):
        owners = sorted(claims.get(n, []), key=lambda i: (created.get(i, 1 << 60), i))
        if owners:
            ids.append(owners[0])
            for other in owners[1:]:
                aliases[other] = owners[0]
            continue
        fresh = new_id(g)
        k = 1
        while fresh in used:
            fresh = f"{new_id(g)}-{k}"
            k += 1
        used.add(fresh)
        ids.append(fresh)
    return IdAssignment(ids, aliases, dropped)


# -- writing -----------------------------------------------------------------------------------
@dataclass
class RecomputeReport:
    events: int = 0  # events in the recomputed provinces
    new: int = 0
    merged: int = 0  # ids that became aliases
    dropped: int = 0
    provinces: int = 0


def changed_articles(store: Store, since_seq: int) -> list[tuple[str, str | None]]:
    """(id, province_now) of every article written after `since_seq`."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            "SELECT id, province_now FROM articles WHERE seq > ?", (since_seq,)
        )
    ]


def event_provinces_of(store: Store, article_ids: Iterable[str]) -> set[str | None]:
    """The 2025 units of the events these articles belong to now."""
    ids = list(article_ids)
    out: set[str | None] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out |= {
            r[0]
            for r in store.conn.execute(
                f"SELECT e.province_now FROM event_reports er JOIN events e ON e.id = er.event_id "
                f"WHERE er.article_id IN ({marks})",
                chunk,
            )
        }
    return out


def relevant_articles(store: Store, provinces: set[str | None] | None) -> Iterator[dict[str, Any]]:
    """The relevant articles (exported form) of these 2025 units (None in the set: those with
    no province; `provinces` None: all), in stored order."""
    sql = (
        "SELECT d.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid "
        "WHERE a.relevant = 1"
    )
    for (data,) in store.conn.execute(sql + " ORDER BY a.rowid"):
        doc = json.loads(data)
        if provinces is None or doc.get("province_now") in provinces:
            yield doc


def current_seq(store: Store) -> int:
    return int(store.get_meta("seq", "0") or 0)


def events_seq(store: Store) -> int | None:
    """The article sequence number the events were last computed at (None: never)."""
    value = store.get_meta("events_seq")
    return int(value) if value is not None else None


def replace_events(
    store: Store,
    scope: set[str | None] | None,
    groups: list[list[str]],
    build: Callable[[str, list[str]], Event],
    seq: int,
) -> RecomputeReport:
    """Replace the events of the provinces in `scope` (None: all) by `groups` (article ids),
    keeping ids stable (`assign_ids`); `build(id, group)` makes each event. Records `seq` as the
    article sequence number the events now reflect. One transaction."""
    report = RecomputeReport(provinces=len(scope) if scope is not None else 0)
    conn = store.conn
    with store.transaction():
        rows = conn.execute("SELECT id, province_now, created FROM events").fetchall()
        in_scope = [r for r in rows if scope is None or r["province_now"] in scope]
        grouped = {r for g in groups for r in g}
        scope_ids = [r["id"] for r in in_scope]
        old: dict[str, set[str]] = {i: set() for i in scope_ids}
        for eid, aid in conn.execute(
            "SELECT event_id, article_id FROM event_reports WHERE event_id IN "
            "(SELECT value FROM json_each(?))",
            (json.dumps(scope_ids),),
        ):
            old[eid].add(aid)
        created = {r["id"]: r["created"] for r in in_scope}
        taken = {r["id"] for r in rows} | {
            r[0] for r in conn.execute("SELECT alias FROM event_aliases")
        }
        from_first = _first_report_ids(groups)
        result = assign_ids(old, created, groups, from_first, taken)
        conn.execute(
            "DELETE FROM event_reports WHERE event_id IN (SELECT value FROM json_each(?))",
            (json.dumps(scope_ids),),
        )
        conn.execute(
            "DELETE FROM event_reports WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(grouped)),),
        )
        survivors = set(result.ids)
        for eid in scope_ids:
            if eid not in survivors:
                conn.execute("DELETE FROM events WHERE id = ?", (eid,))
                # Elasticsearch must forget it too (the next `pressnews index` deletes it).
                conn.execute(
                    "INSERT INTO event_deletions(id, seq) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq",
                    (eid, _next_change_seq(store)),
                )
        next_created = int(
            conn.execute("SELECT coalesce(max(created), 0) FROM events").fetchone()[0]
        )
        now = now_iso()
        for alias, survivor in result.aliases.items():
            conn.execute(
                "INSERT INTO event_aliases(alias, event_id, created) VALUES (?, ?, ?) "
                "ON CONFLICT(alias) DO UPDATE SET event_id = excluded.event_id",
                (alias, survivor, now),
            )
            # Aliases of the merged id now answer with the survivor too.
            conn.execute(
                "UPDATE event_aliases SET event_id = ? WHERE event_id = ?", (survivor, alias)
            )
        for eid in result.dropped:
            conn.execute("DELETE FROM event_aliases WHERE event_id = ?", (eid,))
        for eid, g in zip(result.ids, groups, strict=True):
            ev = build(eid, g)
            ev.aliases = [
                r[0]
                for r in conn.execute(
                    "SELECT alias FROM event_aliases WHERE event_id = ? ORDER BY alias", (eid,)
                )
            ]
            known = created.get(eid)
            if known is None:
                next_created += 1
                known = next_created
                report.new += 1
            conn.execute(
                "INSERT INTO events(id, province_now, date, created, data, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "province_now = excluded.province_now, date = excluded.date, "
                "data = excluded.data, updated_at = excluded.updated_at",
                (eid, ev.province_now, ev.date, known, _dump(ev.to_dict()), now),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO event_reports(article_id, event_id) VALUES (?, ?)",
                [(aid, eid) for aid in g],
            )
        store.set_meta("events_seq", str(seq))
        report.events = len(groups)
        report.merged = len(result.aliases)
        report.dropped = len(result.dropped)
    return report


def _next_change_seq(store: Store) -> int:
    """The next number of the events' change counter (`meta.events_change_seq`)."""
    seq = int(store.get_meta("events_change_seq", "0") or 0) + 1
    store.set_meta("events_change_seq", str(seq))
    return seq


def _hash(data: str) -> str:
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


def stamp_event_changes(store: Store) -> int:
    """Give a new `seq` to every event whose data changed since it was last stamped (so the
    Elasticsearch sync sends it again); drop deletion records of ids that exist again. Run at
    the end of every recompute, once the events are complete (trainer ids included), so an
    event rewritten with the same data is not sent again. Returns how many events changed."""
    changed = 0
    with store.transaction():
        rows = store.conn.execute("SELECT id, data, data_hash FROM events").fetchall()
        for eid, data, old in rows:
            new = _hash(data)
            if new != old:
                store.conn.execute(
                    "UPDATE events SET seq = ?, data_hash = ? WHERE id = ?",
                    (_next_change_seq(store), new, eid),
                )
                changed += 1
        store.conn.execute("DELETE FROM event_deletions WHERE id IN (SELECT id FROM events)")
    return changed


# -- the Elasticsearch checkpoint (indexer/elastic/events_sync.py) -----------------------------
def pending_event_sync(store: Store) -> list[tuple[str, int, Event]]:
    """(id, seq, event) of every event changed since Elasticsearch last accepted it."""
    return [
        (eid, seq, Event.from_dict(json.loads(data)))
        for eid, seq, data in store.conn.execute(
            "SELECT id, seq, data FROM events WHERE seq > es_seq ORDER BY seq"
        ).fetchall()
    ]


def count_pending_event_sync(store: Store) -> int:
    """Events to send plus deletions to send."""
    sent = store.conn.execute("SELECT count(*) FROM events WHERE seq > es_seq").fetchone()[0]
    return sent + len(pending_event_deletions(store))


def mark_events_synced(store: Store, accepted: list[tuple[str, int]]) -> None:
    """Record that Elasticsearch accepted these (id, seq) versions."""
    with store.transaction():
        store.conn.executemany(
            "UPDATE events SET es_seq = max(es_seq, ?) WHERE id = ?",
            [(seq, eid) for eid, seq in accepted],
        )


def pending_event_deletions(store: Store) -> list[tuple[str, int]]:
    """(id, seq) of events that left the store and may still be in Elasticsearch."""
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            "SELECT id, seq FROM event_deletions WHERE id NOT IN (SELECT id FROM events) "
            "ORDER BY seq"
        )
    ]


def mark_event_deletions_done(store: Store, done: list[tuple[str, int]]) -> None:
    """Forget deletions Elasticsearch carried out (or had nothing to delete for), unless the
    id left again since (a newer seq)."""
    with store.transaction():
        store.conn.executemany(
            "DELETE FROM event_deletions WHERE id = ? AND seq <= ?", [(i, s) for i, s in done]
        )


def reset_event_sync(store: Store) -> None:
    """Forget what Elasticsearch holds (a rebuild sends every event to an empty index, so
    nothing is left there to delete)."""
    with store.transaction():
        store.conn.execute("UPDATE events SET es_seq = 0")
        store.conn.execute("DELETE FROM event_deletions")


def _first_report_ids(groups: list[list[str]]) -> Callable[[list[str]], str]:
    import hashlib

    def new_id(group: list[str]) -> str:
        return "ev-" + hashlib.sha1(group[0].encode()).hexdigest()[:10]

    return new_id


def update_events(store: Store, events: list[Event]) -> None:
    """Write these events' data again (same ids), e.g. with their trainers' registry ids."""
    with store.transaction():
        store.conn.executemany(
            "UPDATE events SET data = ? WHERE id = ?",
            [(_dump(ev.to_dict()), ev.id) for ev in events],
        )


def replace_trainers(store: Store, trainers: list[Trainer]) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM trainers")
        store.conn.executemany(
            "INSERT INTO trainers(id, name, trainings, data) VALUES (?, ?, ?, ?)",
            [(t.id, t.name, len(t.events), _dump(t.to_dict())) for t in trainers],
        )


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- reading -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventQuery:
    text: str = ""
    province: str | None = None
    province_exact: bool = False
    speaker: str | None = None
    decree: str | None = None
    date_from: str | None = None  # ISO, inclusive, on the event's date
    date_to: str | None = None
    limit: int | None = None


def iter_events(store: Store) -> Iterator[Event]:
    """Every event, newest first (undated last)."""
    for (data,) in store.conn.execute(
        "SELECT data FROM events ORDER BY date IS NULL, date DESC, id"
    ):
        yield Event.from_dict(json.loads(data))


def resolve_event_id(store: Store, key: str) -> str | None:
    """The id of the event `key` names: itself, or the survivor of a merge it was part of."""
    if store.conn.execute("SELECT 1 FROM events WHERE id = ?", (key,)).fetchone():
        return key
    row = store.conn.execute(
        "SELECT event_id FROM event_aliases WHERE alias = ?", (key,)
    ).fetchone()
    return row[0] if row else None


def get_event(store: Store, key: str) -> Event | None:
    """The event with id `key` (following an alias), or None."""
    eid = resolve_event_id(store, key)
    if eid is None:
        return None
    row = store.conn.execute("SELECT data FROM events WHERE id = ?", (eid,)).fetchone()
    return Event.from_dict(json.loads(row[0])) if row else None


def event_of_article(store: Store, article_id: str) -> str | None:
    row = store.conn.execute(
        "SELECT event_id FROM event_reports WHERE article_id = ?", (article_id,)
    ).fetchone()
    return row[0] if row else None


def _ids_matching_articles(store: Store, q: EventQuery) -> set[str] | None:
    """Events with a report matching the words, speaker and document filters (None: no such
    filter). The article search decides, so the semantics are those of `pressnews search`."""
    if not (q.text.strip() or q.speaker is not None or q.decree is not None):
        return None
    search = SqliteSearch(store)
    aq = Query(text=q.text, speaker=q.speaker, decree=q.decree, include_all=True, limit=1_000_000)
    if q.text.strip():
        article_ids = [h.article["id"] for h in search.search(aq).hits]
    else:
        where, args = search._filters(aq, relevant_only=False)
        article_ids = [
            r[0]
            for r in store.conn.execute(
                f"SELECT a.id FROM articles a WHERE {' AND '.join(where)}", args
            )
        ]
    out: set[str] = set()
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        out |= {
            r[0]
            for r in store.conn.execute(
                f"SELECT event_id FROM event_reports WHERE article_id IN ({marks})", chunk
            )
        }
    return out


def list_events(store: Store, q: EventQuery) -> list[Event]:
    """Events matching the query, newest first (see the module docstring)."""
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise QueryError("the date range is empty: --from is after --to")
    units = set(province_units(q.province, q.province_exact)) if q.province else None
    wanted = _ids_matching_articles(store, q)
    out: list[Event] = []
    for ev in iter_events(store):
        if wanted is not None and ev.id not in wanted:
            continue
        if units is not None and ev.province not in units:
            continue
        d = ev.date
        if q.date_from and (not d or d < q.date_from):
            continue
        if q.date_to and (not d or d[:10] > q.date_to):
            continue
        out.append(ev)
        if q.limit and len(out) >= q.limit:
            break
    return out


@dataclass(frozen=True)
class TrainerQuery:
    province: str | None = None  # trained in this province (any spelling; 2025 units widen)
    date_from: str | None = None
    date_to: str | None = None
    org: str | None = None  # words of the organisation or a role ("Cục Thông tin đối ngoại")
    name: str | None = None  # consecutive name words, as `--speaker`
    limit: int | None = None


def iter_trainers(store: Store) -> Iterator[Trainer]:
    for (data,) in store.conn.execute("SELECT data FROM trainers ORDER BY trainings DESC, name"):
        yield Trainer.from_dict(json.loads(data))


def get_trainer(store: Store, key: str) -> Trainer | None:
    row = store.conn.execute("SELECT data FROM trainers WHERE id = ?", (key,)).fetchone()
    return Trainer.from_dict(json.loads(row[0])) if row else None


def _padded(text: str) -> str:
    """Folded words between spaces: "consecutive words" is then a substring test."""
    return " " + " ".join(re.findall(r"\w+", fold(text))) + " "


def list_trainers(store: Store, q: TrainerQuery) -> list[Trainer]:
    """Trainers by number of trainings (within the filters), most first. With filters, each
    trainer's `events` are only the matching ones."""
    units = set(province_units(q.province, False)) if q.province else None
    org = _padded(q.org) if q.org and q.org.strip() else None
    name = _padded(q.name) if q.name and q.name.strip() else None
    out: list[Trainer] = []
    for t in iter_trainers(store):
        if org and not any(
            org in _padded(text) for text in [t.organisation or "", *(r.role for r in t.roles)]
        ):
            continue
        if name and name not in _padded(t.name):
            continue
        events = [
            e
            for e in t.events
            if (units is None or e.province in units)
            and (not q.date_from or (e.date and e.date >= q.date_from))
            and (not q.date_to or (e.date and e.date[:10] <= q.date_to))
        ]
        if not events:
            continue
        if len(events) != len(t.events):
            t.events = events
            t.provinces = list(dict.fromkeys(e.province for e in events if e.province))
        out.append(t)
    out.sort(key=lambda t: (-len(t.events), fold(t.name)))
    return out[: q.limit] if q.limit else out


def count_events(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
