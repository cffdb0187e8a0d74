"""`pressnews feed` and `crawl --feed`: a valid Atom feed of the newest trainings."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import feedparser
import pytest
from cli_support import assert_one_line_error, invoke, snapshot
from conftest import FAST, export, run_cli

from indexer.feed import FeedSpec, article_uri, build_feed
from indexer.model import Article, Speaker
from indexer.store import Store

TITLE_HN = "Tập huấn kỹ năng phát ngôn & cung cấp thông tin <cho> báo chí"


def _distinct_body(seed: str) -> str:
    words = [
        "tập",
        "huấn",
        "phát",
        "ngôn",
        "báo",
        "chí",
        "thông",
        "tin",
        "đối",
        "ngoại",
        "khủng",
        "hoảng",
        "truyền",
        "thông",
        "tỉnh",
        "sở",
    ]
    rng = random.Random(seed)
    return " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(300))


def _article(id: str, **kw) -> Article:
    kw.setdefault("url", f"https://example.gov.vn/{id}")
    kw.setdefault("source", "test")
    kw.setdefault("title", f"Tập huấn phát ngôn {id}")
    # Bodies apart, so that no article is stored as a copy of another (copies are not listed).
    kw.setdefault("body", _distinct_body(id))
    kw.setdefault("relevant", True)
    kw.setdefault("fetched_at", "2024-01-02T00:00:00+00:00")
    return Article(id=id, **kw)


ARTICLES = [
    _article(
        "hn",
        title=TITLE_HN,
        published="2022-09-23T08:30:00",
        date="2022-09-23",
        province="Hà Nam",
        province_now="Ninh Bình",
        speakers=[Speaker("Nguyễn Văn Hiếu", "Giám đốc Sở Thông tin và Truyền thông")],
        decrees=["09/2017/NĐ-CP"],
        topics=["phát ngôn", "cung cấp thông tin cho báo chí"],
    ),
    _article(
        "nd",
        published="2023-03-01",
        date="2023-03-01",
        province="Nam Định",
        province_now="Ninh Bình",
    ),
    _article(
        "th",
        published="2024-05-10",
        date="2024-05-10",
        province="Thanh Hóa",
        province_now="Thanh Hóa",
    ),
    # No publication date, only the event's: dated, but no `published`.
    _article("ev", event_date="2021-04-02", date="2021-04-02", province="Ninh Bình"),
    # Undated: listed after every dated article (as `search --sort date`), never given a
    # published date; the newest first seen first.
    _article(
        "undated",
        province="Ninh Bình",
        province_now="Ninh Bình",
        fetched_at="2023-10-01T12:00:00+00:00",
    ),
    _article("undated_old", fetched_at="2023-01-01T00:00:00+00:00"),
    _article(
        "other",
        title="Tin hoạt động khác",
        published="2025-01-01",
        date="2025-01-01",
        province="Hà Nam",
        province_now="Ninh Bình",
        relevant=False,
    ),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "p.db"
    with Store.open(path) as store:
        for a in ARTICLES:
            store.upsert(a)
    return path


def _feed(db: Path, out: Path, *args: str) -> feedparser.FeedParserDict:
    result = invoke("feed", "--db", str(db), "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    parsed = feedparser.parse(out.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _ids(parsed: feedparser.FeedParserDict) -> list[str]:
    return [e.id.rsplit("/", 1)[1] for e in parsed.entries]


def test_feed_is_valid_atom_newest_first(db, tmp_path):
    parsed = _feed(db, tmp_path / "trainings.atom")
    # Relevant only, newest date first; undated last, the newest first seen first.
    assert _ids(parsed) == ["th", "nd", "hn", "ev", "undated", "undated_old"]
    f = parsed.feed
    assert f.id.startswith("tag:") and f.title and f.updated
    assert any(link.rel == "self" for link in f.links)
    assert f.updated_parsed == parsed.entries[0].updated_parsed  # the newest entry's time
    dated = [e.updated_parsed for e in parsed.entries if "published" in e or e.id.endswith("ev")]
    assert dated == sorted(dated, reverse=True) and len(dated) == 4
    assert parsed.entries[-2].updated_parsed > parsed.entries[-1].updated_parsed
    for entry in parsed.entries:
        assert entry.id == article_uri(entry.id.rsplit("/", 1)[1])
        assert entry.link.startswith("https://example.gov.vn/")
        assert entry.title and entry.summary


def test_dates_are_never_invented(db, tmp_path):
    entries = {e.id.rsplit("/", 1)[1]: e for e in _feed(db, tmp_path / "f.atom").entries}
    undated = entries["undated"]
    assert "published" not in undated  # not the crawl date
    assert undated.updated.startswith("2023-10-01T12:00:00")  # when the store first saw it
    assert "not given" in undated.summary
    assert "published" not in entries["ev"]  # only an event date: no publication date
    assert entries["ev"].updated.startswith("2021-04-02")
    assert entries["hn"].published.startswith("2022-09-23T08:30:00")
    assert entries["nd"].published.startswith("2023-03-01")


def test_vietnamese_and_markup_survive(db, tmp_path):
    out = tmp_path / "f.atom"
    entry = next(e for e in _feed(db, out).entries if e.id.endswith("/hn"))
    assert entry.title == TITLE_HN and unicodedata.is_normalized("NFC", entry.title)
    assert "Nguyễn Văn Hiếu (Giám đốc Sở Thông tin và Truyền thông)" in entry.summary
    assert "Hà Nam (since 1 July 2025: Ninh Bình)" in entry.summary
    assert "09/2017/NĐ-CP" in entry.summary and "2022-09-23" in entry.summary
    terms = {t.term for t in entry.tags}
    assert {"phát ngôn", "cung cấp thông tin cho báo chí", "Hà Nam", "Ninh Bình"} <= terms
    raw = out.read_bytes()
    assert raw.startswith(b"<?xml") and "Hiếu".encode() in raw
    assert b"&amp; cung" in raw and b"&lt;cho&gt;" in raw


def test_province_has_search_semantics(db, tmp_path):
    # A 2025 unit includes the old units merged into it; an old unit only itself.
    assert _ids(_feed(db, tmp_path / "a.atom", "--province", "ninh binh")) == [
        "nd",
        "hn",
        "ev",
        "undated",
    ]
    hanam = _feed(db, tmp_path / "b.atom", "--province", "ha nam")
    assert _ids(hanam) == ["hn"] and hanam.feed.title.endswith("Hà Nam")
    both = _feed(db, tmp_path / "c.atom", "--province", "Hà Nam", "--all")
    assert _ids(both) == ["other", "hn"]
    line = assert_one_line_error(
        invoke(
            "feed", "--db", str(db), "--out", str(tmp_path / "d.atom"), "--province", "Atlantis"
        ),
        1,
    )
    assert "unknown province" in line and not (tmp_path / "d.atom").exists()


def test_limit_and_all(db, tmp_path):
    assert _ids(_feed(db, tmp_path / "a.atom", "--limit", "2")) == ["th", "nd"]
    assert _ids(_feed(db, tmp_path / "b.atom", "--all", "--limit", "1")) == ["other"]


def test_the_store_is_byte_identical_and_the_feed_replaced(db, tmp_path):
    before = snapshot(db.parent)
    out = tmp_path / "feed.atom"
    out.write_text("old")
    _feed(db, out)
    assert snapshot(db.parent) == before  # no -wal, -shm or other file either
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "feed.atom"]  # no temp left


def test_a_missing_database_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "f.atom"
    line = assert_one_line_error(
        invoke("feed", "--db", str(tmp_path / "none" / "p.db"), "--out", str(out)), 1
    )
    assert "no database at" in line
    assert list(tmp_path.iterdir()) == []


def test_out_in_a_missing_folder_is_one_line(db, tmp_path):
    out = tmp_path / "missing" / "f.atom"
    line = assert_one_line_error(invoke("feed", "--db", str(db), "--out", str(out)), 1)
    assert "does not exist" in line and not out.parent.exists()
    line = assert_one_line_error(invoke("feed", "--db", str(db), "--out", str(tmp_path)), 1)
    assert "is a folder" in line


def test_an_empty_feed_is_valid(tmp_path):
    data = build_feed([], spec=FeedSpec(), self_url="file:///f.atom", now="2025-07-01T00:00:00Z")
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.updated


def test_characters_xml_cannot_hold_are_dropped():
    article = {
        "id": "x",
        "url": "https://a.vn/x",
        "title": "Tập\x00 huấn\x0b",
        "date": "2024-01-01",
    }
    data = build_feed([article], spec=FeedSpec(), self_url="file:///f", now="2025-01-01")
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.entries[0].title == "Tập huấn"


# -- crawl --feed: a real crawl of the fixture sites on loopback --------------------------------
@pytest.mark.slow
def test_crawl_refreshes_the_feed(crawl, tmp_path):
    out = tmp_path / "trainings.atom"
    db = tmp_path / "p.db"
    result = run_cli(
        "crawl",
        "--db",
        str(db),
        "--sources",
        str(crawl.sources_file),
        "-q",
        "--feed",
        str(out),
        *FAST,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    parsed = feedparser.parse(out.read_bytes())
    assert not parsed.bozo and parsed.entries
    stored = {a["url"] for a in export(db) if a["relevant"]}
    assert {e.link for e in parsed.entries} <= stored


@pytest.mark.slow
def test_a_feed_that_cannot_be_written_is_a_warning(crawl, tmp_path):
    out = tmp_path / "missing" / "f.atom"
    result = run_cli(
        "crawl",
        "--db",
        str(tmp_path / "p.db"),
        "--sources",
        str(crawl.sources_file),
        "-q",
        "--feed",
        str(out),
        *FAST,
    )
    assert result.returncode == 0, result.stderr[-2000:]  # the crawl's own status
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("Warning: feed")]
    assert len(warnings) == 1 and "does not exist" in warnings[0]
    assert not out.parent.exists()
