import json
import sqlite3

import pytest
from conftest import make_article

from indexer.model import Speaker
from indexer.schema import SCHEMA_VERSION
from indexer.store import RawPage, Store, StoreError


def art(i="a1", title="Tập huấn kỹ năng phát ngôn", body="Nội dung bài viết về phát ngôn.", **kw):
    return make_article(i, url=f"https://x.vn/{i}", source="x", title=title, body=body, **kw)


def test_upsert_new_updated_unchanged(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        assert s.upsert(art()) == "new"
        assert s.upsert(art()) == "unchanged"
        assert (
            s.upsert(art(body="Nội dung mới hẳn, khác bài trước rất nhiều về chủ đề khác."))
            == "updated"
        )
        assert s.count() == 1
        assert s.get("a1")["body"].startswith("Nội dung mới")


def test_raw_page_round_trip_compressed(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        raw = RawPage(
            "https://x.vn/a1",
            200,
            {"content-type": "text/html"},
            "<p>Hà Nam</p>".encode() * 100,
            "t",
            "1",
        )
        s.upsert(art(), raw)
        [(article, back)] = list(s.iter_raw())
        assert back == raw and article["id"] == "a1"
        stored = s.conn.execute("SELECT length(body) FROM raw_pages").fetchone()[0]
        assert stored < len(raw.body) / 5


def test_schema_version_and_reopen(tmp_path):
    path = tmp_path / "p.db"
    Store.open(path).close()
    with Store.open(path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_not_a_database_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError) as err:
        Store.open(bad)
    assert "not a usable pressnews database" in str(err.value)


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "p.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this pressnews"):
        Store.open(path)


def test_sync_checkpoint_only_changed(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        s.upsert(art("a1"))
        s.upsert(
            art(
                "a2",
                title="Hội nghị thông tin đối ngoại",
                body="Một bài khác hẳn về đối ngoại tỉnh.",
            )
        )
        pending = list(s.pending_sync())
        assert [p[0] for p in pending] == ["a1", "a2"]
        s.mark_synced([(pending[0][0], pending[0][1])])
        assert [p[0] for p in s.pending_sync()] == ["a2"]
        s.upsert(art("a1", body="Sửa đổi nội dung bài một, thêm nhiều đoạn mới về chuyển đổi số."))
        assert sorted(p[0] for p in s.pending_sync()) == ["a1", "a2"]


def test_speaker_and_decree_keys(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        s.upsert(
            art(speakers=[Speaker("Nguyễn Văn Hiếu", "Phó Cục trưởng")], decrees=["09/2017/NĐ-CP"])
        )
        row = s.conn.execute("SELECT speakers_key, decrees_key FROM articles").fetchone()
        assert " nguyen van hieu " in row[0]
        assert row[1].startswith("|9/2017/")


def test_copy_of_a_report_links_to_the_original(tmp_path):
    body = " ".join(
        f"Câu số {i} của bản tin tập huấn phát ngôn tại tỉnh Hà Nam năm 2022." for i in range(40)
    )
    with Store.open(tmp_path / "p.db") as s:
        s.upsert(art("a1", body=body))
        s.upsert(art("a2", title="Hà Nam tập huấn phát ngôn", body=body + " Nguồn: Báo Hà Nam."))
        assert s.get("a2")["duplicate_of"] == "a1"
        assert s.duplicates_of(["a1"]) == {"a1": ["https://x.vn/a2"]}


def test_a_copy_is_found_through_bands_written_without_fingerprints(tmp_path):
    # Bands of a store older than schema 11 carry no fingerprint: the article rows give it.
    body = " ".join(f"Câu số {i} của bản tin tập huấn phát ngôn tại Hà Nam." for i in range(40))
    with Store.open(tmp_path / "p.db") as s:
        s.upsert(art("a0", body="Một bài khác hẳn về nông nghiệp."))
        s.upsert(art("a1", body=body))
        s.conn.execute("UPDATE dedup_bands SET fingerprint = NULL")
        s.conn.commit()
        s.upsert(art("a2", title="Bản tin tập huấn", body=body + " Nguồn: Báo Hà Nam."))
        assert s.get("a2")["duplicate_of"] == "a1"
        assert s.get("a0")["duplicate_of"] is None


def test_an_updated_article_keeps_only_the_bands_of_its_new_text(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        s.upsert(art("a1", body="Nội dung đầu tiên của bài viết về phát ngôn báo chí."))
        s.upsert(art("a1", body="Một nội dung khác hẳn, về nông nghiệp và du lịch cộng đồng."))
        bands = s.conn.execute("SELECT band, fingerprint FROM dedup_bands").fetchall()
        fp = s.conn.execute("SELECT fingerprint FROM articles WHERE id = 'a1'").fetchone()[0]
        assert len(bands) == 4 and {b[1] for b in bands} == {fp}


def test_the_stored_document_is_the_articles_json_with_duplicate_of_last(tmp_path):
    # One encoding gives the document and its hash: the text must be what encoding the whole
    # article dict gives (the export format), whatever the values.
    odd = art(
        "a1",
        title='Tiêu đề "ngoặc" \\ và \u2028 ký tự',
        speakers=[Speaker("Nguyễn Văn A", "Giám đốc")],
        decrees=["09/2017/NĐ-CP"],
        published="2024-05-06",
    )
    with Store.open(tmp_path / "p.db") as s:
        for a in (odd, art("a2", body="Khác.")):
            s.upsert(a)
            a.first_seen = s.get(a.id)["first_seen"]
            a.removed = None
            expected = a.to_dict()
            expected["duplicate_of"] = expected.pop("duplicate_of")
            stored = s.conn.execute(
                "SELECT d.data FROM article_docs d JOIN articles a ON a.rowid = d.rowid "
                "WHERE a.id = ?",
                (a.id,),
            ).fetchone()[0]
            assert stored == json.dumps(expected, ensure_ascii=False)


def test_first_seen_is_kept_and_undated_articles_have_no_date(tmp_path):
    with Store.open(tmp_path / "p.db") as s:
        s.upsert(art())
        s.upsert(art(body="Một nội dung khác hẳn.", fetched_at="2024-06-01T00:00:00+00:00"))
        doc = s.get("a1")
        assert doc["date"] is None and doc["first_seen"] == "2024-01-02T00:00:00+00:00"


def test_migration_2_removes_crawl_dates_and_adds_first_seen(tmp_path):
    db = tmp_path / "old.db"
    with Store.open(db) as s:
        s.upsert(art("undated"))
        s.upsert(
            art(
                "dated",
                title="Bài có ngày",
                body="Khác.",
                published="2023-05-06",
                date="2023-05-06",
            )
        )
    # Put the database back as schema 1 wrote it: the crawl day as `date`, no first_seen.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET date = '2024-01-02' WHERE id = 'undated'")
    conn.execute(
        "UPDATE article_docs SET data = json_remove(json_set(data, '$.date', '2024-01-02'), '$.first_seen')"
    )
    rowid = conn.execute("SELECT rowid FROM articles WHERE id = 'undated'").fetchone()[0]
    conn.execute("UPDATE articles_fts SET tags = tags || ' zy2024' WHERE rowid = ?", (rowid,))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open(db) as s:
        assert s.get("undated")["date"] is None
        assert s.get("undated")["first_seen"] == "2024-01-02T00:00:00+00:00"
        assert s.get("dated")["date"] == "2023-05-06"
        tags = s.conn.execute("SELECT tags FROM articles_fts WHERE rowid = ?", (rowid,)).fetchone()[
            0
        ]
        assert "zy" not in tags
        assert s.count_pending_sync() == 2
