"""Attached documents: readers (PDF, scanned PDF with OCR, DOCX, DOC, TCVN3/VNI), understanding,
the store, the CLI (`documents`, `show`, `search --in documents`) and the crawl that fetches
them from the document fixture site (search_cli/demo/document_sites)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_article, run_cli

from crawler.documents import legacy_fonts, ocr
from crawler.documents.process import READER_VERSION, process_document
from crawler.documents.read import read, sniff
from crawler.documents.understand import understand
from indexer import documents as docs
from indexer.store import Store
from search_cli.demo.server import SiteServer, sources_toml
from search_cli.main import cli
from vnlang.text import fold

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "search_cli" / "demo" / "document_sites"
FILES = SITES / "vanban" / "files"
SOURCE = ROOT / "tests" / "fixtures" / "documents" / "source"
# Each fixture file and the source text it was made from.
FIXTURES = {
    "kh-45-2024.pdf": "kh-45-2024",
    "qd-312-2024.pdf": "qd-312-2024",
    "bc-210-2024.docx": "bc-210-2024",
    "cv-1520-2024.doc": "cv-1520-2024",
    "kh-38-2023-tcvn3.docx": "kh-38-2023",
}
HAVE_OCR = ocr.unavailable_reason() is None
HAVE_DOC = bool(shutil.which("antiword") or shutil.which("catdoc"))
needs_ocr = pytest.mark.skipif(not HAVE_OCR, reason=f"OCR unavailable: {ocr.unavailable_reason()}")
needs_doc = pytest.mark.skipif(not HAVE_DOC, reason="neither antiword nor catdoc is installed")


def token_f1(got: str, want: str) -> float:
    a, b = Counter(re.findall(r"\w+", got.lower())), Counter(re.findall(r"\w+", want.lower()))
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def source(name: str) -> str:
    return (SOURCE / f"{name}.txt").read_text("utf-8")


# -- readers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "fmt", "flags"),
    [
        ("kh-45-2024.pdf", "pdf", ()),
        ("bc-210-2024.docx", "docx", ()),
        pytest.param("cv-1520-2024.doc", "doc", (), marks=needs_doc),
        ("kh-38-2023-tcvn3.docx", "docx", ("legacy-font:tcvn3",)),
        pytest.param("qd-312-2024.pdf", "pdf", ("scanned", "ocr"), marks=needs_ocr),
    ],
)
def test_each_format_is_read_back_to_its_source_text(file, fmt, flags):
    result = read((FILES / file).read_bytes())
    assert result.format == fmt and result.flags == flags, result.note
    threshold = 0.9 if "ocr" in flags else 0.95
    assert token_f1(result.text, source(FIXTURES[file])) >= threshold
    assert result.text == result.text.strip() and "\r" not in result.text


def test_the_tcvn3_document_comes_back_exactly_capitals_included():
    got = read((FILES / "kh-38-2023-tcvn3.docx").read_bytes()).text
    assert got == source("kh-38-2023").strip()


def test_a_scanned_pdf_without_ocr_is_flagged_not_guessed(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pdftoppm, no tesseract
    ocr.unavailable_reason.cache_clear()
    try:
        result = read((FILES / "qd-312-2024.pdf").read_bytes())
    finally:
        ocr.unavailable_reason.cache_clear()
    assert result.flags == ("scanned", "scanned-not-read")
    assert result.text == "" and "not installed" in result.note


def test_a_missing_doc_converter_is_a_flag(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = read((FILES / "cv-1520-2024.doc").read_bytes())
    assert result.flags == ("unread",) and "antiword" in result.note


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"%PDF-1.4 x", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"), (b"<html>", "unknown")],
)
def test_the_bytes_decide_the_format(data, kind):
    assert sniff(data) == kind


def test_broken_files_are_flagged_unreadable_never_raise():
    assert read(b"%PDF-1.4\nnot really a pdf").flags == ("unreadable",)
    assert read(b"<html><body>not a document</body></html>").flags == ("unsupported",)
    broken_docx = (FILES / "bc-210-2024.docx").read_bytes()[:2000]
    assert "unreadable" in read(broken_docx).flags or read(broken_docx).format == "unknown"


# -- legacy fonts ------------------------------------------------------------------------------

VIETNAMESE = (
    "Kế hoạch tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí năm 2024 của "
    "Ủy ban nhân dân tỉnh Ninh Bình; người phát ngôn, quyết định, giữa, gì, thông tin đối ngoại"
)


def test_tcvn3_round_trip_and_detection():
    encoded = legacy_fonts.encode_tcvn3(VIETNAMESE)
    assert encoded.isascii() is False and all(ord(c) < 256 for c in encoded)
    assert legacy_fonts.detect(encoded) == "tcvn3"
    text, encoding = legacy_fonts.to_unicode(encoded)
    assert encoding == "tcvn3" and fold(text) == fold(VIETNAMESE)
    assert legacy_fonts.decode_tcvn3("Ninh B×nh") == "Ninh Bình"


def test_vni_is_detected_and_converted():
    vni = "Xin chaøo caùc baïn, Vieät Nam, ngöôøi phaùt ngoân, ñoàng chí, kyõ naêng, taäp huaán"
    assert legacy_fonts.detect(vni) == "vni"
    assert legacy_fonts.to_unicode(vni)[0] == (
        "Xin chào các bạn, Việt Nam, người phát ngôn, đồng chí, kỹ năng, tập huấn"
    )


@pytest.mark.parametrize(
    "text",
    [
        VIETNAMESE,  # Unicode already
        "Café, résumé, naïve, déjà vu, à la crème brûlée, garçon, façade, señor año",  # Latin-1
        "Plain ASCII text with no marks at all, about press officers.",
        "Giá 25.000 đồng — ½ kg, © 2024 ®",
    ],
)
def test_text_that_is_not_legacy_is_left_alone(text):
    assert legacy_fonts.detect(text) is None
    assert legacy_fonts.to_unicode(text)[0] == text


# -- understanding -----------------------------------------------------------------------------


def test_a_plan_gives_its_header_and_the_trainings_it_schedules():
    f = understand(source("kh-45-2024"))
    assert (f.type, f.symbol, f.number, f.date) == ("plan", "45/KH-UBND", "45", "2024-01-15")
    assert f.issuer == "Ủy ban nhân dân tỉnh Quảng Bình"
    assert (f.signer, f.signer_role) == ("Phan Minh Hiếu", "Phó Chủ tịch")
    assert (f.province, f.province_now) == ("Quảng Bình", "Quảng Trị")
    assert [(p.period, p.start, p.end, p.place) for p in f.planned] == [
        ("quý II năm 2024", "2024-04-01", "2024-06-30", "thành phố Đồng Hới"),
        ("tháng 8 năm 2024", "2024-08-01", "2024-08-31", "huyện Minh Hóa"),
        ("quý IV năm 2024", "2024-10-01", "2024-12-31", "thành phố Đồng Hới"),
    ]
    assert "phát ngôn" in f.planned[0].topics and "thông tin đối ngoại" in f.planned[1].topics
    assert f.planned[0].audience.startswith("người phát ngôn")
    assert f.evidence["symbol"] == "Số: 45/KH-UBND" and "15 tháng 01" in f.evidence["date"]
    assert f.cites == ["09/2017/NĐ-CP"]


def test_a_report_gives_trainings_held_and_totals():
    f = understand(source("bc-210-2024"))
    assert (f.type, f.symbol, f.date) == ("report", "210/BC-UBND", "2024-12-10")
    assert f.totals == {"trainings": 3, "attendees": 265}
    assert [(h.date, h.attendance) for h in f.held] == [
        ("2024-05-23", 120),
        ("2024-08-20", 85),
        ("2024-11-14", 60),
    ]
    assert f.held[0].place == "thành phố Đồng Hới" and f.signer == "Trần Văn Lâm"


def test_a_decision_names_its_spokespeople():
    f = understand(source("qd-312-2024"))
    assert (f.type, f.symbol) == ("decision", "312/QĐ-UBND")
    assert [(p.name, p.role) for p in f.spokespeople] == [
        ("Trần Văn Lâm", "Chủ tịch Ủy ban nhân dân tỉnh"),
        ("Phan Minh Hiếu", "Phó Chủ tịch Ủy ban nhân dân tỉnh"),
        ("Nguyễn Thị Thu Hà", "Chánh Văn phòng Ủy ban nhân dân tỉnh"),
    ]


def test_an_official_letter_convening_a_course():
    f = understand(source("cv-1520-2024"))
    assert (f.type, f.symbol, f.date) == ("official_letter", "1520/UBND-KGVX", "2024-05-06")
    (c,) = f.convened
    assert c.date == "2024-05-23" and "Đồng Hới" in (c.place or "")
    assert f.cites == ["45/KH-UBND"]


def test_nothing_is_invented_from_empty_or_foreign_text():
    assert understand("").type == "other"
    f = understand("Hello world.\nThis is a note without any Vietnamese document layout.")
    assert (f.type, f.symbol, f.date, f.province, f.signer) == ("other", None, None, None, None)


# -- store, links and CLI ---------------------------------------------------------------------


def _fetched(name: str, url: str, referrers: list[str]) -> docs.FetchedDocument:
    data = (FILES / name).read_bytes()
    p = process_document(data)
    return docs.FetchedDocument(
        url=url,
        source="vanban",
        status=200,
        headers={"etag": '"x"', "content-type": "application/pdf"},
        body=data,
        fetched_at="2024-12-11T00:00:00+00:00",
        format=p.format,
        text=p.text,
        flags=p.flags,
        note=p.note,
        facts=p.facts,
        referrers=referrers,
        reader_version=READER_VERSION,
    )


@pytest.fixture(scope="module")
def processed():
    """The fixture documents read once (OCR takes seconds), as FetchedDocuments."""
    names = ["kh-45-2024.pdf", "bc-210-2024.docx", "kh-38-2023-tcvn3.docx"]
    names += ["cv-1520-2024.doc"] if HAVE_DOC else []
    names += ["qd-312-2024.pdf"] if HAVE_OCR else []
    return {n: _fetched(n, f"https://vanban.example.vn/files/{n}", []) for n in names}


@pytest.fixture
def db(tmp_path, processed):
    path = tmp_path / "d.db"
    article_url = "https://vanban.example.vn/tin-tuc/tap-huan-2024.html"
    with Store.open(path) as store:
        store.upsert(
            make_article(
                "a-held",
                url=article_url,
                title="Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí năm 2024",
                body="Ngày 23/5/2024, tại thành phố Đồng Hới, tỉnh Quảng Bình tập huấn kỹ năng "
                "phát ngôn cho người phát ngôn các sở, ngành.",
                province="Quảng Bình",
                province_now="Quảng Trị",
                published="2024-05-23",
                event_date="2024-05-23",
                date="2024-05-23",
                relevant=True,
                topics=["phát ngôn", "cung cấp thông tin cho báo chí"],
            )
        )
        store.upsert(  # same province and topic, outside every planned period
            make_article(
                "a-other",
                url="https://vanban.example.vn/tin-tuc/khac.html",
                title="Tập huấn kỹ năng phát ngôn năm 2023",
                province="Quảng Bình",
                date="2023-03-01",
                published="2023-03-01",
                relevant=True,
                topics=["phát ngôn"],
            )
        )
        for name, doc in processed.items():
            refs = [article_url] if name == "kh-45-2024.pdf" else []
            assert docs.save_document(store, _fetched_with(doc, refs)) == "new"
    return path


def _fetched_with(doc: docs.FetchedDocument, referrers: list[str]) -> docs.FetchedDocument:
    return docs.FetchedDocument(**{**doc.__dict__, "referrers": referrers})


def _plan_id() -> str:
    return docs.document_id("https://vanban.example.vn/files/kh-45-2024.pdf")


def test_saving_again_is_unchanged_and_keeps_referrers(db, processed):
    with Store.open(db) as store:
        doc = processed["kh-45-2024.pdf"]
        assert docs.save_document(store, _fetched_with(doc, ["https://x.vn/list"])) == "unchanged"
        got = docs.get_document(store, _plan_id())
        assert got["referrers"] == [
            "https://vanban.example.vn/tin-tuc/tap-huan-2024.html",
            "https://x.vn/list",
        ]
        assert docs.document_bytes(store, _plan_id()) == (FILES / "kh-45-2024.pdf").read_bytes()


def test_a_plan_links_to_the_training_that_carried_it_out(db):
    with Store.open(db) as store:
        plan = docs.get_document(store, _plan_id())
        linked = docs.links(store, plan)
    assert [a["id"] for a in linked["articles"]] == ["a-held"]
    first, second, third = linked["planned"]
    assert first["article"]["id"] == "a-held"  # quý II 2024, phát ngôn, Đồng Hới
    assert second["article"] is None and third["article"] is None  # a-other is 2023
    assert first["report"]["symbol"] == "210/BC-UBND" and first["report"]["attendance"] == 120
    assert third["report"]["date"] == "2024-11-14"


def test_cli_lists_filters_and_shows_documents(db):
    runner = CliRunner()
    out = runner.invoke(cli, ["documents", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "45/KH-UBND" in out.output and "legacy-font:tcvn3" in out.output
    out = runner.invoke(cli, ["documents", "--db", str(db), "--type", "plan", "--json"])
    assert [d["symbol"] for d in json.loads(out.output)] == ["45/KH-UBND", "38/KH-UBND"]
    out = runner.invoke(cli, ["documents", "--db", str(db), "--from", "2024", "--to", "2024-06"])
    assert "38/KH-UBND" not in out.output and "45/KH-UBND" in out.output
    out = runner.invoke(cli, ["documents", "--db", str(db), "--province", "Quang Tri"])
    assert "45/KH-UBND" in out.output  # the 2025 unit finds the old province's documents
    out = runner.invoke(cli, ["documents", "--db", str(db), "--province", "Hà Nam"])
    assert "no documents match" in out.output
    out = runner.invoke(cli, ["show", _plan_id(), "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "held: article a-held" in out.output and "Phan Minh Hiếu, Phó Chủ tịch" in out.output
    out = runner.invoke(cli, ["show", _plan_id(), "--db", str(db), "--json"])
    assert json.loads(out.output)["links"]["planned"][0]["article"]["id"] == "a-held"
    out = runner.invoke(cli, ["show", "a-held", "--db", str(db)])  # articles first, unchanged
    assert out.exit_code == 0 and "Tập huấn kỹ năng phát ngôn" in out.output


def test_cli_planned_vs_held_and_csv(db):
    runner = CliRunner()
    out = runner.invoke(cli, ["documents", "--db", str(db), "--planned-vs-held"])
    assert out.exit_code == 0, out.output
    assert "45/KH-UBND (2024-01-15): 3 planned, 3 held" in out.output
    assert "38/KH-UBND (2023-02-20): 2 planned, 0 held" in out.output
    out = runner.invoke(cli, ["documents", "--db", str(db), "--csv"])
    assert out.output.startswith("\ufeffid,type,symbol")


def test_search_in_documents_has_the_article_semantics(db):
    runner = CliRunner()

    def ids(*args: str) -> list[str]:
        out = runner.invoke(cli, ["search", "--in", "documents", "--db", str(db), "--json", *args])
        assert out.exit_code == 0, out.output
        return [h["symbol"] for h in json.loads(out.output)]

    assert "45/KH-UBND" in ids("khung hoang truyen thong")  # no diacritics
    assert ids('"khủng hoảng truyền thông"', "--province", "Quảng Bình")[0] in (
        "45/KH-UBND",
        "210/BC-UBND",
    )
    assert ids("minh hoa", "--from", "2024-06") == ["210/BC-UBND"]
    assert ids("kỹ năng", "--province", "Hà Nam") == []
    assert ids("(phát ngôn") != []  # stray punctuation is no error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["documents", "--province", "Atlantis"], "unknown province"),
        (["documents", "--from", "2024-13"], ""),
        (["documents", "--from", "2025", "--to", "2024"], "after --to"),
        (["documents", "--json", "--csv"], "choose one"),
        (["search", "--in", "documents", "x", "--speaker", "An"], "not available with --in"),
        (["show", "doc-0000"], "no article, event, trainer or document"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_changes_nothing(db, args, message):
    before = db.read_bytes()
    out = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert message in out.output and len(out.output.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_read_only_commands_open_an_older_database_read_only(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    conn.close()
    out = CliRunner().invoke(cli, ["documents", "--db", str(path)])
    assert out.exit_code == 0 and "no documents match (0 stored)" in out.output


# -- the crawl ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_crawl_fetches_reads_and_links_documents_once(tmp_path):
    db = tmp_path / "c.db"
    with SiteServer(SITES) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_toml(server, SITES), encoding="utf-8")
        args = ["crawl", "--db", str(db), "--sources", str(sources), "--documents", "-q"]
        args += ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0"]
        first = run_cli(*args)
        assert first.returncode == 0, first.stderr
        assert "Documents: 5 requested, 5 new, 0 updated, 0 unchanged" in first.stdout
        with Store.open(db) as store:
            stored = {d["url"].rsplit("/", 1)[-1]: d for d in docs.list_documents(store)}
            fetched = {u: d["fetched_at"] for u, d in stored.items()}
        assert set(stored) == set(FIXTURES)
        plan = stored["kh-45-2024.pdf"]
        assert len(plan["referrers"]) == 2  # the article and the document listing
        assert stored["kh-38-2023-tcvn3.docx"]["flags"] == ["legacy-font:tcvn3"]
        assert stored["bc-210-2024.docx"]["extracted"]["totals"]["attendees"] == 265
        second = run_cli(*args)  # the same server: validators answer 304
        assert second.returncode == 0, second.stderr
        assert "Documents: 5 requested, 0 new, 0 updated, 5 unchanged" in second.stdout
        with Store.open(db) as store:
            again = {d["url"].rsplit("/", 1)[-1]: d for d in docs.list_documents(store)}
            rows = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            shown = docs.links(store, docs.get_document(store, plan["id"]))
    assert rows == 5 and {u: d["sha256"] for u, d in again.items()} == {
        u: d["sha256"] for u, d in stored.items()
    }
    assert all(again[u]["fetched_at"] == fetched[u] for u in fetched)  # none re-downloaded
    assert shown["planned"][0]["article"]["title"].startswith("Tập huấn kỹ năng phát ngôn")
    assert shown["planned"][1]["article"] is not None


@pytest.mark.slow
def test_crawl_without_documents_fetches_none(tmp_path):
    db = tmp_path / "n.db"
    with SiteServer(SITES) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_toml(server, SITES), encoding="utf-8")
        out = run_cli("crawl", "--db", str(db), "--sources", str(sources), "-q")
        assert out.returncode == 0, out.stderr
    with Store.open(db) as store:
        assert docs.count_documents(store) == 0 and store.count() == 3


def test_reprocess_reads_the_stored_bytes_again(db):
    with Store.open(db) as store:
        store.conn.execute(
            "UPDATE documents SET text = 'old', extracted = '{}', type = 'other' WHERE id = ?",
            (_plan_id(),),
        )
    out = CliRunner().invoke(cli, ["reprocess", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "attached document(s) read again: 1 updated" in out.output
    with Store.open(db) as store:
        plan = docs.get_document(store, _plan_id())
    assert plan["type"] == "plan" and plan["extracted"]["symbol"] == "45/KH-UBND"
    assert "Đồng Hới" in plan["text"]


def test_a_link_title_gives_the_symbol_of_a_document_without_text():
    from crawler.documents.understand import DocumentFacts, fill_from_link_title

    f = fill_from_link_title(DocumentFacts(), "Tải về: Kế hoạch số 186/KH-STTTT năm 2021")
    assert (f.type, f.symbol) == ("plan", "186/KH-STTTT") and "link title" in f.evidence["type"]
    assert fill_from_link_title(DocumentFacts(), "Tải về tệp đính kèm").symbol is None


# -- export and Elasticsearch (offline: the requests we would send) ----------------------------


def test_export_documents_as_json_lines(db):
    out = CliRunner().invoke(cli, ["export", "--documents", "--db", str(db)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert {r["symbol"] for r in rows} >= {"45/KH-UBND", "210/BC-UBND", "38/KH-UBND"}
    plan = next(r for r in rows if r["symbol"] == "45/KH-UBND")
    assert plan["extracted"]["planned"][0]["period"] == "quý II năm 2024" and plan["text"]


def test_elasticsearch_documents_and_mapping(db):
    from indexer.elastic import documents as es_docs

    with Store.open(db) as store:
        actions = list(es_docs.document_actions(docs.iter_documents(store), "p-documents"))
    plan = next(a for a in actions if a["_source"]["symbol"] == "45/KH-UBND")
    assert plan["_id"] == _plan_id() and plan["_index"] == "p-documents"
    src = plan["_source"]
    assert src["year"] == "2024" and src["location"] and len(src["planned"]) == 3
    report = next(a for a in actions if a["_source"]["symbol"] == "210/BC-UBND")["_source"]
    assert (report["trainings_total"], report["attendees_total"]) == (3, 265)
    props = es_docs.mappings()["properties"]
    for action in actions:  # every field sent is mapped
        assert set(action["_source"]) <= set(props), set(action["_source"]) - set(props)
    assert es_docs.documents_index("pressnews-articles") == "pressnews-documents"
    assert es_docs.index_body()["settings"]["analysis"]["analyzer"]["vn_folded"]


def test_documents_sync_against_a_loopback_stand_in(db):
    from test_elastic_offline import FakeElasticsearch

    from indexer.elastic.client import connect
    from indexer.elastic.documents import sync_documents

    server = FakeElasticsearch()
    try:
        es = connect(server.url)
        with Store.open(db) as store:
            first = sync_documents(store, es, articles_alias="pressnews-articles")
            server.indices["pressnews-documents"]["mappings"]["_meta"] = {}  # an older mapping
            second = sync_documents(store, es, articles_alias="pressnews-articles")
            n = docs.count_documents(store)
        stored = server.indices["pressnews-documents"]["docs"]
    finally:
        server.close()
    assert (first.sent, first.accepted, first.failed, first.recreated) == (n, n, [], False)
    assert second.recreated and second.accepted == n and len(stored) == n
    assert "pushed to pressnews-documents" in second.line()


@pytest.mark.slow
def test_documents_over_the_size_cap_are_not_stored(tmp_path):
    db = tmp_path / "cap.db"
    with SiteServer(SITES) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_toml(server, SITES), encoding="utf-8")
        out = run_cli(
            "crawl", "--db", str(db), "--sources", str(sources), "--documents", "-q",
            "-s", "PRESSNEWS_DOCUMENT_MAXSIZE=30000", "-s", "DOWNLOAD_DELAY=0",
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
    with Store.open(db) as store:
        stored = {d["url"].rsplit("/", 1)[-1]: d["size"] for d in docs.list_documents(store)}
        assert store.count() == 3  # the articles are unaffected
    sizes = {p.name: p.stat().st_size for p in FILES.iterdir()}
    assert set(stored) == {n for n, size in sizes.items() if size <= 30000}
    assert stored and len(stored) < len(sizes)


def _typed_then_scanned() -> bytes:
    """A PDF of a typed page followed by a scanned one (joined with pypdf)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for name in ("kh-45-2024.pdf", "qd-312-2024.pdf"):
        writer.add_page(PdfReader(FILES / name).pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@needs_ocr
def test_a_partly_scanned_pdf_has_its_scanned_pages_read_by_ocr():
    result = read(_typed_then_scanned())
    assert result.flags == ("partly-scanned", "ocr") and result.pages == 2
    assert "45/KH-UBND" in result.text and "312/QĐ-UBND" in result.text


def test_a_partly_scanned_pdf_without_ocr_keeps_its_text_pages(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    ocr.unavailable_reason.cache_clear()
    try:
        result = read(_typed_then_scanned())
    finally:
        ocr.unavailable_reason.cache_clear()
    assert result.flags == ("partly-scanned", "scanned-not-read")
    assert "45/KH-UBND" in result.text and "312/QĐ-UBND" not in result.text


def test_a_plan_as_a_table_even_with_rows_a_pdf_wrapped():
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN TỈNH THANH HÓA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 58/KH-UBND Thanh Hóa, ngày 12 tháng 3 năm 2024",
            "KẾ HOẠCH",
            "Đào tạo, bồi dưỡng nghiệp vụ năm 2024",
            "TT | Nội dung | Đối tượng | Thời gian | Địa điểm",
            "1 | Tập huấn kỹ năng phát ngôn | Người phát ngôn các sở,",
            "ban, ngành | Quý 2/2024 | TP. Thanh Hóa",
            "2 | Bồi dưỡng kiến thức thông tin đối ngoại | Cán bộ cấp xã",
            "| Tháng 7/2024 | Huyện Bá Thước",
            "3 | Hội nghị tổng kết năm | Các sở | Quý 4/2024 | TP. Thanh Hóa",
        ]
    )
    f = understand(text)
    assert (f.type, f.symbol, f.province, f.date) == (
        "plan",
        "58/KH-UBND",
        "Thanh Hóa",
        "2024-03-12",
    )
    assert f.issuer == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert [(p.audience, p.start, p.end, p.place) for p in f.planned] == [
        ("Người phát ngôn các sở, ban, ngành", "2024-04-01", "2024-06-30", "TP. Thanh Hóa"),
        ("Cán bộ cấp xã", "2024-07-01", "2024-07-31", "Huyện Bá Thước"),
    ]  # a review conference ("tổng kết") is not a training


def test_a_prose_plan_item_and_a_postponed_training():
    plan = understand(
        "UBND TỈNH AN GIANG\nSố: 1245/KH-STTTT\nAn Giang, ngày 03 tháng 4 năm 2023\nKẾ HOẠCH\n"
        "Bồi dưỡng năm 2023\n1. Nội dung\na) Lớp bồi dưỡng kỹ năng phát ngôn dành cho người "
        "phát ngôn các sở, dự kiến tổ chức trong tháng 6/2023 tại thành phố Long Xuyên."
    )
    (item,) = plan.planned
    assert item.topic == "Lớp bồi dưỡng kỹ năng phát ngôn" and item.place == "thành phố Long Xuyên"
    assert (item.start, item.end, item.audience) == (
        "2023-06-01",
        "2023-06-30",
        "người phát ngôn các sở",
    )
    report = understand(
        "UBND TỈNH AN GIANG\nSố: 3120/BC-STTTT\nAn Giang, ngày 15 tháng 12 năm 2023\nBÁO CÁO\n"
        "Kết quả năm 2023\nNgày 22/6/2023, tổ chức lớp bồi dưỡng kỹ năng phát ngôn cho 150 học "
        "viên.\nLớp bồi dưỡng thông tin đối ngoại dự kiến ngày 20/9/2023 chưa thực hiện được."
    )
    assert [(h.date, h.attendance) for h in report.held] == [("2023-06-22", 150)]


def test_a_planned_training_links_to_its_training_event(db):
    """Once the events are computed, the article that carried a planned training out brings
    its event: `show` of the plan names it, `--planned-vs-held` counts it."""
    from crawler.events.recompute import recompute_events
    from indexer.events import event_of_article

    with Store.open(db) as store:
        recompute_events(store, full=True)
        event_id = event_of_article(store, "a-held")
        assert event_id is not None
        linked = docs.links(store, docs.get_document(store, _plan_id()))
        assert linked["planned"][0]["event"]["id"] == event_id
        assert linked["planned"][1]["event"] is None
        rows = docs.planned_vs_held(store, "Quảng Bình")
    plan = next(r for r in rows if r["plan"] == "45/KH-UBND")
    assert plan["held_event"] == 1
    out = CliRunner().invoke(cli, ["show", _plan_id(), "--db", str(db)])
    assert f"training event {event_id}" in out.output


def test_the_html_report_has_planned_vs_held(db, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Planned and held" in page and "45/KH-UBND" in page
