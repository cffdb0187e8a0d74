"""One contract suite for the search semantics of docs/interfaces.md, run on every backend.

`sqlite` (the embedded backend) always runs. `es` runs when $ES_URL names a live Elasticsearch
(8.x or 9.x; docker-compose.yml starts one): the same store is synced into a uniquely named
alias, refreshed, searched with the same assertions, and deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from indexer import history
from indexer.model import Article, Speaker
from indexer.query import Query, QueryError, SearchResult
from indexer.store import Store

ES_URL = os.environ.get("ES_URL")


def art(aid: str, title: str, body: str, **kw: Any) -> Article:
    base: dict[str, Any] = dict(
        id=aid,
        url=f"https://news.example.vn/{aid}.html",
        source=kw.pop("source", aid.split("-")[0]),
        title=title,
        body=body,
        relevant=True,
        fetched_at="2025-01-01T00:00:00+00:00",
    )
    base.update(kw)
    if base.get("date") and not base.get("published"):
        base["published"] = base["date"]
    return Article(**base)


HANAM_BODY = (
    "Sáng 8/4, Sở Thông tin và Truyền thông Hà Nam tổ chức hội nghị tập huấn nghiệp vụ cho "
    "người phát ngôn của các sở, ban, ngành. Ông Nguyễn Văn Hiếu, Phó Cục trưởng Cục Báo chí, "
    "trình bày quy định của Nghị định 09/2017/NĐ-CP về phát ngôn và cung cấp thông tin cho báo chí."
)

ARTICLES = [
    art(
        "hanam-1", "Tập huấn kỹ năng phát ngôn cho cán bộ tỉnh Hà Nam", HANAM_BODY,
        date="2021-04-08", province="Hà Nam", province_now="Ninh Bình",
        speakers=[Speaker("Nguyễn Văn Hiếu", "Phó Cục trưởng Cục Báo chí")],
        decrees=["09/2017/NĐ-CP"], topics=["phát ngôn"],
    ),
    # The same report republished by another site: hidden when the original matches.
    art(
        "baohanam-copy", "Tập huấn kỹ năng phát ngôn cho cán bộ tỉnh Hà Nam", HANAM_BODY,
        date="2021-04-09", province="Hà Nam", province_now="Ninh Bình",
        speakers=[Speaker("Nguyễn Văn Hiếu", "Phó Cục trưởng Cục Báo chí")],
        decrees=["09/2017/NĐ-CP"], topics=["phát ngôn"],
    ),
    art(
        "namdinh-1", "Nam Định bồi dưỡng công tác thông tin đối ngoại",
        "Ban Tuyên giáo Tỉnh ủy Nam Định mở lớp bồi dưỡng về thông tin đối ngoại và Luật Báo chí "
        "cho đội ngũ cán bộ làm công tác truyền thông ở cơ sở. Bà Lê Thị Thu Hằng giới thiệu các "
        "kỹ năng trả lời phỏng vấn.",
        date="2022-05-10", province="Nam Định", province_now="Ninh Bình",
        speakers=[Speaker("Lê Thị Thu Hằng", "Trưởng ban")], decrees=["Luật Báo chí 2016"],
        topics=["thông tin đối ngoại"],
    ),
    art(
        "ninhbinh-1", "Hội nghị cung cấp thông tin định kỳ tại Ninh Bình",
        "UBND tỉnh Ninh Bình tổ chức hội nghị, các đại biểu thảo luận về thông tin đối ngoại trong "
        "tình hình mới và trách nhiệm của người đứng đầu cơ quan hành chính.",
        date="2023-03-15", province="Ninh Bình", province_now="Ninh Bình",
    ),
    art(
        "daklak-1", "Đắk Lắk tăng cường truyền thông chính sách",
        "Tỉnh Đắk Lắk tổ chức tập huấn kỹ năng viết tin và xử lý tình huống khi làm việc với "
        "phóng viên cho cán bộ các huyện.",
        date="2020-09-20", province="Đắk Lắk", province_now="Đắk Lắk",
    ),
    art(
        "hcm-1", "TP.HCM tập huấn cho người phát ngôn các quận huyện",
        "Ủy ban nhân dân TP.HCM tổ chức lớp bồi dưỡng nghiệp vụ, với sự tham gia của lãnh đạo Sở "
        "Thông tin và Truyền thông thành phố.",
        date="2024-06-01", province="Thành phố Hồ Chí Minh", province_now="Thành phố Hồ Chí Minh",
    ),
    art(
        "haiphong-1", "Hội nghị chuyên đề năm 2019 tại Hải Phòng",
        "Các đại biểu được hướng dẫn quy trình xử lý khủng hoảng truyền thông trên mạng xã hội và "
        "phối hợp với cơ quan báo chí địa phương.",
        date="2019-11-02", province="Hải Phòng", province_now="Hải Phòng",
    ),
    art(
        "quangninh-1", "Lớp bồi dưỡng kiến thức quản lý nhà nước tại Quảng Ninh",
        "Cuộc khủng hoảng kinh tế toàn cầu được phân tích kỹ; phần sau bàn về truyền thông chính "
        "sách, và cách nhận diện sớm những dấu hiệu hoảng loạn trong dư luận.",
        date="2019-12-05", province="Quảng Ninh", province_now="Quảng Ninh",
    ),
    art(
        "quangngai-1", "Huyện Lý Sơn tổ chức đối thoại với báo chí",
        "Huyện đảo Lý Sơn, tỉnh Quảng Ngãi, tổ chức buổi đối thoại giữa lãnh đạo huyện và các cơ "
        "quan báo chí về công tác quản lý biển đảo.",
        date="2018-07-07", province="Quảng Ngãi", province_now="Quảng Ngãi",
    ),
    # A press conference itself: not relevant (docs/interfaces.md), found only with --all.
    art(
        "hanam-2", "Họp báo thường kỳ quý III của UBND tỉnh Hà Nam",
        "Người phát ngôn của UBND tỉnh Hà Nam chủ trì buổi họp báo, thông tin về tình hình kinh tế "
        "xã hội và trả lời câu hỏi của phóng viên.",
        date="2021-10-05", province="Hà Nam", province_now="Ninh Bình", relevant=False,
    ),
    # No date in the page: `date` is null (never the crawl date), not relevant.
    art(
        "undated-1", "Tọa đàm trực tuyến về chuyển đổi số",
        "Hội nghị tọa đàm trực tuyến bàn về chuyển đổi số trong cơ quan nhà nước.",
        relevant=False,
    ),
]  # fmt: skip

# A report whose page has since answered 404: kept, hidden unless `include_removed`.
REMOVED = art(
    "caobang-1", "Cao Bằng tập huấn kỹ năng phát ngôn cho cán bộ",
    "Sở Thông tin và Truyền thông Cao Bằng mở lớp tập huấn kỹ năng phát ngôn và cung cấp thông "
    "tin cho báo chí; ông Hoàng Văn Thắng trình bày quy trình phát ngôn của cơ quan hành chính.",
    date="2022-01-10", province="Cao Bằng", province_now="Cao Bằng",
    speakers=[Speaker("Hoàng Văn Thắng", "Giám đốc Sở")], topics=["phát ngôn"],
)  # fmt: skip

RELEVANT_ORIGINALS = {
    "hanam-1", "namdinh-1", "ninhbinh-1", "daklak-1", "hcm-1", "haiphong-1", "quangninh-1",
    "quangngai-1",
}  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    with Store.open(tmp_path_factory.mktemp("contract") / "contract.db") as s:
        for a in ARTICLES:
            s.upsert(a)
        s.upsert(REMOVED)
        assert history.mark_removed(s, REMOVED.id, "http 404", "2026-12-01T00:00:00+00:00")
        dups = {a["id"]: a["duplicate_of"] for a in s.iter_articles() if a.get("duplicate_of")}
        assert dups == {"baohanam-copy": "hanam-1"}, f"the fixture's duplicates are off: {dups}"
        yield s


def _es_backend(store: Store) -> Iterator[Any]:
    from indexer.elastic.client import connect
    from indexer.elastic.search import ElasticSearch
    from indexer.elastic.sync import sync

    es = connect(ES_URL)
    alias = f"pntest{uuid.uuid4().hex[:10]}-articles"
    store.reset_sync()
    try:
        rep = sync(store, es, alias=alias)
        assert rep.failed == [] and rep.accepted == len(ARTICLES) + 1  # + REMOVED
        es.indices.refresh(index=alias)
        yield ElasticSearch(es, alias=alias)  # no store: the index answers everything
    finally:
        # By name: Elasticsearch 8+ refuses wildcard deletes (action.destructive_requires_name).
        for name in es.indices.get(index=f"{alias}-v*", allow_no_indices=True):
            es.indices.delete(index=name)
        es.indices.delete_index_template(name=alias)


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "es",
            marks=[
                pytest.mark.es,
                pytest.mark.skipif(
                    not ES_URL, reason="set ES_URL to run the contract on Elasticsearch"
                ),
            ],
        ),
    ],
)
def backend(request, store):
    if request.param == "sqlite":
        from indexer.sqlite_search import SqliteSearch

        yield SqliteSearch(store)
    else:
        yield from _es_backend(store)


def ids(result: SearchResult) -> list[str]:
    return [h.article["id"] for h in result.hits]


def search(backend: Any, text: str = "", **kw: Any) -> SearchResult:
    return backend.search(Query(text=text, **kw))


# -- matching --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, expected",
    [
        ("nguoi phat ngon", "hanam-1"),  # no diacritics finds "người phát ngôn"
        ("dak lak", "daklak-1"),  # đ matches d
        ("Đắk Lắk", "daklak-1"),
        ("kĩ năng", "hanam-1"),  # i/y variants: the text says "kỹ năng"
        ("ki nang", "namdinh-1"),
        ("li son", "quangngai-1"),  # "Lý Sơn"
        ("TP.HCM", "hcm-1"),  # a punctuated token is a phrase
        ("tp hcm", "hcm-1"),
        ("09/2017/NĐ-CP", "hanam-1"),
        ("Nguyễn Văn Hiếu", "hanam-1"),  # speakers are searchable text too
    ],
)
def test_folded_matching(backend, query, expected):
    assert expected in ids(search(backend, query))


def test_words_are_anded(backend):
    assert ids(search(backend, "khủng hoảng")) != []
    assert ids(search(backend, "Lý Sơn")) == ["quangngai-1"]
    assert ids(search(backend, "khủng hoảng Lý Sơn")) == []


def test_adjacent_words_rank_above_scattered(backend):
    r = search(backend, "khủng hoảng truyền thông")
    assert ids(r) == ["haiphong-1", "quangninh-1"]
    assert r.hits[0].score > r.hits[1].score


def test_title_ranks_above_body_only(backend):
    r = search(backend, "thông tin đối ngoại")
    assert ids(r)[:2] == ["namdinh-1", "ninhbinh-1"]
    assert r.hits[0].score > r.hits[1].score


def test_quoted_phrases_match_in_order(backend):
    assert set(ids(search(backend, "phát ngôn người"))) == {"hanam-1", "hcm-1"}
    assert ids(search(backend, '"phát ngôn người"')) == []
    assert ids(search(backend, '"người phát ngôn"', include_all=True)) != []
    # The phrase "Nghị định 09/2017" in order; a broken order finds nothing.
    assert ids(search(backend, '"nghị định 09/2017/NĐ-CP"')) == ["hanam-1"]
    assert ids(search(backend, '"09/2017/NĐ-CP nghị định"')) == []


def test_punctuated_token_is_a_phrase(backend):
    # "hcm tp" (reversed) is not "TP.HCM".
    assert ids(search(backend, "HCM.TP")) == []


@pytest.mark.parametrize(
    "query", ['"unbalanced', "(", ")", "*", " - ", "-", '"', '""', "()", "phát ngôn -", "*phát*",
              "a AND (b OR", "title:x", "\\", "~2", "^", "/", "+-&&||!{}[]"],
)  # fmt: skip
def test_punctuation_never_raises(backend, query):
    r = search(backend, query)
    assert isinstance(r, SearchResult)
    # Punctuation only is no text: the filters-only result (every relevant article).
    if not any(c.isalnum() for c in query):
        assert set(ids(search(backend, query, limit=50))) == RELEVANT_ORIGINALS


# -- relevance, duplicates, counts -----------------------------------------------------------------
def test_relevant_only_by_default_with_more_with_all(backend):
    r = search(backend, "người phát ngôn")
    assert set(ids(r)) == {"hanam-1", "hcm-1"}
    assert (r.total, r.more_with_all) == (2, 1)
    r_all = search(backend, "người phát ngôn", include_all=True)
    assert set(ids(r_all)) == {"hanam-1", "hcm-1", "hanam-2"}
    assert (r_all.total, r_all.more_with_all) == (3, 0)


def test_copies_are_hidden_when_the_original_matches(backend):
    r = search(backend, "Nghị định 09/2017", include_all=True)
    assert ids(r) == ["hanam-1"]
    assert r.total == 1
    assert r.hits[0].duplicates == ["https://news.example.vn/baohanam-copy.html"]


def test_filters_without_text(backend):
    r = search(backend, province="Hà Nam")
    assert ids(r) == ["hanam-1"] and (r.total, r.more_with_all) == (1, 1)
    r_all = search(backend, province="Hà Nam", include_all=True)
    assert ids(r_all) == ["hanam-2", "hanam-1"]  # newest first; the copy is not listed
    all_relevant = search(backend, limit=50)
    assert set(ids(all_relevant)) == RELEVANT_ORIGINALS
    assert all_relevant.total == len(RELEVANT_ORIGINALS)
    dates = [h.article["date"] for h in all_relevant.hits]
    assert dates == sorted(dates, reverse=True)


def test_hits_carry_the_article(backend):
    (hit,) = search(backend, "Nghị định 09/2017").hits
    a = hit.article
    assert a["url"] == "https://news.example.vn/hanam-1.html"
    assert a["province"] == "Hà Nam" and a["province_now"] == "Ninh Bình"
    assert a["speakers"] == [{"name": "Nguyễn Văn Hiếu", "role": "Phó Cục trưởng Cục Báo chí"}]
    assert a["decrees"] == ["09/2017/NĐ-CP"] and a["date"] == "2021-04-08"
    assert "body" not in a
    assert "<mark>" in hit.snippet and "</mark>" in hit.snippet
    json_hit = hit.to_json()
    for key in (
        "id",
        "url",
        "title",
        "date",
        "published",
        "province",
        "speakers",
        "decrees",
        "score",
    ):
        assert key in json_hit


# -- province, speaker, decree, dates, sort -------------------------------------------------------
@pytest.mark.parametrize(
    "province, exact, expected",
    [
        ("Ninh Bình", False, {"hanam-1", "namdinh-1", "ninhbinh-1"}),  # the 2025 unit
        ("ninh binh", False, {"hanam-1", "namdinh-1", "ninhbinh-1"}),
        ("Hà Nam", False, {"hanam-1"}),
        ("ha nam", False, {"hanam-1"}),
        ("Ninh Bình", True, {"ninhbinh-1"}),  # --province-exact: old Ninh Bình only
        ("Đắk Lắk", False, {"daklak-1"}),
        ("TP.HCM", False, {"hcm-1"}),
    ],
)
def test_province(backend, province, exact, expected):
    assert set(ids(search(backend, province=province, province_exact=exact))) == expected


def test_unknown_province_is_a_query_error(backend):
    with pytest.raises(QueryError):
        search(backend, province="Atlantis")


@pytest.mark.parametrize(
    "speaker, found",
    [
        ("nguyen van hieu", True),
        ("Văn Hiếu", True),
        ("Nguyễn Văn Hiếu", True),
        ("NGUYEN VAN", True),
        ("nguyen hieu", False),  # not consecutive
        ("van hie", False),  # whole words only
        ("Hiếu Nguyễn", False),  # order counts
    ],
)
def test_speaker(backend, speaker, found):
    assert ("hanam-1" in ids(search(backend, speaker=speaker))) is found


def test_speaker_filter_with_text(backend):
    assert ids(search(backend, "bồi dưỡng", speaker="thu hang")) == ["namdinh-1"]
    assert ids(search(backend, "bồi dưỡng", speaker="nguyen van hieu")) == []


@pytest.mark.parametrize(
    "decree, expected",
    [
        ("09/2017", ["hanam-1"]),
        ("9/2017/ND-CP", ["hanam-1"]),
        ("Nghị định 09/2017/NĐ-CP", ["hanam-1"]),
        ("Luật Báo chí", ["namdinh-1"]),
        ("luat bao chi 2016", ["namdinh-1"]),
        ("10/2017", []),
        ("9/201", []),  # token-bounded: a prefix of a number is not the number
    ],
)
def test_decree(backend, decree, expected):
    assert ids(search(backend, decree=decree)) == expected


def test_date_filters_and_sort(backend):
    in_2021 = search(backend, date_from="2021-01-01", date_to="2021-12-31")
    assert ids(in_2021) == ["hanam-1"]
    assert ids(search(backend, date_from="2021-01-01", date_to="2021-12-31", include_all=True)) == [
        "hanam-2",
        "hanam-1",
    ]
    # Inclusive bounds on both sides.
    assert ids(search(backend, date_from="2021-04-08", date_to="2021-04-08")) == ["hanam-1"]
    assert "hanam-1" not in ids(search(backend, date_from="2021-04-09"))
    by_date = search(backend, "hội nghị", sort="date", limit=50)
    dates = [h.article["date"] for h in by_date.hits]
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
    by_score = search(backend, "hội nghị", limit=50)
    scores = [h.score for h in by_score.hits]
    assert scores == sorted(scores, reverse=True)
    assert set(ids(by_date)) == set(ids(by_score))


def test_undated_articles_sort_last_match_no_date_range_and_count_as_undated(backend):
    by_date = search(backend, "tọa đàm", sort="date", include_all=True)
    assert ids(by_date) == ["undated-1"] and by_date.hits[0].article["date"] is None
    mixed = search(backend, "hội nghị", sort="date", include_all=True, limit=50)
    dates = [h.article["date"] for h in mixed.hits]
    assert dates[-1] is None and None not in dates[:-1]
    assert "undated-1" not in ids(search(backend, date_from="1900", include_all=True, limit=50))
    assert "undated-1" not in ids(search(backend, date_to="2100", include_all=True, limit=50))
    f = backend.facets(Query(include_all=True), size=10)
    assert f.undated == 1 and backend.facets(Query(), size=10).undated == 0


def test_limit(backend):
    r = search(backend, limit=3)
    assert len(r.hits) == 3 and r.total == len(RELEVANT_ORIGINALS)


# -- facets ----------------------------------------------------------------------------------------
def test_facets(backend):
    f = backend.facets(Query(), size=10)
    assert f.total == len(RELEVANT_ORIGINALS)
    assert dict(f.provinces) == {
        "Hà Nam": 1, "Nam Định": 1, "Ninh Bình": 1, "Đắk Lắk": 1, "Thành phố Hồ Chí Minh": 1,
        "Hải Phòng": 1, "Quảng Ninh": 1, "Quảng Ngãi": 1,
    }  # fmt: skip
    assert dict(f.speakers) == {"Nguyễn Văn Hiếu": 1, "Lê Thị Thu Hằng": 1}
    assert dict(f.decrees) == {"09/2017/NĐ-CP": 1, "Luật Báo chí 2016": 1}
    assert f.years == [
        ("2024", 1), ("2023", 1), ("2022", 1), ("2021", 1), ("2020", 1), ("2019", 2), ("2018", 1),
    ]  # fmt: skip


def test_facets_follow_the_query(backend):
    f = backend.facets(Query(text="bồi dưỡng", include_all=True), size=5)
    assert f.total == 3  # namdinh-1, hcm-1, quangninh-1
    assert dict(f.provinces) == {"Nam Định": 1, "Thành phố Hồ Chí Minh": 1, "Quảng Ninh": 1}
    f2 = backend.facets(Query(province="Ninh Bình"), size=1)
    assert f2.total == 3 and len(f2.provinces) == 1


# -- removed pages ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw",
    [
        {"text": "phát ngôn"},
        {"text": "Cao Bằng", "include_all": True},
        {"province": "Cao Bằng"},
        {"speaker": "hoang van thang", "include_all": True},
        {"date_from": "2022-01-01", "date_to": "2022-01-31", "include_all": True},
        {"include_all": True, "limit": 100},
    ],
)
def test_removed_pages_are_hidden_unless_asked_for(backend, kw):
    assert REMOVED.id not in ids(backend.search(Query(**kw)))
    shown = backend.search(Query(**kw, include_removed=True))
    assert REMOVED.id in ids(shown)
    hit = next(h for h in shown.hits if h.article["id"] == REMOVED.id)
    assert hit.to_json()["removed"] == "2026-12-01"
    assert all(h.to_json()["removed"] is None for h in shown.hits if h is not hit)


def test_removed_pages_count_nowhere_by_default(backend):
    plain = backend.search(Query(text="tập huấn"))
    with_removed = backend.search(Query(text="tập huấn", include_removed=True))
    assert with_removed.total == plain.total + 1
    assert backend.search(Query(province="Cao Bằng")).more_with_all == 0
    f = backend.facets(Query(include_all=True))
    assert "Cao Bằng" not in dict(f.provinces)
    f = backend.facets(Query(include_all=True, include_removed=True), size=30)
    assert dict(f.provinces)["Cao Bằng"] == 1
