"""Backups, restores and the store check (issue 15, part 4): `pressnews backup`, `restore` and
`check` on tmp_path databases built through `Store.upsert`; nothing of pressnews is mocked."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from cli_support import ARTICLES, assert_clean_success, assert_one_line_error, invoke, snapshot
from conftest import make_article

from crawler.crawl_runner import crawl_lock
from indexer.maintenance import before_restore_path, check_store, lock_path
from indexer.schema import MIGRATIONS, SCHEMA_VERSION
from indexer.store import RawPage, Store

HTML = "<html><head><title>{t}</title></head><body><article><p>{b}</p></article></body></html>"


def raw_for(article) -> RawPage:
    html = HTML.format(t=article.title, b=article.body)
    return RawPage(article.url, 200, {"content-type": "text/html"}, html.encode(), "t", "1")


def build(path: Path, extra: int = 0) -> Path:
    """A store of the three CLI articles (with raw pages) and `extra` more."""
    with Store.open(path) as store:
        for article in ARTICLES:
            store.upsert(article, raw_for(article))
        for i in range(extra):
            article = numbered(i)
            store.upsert(article, raw_for(article))
    return path


def numbered(i: int):
    return make_article(
        f"n{i}",
        title=f"Bài số {i} về tập huấn phát ngôn",
        body=f"Nội dung bài số {i}: " + " ".join(f"từ{i}x{k}" for k in range(30)),
        relevant=i % 2 == 0,
    )


@pytest.fixture
def db(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return build(folder / "p.db")


def check_json(path: Path) -> dict:
    result = invoke("check", "--db", str(path), "--json")
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    return json.loads(result.output)


def problems(report: dict) -> dict[str, str]:
    return {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}


# -- check -----------------------------------------------------------------------------------
def test_a_sound_store_passes_check_and_check_changes_nothing(db):
    before = snapshot(db.parent)
    result = invoke("check", "--db", str(db))
    assert_clean_success(result)
    for name in ("integrity", "schema", "full-text index", "raw pages", "counts"):
        assert name in result.output
    assert "All 6 checks passed." in result.output
    report = check_json(db)
    assert report["ok"] is True and report["schema_version"] == SCHEMA_VERSION
    assert report["counts"] == {
        "articles": 3,
        "relevant": 2,
        "raw_pages": 3,
        "runs": 0,
        "corrections": 0,
    }
    assert snapshot(db.parent) == before  # no -wal, -shm or any other file left


def test_check_reports_a_damaged_raw_page(db):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE raw_pages SET body = x'00010203' WHERE article_id = 'th1'")
    conn.commit()
    conn.close()
    result = invoke("check", "--db", str(db))
    assert result.exit_code == 1, result.output
    assert "PROBLEM  raw pages" in result.output
    assert "1 of 3 raw page(s) do not decompress: th1" in result.output
    assert "what to do: these articles cannot be reprocessed" in result.output
    assert "1 problem(s) found" in result.output
    assert list(problems(check_json(db))) == ["raw pages"]


def test_check_reports_an_article_missing_from_the_full_text_index(db):
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM articles_fts WHERE rowid = 2")
    conn.commit()
    conn.close()
    found = problems(check_json(db))
    assert "1 article(s) missing from the index" in found["full-text index"]


def test_check_reports_a_damaged_full_text_index(db):
    conn = sqlite3.connect(db)
    # The index's data (segments) loses its blocks: FTS5's own integrity check fails.
    conn.execute("DELETE FROM articles_fts_data WHERE id > 10")
    conn.commit()
    conn.close()
    found = problems(check_json(db))
    assert "full-text index" in found


def test_check_reports_a_corrupt_file(db):
    with Store.open(db) as store:  # more pages, so the damage hits table pages
        for i in range(40):
            store.upsert(numbered(i), raw_for(numbered(i)))
    data = bytearray(db.read_bytes())
    assert len(data) > 20 * 4096
    for page in range(3, 20, 2):  # overwrite every other page after the schema's
        data[page * 4096 : page * 4096 + 4096] = b"\xa5" * 4096
    db.write_bytes(bytes(data))
    result = invoke("check", "--db", str(db))
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert "PROBLEM  integrity" in result.output
    assert "what to do: restore the latest backup that passes check" in result.output


def test_check_of_files_that_are_not_stores(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    result = invoke("check", "--db", str(garbage))
    assert result.exit_code == 1
    assert "not a SQLite database" in result.output
    missing = invoke("check", "--db", str(tmp_path / "missing.db"))
    assert missing.exit_code == 1 and "no file" in missing.output
    assert not (tmp_path / "missing.db").exists()
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    result = invoke("check", "--db", str(other))
    assert result.exit_code == 1 and "not a pressnews database" in result.output


# -- backup and restore ----------------------------------------------------------------------
def test_a_backup_restores_to_a_store_that_passes_check(db, tmp_path):
    target = tmp_path / "backups" / "p-1.db"
    before = snapshot(db.parent)
    result = invoke("backup", str(target), "--db", str(db))
    assert_clean_success(result)
    assert "3 articles, 3 raw pages" in result.output
    assert snapshot(db.parent) == before  # the store is only read
    assert sorted(p.name for p in target.parent.iterdir()) == ["p-1.db"]  # one file, no -wal
    assert check_json(target)["ok"] is True
    # The store changes after the backup; the restore brings back the backed-up state.
    with Store.open(db) as store:
        store.upsert(numbered(1), raw_for(numbered(1)))
    result = invoke("restore", str(target), "--db", str(db))
    assert_clean_success(result)
    assert "Restored it into" in result.output
    report = check_json(db)
    assert report["ok"] is True and report["counts"]["articles"] == 3
    kept = before_restore_path(db)
    assert kept.exists() and check_json(kept)["counts"]["articles"] == 4
    assert_clean_success(invoke("search", "phát ngôn", "--db", str(db)))
    # Restoring the copy the restore kept swaps back.
    assert_clean_success(invoke("restore", str(kept), "--db", str(db)))
    assert check_json(db)["counts"]["articles"] == 4
    assert check_json(kept)["counts"]["articles"] == 3


def test_backup_refuses_to_overwrite_a_file_unless_forced(db, tmp_path):
    target = tmp_path / "b.db"
    target.write_bytes(b"keep me")
    line = assert_one_line_error(invoke("backup", str(target), "--db", str(db)), 1)
    assert "exists" in line and "--force" in line
    assert target.read_bytes() == b"keep me"
    assert_clean_success(invoke("backup", str(target), "--db", str(db), "--force"))
    assert check_json(target)["ok"] is True
    line = assert_one_line_error(invoke("backup", str(db), "--db", str(db), "--force"), 1)
    assert "the database itself" in line


def test_a_backup_taken_while_another_connection_writes_is_consistent(db, tmp_path):
    started, stop = threading.Event(), threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def writer() -> None:  # writes until the backups are done: every one is taken mid-writing
        try:
            with Store.open(db) as store:
                i = 0
                while not stop.is_set() and i < 5000:
                    store.upsert(numbered(i), raw_for(numbered(i)))  # article + raw page at once
                    written.append(i)
                    i += 1
                    if i == 20:
                        started.set()
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(60)
        copies = []
        for n in range(5):
            target = tmp_path / f"during-{n}.db"
            assert_clean_success(invoke("backup", str(target), "--db", str(db)))
            copies.append(target)
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert not failures, failures
    assert thread.is_alive() is False and during < 5000  # the writer was still writing
    seen = []
    for target in copies:
        report = check_json(target)
        assert report["ok"] is True, problems(report)
        counts = report["counts"]
        assert counts["raw_pages"] == counts["articles"]  # never an article without its page
        seen.append(counts["articles"])
    assert seen[0] >= 3 + 20 and seen == sorted(seen) and seen[-1] <= 3 + during
    assert check_json(db)["counts"]["articles"] == 3 + len(written)


def test_restore_refuses_a_file_that_is_not_a_pressnews_store(db, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    before = snapshot(db.parent)
    for bad in (other, garbage):
        line = assert_one_line_error(invoke("restore", str(bad), "--db", str(db)), 1)
        assert "is not a pressnews database that passes check" in line
        assert "nothing was changed" in line
    assert snapshot(db.parent) == before
    assert not before_restore_path(db).exists()


def test_restore_refuses_a_backup_that_fails_check(db, tmp_path):
    target = tmp_path / "b.db"
    assert_clean_success(invoke("backup", str(target), "--db", str(db)))
    conn = sqlite3.connect(target)
    conn.execute("UPDATE raw_pages SET body = x'00' WHERE article_id = 'hn1'")
    conn.commit()
    conn.close()
    line = assert_one_line_error(invoke("restore", str(target), "--db", str(db)), 1)
    assert "raw pages" in line and "nothing was changed" in line


def test_restore_refuses_while_a_crawl_holds_the_lock(db, tmp_path):
    target = tmp_path / "b.db"
    assert_clean_success(invoke("backup", str(target), "--db", str(db)))
    with Store.open(db) as store:
        store.upsert(numbered(1))
    with crawl_lock(str(db)):
        before = snapshot(db.parent)
        line = assert_one_line_error(invoke("restore", str(target), "--db", str(db)), 1)
        assert "a crawl is running" in line and str(lock_path(db)) in line
        assert snapshot(db.parent) == before
    assert_clean_success(invoke("restore", str(target), "--db", str(db)))  # once it ended


def _tables_of_the_last_migration() -> list[str]:
    """The tables the newest migration creates (whichever branch appended it last)."""

    def tables(n: int) -> set[str]:
        conn = sqlite3.connect(":memory:")
        for step in MIGRATIONS[:n]:
            conn.executescript(step) if isinstance(step, str) else step(conn)
        found = {
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith("sqlite_")
        }
        conn.close()
        return found

    new = tables(SCHEMA_VERSION) - tables(SCHEMA_VERSION - 1)
    # FTS5 shadow tables go with their virtual table
    return sorted(t for t in new if not any(t.startswith(v + "_") for v in new))


def test_restore_of_an_older_schema_migrates_it(db, tmp_path):
    target = tmp_path / "old.db"
    assert_clean_success(invoke("backup", str(target), "--db", str(db)))
    conn = sqlite3.connect(target)
    for table in _tables_of_the_last_migration():  # the database as the migration before made it
        conn.execute(f"DROP TABLE {table}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    report = check_store(target)
    assert not report.ok and report.only_an_older_schema
    result = invoke("restore", str(target), "--db", str(db))
    assert_clean_success(result)
    assert f"Migrated it from schema {SCHEMA_VERSION - 1}" in result.output
    assert check_json(db)["ok"] is True


def test_restore_onto_a_missing_or_damaged_database(db, tmp_path):
    target = tmp_path / "b.db"
    assert_clean_success(invoke("backup", str(target), "--db", str(db)))
    fresh = tmp_path / "new" / "p.db"
    assert_clean_success(invoke("restore", str(target), "--db", str(fresh)))
    assert check_json(fresh)["ok"] is True and not before_restore_path(fresh).exists()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"garbage" * 1000)
    result = invoke("restore", str(target), "--db", str(damaged))
    assert_clean_success(result)
    assert check_json(damaged)["ok"] is True
    assert before_restore_path(damaged).read_bytes() == b"garbage" * 1000  # kept as it was


def test_backup_of_a_missing_database_is_a_one_line_error(tmp_path):
    line = assert_one_line_error(
        invoke("backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "missing.db")), 1
    )
    assert "no database at" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["backup", "restore", "check", "correct", "corrections"])
def test_help_of_the_new_commands(command):
    result = invoke(command, "--help")
    assert_clean_success(result)
    assert "--db" in result.output
