"""The store's schema as an ordered list of migrations; `migrate` brings any database up to date.

Each migration runs once, in a transaction, and bumps `PRAGMA user_version`. Never edit a
released migration: add a new one.
"""

from __future__ import annotations

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
