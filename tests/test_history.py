"""Page history in the store: versions of a changed page, removals, and what reads them
(`show --history`, `export`, `search --include-removed`, the Elasticsearch query and mapping)."""

from __future__ import annotations

import json
import zlib

from cli_support import assert_one_line_error, invoke, snapshot
from conftest import make_article

from indexer import corrections, history
from indexer.elastic.mapping import mappings
from indexer.elastic.search import ElasticSearch
from indexer.elastic.sync import to_document
from indexer.model import Speaker
from indexer.query import Query
from indexer.sqlite_search import SqliteSearch
from indexer.store import RawPage, Store, _content_hash

URL = "https://hanam.gov.vn/tap-huan"


def raw(body: str, fetched_at: str) -> RawPage:
    return RawPage(URL, 200, {"content-type": "text/html"}, body.encode(), fetched_at, "test")


def v1() -> object:
    return make_article(
        "a1",
        url=URL,
        title="Tập huấn kỹ năng phát ngôn",
        published="2022-09-23",
        date="2022-09-23",
        province="Hà Nam",
        relevant=True,
        speakers=[Speaker("Nguyễn Văn Hiếu", "Giám đốc Sở")],
        fetched_at="2024-01-01T00:00:00+00:00",
    )


def v2() -> object:
    return make_article(
        "a1",
        url=URL,
        title="Tập huấn kỹ năng phát ngôn năm 2022",
        published="2022-09-24",
        date="2022-09-24",
        province="Hà Nam",
        relevant=True,
        speakers=[Speaker("Nguyễn Văn Hiếu", "Giám đốc Sở"), Speaker("Lê Thị Lan", "")],
        fetched_at="2024-02-01T00:00:00+00:00",
    )


def test_a_changed_page_keeps_the_earlier_version_with_its_raw_page():
    with Store.open(":memory:") as s:
        assert s.upsert(v1(), raw("<p>one</p>", "2024-01-01T00:00:00+00:00")) == "new"
        assert s.upsert(v2(), raw("<p>two</p>", "2024-02-01T00:00:00+00:00")) == "updated"
        versions = history.versions(s, "a1")
        assert [v.number for v in versions] == [1, 2]
        first, current = versions
        assert first.article["title"] == "Tập huấn kỹ năng phát ngôn"
        assert (first.fetched_at, first.superseded) == (
            "2024-01-01T00:00:00+00:00",
            "2024-02-01T00:00:00+00:00",
        )
        assert current.superseded is None and current.fetched_at == "2024-02-01T00:00:00+00:00"
        assert current.changes == {
            "title": ("Tập huấn kỹ năng phát ngôn", "Tập huấn kỹ năng phát ngôn năm 2022"),
            "date": ("2022-09-23", "2022-09-24"),
            "published": ("2022-09-23", "2022-09-24"),
            "speakers": (["Nguyễn Văn Hiếu"], ["Nguyễn Văn Hiếu", "Lê Thị Lan"]),
        }
        body = s.conn.execute("SELECT body FROM article_versions").fetchone()[0]
        assert zlib.decompress(body) == b"<p>one</p>"


def test_reprocessing_the_same_page_keeps_no_version():
    with Store.open(":memory:") as s:
        s.upsert(v1(), raw("<p>one</p>", "2024-01-01T00:00:00+00:00"))
        # reprocess: a better extractor, the same raw page (no raw passed, as reprocess does)
        assert s.upsert(v2()) == "updated"
        # a crawl that fetched the very same page but extracts differently: no page change
        assert s.upsert(v1(), raw("<p>one</p>", "2024-03-01T00:00:00+00:00")) == "updated"
        # a changed page whose article is the same (a view counter): nothing to keep either
        assert s.upsert(v1(), raw("<p>one, 2 views</p>", "2024-04-01T00:00:00+00:00")) == (
            "unchanged"
        )
        assert history.version_count(s, "a1") == 0
        assert len(history.versions(s, "a1")) == 1


def test_a_removed_page_is_kept_marked_and_hidden_until_it_answers_again():
    with Store.open(":memory:") as s:
        s.upsert(v1(), raw("<p>one</p>", "2024-01-01T00:00:00+00:00"))
        s.mark_synced([(aid, seq) for aid, seq, _ in s.pending_sync()])
        assert s.count_pending_sync() == 0
        search = SqliteSearch(s)
        assert [h.article["id"] for h in search.search(Query("phát ngôn")).hits] == ["a1"]
        assert history.mark_removed(s, "a1", "http 404", "2024-05-01T00:00:00+00:00")
        assert not history.mark_removed(s, "a1", "http 410")  # already marked
        assert not history.mark_removed(s, "nope", "http 404")
        assert s.get("a1")["removed"] == "2024-05-01"
        assert s.count_pending_sync() == 1  # Elasticsearch hears of it
        assert history.removed_ids(s) == {"a1"}
        assert search.search(Query("phát ngôn")).hits == []
        assert search.search(Query(province="Hà Nam")).hits == []
        assert len(search.search(Query("phát ngôn", include_removed=True)).hits) == 1
        # a reprocess (no fetch) keeps the mark, in the document and in the index
        assert s.upsert(v1()) == "updated"
        assert s.get("a1")["removed"] == "2024-05-01"
        assert search.search(Query("phát ngôn")).hits == []
        assert s.upsert(v1()) == "unchanged"
        # so does a correction
        corrections.record(s, "a1", [corrections.parse_change("set", "province=Nam Định")])
        assert s.get("a1")["removed"] == "2024-05-01" and s.get("a1")["province"] == "Nam Định"
        # the page answers again (fetched after the removal): the mark goes everywhere
        s.upsert(v1(), raw("<p>one</p>", "2024-06-01T00:00:00+00:00"))
        assert s.get("a1")["removed"] is None
        assert len(search.search(Query("phát ngôn")).hits) == 1
        gone = history.removal(s, "a1")
        assert gone is not None and gone.restored == "2024-06-01T00:00:00+00:00"
        assert history.version_count(s, "a1") == 0  # the same page: no version


def test_hashes_written_by_earlier_stores_still_find_an_article_unchanged():
    # Stores before schema 11 hashed the article's sorted JSON (and, before page history,
    # without `removed`): the same article written again is unchanged, keeps no version, and
    # its hash takes the new form.
    with Store.open(":memory:") as s:
        s.upsert(v1(), raw("<p>one</p>", "2024-01-01T00:00:00+00:00"))
        data = {k: v for k, v in v1().to_dict().items() if k != "removed"}
        data["first_seen"] = s.get("a1")["first_seen"]
        s.conn.execute("UPDATE articles SET content_hash = ?", (_content_hash(data),))
        s.conn.commit()
        assert s.upsert(v1(), raw("<p>one</p>", "2024-03-01T00:00:00+00:00")) == "unchanged"
        assert history.version_count(s, "a1") == 0
        stored = s.conn.execute("SELECT content_hash FROM articles").fetchone()[0]
        assert stored.startswith("2:")
        assert s.upsert(v1()) == "unchanged"


def _db_with_history(tmp_path):
    path = tmp_path / "h.db"
    with Store.open(path) as s:
        s.upsert(v1(), raw("<p>one</p>", "2024-01-01T00:00:00+00:00"))
        s.upsert(v2(), raw("<p>two</p>", "2024-02-01T00:00:00+00:00"))
        s.upsert(make_article("b1", title="Tin khác về phát ngôn", relevant=True))
        history.mark_removed(s, "a1", "http 410", "2024-05-01T00:00:00+00:00")
    return path


def test_show_history_lists_versions_changes_and_the_removal(tmp_path):
    path = _db_with_history(tmp_path)
    before = snapshot(tmp_path)
    result = invoke("show", "a1", "--history", "--db", str(path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "version 1: fetched 2024-01-01T00:00:00+00:00, replaced 2024-02-01T00:00:00+00:00" in out
    assert "version 2: fetched 2024-02-01T00:00:00+00:00 (current)" in out
    assert "title: Tập huấn kỹ năng phát ngôn → Tập huấn kỹ năng phát ngôn năm 2022" in out
    assert "date: 2022-09-23 → 2022-09-24" in out
    assert "speakers: + Lê Thị Lan" in out
    assert "removed 2024-05-01 (http 410)" in out
    data = json.loads(invoke("show", URL, "--history", "--json", "--db", str(path)).output)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["removal"] == {
        "removed": "2024-05-01T00:00:00+00:00",
        "reason": "http 410",
        "restored": None,
    }
    one = invoke("show", "b1", "--history", "--db", str(path)).output
    assert "version 1" in one and "(current)" in one and "removed" not in one
    assert_one_line_error(invoke("show", "zz", "--history", "--db", str(path)), 1)
    assert snapshot(tmp_path) == before  # read-only


def test_export_keeps_removed_articles_with_the_date(tmp_path):
    path = _db_with_history(tmp_path)
    result = invoke("export", "--db", str(path))
    rows = {r["id"]: r for r in map(json.loads, result.output.splitlines())}
    assert rows["a1"]["removed"] == "2024-05-01" and rows["b1"]["removed"] is None


def test_search_cli_marks_removed_hits(tmp_path):
    path = _db_with_history(tmp_path)
    plain = invoke("search", "phát ngôn", "--db", str(path))
    assert "năm 2022" not in plain.output and "[removed" not in plain.output
    shown = invoke("search", "phát ngôn", "--include-removed", "--db", str(path))
    assert "[removed 2024-05-01]" in shown.output
    rows = invoke("search", "phát ngôn", "--include-removed", "--csv", "--db", str(path))
    assert "removed" in rows.output.splitlines()[0] and "2024-05-01" in rows.output


def test_elasticsearch_hides_removed_unless_asked(tmp_path):
    assert mappings()["properties"]["removed"]["type"] == "date"
    backend = ElasticSearch(None, alias="x")  # type: ignore[arg-type]
    hide = {"bool": {"must_not": [{"exists": {"field": "removed"}}]}}
    assert hide in backend._filters(Query(), relevant_only=True)
    assert hide not in backend._filters(Query(include_removed=True), relevant_only=True)
    doc = to_document({**v1().to_dict(), "removed": "2024-05-01"})
    assert doc["removed"] == "2024-05-01"
