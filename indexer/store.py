"""The system of record: an embedded SQLite database holding articles, raw pages and crawl facts.

Articles are upserted by their stable id, so a re-crawl updates rather than duplicates. Every
change bumps a sequence number that the Elasticsearch sync uses as its checkpoint. The raw page
is kept (zlib-compressed) with the extractor version, so `pressnews reprocess` can re-extract
without fetching. The FTS5 index holds folded text (see `vnlang.text.fold`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from vnlang import fingerprint as dedup

from . import corrections, history
from .errors import PressnewsError
from .fts import IndexFields, index_fields, pairs_text
from .model import Article, Evidence
from .schema import SCHEMA_VERSION, SchemaTooNew, migrate

UpsertOutcome = Literal["new", "updated", "unchanged"]


class StoreError(PressnewsError, RuntimeError):
    """The database cannot be opened or used; the message is one line for the user."""


# Tables every pressnews database has (schema 1 on); a SQLite file without them is not ours.
_PRESSNEWS_TABLES = frozenset({"meta", "articles", "article_docs", "raw_pages", "runs"})
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class RawPage:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    extractor_version: str


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _refuse_foreign(conn: sqlite3.Connection, path: str) -> None:
    """A SQLite database of another program (tables, but none of ours) is never written to."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and tables and not tables >= _PRESSNEWS_TABLES:
        raise StoreError(f"{path} is a SQLite database but not a pressnews one: left untouched")


def _connect_readonly(path: Path, existing: set[str]) -> sqlite3.Connection:
    uri = path.as_uri() + "?mode=ro"
    if not existing and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        # No writer is in (a writer keeps a -wal file), and the -wal/-shm files a reader of a
        # WAL database needs could not be removed again (or not even created): read the file
        # as it is, without them.
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def _check_readable_schema(conn: sqlite3.Connection, shown: str) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables >= _PRESSNEWS_TABLES:
        raise StoreError(
            f"{shown} is not a pressnews database (no pressnews tables): left untouched"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database is at schema {version}, newer than this pressnews ({SCHEMA_VERSION}): "
            "upgrade pressnews"
        )
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{shown} is at schema {version}, older than this pressnews ({SCHEMA_VERSION}); "
            f"a read-only command does not migrate it: run `pressnews reprocess --db {shown}` "
            "(or any command that writes, such as `pressnews crawl`) first"
        )
    for table, expected in _expected_columns().items():
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if not columns >= expected:
            missing = ", ".join(sorted(expected - columns))
            raise StoreError(
                f"{shown} is damaged: table {table} lacks column(s) {missing}; "
                "restore it from a backup, or crawl into a new database"
            )


@dataclass(frozen=True)
class _Schema:
    """The current schema as the migrations make it, read once from a fresh in-memory database."""

    columns: dict[str, frozenset[str]]  # each ordinary table's columns
    text_columns: dict[str, tuple[str, ...]]  # its TEXT columns (BLOBs such as raw pages apart)
    sql: dict[str, str]  # each table's and index's CREATE statement, spaces collapsed


@functools.cache
def _fresh_schema() -> _Schema:
    conn = sqlite3.connect(":memory:")
    try:
        migrate(conn)
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                " AND name NOT LIKE 'articles_fts_%' AND name NOT LIKE 'documents_fts_%'"
            )
        ]
        info = {t: conn.execute(f"PRAGMA table_info({t})").fetchall() for t in tables}
        sql = {
            name: " ".join(text.split())
            for name, text in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            )
        }
    finally:
        conn.close()
    return _Schema(
        columns={t: frozenset(r[1] for r in rows) for t, rows in info.items()},
        text_columns={t: tuple(r[1] for r in rows if r[2] == "TEXT") for t, rows in info.items()},
        sql=sql,
    )


def _expected_columns() -> dict[str, frozenset[str]]:
    """Each table's columns at the current schema, as the migrations make them."""
    return _fresh_schema().columns


def _expected_schema() -> dict[str, str]:
    """Each table's and index's CREATE statement at the current schema, spaces collapsed."""
    return _fresh_schema().sql


def _text_columns() -> dict[str, tuple[str, ...]]:
    """Each table's TEXT columns at the current schema (BLOBs such as raw page bodies apart)."""
    return _fresh_schema().text_columns


def _one_line(text: object, limit: int = 200) -> str:
    if isinstance(text, UnicodeDecodeError):  # sqlite3 decoding its own message: bad schema
        return "its schema is damaged (text that is not UTF-8)"
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


# Columns holding JSON, and the keys every exported article document has.
_JSON_COLUMNS = {
    "articles": ("speakers", "decrees"),
    "article_docs": ("data",),
    "runs": ("summary",),
    "run_sources": ("errors", "quality"),
    "corrections": ("extracted",),
    "article_evidence": ("data",),
    "events": ("data",),
    "trainers": ("data",),
    "article_versions": ("data",),
    "documents": ("referrers", "headers", "flags", "extracted"),
}
_DOC_KEYS = ("id", "url", "title")


def damage(path: str | Path, exc: BaseException | None = None) -> str | None:
    """What is damaged in the pressnews database at `path`, or None when it looks sound.

    For telling a damaged file (the user's problem: one line) from a bug (a crash report) after
    `exc` was raised while reading it: SQLite's own corruption errors, its quick integrity
    check, text that is not UTF-8 and JSON that is not JSON (pressnews writes neither) count as
    damage. Reads only; meant for the error path (it scans every row)."""
    if isinstance(exc, sqlite3.DatabaseError):
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return _one_line(exc)
    try:
        store = Store.open_readonly(path)
    except StoreError as err:
        return str(err)
    try:
        conn = store.conn
        conn.text_factory = bytes
        for (line,) in conn.execute("PRAGMA quick_check(3)"):
            if line != b"ok":
                return "SQLite integrity check: " + _one_line(line.decode("utf-8", "replace"))
        stored = {
            name.decode("utf-8", "replace"): " ".join(sql.decode("utf-8", "replace").split())
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            )
        }
        for name, sql in _expected_schema().items():
            if stored.get(name) != sql:
                return f"the definition of {name} is not the one pressnews wrote"
        for table, columns in _text_columns().items():
            if not columns:
                continue
            json_cols = _JSON_COLUMNS.get(table, ())
            names = ", ".join(columns)
            for n, row in enumerate(conn.execute(f"SELECT {names} FROM {table}"), 1):
                for column, value in zip(columns, row, strict=True):
                    problem = _value_problem(table, column, value, column in json_cols)
                    if problem:
                        return f"table {table}, row {n}: {problem}"
    except sqlite3.DatabaseError as err:
        return _one_line(err)
    finally:
        store.close()
    return None


def _value_problem(table: str, column: str, value: object, is_json: bool) -> str | None:
    if not isinstance(value, bytes):
        return None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return f"{column} is not UTF-8 text"
    if not is_json:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return f"{column} is not valid JSON"
    if table == "article_docs" and (
        not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in _DOC_KEYS)
    ):
        return f"{column} is not an article document"
    return None


def _remove_side_files(path: Path, existing: set[str]) -> None:
    """Let SQLite remove the `-wal`/`-shm` files a reader created: a connection that may write
    deletes them when it closes as the last one (and leaves them while anyone else is in)."""
    created = [s for s in _SIDE_FILES if s not in existing and Path(f"{path}{s}").exists()]
    if not created:
        return
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=rw", uri=True, timeout=1)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # another process holds the database: it removes the files when it is done


def _signed(fp: int) -> int:
    """A 64-bit fingerprint as SQLite stores it (a signed integer)."""
    return fp - (1 << 64) if fp >= 1 << 63 else fp


def _unsigned(stored: int) -> int:
    """A stored fingerprint as `vnlang.fingerprint` computes it."""
    return stored + (1 << 64) if stored < 0 else stored


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# `json.dumps(x, ensure_ascii=False)` (and with `sort_keys=True`) without building an encoder
# for every call: the same text.
_JSON = json.JSONEncoder(ensure_ascii=False)
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_encode_string = json.encoder.encode_basestring  # (what `_JSON` uses for a string)


@functools.cache
def _insert_sql(columns: tuple[str, ...]) -> str:
    """The INSERT of an article row with these named values (built once, not per article)."""
    return (
        f"INSERT INTO articles({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    )


_HASH_VERSION = "2:"
# The write-ahead log's size, in pages of 4 KiB, at which `upsert_many` checkpoints it.
_BULK_CHECKPOINT_PAGES = 16_384


def _document(a: Article, core: str) -> tuple[str, str]:
    """The stored JSON document of an article (`to_dict`, `duplicate_of` last) and its content
    hash, from `core` (`model.document_core`, computed with the index fields): the document is
    the core with the keys the store sets appended, the hash is of the core, `first_seen` and
    `removed` (what `_content_hash` hashed, from a second, sorted encoding of the whole article;
    stored hashes of that form still compare through `_same_content`)."""
    first_seen, removed = _json_text(a.first_seen), _json_text(a.removed)
    doc = (
        f'{core[:-1]}, "fetched_at": {_json_text(a.fetched_at)}, "first_seen": {first_seen}, '
        f'"removed": {removed}, "duplicate_of": {_json_text(a.duplicate_of)}}}'
    )
    digest = hashlib.sha1(f"{core}\x1f{first_seen}\x1f{removed}".encode()).hexdigest()
    return doc, _HASH_VERSION + digest


def _json_text(value: str | None) -> str:
    """`_JSON.encode` of a string or None, without the encoder's call overhead."""
    return "null" if value is None else _encode_string(value)


def _json_strings(values: list[str]) -> str:
    """`_JSON.encode` of a list of strings, without the encoder's call overhead."""
    return "[" + ", ".join(map(_encode_string, values)) + "]"


def _same_content(stored: str, chash: str, a: Article) -> bool:
    """Is the stored hash that of this article? A hash of the earlier form (no version prefix)
    is compared with `_content_hash` of the article."""
    if stored.startswith(_HASH_VERSION):
        return stored == chash
    return bool(stored) and stored == _content_hash(a.to_dict())


def _content_hash(data: dict[str, Any]) -> str:
    """The content hash as stores wrote it before `_document` (kept to compare with them)."""
    stable = {k: v for k, v in data.items() if k not in ("fetched_at", "duplicate_of")}
    if stable.get("removed") is None:  # (hashes of stores older than page history unchanged)
        stable.pop("removed", None)
    return hashlib.sha1(_HASH_JSON.encode(stable).encode()).hexdigest()


class Store:
    """One SQLite database. Open with `Store.open(path)`; use as a context manager to close."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._readonly_path: Path | None = None  # set by `open_readonly`
        self._side_files_before: set[str] = set()
        self._batch_seq: int | None = None  # the sequence number while `upsert_many` runs
        self._batch_rows: dict[str, sqlite3.Row] | None = None  # its rows, read at once
        # its near-duplicate bands' (article id, fingerprint), read at once, kept up to date
        self._batch_bands: dict[str, list[tuple[str, int | None]]] | None = None
        self._batch_now: str | None = None  # its time (one transaction: one time)
        self._write_pairs: bool | None = None  # `fts_pairs`, read at the first write

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open for writing: create the database (and its folder) if missing, migrate it."""
        path = str(path)
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder for the database {path}: {exc}"
                ) from exc
            if Path(path).expanduser().is_dir():
                raise StoreError(f"{path} is a folder, not a database file")
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {_one_line(exc)}") from exc
        try:
            conn.row_factory = sqlite3.Row
            _refuse_foreign(conn, path)  # before anything is written (the WAL switch included)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: FTS segment merges stay in memory
            migrate(conn)
        except (SchemaTooNew, StoreError) as exc:
            conn.close()
            raise StoreError(str(exc)) from exc
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            # (sqlite3 raises UnicodeDecodeError for an error message that is not UTF-8: a
            # damaged schema)
            conn.close()
            raise StoreError(
                f"{path} is not a usable pressnews database: {_one_line(exc)}"
            ) from exc
        return cls(conn, path)

    @classmethod
    def open_readonly(cls, path: str | Path) -> Store:
        """Open an existing pressnews database for reading only (SQLite `mode=ro`).

        Never creates a file, a folder or a table, never switches the journal mode and never
        migrates: a missing path, a file that is not a pressnews database and a database at an
        older schema are errors that leave the file as it was. SQLite creates the `-wal` and
        `-shm` files of a WAL database even for a reader; when this reader created them, closing
        the store removes them again (SQLite deletes them when its last connection closes)."""
        shown = str(path)
        p = Path(path).expanduser()
        if not p.exists():
            raise StoreError(f"no database at {shown}; run `pressnews crawl` first, or pass --db")
        if p.is_dir():
            raise StoreError(f"{shown} is a folder, not a database file")
        p = p.resolve()
        existing = {suffix for suffix in _SIDE_FILES if Path(f"{p}{suffix}").exists()}
        conn: sqlite3.Connection | None = None
        failure: StoreError | None = None
        try:
            conn = _connect_readonly(p, existing)
            _check_readable_schema(conn, shown)
        except StoreError as exc:
            failure = exc
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            failure = StoreError(f"{shown} is not a usable pressnews database: {_one_line(exc)}")
        if failure is not None:
            # Here, outside the handler: no traceback keeps a statement (and so the
            # connection) alive, and SQLite can remove the side files it created.
            if conn is not None:
                conn.close()
            _remove_side_files(p, existing)
            raise failure
        assert conn is not None
        store = cls(conn, shown)
        store._readonly_path = p
        store._side_files_before = existing
        return store

    @property
    def writes_pairs(self) -> bool:
        """Whether this store's full-text rows carry syllable bigrams (meta `fts_pairs`, see
        `indexer.schema`): stores created before the phrase-query adjacency tier do."""
        if self._write_pairs is None:
            self._write_pairs = self.get_meta("fts_pairs") == "1"
        return self._write_pairs

    @property
    def readonly(self) -> bool:
        return self._readonly_path is not None

    def close(self) -> None:
        self.conn.close()
        if self._readonly_path is not None:
            _remove_side_files(self._readonly_path, self._side_files_before)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes; nested use joins the outer transaction."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _next_seq(self) -> int:
        if self._batch_seq is not None:  # written back once by `upsert_many`
            self._batch_seq += 1
            return self._batch_seq
        seq = int(self.get_meta("seq", "0") or 0) + 1
        self.set_meta("seq", str(seq))
        return seq

    # -- articles -----------------------------------------------------------------------------
    def upsert(
        self, article: Article, raw: RawPage | None = None, fields: IndexFields | None = None
    ) -> UpsertOutcome:
        """Insert or update one article (and its raw page) atomically.

        The article's corrections (`indexer.corrections`) are applied to it first (in place),
        so a re-crawl or a reprocess never undoes them. `fields` is `index_fields(article)` when
        the caller computed it already (derived again when a correction changed the article)."""
        with self.transaction():
            corrected = corrections.apply_stored(self.conn, article)
            removed = history.apply_removal(self.conn, article, raw.fetched_at if raw else None)
            if corrected or removed:
                fields = None
            return self._upsert(article, raw, fields or index_fields(article))

    def upsert_many(
        self, items: Iterable[tuple[Article, RawPage | None, IndexFields | None]]
    ) -> list[UpsertOutcome]:
        """`upsert` of each (article, raw page, index fields) in turn, in one transaction, with
        the same result (outcomes, ids, sequence numbers, duplicate links, corrections), for
        bulk writers (`reprocess`, imports, benchmarks): the stored rows of the batch and its
        corrections are read with one statement each and the sequence number is written once,
        instead of five statements an article. An error rolls the whole batch back."""
        items = list(items)
        if not items:
            return []
        ids = list(dict.fromkeys(a.id for a, _, _ in items))
        # A bulk writer's commits move the write-ahead log into the database every 64 MiB
        # instead of every 4 MiB: each move waits for the disk (20% of the wall time of
        # batches of 500 here); then the default again.
        (pages,) = self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {max(pages, _BULK_CHECKPOINT_PAGES)}")
        try:
            return self._upsert_batch(items, ids)
        finally:
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")

    def _upsert_batch(
        self, items: list[tuple[Article, RawPage | None, IndexFields | None]], ids: list[str]
    ) -> list[UpsertOutcome]:
        with self.transaction():
            corrected = self._ids_with(
                "SELECT DISTINCT article_id FROM corrections WHERE article_id IN ({})", ids
            )
            gone = self._ids_with(
                "SELECT article_id FROM removals WHERE restored IS NULL AND article_id IN ({})",
                ids,
            )
            rows: dict[str, sqlite3.Row] = {}
            if len(ids) == len(items):  # (an id twice: its second write must see its first)
                for r in self._rows_for(
                    "SELECT id, rowid, content_hash, first_seen, duplicate_of, fingerprint "
                    "FROM articles WHERE id IN ({})",
                    ids,
                ):
                    rows[r["id"]] = r
                self._batch_rows = rows
            self._batch_seq = int(self.get_meta("seq", "0") or 0)
            self._batch_now = now_iso()
            self._batch_bands = self._read_bands(
                [b for _, _, f in items if f is not None for b in dedup.band_keys(f.fingerprint)]
            )
            try:
                outcomes = []
                for a, raw, f in items:
                    if a.id in corrected and corrections.apply_stored(self.conn, a):
                        f = None
                    if a.id in gone:  # as `upsert`: a page marked removed stays so
                        if history.apply_removal(self.conn, a, raw.fetched_at if raw else None):
                            f = None
                    else:
                        a.removed = None
                    outcomes.append(self._upsert(a, raw, f or index_fields(a)))
                self.set_meta("seq", str(self._batch_seq))
            finally:
                self._batch_seq = None
                self._batch_rows = None
                self._batch_bands = None
                self._batch_now = None
        return outcomes

    def _read_bands(self, bands: list[str]) -> dict[str, list[tuple[str, int | None]]]:
        """{band: [(article id, fingerprint or None)]} of these bands, each present (one
        statement a chunk instead of one an article)."""
        out: dict[str, list[tuple[str, int | None]]] = {b: [] for b in bands}
        for band, other_id, other_fp in self._rows_for(
            "SELECT band, article_id, fingerprint FROM dedup_bands WHERE band IN ({})", list(out)
        ):
            out[band].append((other_id, other_fp))
        return out

    def _ids_with(self, sql: str, ids: list[str]) -> set[str]:
        return {r[0] for r in self._rows_for(sql, ids)}

    def _rows_for(self, sql: str, ids: list[str]) -> Iterator[sqlite3.Row]:
        """The rows of `sql`, whose `{}` is an IN list, for these ids (in chunks of 500, under
        SQLite's limit on bound values)."""
        for chunk in _chunks(ids):
            yield from self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk)

    def _upsert(self, a: Article, raw: RawPage | None, f: IndexFields) -> UpsertOutcome:
        if self._batch_rows is not None:
            row = self._batch_rows.get(a.id)
        else:
            row = self.conn.execute(
                "SELECT rowid, content_hash, first_seen, duplicate_of, fingerprint FROM articles "
                "WHERE id = ?",
                (a.id,),
            ).fetchone()
        fp = f.fingerprint
        fp_signed = _signed(fp)
        bands = dedup.band_keys(fp)
        now = self._batch_now or now_iso()
        a.first_seen = row["first_seen"] if row is not None else a.fetched_at or now
        if row is None or row["duplicate_of"] is None:
            a.duplicate_of = self._find_original(a.id, fp, bands)
        else:
            a.duplicate_of = row["duplicate_of"]
        doc, chash = _document(a, f.document)
        unchanged = row is not None and _same_content(row["content_hash"], chash, a)
        new_evidence = a.evidence is not None and self._save_evidence(a.id, a.evidence)
        if raw is not None:
            if row is not None and not unchanged:  # keep the page it replaces
                history.keep_version(self.conn, a.id, raw.body, a.fetched_at or now)
            self._save_raw(a.id, raw)
        if row is not None and unchanged:
            self.conn.execute(
                "UPDATE articles SET fetched_at = ?, content_hash = ? WHERE rowid = ?",
                (a.fetched_at, chash, row["rowid"]),
            )
            if new_evidence:  # the Elasticsearch document carries the evidence: send it again
                self.conn.execute(
                    "UPDATE articles SET seq = ? WHERE rowid = ?", (self._next_seq(), row["rowid"])
                )
            self.conn.execute(
                "UPDATE article_docs SET data = json_set(data, '$.fetched_at', ?) WHERE rowid = ?",
                (a.fetched_at, row["rowid"]),
            )
            return "unchanged"
        values = {
            "id": a.id,
            "url": a.url,
            "source": a.source,
            "title": a.title,
            "published": a.published,
            "event_date": a.event_date,
            "date": a.date,
            "province": a.province,
            "province_now": a.province_now,
            "relevant": int(a.relevant),
            "duplicate_of": a.duplicate_of,
            "speakers_key": f.speakers_key,
            "decrees_key": f.decrees_key,
            "fingerprint": fp_signed,
            "speakers": _json_strings([sp.name for sp in a.speakers]),
            "decrees": _json_strings(a.decrees),
            "body_len": len(a.body),
            "content_hash": chash,
            "fetched_at": a.fetched_at,
            "updated_at": now,
            "seq": self._next_seq(),
        }
        if row is None:
            values["first_seen"] = a.first_seen
            cur = self.conn.execute(_insert_sql(tuple(values)), values)
            rowid = cur.lastrowid
            outcome: UpsertOutcome = "new"
            self.conn.execute(
                "INSERT INTO article_docs(rowid, data) VALUES (?, ?)",
                (rowid, doc),
            )
        else:
            rowid = row["rowid"]
            sets = ", ".join(f"{k} = :{k}" for k in values)
            self.conn.execute(
                f"UPDATE articles SET {sets} WHERE rowid = :rowid", {**values, "rowid": rowid}
            )
            self.conn.execute(
                "UPDATE article_docs SET data = ? WHERE rowid = ?",
                (doc, rowid),
            )
            self.conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
            self._delete_bands(a.id, row["fingerprint"])
            outcome = "updated"
        self.conn.execute(
            "INSERT INTO articles_fts(rowid, title, body, extra, tags, pairs) VALUES (?, ?, ?, ?, ?, ?)",
            (
                rowid,
                f.title_folded,
                f.body_folded,
                f.extra_folded,
                f.tags,
                # (bigrams only for a store that has them: 0.12 ms an article)
                pairs_text(f.title_folded, f.body_folded) if self.writes_pairs else "",
            ),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO dedup_bands(band, article_id, fingerprint) VALUES (?, ?, ?)",
            [(b, a.id, fp_signed) for b in bands],
        )
        if self._batch_bands is not None:
            for b in bands:
                if b in self._batch_bands:
                    self._batch_bands[b].append((a.id, fp_signed))
        return outcome

    def _delete_bands(self, article_id: str, fingerprint: int | None) -> None:
        """Remove an article's near-duplicate bands: those of its stored fingerprint, found by
        the band index (a search by article id alone would read the whole table)."""
        if fingerprint is None:
            self.conn.execute("DELETE FROM dedup_bands WHERE article_id = ?", (article_id,))
            old = list(self._batch_bands or ())
        else:
            old = dedup.band_keys(_unsigned(fingerprint))
            self.conn.executemany(
                "DELETE FROM dedup_bands WHERE band = ? AND article_id = ?",
                [(b, article_id) for b in old],
            )
        if self._batch_bands is not None:  # the batch's copy of the bands follows
            for band in old:
                members = self._batch_bands.get(band)
                if members and any(m[0] == article_id for m in members):
                    self._batch_bands[band] = [m for m in members if m[0] != article_id]

    def _save_evidence(self, article_id: str, evidence: list[Evidence]) -> bool:
        """Store an article's evidence; True when it differs from what was stored."""
        data = json.dumps([e.to_dict() for e in evidence], ensure_ascii=False)
        row = self.conn.execute(
            "SELECT data FROM article_evidence WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is not None and row[0] == data:
            return False
        self.conn.execute(
            "INSERT INTO article_evidence(article_id, data) VALUES (?, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET data = excluded.data",
            (article_id, data),
        )
        return True

    def evidence(self, article_id: str) -> list[dict[str, Any]] | None:
        """The stored evidence of an article (`Evidence.to_dict` each), or None when the article
        was stored without any (before this feature; run `pressnews reprocess`)."""
        row = self.conn.execute(
            "SELECT data FROM article_evidence WHERE article_id = ?", (article_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def _find_original(self, article_id: str, fp: int, bands: list[str]) -> str | None:
        """The id of an earlier-stored copy of the same report, if any (never a chain);
        `bands`: the fingerprint's `dedup.band_keys`."""
        known = self._batch_bands or {}
        missing = [b for b in bands if b not in known]
        found = {**self._read_bands(missing), **known} if missing else known
        candidates: dict[str, int | None] = {}
        for band in bands:
            for other_id, other_fp in found[band]:
                if other_id != article_id:
                    candidates[other_id] = other_fp
        if not candidates:
            return None
        unknown = [i for i, f in candidates.items() if f is None]  # bands of older stores
        if unknown:
            candidates.update(
                (r[0], r[1])
                for r in self._rows_for(
                    "SELECT id, fingerprint FROM articles WHERE id IN ({})", unknown
                )
            )
        near = [
            i
            for i, f in candidates.items()
            if f is not None and dedup.near_duplicate(fp, _unsigned(f))
        ]
        if not near:
            return None
        first = min(  # the earliest stored of them (bands of a deleted row find none)
            self._rows_for("SELECT rowid, id, duplicate_of FROM articles WHERE id IN ({})", near),
            key=lambda r: r["rowid"],
            default=None,
        )
        return None if first is None else first["duplicate_of"] or first["id"]

    def _save_raw(self, article_id: str, raw: RawPage) -> None:
        self.conn.execute(
            "INSERT INTO raw_pages(article_id, url, status, headers, body, fetched_at, "
            "extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
            "url = excluded.url, status = excluded.status, headers = excluded.headers, "
            "body = excluded.body, fetched_at = excluded.fetched_at, "
            "extractor_version = excluded.extractor_version",
            (
                article_id,
                raw.url,
                raw.status,
                json.dumps(raw.headers),
                zlib.compress(raw.body, 1),
                raw.fetched_at,
                raw.extractor_version,
            ),
        )

    def docs(self, rowids: list[int]) -> dict[int, dict[str, Any]]:
        """The exported articles of these rows."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self.conn.execute(
            f"SELECT rowid, data FROM article_docs WHERE rowid IN ({marks})", rowids
        )
        return {r: json.loads(d) for r, d in rows}

    def get(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT d.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def find(self, key: str) -> dict[str, Any] | None:
        """The article whose id is `key`, else the one stored under the URL `key`."""
        doc = self.get(key)
        if doc is not None:
            return doc
        row = self.conn.execute("SELECT id FROM articles WHERE url = ?", (key,)).fetchone()
        return self.get(row[0]) if row else None

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def iter_articles(
        self, source: str | None = None, *, evidence: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every exported article; with `evidence`, each with an `evidence` key (a list, empty
        when the article has none stored)."""
        sql = "SELECT d.data, NULL FROM articles a JOIN article_docs d ON d.rowid = a.rowid"
        if evidence:
            sql = (
                "SELECT d.data, e.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid "
                "LEFT JOIN article_evidence e ON e.article_id = a.id"
            )
        args: tuple[Any, ...] = ()
        if source:
            sql += " WHERE a.source = ?"
            args = (source,)
        for data, ev in self.conn.execute(sql + " ORDER BY a.rowid", args):
            doc = json.loads(data)
            if evidence:
                doc["evidence"] = json.loads(ev) if ev else []
            yield doc

    def iter_raw(self, chunk: int = 500) -> Iterator[tuple[dict[str, Any], RawPage | None]]:
        """Every stored article with its raw page, for reprocessing. A row that cannot be read
        (a raw page that does not decompress, a document that is not JSON) comes as
        `({"id": ...}, None)`, so the caller reports it and goes on with the rest.

        Read `chunk` rows at a time by rowid, so memory stays flat however big the store is
        and the caller may write between items (rows written meanwhile are not read again)."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT a.rowid, a.id, d.data, r.url, r.status, r.headers, r.body, r.fetched_at, "
                "r.extractor_version FROM articles a JOIN raw_pages r ON r.article_id = a.id "
                "JOIN article_docs d ON d.rowid = a.rowid WHERE a.rowid > ? ORDER BY a.rowid "
                "LIMIT ?",
                (last, chunk),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for _, aid, data, url, status, headers, body, fetched_at, version in rows:
                try:
                    article = json.loads(data)
                    raw = RawPage(
                        url, status, json.loads(headers), zlib.decompress(body), fetched_at, version
                    )
                except (zlib.error, ValueError, TypeError):
                    yield {"id": aid}, None
                    continue
                yield article, raw

    def duplicates_of(self, ids: list[str]) -> dict[str, list[str]]:
        """For each id, the urls of the other stored copies of the same report."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        out: dict[str, list[str]] = {i: [] for i in ids}
        for dup_of, url in self.conn.execute(
            f"SELECT duplicate_of, url FROM articles WHERE duplicate_of IN ({marks}) ORDER BY rowid",
            ids,
        ):
            out[dup_of].append(url)
        return out

    # -- Elasticsearch sync checkpoint --------------------------------------------------------
    def pending_sync(self, limit: int | None = None) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """(id, seq, article) for every article changed since Elasticsearch last accepted it."""
        sql = (
            "SELECT a.id, a.seq, d.data, e.data FROM articles a "
            "JOIN article_docs d ON d.rowid = a.rowid "
            "LEFT JOIN article_evidence e ON e.article_id = a.id "
            "WHERE a.seq > a.es_seq ORDER BY a.seq"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        for aid, seq, data, ev in self.conn.execute(sql).fetchall():
            doc = json.loads(data)
            doc["evidence"] = json.loads(ev) if ev else []
            yield aid, seq, doc

    def count_pending_sync(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles WHERE seq > es_seq").fetchone()[0]

    def mark_synced(self, accepted: list[tuple[str, int]]) -> None:
        """Record that Elasticsearch accepted these (id, seq) versions."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE articles SET es_seq = max(es_seq, ?) WHERE id = ?",
                [(seq, aid) for aid, seq in accepted],
            )

    def reset_sync(self) -> None:
        """Forget what Elasticsearch holds (a rebuild pushes everything again)."""
        self.conn.execute("UPDATE articles SET es_seq = 0")
