"""Corrections that last (issue 15, part 2): `pressnews correct`, `corrections`, `export
--corrections`. Stores are built through `Store.upsert` with real raw pages, so `pressnews
reprocess` re-extracts them; nothing of pressnews is mocked."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from cli_support import assert_clean_success, assert_one_line_error, invoke, snapshot
from conftest import make_article

from crawler.article_from_page import EXTRACTOR_VERSION, process_page
from indexer.corrections import Change, apply, parse_change
from indexer.model import Speaker
from indexer.store import RawPage, Store

URL = "https://hanam.gov.vn/tap-huan-phat-ngon-2022"
FETCHED = "2024-01-02T00:00:00+00:00"
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Hà Nam tập huấn kỹ năng phát ngôn</title>
<meta property="article:published_time" content="2022-09-23T08:00:00+07:00"></head>
<body><article><h1>Hà Nam tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí</h1>
<p>Ngày 23/9/2022, Sở Thông tin và Truyền thông tỉnh Hà Nam tổ chức hội nghị tập huấn kỹ năng
phát ngôn và cung cấp thông tin cho báo chí năm 2022.</p>
<p>Phát biểu khai mạc, ông Nguyễn Văn Hiếu, Giám đốc Sở Thông tin và Truyền thông, nhấn mạnh vai
trò của người phát ngôn theo Nghị định số 09/2017/NĐ-CP của Chính phủ.</p>
<p>Hội nghị có sự tham gia của hơn 100 đại biểu là người phát ngôn của các sở, ban, ngành và ủy
ban nhân dân các huyện, thị xã, thành phố trong tỉnh.</p>{extra}
</article></body></html>"""
OTHER = make_article(
    "th1",
    url="https://thanhhoa.gov.vn/doi-ngoai",
    source="thanhhoa",
    title="Thanh Hóa tập huấn thông tin đối ngoại",
    body="Tỉnh Thanh Hóa tổ chức tập huấn kỹ năng phát ngôn và thông tin đối ngoại. " * 4,
    published="2023-05-10",
    date="2023-05-10",
    province="Thanh Hóa",
    province_now="Thanh Hóa",
    relevant=True,
)


def page(extra: str = "") -> str:
    return PAGE.replace("{extra}", extra)


def extracted(html: str):
    return process_page(URL, html, source="hanam", fetched_at=FETCHED)


def raw(html: str) -> RawPage:
    return RawPage(
        URL, 200, {"content-type": "text/html; charset=utf-8"}, html.encode(), FETCHED,
        EXTRACTOR_VERSION,
    )  # fmt: skip


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "data" / "p.db"
    with Store.open(path) as store:
        store.upsert(extracted(page()), raw(page()))
        store.upsert(OTHER)
    return path


@pytest.fixture
def aid() -> str:
    return extracted(page()).id


def cli(db: Path, *args: str):
    return invoke(*args, "--db", str(db))


def stored(db: Path, article_id: str) -> dict:
    with Store.open_readonly(db) as store:
        doc = store.get(article_id)
    assert doc is not None
    return doc


def search_ids(db: Path, *args: str) -> list[str]:
    result = cli(db, "search", *args, "--json")
    assert_clean_success(result)
    return [hit["id"] for hit in json.loads(result.output)]


def exported_corrections(db: Path) -> list[dict]:
    result = cli(db, "export", "--corrections")
    assert_clean_success(result)
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_the_extracted_article_is_as_the_tests_expect(db, aid):
    doc = stored(db, aid)
    assert (doc["province"], doc["province_now"]) == ("Hà Nam", "Ninh Bình")
    assert doc["speakers"] == [
        {"name": "Nguyễn Văn Hiếu", "role": "Giám đốc Sở Thông tin và Truyền thông"}
    ]
    assert doc["relevant"] is True


def test_a_province_correction_applies_at_once_and_search_finds_it(db, aid):
    assert aid in search_ids(db, "--province", "Ninh Bình")
    result = cli(db, "correct", aid, "--set", "province=thanh hoa", "--note", "held in Thanh Hóa")
    assert_clean_success(result)
    assert "Correction 1 of article" in result.output
    doc = stored(db, aid)
    assert (doc["province"], doc["province_now"]) == ("Thanh Hóa", "Thanh Hóa")
    assert aid in search_ids(db, "--province", "Thanh Hoá")
    assert aid in search_ids(db, "tập huấn", "--province", "Thanh Hóa")  # the FTS tag path
    assert aid not in search_ids(db, "--province", "Ninh Bình")
    assert aid not in search_ids(db, "tập huấn", "--province", "Hà Nam")


def test_a_correction_moves_the_article_to_the_next_elasticsearch_sync(db, aid):
    with Store.open(db) as store:
        store.mark_synced([(a, seq) for a, seq, _ in store.pending_sync()])
        assert store.count_pending_sync() == 0
    assert_clean_success(cli(db, "correct", aid, "--set", "relevant=false"))
    with Store.open(db) as store:
        [(pending_id, _, doc)] = list(store.pending_sync())
    assert pending_id == aid and doc["relevant"] is False


def test_a_correction_survives_reprocess(db, aid):
    assert_clean_success(cli(db, "correct", aid, "--set", "province=Thanh Hóa"))
    assert_clean_success(cli(db, "correct", aid, "--remove", "speaker=Nguyễn Văn Hiếu"))
    # Reprocess rewrites the article from its raw page: the raw page gains a paragraph, so the
    # re-extracted article differs from the stored one and is written again.
    with Store.open(db) as store:
        html = page("<p>Hội nghị kết thúc trong ngày, các đại biểu đánh giá cao nội dung.</p>")
        store.conn.execute(
            "UPDATE raw_pages SET body = ? WHERE article_id = ?",
            (zlib.compress(html.encode()), aid),
        )
    result = cli(db, "reprocess")
    assert_clean_success(result)
    assert "1 updated" in result.output
    doc = stored(db, aid)
    assert "kết thúc trong ngày" in doc["body"]  # re-extracted ...
    assert (doc["province"], doc["province_now"]) == ("Thanh Hóa", "Thanh Hóa")  # ... corrected
    assert doc["speakers"] == []
    assert aid in search_ids(db, "--province", "Thanh Hóa")
    # A second reprocess finds nothing to change: the corrections are part of the article.
    result = cli(db, "reprocess")
    assert_clean_success(result)
    assert "0 updated" in result.output


def test_a_correction_survives_an_upsert_of_the_re_extracted_article(db, aid):
    assert_clean_success(cli(db, "correct", aid, "--set", "speaker=Nguyễn Văn Hiếu|Phó Giám đốc"))
    html = page("<p>Ông Trần Văn Bình, Phó Chủ tịch UBND tỉnh, phát biểu bế mạc hội nghị.</p>")
    with Store.open(db) as store:  # a re-crawl: the pipeline upserts the new extraction
        assert store.upsert(extracted(html), raw(html)) == "updated"
    doc = stored(db, aid)
    assert "bế mạc" in doc["body"]
    speakers = {s["name"]: s["role"] for s in doc["speakers"]}
    assert speakers["Nguyễn Văn Hiếu"] == "Phó Giám đốc"
    [row] = exported_corrections(db)
    assert row["extracted"] == [{"name": n, "role": r} for n, r in _speakers_of(html)]


def _speakers_of(html: str) -> list[tuple[str, str]]:
    return [(s.name, s.role) for s in extracted(html).speakers]


def test_export_corrections_are_labelled_examples(db, aid):
    assert_clean_success(
        invoke(
            "correct", aid, "--set", "province=Thanh Hóa", "--set", "decree=Luật Báo chí 2016",
            "--note", "the venue", "--author", "lan", "--db", str(db),
        )
    )  # fmt: skip
    rows = exported_corrections(db)
    assert [r["field"] for r in rows] == ["province", "decree"]
    province, decree = rows
    assert province["id"] == aid and province["url"] == URL
    assert province["title"].startswith("Hà Nam tập huấn")
    assert (province["extracted"], province["corrected"]) == ("Hà Nam", "Thanh Hóa")
    assert (province["note"], province["author"]) == ("the venue", "lan")
    assert decree["extracted"] == ["09/2017/NĐ-CP"]
    assert decree["corrected"] == ["09/2017/NĐ-CP", "Luật Báo chí 2016"]
    assert aid in search_ids(db, "--decree", "Luật Báo chí")


def test_undo_gives_the_extracted_value_back_and_keeps_the_others(db, aid):
    assert_clean_success(cli(db, "correct", aid, "--set", "province=Thanh Hóa"))
    assert_clean_success(cli(db, "correct", aid, "--set", "relevant=false"))
    assert aid not in search_ids(db, "tập huấn")  # not relevant any more
    assert aid in search_ids(db, "tập huấn", "--all")
    result = cli(db, "correct", "--undo", "1")
    assert_clean_success(result)
    assert "Undid correction 1" in result.output
    doc = stored(db, aid)
    assert (doc["province"], doc["province_now"]) == ("Hà Nam", "Ninh Bình")
    assert doc["relevant"] is False  # correction 2 still applies
    assert aid in search_ids(db, "--province", "Hà Nam", "--all")
    assert aid not in search_ids(db, "--province", "Thanh Hóa", "--all")
    assert [r["correction"] for r in exported_corrections(db)] == [2]
    listed = json.loads(cli(db, "corrections", "--json").output)
    assert [(c["id"], c["undone"] is not None) for c in listed] == [(1, True), (2, False)]
    line = assert_one_line_error(cli(db, "correct", "--undo", "1"), 1)
    assert "already undone" in line
    # The undone correction stays undone through a reprocess.
    assert_clean_success(cli(db, "reprocess"))
    assert stored(db, aid)["province"] == "Hà Nam"


def test_event_date_and_speaker_role_corrections(db, aid):
    assert_clean_success(
        cli(db, "correct", aid, "--set", "event_date=20/09/2022", "--set", "speaker=Lê Thị Hoa")
    )
    doc = stored(db, aid)
    assert doc["event_date"] == "2022-09-20" and doc["date"] == "2022-09-23"  # published first
    assert [s["name"] for s in doc["speakers"]] == ["Nguyễn Văn Hiếu", "Lê Thị Hoa"]
    assert aid in search_ids(db, "--speaker", "le thi hoa")
    assert_clean_success(cli(db, "correct", aid, "--remove", "speaker"))
    assert stored(db, aid)["speakers"] == []


def test_corrections_list_and_export_are_read_only(db, aid):
    assert_clean_success(cli(db, "correct", aid, "--set", "province=Thanh Hóa", "--author", "an"))
    before = snapshot(db.parent)
    result = cli(db, "corrections")
    assert_clean_success(result)
    assert "set province = Thanh Hóa" in result.output and "active" in result.output
    assert_clean_success(cli(db, "corrections", "--json"))
    assert_clean_success(cli(db, "export", "--corrections"))
    assert snapshot(db.parent) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "colour=red"], "cannot correct 'colour'"),
        (["--set", "province=Atlantis"], "unknown province 'Atlantis'"),
        (["--set", "relevant=maybe"], "give true or false"),
        (["--set", "event_date=32/13/2022"], "is not a date"),
        (["--remove", "relevant"], "--set relevant=true or false"),
        (["--remove", "speaker=Không Có Ai"], "has no speaker 'Không Có Ai'"),
        (["--remove", "decree=99/2099/NĐ-CP"], "cites no document"),
        ([], "nothing to correct"),
    ],
)
def test_bad_corrections_are_one_line_errors_and_change_nothing(db, aid, args, message):
    before = snapshot(db.parent)
    line = assert_one_line_error(cli(db, "correct", aid, *args), 1)
    assert message in line
    assert snapshot(db.parent) == before


def test_an_unknown_article_or_correction_is_a_one_line_error(db):
    assert "no article with id 'nope'" in assert_one_line_error(
        cli(db, "correct", "nope", "--set", "relevant=true"), 1
    )
    assert "no correction 9" in assert_one_line_error(cli(db, "correct", "--undo", "9"), 1)
    assert "--undo takes a correction id alone" in assert_one_line_error(
        cli(db, "correct", "x", "--undo", "1"), 1
    )


def test_apply_is_pure_and_ordered():
    a = make_article(
        "a",
        published="2025-08-01",
        date="2025-08-01",
        speakers=[Speaker("Nguyễn Văn A", "Giám đốc")],
        decrees=["09/2017/NĐ-CP"],
    )
    apply(
        a,
        [
            parse_change("set", "province=Hà Nam"),  # after the merger: its 2025 unit
            parse_change("set", "speaker=nguyen van a|Phó Giám đốc"),
            parse_change("remove", "decree=Nghị định 9/2017/ND-CP"),
            Change("relevant", "set", "true"),
        ],
    )
    assert (a.province, a.province_now) == ("Ninh Bình", "Ninh Bình")
    assert a.speakers == [Speaker("Nguyễn Văn A", "Phó Giám đốc")]
    assert a.decrees == [] and a.relevant is True
    apply(a, [parse_change("remove", "province")])
    assert (a.province, a.province_now) == (None, None)


# -- corrections recompute the training events at once ------------------------------------------
SECOND_REPORT = make_article(
    "hn2",
    url="https://baohanam.vn/phat-ngon-2022",
    source="baohanam",
    title="Hơn 100 người phát ngôn được tập huấn",
    body=(
        "Ngày 23/9/2022, Sở Thông tin và Truyền thông tỉnh Hà Nam tổ chức tập huấn kỹ năng phát "
        "ngôn và cung cấp thông tin cho báo chí. Ông Nguyễn Văn Hiếu, Giám đốc Sở khai mạc."
    ),
    published="2022-09-24",
    event_date="2022-09-23",
    date="2022-09-24",
    province="Hà Nam",
    province_now="Ninh Bình",
    relevant=True,
    speakers=[Speaker("Nguyễn Văn Hiếu", "Giám đốc Sở Thông tin và Truyền thông")],
    topics=["phát ngôn"],
)


@pytest.fixture
def events_db(db: Path) -> Path:
    """The store after a crawl: a second report of the Hà Nam training, events computed."""
    from crawler.events.recompute import recompute_events

    with Store.open(db) as store:
        store.upsert(SECOND_REPORT)
        recompute_events(store)
    return db


def event_of(db: Path, article_id: str) -> tuple[str | None, str | None, list[str]]:
    """(event id, its province now, its report ids) of the article; Nones when in no event."""
    from indexer.events import event_of_article, get_event

    with Store.open_readonly(db) as store:
        eid = event_of_article(store, article_id)
        ev = get_event(store, eid) if eid else None
    if ev is None:
        return None, None, []
    return ev.id, ev.province_now, sorted(r.id for r in ev.reports)


def test_corrections_recompute_the_events_of_the_provinces_concerned_at_once(events_db, aid):
    db = events_db
    eid, where, reports = event_of(db, aid)
    assert where == "Ninh Bình" and reports == sorted([aid, "hn2"])
    # Not relevant: the article leaves its event at once, the other report keeps it.
    result = cli(db, "correct", aid, "--set", "relevant=false")
    assert_clean_success(result)
    assert "Training events of Ninh Bình recomputed: the article is in no event." in result.output
    assert event_of(db, aid) == (None, None, [])
    assert event_of(db, "hn2") == (eid, "Ninh Bình", ["hn2"])
    # Undone: back in the same event.
    result = cli(db, "correct", "--undo", "1")
    assert_clean_success(result)
    assert f"the article is a report of event {eid}." in result.output
    assert event_of(db, aid) == (eid, "Ninh Bình", sorted([aid, "hn2"]))
    # Another province: out of the Hà Nam training, into an event of Thanh Hóa; both provinces
    # recomputed.
    result = cli(db, "correct", aid, "--set", "province=Thanh Hóa")
    assert_clean_success(result)
    assert "Training events of Thanh Hóa and Ninh Bình recomputed" in result.output
    new_id, where, reports = event_of(db, aid)
    assert where == "Thanh Hóa" and reports == [aid]
    other_id, where, reports = event_of(db, "hn2")
    assert where == "Ninh Bình" and reports == ["hn2"]
    assert eid in (new_id, other_id) and new_id != other_id  # a split of equal parts
    # `pressnews events` shows it without a crawl or a reprocess.
    listed = json.loads(cli(db, "events", "--province", "Thanh Hóa", "--json").output)
    assert new_id in {e["id"] for e in listed}


def test_a_correction_of_an_article_outside_the_events_recomputes_nothing(events_db, aid):
    db = events_db
    assert_clean_success(cli(db, "correct", aid, "--set", "relevant=false"))
    before = snapshot(db.parent)
    result = cli(db, "correct", aid, "--set", "speaker=Lê Thị Hoa")
    assert_clean_success(result)
    assert "Training events" not in result.output
    assert event_of(db, aid) == (None, None, [])
    assert snapshot(db.parent) != before  # the correction itself is stored
