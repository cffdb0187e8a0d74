"""`Store.upsert_many` writes exactly what `upsert` one by one writes; chunked raw-page reads."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

from conftest import make_article

from indexer import corrections
from indexer.model import Attachment, Image, Speaker
from indexer.store import RawPage, Store

BODY = " ".join(
    f"Câu số {i} của bản tin tập huấn phát ngôn tại tỉnh Hà Nam năm 2022." for i in range(40)
)


def _batch() -> list:
    return [
        make_article(
            "n1", speakers=[Speaker("Nguyễn Văn A", "Giám đốc")], decrees=["09/2017/NĐ-CP"]
        ),
        make_article("n2", body=BODY),
        make_article("n3", title="Hà Nam tập huấn phát ngôn", body=BODY + " Nguồn: Báo Hà Nam."),
        make_article("old", body="Nội dung mới của bài cũ. " * 5),  # updated
        make_article("same"),  # unchanged
        make_article("fixed", title="Bài được sửa"),  # has a correction
    ]


def _state(path: Path) -> list[tuple]:
    with Store.open(path) as s:
        rows = s.conn.execute(
            "SELECT a.rowid, a.id, a.seq, a.duplicate_of, a.content_hash, a.speakers_key, "
            "d.data FROM articles a JOIN article_docs d ON d.rowid = a.rowid ORDER BY a.rowid"
        ).fetchall()
        fts = s.conn.execute("SELECT rowid, * FROM articles_fts ORDER BY rowid").fetchall()
        bands = s.conn.execute("SELECT * FROM dedup_bands ORDER BY band, article_id").fetchall()
        seq = s.get_meta("seq")
        fixes = s.conn.execute("SELECT article_id, extracted FROM corrections").fetchall()
    return [tuple(r) for r in rows + fts + bands + fixes] + [(seq,)]


def _prepared(path: Path) -> None:
    with Store.open(path) as s:
        s.upsert(make_article("old"))
        s.upsert(make_article("same"))
        s.upsert(make_article("fixed"))
        corrections.record(s, "fixed", [corrections.Change("relevant", "set", "true")])


def test_upsert_many_writes_what_upsert_writes(tmp_path):
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    _prepared(one)
    _prepared(many)
    with Store.open(one) as s:
        expected = [s.upsert(a) for a in _batch()]
    with Store.open(many) as s:
        outcomes = s.upsert_many([(a, None, None) for a in _batch()])
    assert outcomes == expected == ["new", "new", "new", "updated", "unchanged", "updated"]
    assert _state(many) == _state(one)
    with Store.open(many) as s:
        assert s.get("n3")["duplicate_of"] == "n2"  # a copy of an article of the same batch
        assert s.get("fixed")["relevant"] is True  # the correction applied


def test_upsert_many_with_an_id_twice_and_raw_pages(tmp_path):
    raw = RawPage("https://example.vn/x", 200, {"content-type": "text/html"}, b"<p>x</p>", "t", "1")
    items = [
        (make_article("x"), raw, None),
        (make_article("x", title="Bài x sửa"), raw, None),
    ]
    with Store.open(tmp_path / "p.db") as s:
        assert s.upsert_many(items) == ["new", "updated"]
        assert s.get("x")["title"] == "Bài x sửa"
        assert s.count() == 1
        assert [back for _, back in s.iter_raw()] == [replace(raw)]


def test_iter_raw_reads_in_chunks(tmp_path):
    raw = RawPage("u", 200, {}, b"<p>x</p>", "t", "1")
    with Store.open(tmp_path / "p.db") as s:
        s.upsert_many([(make_article(f"a{i}"), raw, None) for i in range(7)])
        assert [a["id"] for a, _ in s.iter_raw(chunk=3)] == [f"a{i}" for i in range(7)]


def test_to_dict_is_asdict():
    a = make_article(
        "a",
        speakers=[Speaker("A", "B")],
        images=[Image("u", "c")],
        attachments=[Attachment("u", "t", "pdf")],
        authors=["x"],
        topics=["y"],
    )
    expected = {k: v for k, v in asdict(a).items() if k != "evidence"}  # not exported
    assert a.to_dict() == expected
    assert list(a.to_dict()) == list(expected)
    assert a.to_dict()["speakers"] is not a.speakers


def test_upsert_many_keeps_a_removal_as_upsert_does(tmp_path):
    """A reprocess writes in batches: an article whose page was removed stays marked removed."""
    from indexer import history

    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.upsert(make_article("gone"))
        store.upsert(make_article("kept"))
        history.mark_removed(store, "gone", "http 404", "2026-12-01T00:00:00+00:00")
        store.upsert_many([(make_article("gone"), None, None), (make_article("kept"), None, None)])
        assert store.get("gone")["removed"] == "2026-12-01"
        assert store.get("kept")["removed"] is None
