"""The system of record: an embedded SQLite database holding articles, raw pages and crawl facts.

Articles are upserted by their stable id, so a re-crawl updates rather than duplicates. Every
change bumps a sequence number that the Elasticsearch sync uses as its checkpoint. The raw page
is kept (zlib-compressed) with the extractor version, so `pressnews reprocess` can re-extract
without fetching. The FTS5 index holds folded text (see `vnlang.text.fold`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from vnlang import fingerprint as dedup

from .errors import PressnewsError
from .fts import IndexFields, index_fields
from .model import Article
from .schema import SchemaTooNew, migrate

UpsertOutcome = Literal["new", "updated", "unchanged"]


class StoreError(PressnewsError, RuntimeError):
    """The database cannot be opened or used; the message is one line for the user."""


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


def _content_hash(data: dict[str, Any]) -> str:
    stable = {k: v for k, v in data.items() if k not in ("fetched_at", "duplicate_of")}
    return hashlib.sha1(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Store:
    """One SQLite database. Open with `Store.open(path)`; use as a context manager to close."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = str(path)
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder for the database {path}: {exc}"
                ) from exc
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: FTS segment merges stay in memory
            migrate(conn)
        except SchemaTooNew as exc:
            raise StoreError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a usable pressnews database: {exc}") from exc
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

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
        seq = int(self.get_meta("seq", "0") or 0) + 1
        self.set_meta("seq", str(seq))
        return seq

    # -- articles -----------------------------------------------------------------------------
    def upsert(
        self, article: Article, raw: RawPage | None = None, fields: IndexFields | None = None
    ) -> UpsertOutcome:
        """Insert or update one article (and its raw page) atomically.

        `fields` is `index_fields(article)` when the caller computed it already."""
        with self.transaction():
            return self._upsert(article, raw, fields or index_fields(article))

    def _upsert(self, a: Article, raw: RawPage | None, f: IndexFields) -> UpsertOutcome:
        row = self.conn.execute(
            "SELECT rowid, content_hash, first_seen, duplicate_of FROM articles WHERE id = ?",
            (a.id,),
        ).fetchone()
        fp = f.fingerprint
        fp_signed = fp - (1 << 64) if fp >= 1 << 63 else fp
        a.first_seen = row["first_seen"] if row is not None else a.fetched_at or now_iso()
        if row is None or row["duplicate_of"] is None:
            a.duplicate_of = self._find_original(a.id, fp)
        else:
            a.duplicate_of = row["duplicate_of"]
        data = a.to_dict()
        data.pop("duplicate_of", None)
        data["duplicate_of"] = a.duplicate_of
        chash = _content_hash(data)
        if raw is not None:
            self._save_raw(a.id, raw)
        now = now_iso()
        if row is not None and row["content_hash"] == chash:
            self.conn.execute(
                "UPDATE articles SET fetched_at = ? WHERE rowid = ?", (a.fetched_at, row["rowid"])
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
            "speakers": json.dumps([sp.name for sp in a.speakers], ensure_ascii=False),
            "decrees": json.dumps(a.decrees, ensure_ascii=False),
            "body_len": len(a.body),
            "content_hash": chash,
            "fetched_at": a.fetched_at,
            "updated_at": now,
            "seq": self._next_seq(),
        }
        if row is None:
            values["first_seen"] = a.first_seen
            cols = ", ".join(values)
            marks = ", ".join(f":{k}" for k in values)
            cur = self.conn.execute(f"INSERT INTO articles({cols}) VALUES ({marks})", values)
            rowid = cur.lastrowid
            outcome: UpsertOutcome = "new"
            self.conn.execute(
                "INSERT INTO article_docs(rowid, data) VALUES (?, ?)",
                (rowid, json.dumps(data, ensure_ascii=False)),
            )
        else:
            rowid = row["rowid"]
            sets = ", ".join(f"{k} = :{k}" for k in values)
            self.conn.execute(
                f"UPDATE articles SET {sets} WHERE rowid = :rowid", {**values, "rowid": rowid}
            )
            self.conn.execute(
                "UPDATE article_docs SET data = ? WHERE rowid = ?",
                (json.dumps(data, ensure_ascii=False), rowid),
            )
            self.conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
            self.conn.execute("DELETE FROM dedup_bands WHERE article_id = ?", (a.id,))
            outcome = "updated"
        self.conn.execute(
            "INSERT INTO articles_fts(rowid, title, body, extra, tags, pairs) VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, f.title_folded, f.body_folded, f.extra_folded, f.tags, f.pairs),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO dedup_bands(band, article_id) VALUES (?, ?)",
            [(b, a.id) for b in dedup.band_keys(fp)],
        )
        return outcome

    def _find_original(self, article_id: str, fp: int) -> str | None:
        """The id of an earlier-stored copy of the same report, if any (never a chain)."""
        bands = dedup.band_keys(fp)
        marks = ",".join("?" * len(bands))
        rows = self.conn.execute(
            f"SELECT DISTINCT a.id, a.fingerprint, a.duplicate_of FROM dedup_bands b "
            f"JOIN articles a ON a.id = b.article_id WHERE b.band IN ({marks}) AND a.id != ? "
            f"ORDER BY a.rowid LIMIT 50",
            (*bands, article_id),
        ).fetchall()
        for r in rows:
            other = r["fingerprint"] + (1 << 64) if r["fingerprint"] < 0 else r["fingerprint"]
            if dedup.near_duplicate(fp, other):
                return r["duplicate_of"] or r["id"]
        return None

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

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def iter_articles(self, source: str | None = None) -> Iterator[dict[str, Any]]:
        sql = "SELECT d.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid"
        args: tuple[Any, ...] = ()
        if source:
            sql += " WHERE a.source = ?"
            args = (source,)
        for (data,) in self.conn.execute(sql + " ORDER BY a.rowid", args):
            yield json.loads(data)

    def iter_raw(self) -> Iterator[tuple[dict[str, Any], RawPage]]:
        """Every stored article with its raw page, for reprocessing."""
        rows = self.conn.execute(
            "SELECT d.data, r.url, r.status, r.headers, r.body, r.fetched_at, r.extractor_version "
            "FROM articles a JOIN raw_pages r ON r.article_id = a.id "
            "JOIN article_docs d ON d.rowid = a.rowid ORDER BY a.rowid"
        )
        for data, url, status, headers, body, fetched_at, version in rows:
            raw = RawPage(
                url, status, json.loads(headers), zlib.decompress(body), fetched_at, version
            )
            yield json.loads(data), raw

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
            "SELECT a.id, a.seq, d.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid "
            "WHERE a.seq > a.es_seq ORDER BY a.seq"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        for aid, seq, data in self.conn.execute(sql).fetchall():
            yield aid, seq, json.loads(data)

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
