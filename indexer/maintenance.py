"""Backups, restores and the store's health check: the library under `pressnews backup`,
`pressnews restore` and `pressnews check`.

- `backup` copies a store with SQLite's online backup API in one step: the copy is one read
  snapshot, so it is consistent while a crawl writes (in WAL mode the crawl is not held up). It
  is written beside FILE under a temporary name and renamed when complete, as a single file (no
  `-wal`), so a failed backup never leaves a half-written FILE.
- `check_store` verifies a store without changing a byte: SQLite's integrity check, the
  schema, the full-text index against the articles (and FTS5's own integrity check, run on a
  scratch copy of the index: it cannot run on a read-only database), the article documents,
  every raw page's compression, and the counts. Each check says what to do when it fails.
- `restore` checks FILE, takes the crawl lock (`<db>.lock`, the lock `pressnews crawl` holds),
  keeps the current database as `<db>.before-restore`, then copies FILE over the database
  with the backup API, so a process that has it open sees the restored store, not a file
  swapped under it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PressnewsError
from .fts import RELEVANT_TAG
from .schema import SCHEMA_VERSION
from .store import (
    _PRESSNEWS_TABLES,
    _SIDE_FILES,
    Store,
    _connect_readonly,
    _expected_columns,
    _one_line,
    _remove_side_files,
)

SQLITE_HEADER = b"SQLite format 3\x00"
_SHOWN_PROBLEMS = 5  # ids or lines named in one check's detail


class MaintenanceError(PressnewsError, RuntimeError):
    """A backup or restore that cannot be done; the message is one line and says why."""


class DatabaseLocked(MaintenanceError):
    """A crawl holds the database's lock."""


# -- paths and the crawl lock -----------------------------------------------------------------
def lock_path(db: str | Path) -> Path:
    """The file `pressnews crawl` locks beside the database, `<db>.lock` (the one definition;
    `crawler.crawl_runner.crawl_lock` locks it)."""
    p = Path(db).expanduser()
    return p.resolve().with_suffix(p.suffix + ".lock")


def before_restore_path(db: str | Path) -> Path:
    """Where `restore` keeps the database it replaces: `<db>.before-restore`."""
    p = Path(db).expanduser()
    return p.with_name(p.name + ".before-restore")


@contextmanager
def hold_crawl_lock(db: str | Path) -> Iterator[None]:
    """Hold the crawl lock of `db` (no crawl starts meanwhile); `DatabaseLocked` if a crawl
    holds it. The lock is an flock, as the crawl's: the kernel drops it if this process dies."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseLocked(
                f"a crawl is running on {db} (it holds {path}): wait for it to end, or stop it, "
                "then run this again"
            ) from None
        yield
    finally:
        os.close(fd)


# -- reading a database without changing it ---------------------------------------------------
@contextmanager
def _readonly(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (as `Store.open_readonly` makes, without its schema checks); the
    `-wal`/`-shm` files it created are removed again when it closes."""
    existing = {s for s in _SIDE_FILES if Path(f"{path}{s}").exists()}
    conn = _connect_readonly(path, existing)
    try:
        yield conn
    finally:
        conn.close()
        _remove_side_files(path, existing)


def _existing_file(path: str | Path, what: str) -> Path:
    p = Path(path).expanduser()
    if not p.exists():
        raise MaintenanceError(f"no {what} at {path}")
    if p.is_dir():
        raise MaintenanceError(f"{path} is a folder, not a database file")
    return p.resolve()


def _pressnews_version(conn: sqlite3.Connection, shown: str) -> int:
    """The schema version of a pressnews database; `MaintenanceError` for any other file."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise MaintenanceError(f"{shown} is not a usable database: {_one_line(exc)}") from None
    if not tables >= _PRESSNEWS_TABLES:
        raise MaintenanceError(f"{shown} is not a pressnews database (no pressnews tables)")
    if version > SCHEMA_VERSION:
        raise MaintenanceError(
            f"{shown} is at schema {version}, newer than this pressnews ({SCHEMA_VERSION}): "
            "upgrade pressnews"
        )
    return version


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _discard(path: Path) -> None:
    """Remove a database file and its side files (a stale `-wal` must never meet a new file)."""
    for p in (path, *(Path(f"{path}{s}") for s in _SIDE_FILES)):
        p.unlink(missing_ok=True)


def _copy_to_new_file(src: sqlite3.Connection, dest: Path) -> None:
    """Copy the database of `src` (one snapshot) to the new file `dest`, as one file."""
    out = sqlite3.connect(dest, isolation_level=None)
    try:
        src.backup(out)  # all pages in one step: one read transaction, one snapshot
        out.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal beside it
    finally:
        out.close()


def _partial(dest: Path, what: str) -> Path:
    return dest.with_name(f".{dest.name}.{what}-{os.getpid()}")


# -- backup ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupReport:
    db: str
    file: str
    size: int  # bytes
    schema_version: int
    articles: int
    raw_pages: int


def backup(db: str | Path, target: str | Path, *, force: bool = False) -> BackupReport:
    """Copy the store at `db` to the file `target`, consistently, while others may write it.

    An existing `target` is refused unless `force`; `target` is never the database itself."""
    src = _existing_file(db, "database")
    dest = Path(target).expanduser()
    if dest.is_dir():
        raise MaintenanceError(f"{target} is a folder: give the backup's file name")
    if _same_file(src, dest):
        raise MaintenanceError(f"{target} is the database itself: give another file")
    if dest.exists() and not force:
        raise MaintenanceError(f"{target} exists: give another name, or pass --force to replace it")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MaintenanceError(f"cannot create the folder of {target}: {exc}") from None
    partial = _partial(dest.resolve(), "partial")
    try:
        with _readonly(src) as conn:
            version = _pressnews_version(conn, str(db))
            _copy_to_new_file(conn, partial)
        _discard(dest)
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        raise MaintenanceError(f"the backup of {db} failed: {_one_line(exc)}") from None
    except OSError as exc:
        raise MaintenanceError(f"the backup of {db} to {target} failed: {exc}") from None
    finally:
        _discard(partial)
    with _readonly(dest.resolve()) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        raw_pages = conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0]
    return BackupReport(str(db), str(target), dest.stat().st_size, version, articles, raw_pages)


# -- check -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""  # what to do, for a problem

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "advice": self.advice}


@dataclass
class CheckReport:
    path: str
    checks: list[Check] = field(default_factory=list)
    schema_version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def only_an_older_schema(self) -> bool:
        """The one problem is a schema older than this pressnews (the next write migrates)."""
        return (
            self.schema_version is not None
            and self.schema_version < SCHEMA_VERSION
            and [c.name for c in self.problems] == ["schema"]
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "schema_version": self.schema_version,
            "counts": self.counts,
            "checks": [c.to_json() for c in self.checks],
        }


def check_store(path: str | Path) -> CheckReport:
    """Verify the store at `path`, read-only: every check, each ok or a problem with advice."""
    shown = str(path)
    report = CheckReport(shown)
    restore = (
        f"restore the latest backup that passes check: `pressnews restore BACKUP --db {shown}`"
    )
    p = Path(path).expanduser()
    if not p.exists() or p.is_dir():
        what = "no file" if not p.exists() else "a folder, not a database file"
        report.checks.append(
            Check("database", False, f"{shown}: {what}", "give the database's path with --db")
        )
        return report
    with open(p, "rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        what = "an empty file" if not header else "its first bytes are not SQLite's header"
        report.checks.append(Check("database", False, f"not a SQLite database ({what})", restore))
        return report
    p = p.resolve()
    with _readonly(p) as conn:
        conn.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            conn.execute("BEGIN")  # one snapshot for every check, while a crawl may write
        except sqlite3.DatabaseError as exc:
            report.checks.append(Check("database", False, _one_line(exc), restore))
            return report
        try:
            _run_checks(conn, p, shown, report, restore)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    return report


def _run_checks(
    conn: sqlite3.Connection, path: Path, shown: str, report: CheckReport, restore: str
) -> None:
    def attempt(name: str, run: Callable[[], Check], advice: str = restore) -> Check:
        try:
            check = run()
        except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError) as exc:
            check = Check(name, False, _one_line(exc), advice)
        report.checks.append(check)
        return check

    attempt("integrity", lambda: _integrity(conn, restore))
    schema = attempt("schema", lambda: _schema(conn, shown, report, restore))
    if not schema.ok and not report.only_an_older_schema:
        return
    current = report.schema_version == SCHEMA_VERSION
    attempt("full-text index", lambda: _fulltext(conn, path, restore))
    attempt("article documents", lambda: _documents(conn, restore))
    attempt("raw pages", lambda: _raw_pages(conn, shown))
    attempt("counts", lambda: _counts(conn, report, current))


def _integrity(conn: sqlite3.Connection, restore: str) -> Check:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    if rows == ["ok"]:
        return Check("integrity", True, "SQLite integrity check: ok")
    lines = [
        " ".join(line.split())
        for row in rows
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]
    shown = "; ".join(_one_line(x, 100) for x in lines[:_SHOWN_PROBLEMS])
    more = f" (and {len(lines) - _SHOWN_PROBLEMS} more)" if len(lines) > _SHOWN_PROBLEMS else ""
    return Check(
        "integrity",
        False,
        f"SQLite integrity check: {shown}{more}",
        restore + "; to salvage what is readable: `sqlite3 DB .recover | sqlite3 NEW.db`",
    )


def _schema(conn: sqlite3.Connection, shown: str, report: CheckReport, restore: str) -> Check:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    report.schema_version = version
    if not tables >= _PRESSNEWS_TABLES:
        return Check(
            "schema",
            False,
            "not a pressnews database (no pressnews tables)",
            "give the path of a pressnews database with --db",
        )
    if version > SCHEMA_VERSION:
        return Check(
            "schema",
            False,
            f"schema {version}, newer than this pressnews ({SCHEMA_VERSION})",
            "upgrade pressnews",
        )
    if version < SCHEMA_VERSION:
        return Check(
            "schema",
            False,
            f"schema {version}, older than this pressnews ({SCHEMA_VERSION})",
            f"migrate it: `pressnews reprocess --db {shown}` (or any command that writes)",
        )
    for table, expected in _expected_columns().items():
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if not columns >= expected:
            missing = ", ".join(sorted(expected - columns))
            return Check("schema", False, f"table {table} lacks column(s) {missing}", restore)
    return Check("schema", True, f"schema {version} (current), every table and column present")


def _fulltext(conn: sqlite3.Connection, path: Path, restore: str) -> Check:
    """The articles, their documents and the index rows correspond one to one; the relevance
    tags agree with the articles; FTS5's own check passes. A step SQLite cannot read is named."""
    problems: list[str] = []
    unreadable: dict[str, list[str]] = {}  # SQLite's error -> the steps it stopped

    def count(step: str, sql: str) -> int | None:
        try:
            return int(conn.execute(sql).fetchone()[0])
        except sqlite3.DatabaseError as exc:
            unreadable.setdefault(_one_line(exc, 100), []).append(step)
            return None

    def expect_none(step: str, sql: str, what: str) -> None:
        found = count(step, sql)
        if found:
            problems.append(f"{found} {what}")

    articles = count("the articles", "SELECT count(*) FROM articles")
    docs = count("the documents", "SELECT count(*) FROM article_docs")
    rows = count("the index", "SELECT count(*) FROM articles_fts")
    expect_none(
        "articles against the index",
        "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT rowid FROM articles_fts)",
        "article(s) missing from the index",
    )
    expect_none(
        "the index against the articles",
        "SELECT count(*) FROM articles_fts WHERE rowid NOT IN (SELECT rowid FROM articles)",
        "index row(s) of no article",
    )
    expect_none(
        "articles against documents",
        "SELECT count(*) FROM articles WHERE rowid NOT IN (SELECT rowid FROM article_docs)",
        "article(s) without a document",
    )
    expect_none(
        "documents against articles",
        "SELECT count(*) FROM article_docs WHERE rowid NOT IN (SELECT rowid FROM articles)",
        "document(s) of no article",
    )
    expect_none(
        "the relevance tags",
        "SELECT count(*) FROM articles a WHERE a.relevant != (a.rowid IN "
        f"(SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'tags : {RELEVANT_TAG}'))",
        "article(s) whose relevance tag in the index disagrees with the article",
    )
    for error, steps in unreadable.items():
        problems.append(f"cannot read {', '.join(dict.fromkeys(steps))} ({error})")
    try:
        fts5 = _fts5_integrity(conn, path)
    except (sqlite3.DatabaseError, OSError) as exc:
        fts5 = f"cannot copy the index to check it ({_one_line(exc, 100)})"
    if fts5:
        problems.append(f"FTS5 integrity check: {fts5}")
    figures = f"{articles} articles, {docs} documents, {rows} index rows".replace("None", "?")
    if problems:
        return Check("full-text index", False, f"{figures}: " + "; ".join(problems), restore)
    return Check("full-text index", True, f"{figures}, consistent; FTS5 integrity check: ok")


def _fts5_integrity(conn: sqlite3.Connection, path: Path) -> str | None:
    """FTS5's own integrity check, on a scratch copy of the index's tables (the check is an
    INSERT, which a read-only database refuses). None when it passes."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
    if row is None:
        return "the index table articles_fts is missing"
    shadows = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'articles^_fts^_%' "
            "ESCAPE '^'"
        )
    ]
    existing = {s for s in _SIDE_FILES if Path(f"{path}{s}").exists()}
    source = path.as_uri() + "?mode=ro"
    if not existing and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        source += "&immutable=1"  # as the read-only connection opened it
    with tempfile.TemporaryDirectory(prefix="pressnews-check-") as tmp:
        scratch = (Path(tmp) / "fts.db").as_uri()
        copy = sqlite3.connect(scratch, uri=True, isolation_level=None)
        try:
            copy.execute("ATTACH DATABASE ? AS store", (source,))
            copy.execute(row[0])  # the same CREATE VIRTUAL TABLE: the same shadow tables
            copy.execute("BEGIN")  # one snapshot of the store for every table
            for name in shadows:
                copy.execute(f'DELETE FROM main."{name}"')
                copy.execute(f'INSERT INTO main."{name}" SELECT * FROM store."{name}"')
            copy.execute("COMMIT")
        finally:
            copy.close()
        # A new connection: FTS5 reads the copied structure afresh.
        verify = sqlite3.connect(scratch, uri=True, isolation_level=None)
        try:
            verify.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            return _one_line(exc)
        finally:
            verify.close()
    return None


def _documents(conn: sqlite3.Connection, restore: str) -> Check:
    bad = [
        r[0]
        for r in conn.execute(
            "SELECT a.id FROM articles a JOIN article_docs d ON d.rowid = a.rowid "
            "WHERE CASE WHEN json_valid(d.data) THEN json_extract(d.data, '$.id') IS NOT a.id "
            "OR json_type(d.data, '$.url') IS NOT 'text' "
            "OR json_type(d.data, '$.title') IS NOT 'text' ELSE 1 END"
        ).fetchall()
    ]
    if bad:
        return Check(
            "article documents",
            False,
            f"{len(bad)} document(s) unreadable or not their article's: {_some(bad)}",
            restore,
        )
    return Check("article documents", True, "every document is its article's, as JSON")


def _raw_pages(conn: sqlite3.Connection, shown: str) -> Check:
    total, bad = 0, []
    for article_id, body in conn.execute("SELECT article_id, body FROM raw_pages"):
        total += 1
        try:
            zlib.decompress(body)
        except (zlib.error, TypeError):
            bad.append(article_id)
    if bad:
        return Check(
            "raw pages",
            False,
            f"{len(bad)} of {total} raw page(s) do not decompress: {_some(bad)}",
            "these articles cannot be reprocessed until their pages are fetched again: "
            f"`pressnews crawl --full --db {shown}` (or restore a backup that passes check)",
        )
    return Check("raw pages", True, f"{total} raw page(s), every one decompresses")


def _counts(conn: sqlite3.Connection, report: CheckReport, current: bool) -> Check:
    def one(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0] or 0)

    counts = {
        "articles": one("SELECT count(*) FROM articles"),
        "relevant": one("SELECT count(*) FROM articles WHERE relevant = 1"),
        "raw_pages": one("SELECT count(*) FROM raw_pages"),
        "runs": one("SELECT count(*) FROM runs"),
    }
    if current:
        counts["corrections"] = one("SELECT count(*) FROM corrections WHERE undone IS NULL")
    report.counts = counts
    detail = (
        f"{_n(counts['articles'], 'article')} ({counts['relevant']} relevant), "
        f"{_n(counts['raw_pages'], 'raw page')}, {_n(counts['runs'], 'run')}"
    )
    if current:
        detail += f", {_n(counts['corrections'], 'correction')}"
    return Check("counts", True, detail + f"; schema {report.schema_version}")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _some(items: list[str]) -> str:
    shown = ", ".join(str(i) for i in items[:_SHOWN_PROBLEMS])
    return shown + (
        f" and {len(items) - _SHOWN_PROBLEMS} more" if len(items) > _SHOWN_PROBLEMS else ""
    )


# -- restore ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreReport:
    file: str
    db: str
    kept: str | None  # where the replaced database is now
    check: CheckReport
    migrated_from: int | None = None  # FILE's schema, when it was older and was migrated


def restore(source: str | Path, db: str | Path, *, force: bool = False) -> RestoreReport:
    """Replace the store at `db` by the backup `source`, which must pass `check_store` (a
    schema older than this pressnews is accepted and migrated). Refused while a crawl holds
    the database's lock; the replaced database is kept as `<db>.before-restore` (an earlier
    one is replaced only with `force`)."""
    src = _existing_file(source, "backup file")
    target = Path(db).expanduser()
    if target.is_dir():
        raise MaintenanceError(f"{db} is a folder, not a database file")
    if _same_file(src, target):
        raise MaintenanceError(f"{source} is the database itself: nothing to restore")
    keep = before_restore_path(target)
    undoing = _same_file(src, keep)  # restoring the copy the last restore kept: a swap
    if target.exists() and keep.exists() and not force and not undoing:
        raise MaintenanceError(
            f"{keep} exists (kept by an earlier restore): move it away, or pass --force "
            "to replace it"
        )
    checked = check_store(src)
    if not checked.ok and not checked.only_an_older_schema:
        first = checked.problems[0]
        raise MaintenanceError(
            f"{source} is not a pressnews database that passes check ({first.name}: "
            f"{first.detail}); nothing was changed (`pressnews check --db {source}` lists "
            "every problem)"
        )
    with hold_crawl_lock(target):
        swap = _partial(keep.resolve(), "swap")
        kept = None
        try:
            if undoing:  # `keep` is about to be overwritten: restore from a copy of it
                with _readonly(src) as conn:
                    _copy_to_new_file(conn, swap)
                src = swap
            if target.exists():
                _keep_copy(target, keep)
                kept = str(keep)
            _copy_over(src, target)
        except (sqlite3.Error, OSError) as exc:
            where = f"; the database as it was is {keep}" if kept else ""
            raise MaintenanceError(
                f"the restore of {source} failed: {_one_line(exc)}{where}"
            ) from None
        finally:
            _discard(swap)
        migrated = checked.schema_version if checked.only_an_older_schema else None
        Store.open(target).close()  # migrates an older backup; back to WAL mode
    return RestoreReport(str(source), str(db), kept, checked, migrated)


def _keep_copy(db: Path, keep: Path) -> None:
    """Copy the database about to be replaced to `keep`: with the backup API (consistent, one
    file) when SQLite can read it, else byte for byte with its `-wal` (a damaged file)."""
    _discard(keep)
    partial = _partial(keep, "partial")
    try:
        try:
            with _readonly(db.resolve()) as conn:
                _copy_to_new_file(conn, partial)
            os.replace(partial, keep)
        except sqlite3.DatabaseError:
            _discard(partial)
            shutil.copyfile(db, keep)
            wal = Path(f"{db}-wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{keep}-wal"))
    except OSError as exc:
        raise MaintenanceError(
            f"cannot keep the current database as {keep}: {exc}; nothing was changed"
        ) from None
    finally:
        _discard(partial)


def _copy_over(src: Path, target: Path) -> None:
    """Write the database `src` into `target`: through SQLite (the backup API, one write
    transaction) when `target` is a database SQLite can open, else as a new file renamed over
    it (a damaged or missing file)."""
    with _readonly(src) as source:
        if target.exists():
            dest = sqlite3.connect(target, isolation_level=None, timeout=30)
            try:
                dest.execute("PRAGMA busy_timeout = 30000")
                source.backup(dest)
                return
            except sqlite3.DatabaseError:
                pass  # not a database SQLite can write (damaged): replace the file
            finally:
                dest.close()
        partial = _partial(target.resolve(), "restore")
        try:
            _copy_to_new_file(source, partial)
            _discard(target)
            os.replace(partial, target)
        finally:
            _discard(partial)
