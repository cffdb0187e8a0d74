"""The store's schema as an ordered list of migrations; `migrate` brings any database up to date.

Each migration runs once, in a transaction, and bumps `PRAGMA user_version`. Never edit a
released migration: add a new one.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable

from .errors import PressnewsError


def _dates_never_invented(conn: sqlite3.Connection) -> None:
    """2: `date` is published, else the event date, else NULL (it was the day first seen);
    the exported article gains `first_seen`. Every row is queued for the next Elasticsearch
    sync, whose documents gain `first_seen` and `year`."""
    undated = [
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM articles WHERE published IS NULL AND event_date IS NULL"
        )
    ]
    conn.executemany("UPDATE articles SET date = NULL WHERE rowid = ?", [(r,) for r in undated])
    for rowid in undated:
        row = conn.execute("SELECT tags FROM articles_fts WHERE rowid = ?", (rowid,)).fetchone()
        if row is not None:
            tags = re.sub(r"\s*\bzy\d{4}\b", "", row[0]).strip()
            conn.execute("UPDATE articles_fts SET tags = ? WHERE rowid = ?", (tags, rowid))
    conn.execute(
        "UPDATE article_docs SET data = json_set(data, '$.date', "
        "(SELECT a.date FROM articles a WHERE a.rowid = article_docs.rowid), '$.first_seen', "
        "(SELECT a.first_seen FROM articles a WHERE a.rowid = article_docs.rowid))"
    )
    seq = int((conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone() or ["0"])[0])
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
    conn.execute("UPDATE articles SET seq = ? + rowid", (seq,))
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('seq', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(seq + top),),
    )


def _events_sync_checkpoint(conn: sqlite3.Connection) -> None:
    """Elasticsearch sync of the training events (indexer/elastic/events_sync.py).

    events.seq: bumped (from the counter `meta.events_change_seq`) whenever an event's data
    changes (`indexer.events.stamp_event_changes`, run at the end of every recompute);
    events.es_seq: the seq Elasticsearch last accepted; events.data_hash: sha1 of the data last
    stamped. event_deletions: ids of events that left the store (merged into another, or no
    longer a training), with the seq they left at, until Elasticsearch confirms the delete.
    Existing events are all queued for the next sync."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    for name, decl in (
        ("seq", "INTEGER NOT NULL DEFAULT 0"),
        ("es_seq", "INTEGER NOT NULL DEFAULT 0"),
        ("data_hash", "TEXT NOT NULL DEFAULT ''"),
    ):
        if name not in cols:
            conn.execute(f"ALTER TABLE events ADD COLUMN {name} {decl}")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS event_deletions (id TEXT PRIMARY KEY, seq INTEGER NOT NULL)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS events_pending ON events(seq, es_seq)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'events_change_seq'").fetchone()
    seq = int(row[0]) if row else 0
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM events").fetchone()[0]
    conn.execute("UPDATE events SET seq = ? + rowid WHERE seq = 0", (seq,))
    conn.executemany(
        "UPDATE events SET data_hash = ? WHERE rowid = ?",
        [
            (hashlib.sha1(data.encode("utf-8")).hexdigest(), rowid)
            for rowid, data in conn.execute("SELECT rowid, data FROM events").fetchall()
        ],
    )
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('events_change_seq', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(seq + top),),
    )


def _adjacency_by_phrases(conn: sqlite3.Connection) -> None:
    """The `pairs` column of articles_fts (syllable bigrams for the "words adjacent" ranking
    tier, 85% of the index's write cost) is left empty by a store created from here on, whose
    searches find adjacent words with FTS5 phrase queries instead (meta `fts_pairs` = 0). A
    store that already holds articles keeps writing and querying bigrams (`fts_pairs` = 1), so
    all its rows stay alike; `pressnews` reads the key once when it opens the store."""
    has_rows = conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('fts_pairs', ?) ON CONFLICT(key) DO NOTHING",
        ("1" if has_rows else "0",),
    )


def _band_fingerprints(conn: sqlite3.Connection) -> None:
    """A write finds its near-duplicate candidates' fingerprints in the band index itself
    instead of joining every candidate's article row (~60 us of a 0.3 ms write at 100,000
    articles, more as bands fill). Bands written before have none: their articles' rows are
    read, as before. (Idempotent: a test replays migrations over a current schema.)"""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(dedup_bands)")}
    if "fingerprint" not in columns:
        conn.execute("ALTER TABLE dedup_bands ADD COLUMN fingerprint INTEGER")


MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    # 1: articles (slim rows + JSON documents), raw pages, full-text index, near-duplicate bands,
    # crawl state, runs.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        published TEXT,
        event_date TEXT,
        date TEXT,
        province TEXT,
        province_now TEXT,
        relevant INTEGER NOT NULL DEFAULT 0,
        duplicate_of TEXT,
        speakers_key TEXT NOT NULL DEFAULT '',
        decrees_key TEXT NOT NULL DEFAULT '',
        fingerprint INTEGER,
        speakers TEXT NOT NULL DEFAULT '[]',
        decrees TEXT NOT NULL DEFAULT '[]',
        body_len INTEGER NOT NULL DEFAULT 0,
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        seq INTEGER NOT NULL,
        es_seq INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_date ON articles(date);
    CREATE INDEX articles_province ON articles(province);
    CREATE INDEX articles_province_now ON articles(province_now);
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_seq ON articles(seq);
    CREATE INDEX articles_dup ON articles(duplicate_of);
    -- The exported article (JSON), apart from the slim rows that searches scan and join.
    CREATE TABLE article_docs (rowid INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE raw_pages (
        article_id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        fetched_at TEXT NOT NULL,
        extractor_version TEXT NOT NULL
    );
    -- tags: filter tokens (zrel: judged relevant; zp<province>: province and 2025 unit),
    -- weighted 0 in ranking, so common filters are part of the full-text match.
    -- pairs: adjacent-syllable bigrams of title and body ("phatngon"), weighted 0: the
    -- "words adjacent" ranking tier without phrase scans over very common syllables.
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, extra, tags, pairs,
        tokenize = 'unicode61 remove_diacritics 0'
    );
    CREATE TABLE dedup_bands (
        band TEXT NOT NULL,
        article_id TEXT NOT NULL,
        PRIMARY KEY (band, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE crawl_state (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        article_id TEXT,
        status INTEGER,
        etag TEXT,
        last_modified TEXT,
        sitemap_lastmod TEXT,
        fetched_at TEXT NOT NULL
    );
    CREATE INDEX crawl_state_source ON crawl_state(source);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE run_sources (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        source TEXT NOT NULL,
        pages INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        not_modified INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '{}',
        quality TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (run_id, source)
    );
    """,
    _dates_never_invented,
    # 3: corrections a user made to an article's values, kept apart from what extraction found
    # and applied on top of it every time the article is written (see indexer/corrections.py).
    # action: 'set' or 'remove'; value: as given (normalised), NULL for a remove of the whole
    # field; extracted: the field's values as extraction last gave them (JSON), refreshed on
    # every write of the article; undone: when `pressnews correct --undo` undid it, else NULL.
    """
    CREATE TABLE IF NOT EXISTS corrections (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        field TEXT NOT NULL,
        action TEXT NOT NULL,
        value TEXT,
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        undone TEXT,
        extracted TEXT
    );
    CREATE INDEX IF NOT EXISTS corrections_article ON corrections(article_id);
    """,
    # evidence: where each extracted and enriched value of an article came from (JSON list of
    # `indexer.model.Evidence`), written with the article by every upsert that carries it
    # (crawl, reprocess) and kept by writes that do not (corrections); `pressnews show --why`,
    # `export --evidence` and the Elasticsearch document read it. Not part of the article.
    """
    CREATE TABLE IF NOT EXISTS article_evidence (
        article_id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    """,
    # Training events (the reports of one training grouped) and the trainer registry, derived
    # from the articles by crawler/events after every crawl and reprocess (indexer/events.py).
    # events.data: the event as JSON (indexer/event_model.Event); created: the order events were
    # created in (the oldest id survives a merge); event_reports: which event each relevant
    # article reports; event_aliases: ids merged into another event, answering with it.
    """
    CREATE TABLE IF NOT EXISTS events (
        id TEXT PRIMARY KEY,
        province_now TEXT,
        date TEXT,
        created INTEGER NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS events_date ON events(date);
    CREATE INDEX IF NOT EXISTS events_province_now ON events(province_now);
    CREATE TABLE IF NOT EXISTS event_reports (
        article_id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS event_reports_event ON event_reports(event_id);
    CREATE TABLE IF NOT EXISTS event_aliases (
        alias TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS trainers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        trainings INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL
    );
    """,
    # page history and coverage (indexer/history.py, indexer/coverage.py).
    # article_versions: an earlier version of a page that changed (its raw page, zlib as in
    # raw_pages, and the article extracted from it, JSON), with when it was fetched and when a
    # changed page replaced it. removals: an article whose page answered 404/410 or left its
    # site (reason), on `removed` (a date); `restored` when the page answered again.
    # source_coverage: what one run reached per source: pages fetched and failed, listing
    # depth (deepest pager page), whether the archive was walked to its end (else `stopped`
    # says why), the oldest and newest article dates seen, the source's province hint.
    """
    CREATE TABLE IF NOT EXISTS article_versions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        url TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        fetched_at TEXT NOT NULL,
        superseded TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS article_versions_article ON article_versions(article_id);
    CREATE TABLE IF NOT EXISTS removals (
        article_id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        removed TEXT NOT NULL,
        reason TEXT NOT NULL,
        restored TEXT
    );
    CREATE TABLE IF NOT EXISTS source_coverage (
        run_id INTEGER NOT NULL,
        source TEXT NOT NULL,
        province TEXT,
        pages INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        listing_depth INTEGER NOT NULL DEFAULT 0,
        walked_to_end INTEGER NOT NULL DEFAULT 0,
        stopped TEXT NOT NULL DEFAULT '',
        oldest TEXT,
        newest TEXT,
        PRIMARY KEY (run_id, source)
    );
    """,
    # Elasticsearch sync of the training events: events.seq/es_seq/data_hash and
    # event_deletions (see `_events_sync_checkpoint`).
    _events_sync_checkpoint,
    # The crawl frontier (focused crawling, resumable walks): every link a crawl decided to
    # fetch (`pending` until its page is processed, then `done`), or skipped in budget mode
    # (`skipped`, fetched a budget at a time by later runs), or refused by the per-source cap
    # (`pending`, reason `cap`); `kind` is `article`, `listing` or `postback` (`data`: the
    # postback's target and argument as JSON); `score` is the link's focus score.
    """
    CREATE TABLE IF NOT EXISTS frontier (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        score REAL NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '',
        data TEXT,
        discovered TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS frontier_source_state ON frontier(source, state, score);
    """,
    # documents: attached files (plans, reports, decisions, official letters) fetched from
    # articles and document listings: the original bytes (zlib) with headers and validators,
    # the text read from them (format, flags such as "scanned-not-read", legacy font), what
    # was understood (extracted JSON: type, symbol, issuer, date, signer, planned/held
    # trainings, totals, spokespeople, evidence) and the pages that link to them (referrers).
    # documents_fts: the same folded columns and filter tags as articles_fts, for search.
    """
    CREATE TABLE IF NOT EXISTS documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        referrers TEXT NOT NULL DEFAULT '[]',
        link_title TEXT,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL DEFAULT '{}',
        body BLOB NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        first_seen TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        format TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL DEFAULT 'other',
        symbol TEXT,
        title TEXT,
        date TEXT,
        province TEXT,
        province_now TEXT,
        extracted TEXT NOT NULL DEFAULT '{}',
        reader_version TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS documents_type ON documents(type);
    CREATE INDEX IF NOT EXISTS documents_province ON documents(province);
    CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
    CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
        title, body, extra, tags, pairs,
        tokenize = 'unicode61 remove_diacritics 0'
    );
    """,
    # New stores find adjacent words by phrase queries and leave the bigram column empty (see
    # the function); stores with articles keep their bigrams.
    _adjacency_by_phrases,
    # The fingerprint beside each near-duplicate band (see the function).
    _band_fingerprints,
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(PressnewsError, RuntimeError):
    pass


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the missing migrations; return the version the database is at."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database is at schema {version}, newer than this pressnews ({SCHEMA_VERSION}): "
            "upgrade pressnews"
        )
    for number in range(version, SCHEMA_VERSION):
        step = MIGRATIONS[number]
        try:
            if callable(step):
                conn.execute("BEGIN")
                step(conn)
                conn.execute(f"PRAGMA user_version = {number + 1}")
                conn.execute("COMMIT")
            else:
                conn.executescript("BEGIN;" + step + f"PRAGMA user_version = {number + 1}; COMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION
