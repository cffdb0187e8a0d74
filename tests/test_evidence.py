"""Evidence: every extracted and enriched value says where it came from and which rule decided
it; stored with the article, refreshed by reprocess, shown by `show --why`, exported with
`export --evidence`, sent to Elasticsearch as a stored, non-indexed object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_article

from crawler.article_from_page import process_page
from crawler.enrich.dates import extract_event_date
from crawler.enrich.documents import extract_documents
from crawler.enrich.enrich_article import enrich, enrich_with_evidence
from crawler.enrich.provinces import detect_province
from crawler.enrich.relevance import judge
from crawler.enrich.speakers import extract_speakers
from crawler.extract.page import extract
from indexer.elastic import mapping
from indexer.elastic.sync import to_document
from indexer.explain import FIELDS, evidence_problems
from indexer.model import Evidence, Extracted, Image
from indexer.store import RawPage, Store
from search_cli.demo.sites_config import SITES_DIR
from search_cli.main import cli

SEED_PAGE = (
    SITES_DIR / "wordpress/2023/09/23/tap-huan-ky-nang-phat-ngon-va-cung-cap-thong-tin-cho-bao-chi-nam-2023"
    / "index.html"
)  # fmt: skip


def _true_offsets(text: str, items: list[Evidence]) -> None:
    for e in items:
        if e.start is not None and e.source != "caption":
            assert text[e.start : e.end] == e.excerpt, e


def _of(items: list[Evidence], field: str) -> list[Evidence]:
    return [e for e in items if e.field == field]


# -- each field on small texts -------------------------------------------------------------------
def test_speaker_evidence_names_the_sentence_and_the_pattern_family():
    body = (
        "Sáng 12/3/2024, Sở Tư pháp tổ chức hội nghị tập huấn.\n"
        "Phát biểu khai mạc, ông Nguyễn Văn Hùng, Giám đốc Sở Tư pháp, đề nghị học viên chú ý.\n"
        "Dự hội nghị có ông Trần Văn Bình, Phó Chủ tịch UBND huyện."
    )
    why: list[Evidence] = []
    speakers = extract_speakers(body, [], why)
    assert [s.name for s in speakers] == ["Nguyễn Văn Hùng"]
    (name,) = _of(why, "speakers")
    assert name.source == "body" and "Nguyễn Văn Hùng" in name.excerpt
    assert body[name.start : name.end] == name.excerpt
    assert "đề nghị" in name.rule or "opener" in name.rule
    (role,) = _of(why, "speakers.role")
    assert role.value == "Giám đốc Sở Tư pháp" and "after the name" in role.rule
    assert extract_speakers(body, []) == speakers  # the plain API is unchanged


def test_speaker_in_a_caption_points_into_that_caption():
    body = "Hội nghị tập huấn kỹ năng phát ngôn diễn ra tại Hà Nam."
    captions = [
        "",
        "Ông Lê Minh Tuấn, Giám đốc Sở Thông tin và Truyền thông phát biểu tại hội nghị.",
    ]
    why: list[Evidence] = []
    speakers = extract_speakers(body, captions, why)
    assert [s.name for s in speakers] == ["Lê Minh Tuấn"]
    (name,) = _of(why, "speakers")
    assert name.source == "caption" and name.image == 1
    assert captions[1][name.start : name.end] == name.excerpt


def test_relevance_evidence_names_the_deciding_rule_and_the_signals():
    why: list[Evidence] = []
    relevant, topics = judge(
        "Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
        "Ngày 5/4, UBND tỉnh tổ chức lớp tập huấn kỹ năng phát ngôn cho 120 cán bộ.",
        why,
    )
    assert relevant and "phát ngôn" in topics
    decided = [e for e in _of(why, "relevant") if e.source == "title"]
    assert decided and "core topic named in the title" in decided[0].rule
    assert any("signals" in e.rule and "phát ngôn 1" in e.rule for e in _of(why, "relevant"))
    assert {e.value for e in _of(why, "topics")} == set(topics)

    why = []
    relevant, _ = judge("Họp báo thường kỳ quý III", "Sáng nay, UBND tỉnh tổ chức họp báo.", why)
    assert not relevant
    assert any("hop bao" in e.rule for e in _of(why, "relevant"))


def test_topic_evidence_points_at_the_first_mention_in_the_original_text():
    body = "Nội dung gồm: xử lý khủng hoảng truyền thông trên mạng và kỹ năng trả lời phỏng vấn."
    why: list[Evidence] = []
    judge("Hội nghị tập huấn", body, why)
    crisis = [e for e in _of(why, "topics") if e.value == "khủng hoảng truyền thông"]
    assert crisis and crisis[0].source == "body"
    assert body[crisis[0].start : crisis[0].end] == crisis[0].excerpt


def test_province_evidence_gives_scores_weights_and_the_winner():
    title = "Tập huấn kỹ năng phát ngôn tại tỉnh Hà Nam"
    body = "Ngày 3/5/2023, UBND tỉnh Hà Nam tổ chức hội nghị. Đại biểu đến từ Hà Nội cùng dự."
    why: list[Evidence] = []
    assert detect_province(title, "", body, [], None, "2023-05-04", why) == "Hà Nam"
    summary = [e for e in _of(why, "province") if e.source == "rule"]
    assert summary and "Hà Nam" in summary[0].rule and "threshold 0.9" in summary[0].rule
    mentions = [e for e in _of(why, "province") if e.source in ("title", "body")]
    assert mentions and all("weight" in e.rule for e in mentions)
    assert any(e.source == "title" and "title ×4" in e.rule for e in mentions)
    _true_offsets(body, [e for e in mentions if e.source == "body"])
    _true_offsets(title, [e for e in mentions if e.source == "title"])


def test_province_from_the_sources_hint_says_so():
    why: list[Evidence] = []
    body = "UBND huyện tổ chức hội nghị tập huấn cho cán bộ."
    assert detect_province("Hội nghị tập huấn", "", body, [], "Hà Nam", None, why) == "Hà Nam"
    rule = [e for e in _of(why, "province") if e.source == "rule"][0].rule
    assert "site's own province" in rule
    assert any(e.source == "sources" for e in _of(why, "province"))


def test_document_evidence_in_title_and_body():
    title = "Quán triệt Nghị định 09/2017/NĐ-CP"
    body = "Hội nghị triển khai Luật Báo chí năm 2016 và Quyết định số 41/QĐ-UBND."
    why: list[Evidence] = []
    docs = extract_documents(f"{title}\n{body}", why, len(title))
    assert docs == extract_documents(f"{title}\n{body}")
    assert [e.value for e in why] == docs
    by = {e.value: e for e in why}
    assert by["09/2017/NĐ-CP"].source == "title"
    assert by["41/QĐ-UBND"].source == "body" and "numbered document" in by["41/QĐ-UBND"].rule
    _true_offsets(title, [e for e in why if e.source == "title"])
    _true_offsets(body, [e for e in why if e.source == "body"])


def test_event_date_evidence_names_the_opener_and_the_year_rule():
    body = "Chiều 23/9, Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn kỹ năng phát ngôn."
    why: list[Evidence] = []
    assert extract_event_date(body, "2022-09-24", "", why) == "2022-09-23"
    (e,) = why
    assert e.source == "body" and "23/9" in e.excerpt and body[e.start : e.end] == e.excerpt
    assert "Chiều" in e.rule and "publication date" in e.rule

    why = []
    assert extract_event_date("Không có ngày nào ở đây.", None, "", why) is None
    assert why[0].value is None and why[0].source == "rule"


_PAGE = """<html><head><title>Tập huấn kỹ năng phát ngôn năm 2024 - Sở TTTT</title>
<meta property="og:title" content="Tập huấn kỹ năng phát ngôn năm 2024">
{meta}</head><body><div class="article"><h1>Tập huấn kỹ năng phát ngôn năm 2024</h1>
{dateline}
<div class="content"><p>Sáng 12/3/2024, Sở Thông tin và Truyền thông tỉnh Hà Nam tổ chức hội nghị tập
huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí cho 150 cán bộ, công chức.</p>
<p>Phát biểu khai mạc, ông Nguyễn Văn Hùng, Giám đốc Sở Thông tin và Truyền thông, nhấn mạnh
vai trò của người phát ngôn trong việc cung cấp thông tin kịp thời, chính xác cho báo chí.</p>
<p>Các học viên được hướng dẫn kỹ năng xử lý khủng hoảng truyền thông trên mạng xã hội.</p>
</div></div></body></html>"""


@pytest.mark.parametrize(
    ("meta", "dateline", "source"),
    [
        (
            '<meta property="article:published_time" content="2024-03-12T10:00:00+07:00">',
            "",
            "meta",
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2024-03-12T10:00:00+07:00"}</script>',
            "",
            "json-ld",
        ),
        ("", '<div class="date">12/03/2024 10:00</div>', "dateline"),
    ],
)
def test_published_evidence_says_which_part_of_the_page(meta, dateline, source):
    ex = extract("https://so.example.vn/tin/1", _PAGE.format(meta=meta, dateline=dateline))
    assert ex.published and ex.published.startswith("2024-03-12")
    (e,) = _of(ex.evidence, "published")
    assert e.source == source and e.start is None and e.excerpt
    title = _of(ex.evidence, "title")[0]
    assert title.source == "html" and "<h1>" in title.rule


def test_undated_page_says_no_date_was_invented():
    ex = extract("https://so.example.vn/tin/1", _PAGE.format(meta="", dateline=""))
    assert ex.published is None
    (e,) = _of(ex.evidence, "published")
    assert e.value is None and "none invented" in e.rule


def test_enrich_with_evidence_gives_the_same_values_and_true_offsets():
    ex = extract("https://so.example.vn/tin/1", _PAGE.format(meta="", dateline=""))
    en, why = enrich_with_evidence(ex, source_province="Hà Nam")
    assert en == enrich(ex, source_province="Hà Nam")
    _true_offsets(ex.body, [e for e in why if e.source == "body"])
    _true_offsets(ex.title, [e for e in why if e.source == "title"])
    fields = {e.field for e in why}
    assert {"speakers", "speakers.role", "relevant", "province", "province_now"} <= fields
    assert {"event_date", "topics"} <= fields


def test_caption_evidence_index_is_the_article_image_index():
    ex = Extracted(
        url="https://x.vn/1",
        title="Hội nghị tập huấn kỹ năng phát ngôn",
        body="Sáng 3/4/2024, UBND tỉnh Nam Định tổ chức hội nghị tập huấn kỹ năng phát ngôn.",
        published="2024-04-03",
        images=[
            Image("https://x.vn/a.jpg", ""),
            Image("https://x.vn/b.jpg", "Bà Trần Thị Mai, Phó Giám đốc Sở Tư pháp phát biểu."),
        ],
    )
    en, why = enrich_with_evidence(ex)
    assert [s.name for s in en.speakers] == ["Trần Thị Mai"]
    (e,) = _of(why, "speakers")
    assert e.source == "caption" and e.image == 1
    assert ex.images[1].caption[e.start : e.end] == e.excerpt


# -- stored, reprocessed, shown, exported ---------------------------------------------------------
def _page_article(url: str = "https://so.example.vn/2023/09/23/tap-huan/") -> tuple[str, object]:
    html = SEED_PAGE.read_text(encoding="utf-8")
    article = process_page(url, html, source="wordpress", fetched_at="2024-01-02T00:00:00+00:00")
    return html, article


def _stored(tmp_path: Path) -> tuple[Path, str]:
    html, article = _page_article()
    path = tmp_path / "ev.db"
    raw = RawPage(article.url, 200, {"content-type": "text/html; charset=utf-8"},
                  html.encode(), article.fetched_at, "1")  # fmt: skip
    with Store.open(path) as store:
        store.upsert(article, raw)
    return path, article.id


def test_fixture_article_evidence_is_stored_with_true_offsets(tmp_path):
    path, aid = _stored(tmp_path)
    with Store.open_readonly(path) as store:
        doc, evidence = store.get(aid), store.evidence(aid)
    assert evidence and "evidence" not in doc  # not part of the exported article
    assert evidence_problems(doc, evidence) == []
    assert {e["field"] for e in evidence} >= {
        "title", "body", "published", "event_date", "date", "province", "province_now",
        "relevant", "topics", "speakers", "speakers.role", "decrees", "authors", "images",
        "attachments",
    }  # fmt: skip
    for item in evidence:
        assert set(item) == {"field", "value", "source", "excerpt", "start", "end", "rule", "image"}


def test_show_why_explains_every_field_of_a_fixture_article(tmp_path):
    path, aid = _stored(tmp_path)
    result = CliRunner().invoke(cli, ["show", aid, "--why", "--db", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    for key in FIELDS:
        assert f"\n{key}:" in out, key
    assert "(no evidence" not in out
    assert "rule: the <h1>" in out
    assert "from meta: «article:published_time=" in out
    assert "- Phan Văn Tú" in out and "speech verb after the mention «giới thiệu»" in out
    assert "mention of Quảng Ngãi: weight" in out and "threshold 0.9" in out
    assert "a law by name and year" in out


def test_show_why_json_and_corrections(tmp_path):
    path, aid = _stored(tmp_path)
    runner = CliRunner()
    fix = runner.invoke(
        cli,
        ["correct", aid, "--db", str(path), "--set", "province=Kon Tum", "--note", "held in Kon Tum",
         "--author", "lan"],
    )  # fmt: skip
    assert fix.exit_code == 0, fix.output
    out = runner.invoke(cli, ["show", aid, "--why", "--db", str(path)]).output
    assert "CORRECTED by lan" in out and "set province = Kon Tum" in out
    assert "note: held in Kon Tum" in out and "extraction had found: Quảng Ngãi" in out
    assert "mention of Quảng Ngãi" in out  # the correction kept the evidence of extraction
    data = json.loads(
        runner.invoke(cli, ["show", aid, "--why", "--json", "--db", str(path)]).output
    )
    assert data["province"] == "Kon Tum" and data["evidence"]
    assert data["corrections"][0]["extracted"]["province"] == "Quảng Ngãi"


def test_export_evidence_adds_the_key_only_when_asked(tmp_path):
    path, aid = _stored(tmp_path)
    runner = CliRunner()
    plain = json.loads(runner.invoke(cli, ["export", "--db", str(path)]).output)
    assert "evidence" not in plain
    full = json.loads(runner.invoke(cli, ["export", "--evidence", "--db", str(path)]).output)
    assert {k: v for k, v in full.items() if k != "evidence"} == plain
    assert full["evidence"] and all("rule" in e for e in full["evidence"])
    both = runner.invoke(cli, ["export", "--evidence", "--corrections", "--db", str(path)])
    assert both.exit_code == 1


def test_article_stored_without_evidence_says_to_reprocess_and_reprocess_fills_it(tmp_path):
    html, article = _page_article()
    path = tmp_path / "old.db"
    raw = RawPage(article.url, 200, {"content-type": "text/html; charset=utf-8"},
                  html.encode(), article.fetched_at, "1")  # fmt: skip
    article.evidence = None  # as a store written before evidence was kept
    with Store.open(path) as store:
        store.upsert(article, raw)
    runner = CliRunner()
    out = runner.invoke(cli, ["show", article.id, "--why", "--db", str(path)]).output
    assert "run `pressnews reprocess`" in out
    assert runner.invoke(cli, ["reprocess", "--db", str(path)]).exit_code == 0
    with Store.open_readonly(path) as store:
        doc, evidence = store.get(article.id), store.evidence(article.id)
    assert evidence and evidence_problems(doc, evidence) == []


def test_new_evidence_for_an_unchanged_article_is_queued_for_elasticsearch(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        store.upsert(make_article("a1"))
        store.mark_synced([(a, seq) for a, seq, _ in store.pending_sync()])
        again = make_article("a1")
        again.evidence = [Evidence("title", "Bài a1", "html", "Bài a1", None, None, "h1")]
        assert store.upsert(again) == "unchanged"
        [(aid, _, doc)] = list(store.pending_sync())
        assert aid == "a1" and doc["evidence"][0]["rule"] == "h1"
        store.mark_synced([("a1", store.conn.execute("SELECT seq FROM articles").fetchone()[0])])
        assert store.upsert(again) == "unchanged" and store.count_pending_sync() == 0


def test_elasticsearch_document_stores_evidence_unindexed():
    props = mapping.mappings()["properties"]
    assert props["evidence"] == {"type": "object", "enabled": False}
    assert mapping.MAPPING_VERSION >= 3
    assert "evidence" in mapping.DERIVED_FIELDS  # left out of search hits
    ev = [Evidence("title", "T", "html", "T", None, None, "h1").to_dict()]
    doc = to_document({**make_article("a1").to_dict(), "evidence": ev})
    assert doc["evidence"] == ev
    assert to_document(make_article("a2").to_dict())["evidence"] == []


def test_every_crawled_article_has_evidence_with_true_offsets(crawl):
    with Store.open_readonly(crawl.db) as store:
        for doc in crawl.articles:
            evidence = store.evidence(doc["id"])
            assert evidence, doc["url"]
            assert evidence_problems(doc, evidence) == [], doc["url"]
            fields = {e["field"] for e in evidence}
            assert {"title", "body", "published", "relevant", "date"} <= fields, doc["url"]
            assert "evidence" not in fields, doc["url"]  # the evidence was built, no fallback


def test_show_why_only_reads_and_an_unknown_id_is_one_line(tmp_path):
    path, aid = _stored(tmp_path)
    before = path.stat().st_mtime_ns
    runner = CliRunner()
    assert runner.invoke(cli, ["show", aid, "--why", "--db", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["show", "nope", "--why", "--db", str(path)])
    assert result.exit_code == 1 and "no article" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert path.stat().st_mtime_ns == before
