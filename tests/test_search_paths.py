"""The SQLite search's shortcuts give the answers of ranking every match.

BM25 is computed only for the rows that can reach the page (the adjacency tier, then the
adjacency and title tiers, then every match; a date sort scores only the rows dated like the
page's last hit): a page of N hits must be the first N hits of a page holding every match.
The adjacency tier is answered from syllable bigrams (stores created before schema
`_adjacency_by_phrases`) or by phrase queries (any store): same answers on the same store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from indexer.model import Article, Speaker
from indexer.query import Query, all_words, parse_text
from indexer.sqlite_search import (
    SqliteSearch,
    adjacency_expression,
    adjacency_phrases,
    match_expression,
)
from indexer.store import Store

WORDS = ["phát", "ngôn", "báo", "chí", "thông", "tin", "tập", "huấn", "kỹ", "năng", "người"]


def _articles() -> list[Article]:
    out = []
    for i in range(120):
        # A deterministic mix: the words in varied orders and places, repeated unevenly.
        w = [WORDS[(i * k + k * k) % len(WORDS)] for k in range(1, 9)]
        title = " ".join(w[:4]) if i % 3 else "Tập huấn phát ngôn " + w[0]
        body = " ".join(w * (1 + i % 4)) + (" người phát ngôn" if i % 5 == 0 else "") + f" số {i}"
        out.append(
            Article(
                id=f"a{i:03d}",
                url=f"https://x{i % 4}.gov.vn/{i}.html",
                source=f"x{i % 4}",
                title=title,
                body=body,
                published=f"{2018 + i % 6}-{1 + i % 12:02d}-{1 + i % 27:02d}",
                date=f"{2018 + i % 6}-{1 + i % 12:02d}-{1 + i % 27:02d}",
                province=["Hà Nam", "Thanh Hóa", "Nam Định"][i % 3],
                speakers=[Speaker(["Nguyễn Văn Hiếu", "Lê Thị Hằng"][i % 2], "Giám đốc")],
                decrees=["09/2017/NĐ-CP"] if i % 4 == 0 else ["Luật Báo chí 2016"],
                relevant=i % 2 == 0,
                fetched_at="2025-01-01T00:00:00+00:00",
            )
        )
    return out


def _store(path: Any, bigrams: bool) -> Store:
    store = Store.open(path)
    store.set_meta("fts_pairs", "1" if bigrams else "0")
    store.upsert_many([(a, None, None) for a in _articles()])
    store.close()
    return Store.open(path)


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> Iterator[tuple[Store, Store]]:
    tmp = tmp_path_factory.mktemp("paths")
    with _store(tmp / "bigrams.db", True) as a, _store(tmp / "phrases.db", False) as b:
        assert a.writes_pairs and not b.writes_pairs
        yield a, b


QUERIES = [
    dict(text="phát ngôn"),
    dict(text="người phát ngôn"),
    dict(text="phat ngon bao chi", include_all=True),
    dict(text='"phát ngôn"'),
    dict(text="thông"),
    dict(text="tập huấn", sort="date"),
    dict(text="kĩ năng", sort="date", include_all=True),
    dict(text="phát ngôn", province="Thanh Hóa"),
    dict(text="báo chí", date_from="2020-01-01", date_to="2021-12-31"),
    dict(text="báo chí", date_from="2020-03-01", date_to="2021-12-31"),
    dict(text="tin", speaker="van hieu"),
    dict(text="phát ngôn", decree="9/2017/ND-CP", include_all=True),
    dict(speaker="nguyen van hieu"),
    dict(decree="Luật Báo chí", include_all=True),
]


def _answer(backend: SqliteSearch, q: dict[str, Any], limit: int) -> tuple[Any, ...]:
    r = backend.search(Query(limit=limit, **q))
    return r.total, r.more_with_all, [(h.article["id"], h.score) for h in r.hits]


@pytest.mark.parametrize("q", QUERIES, ids=[repr(q) for q in QUERIES])
def test_a_short_page_is_the_start_of_the_full_ranking(stores, q) -> None:
    for store in stores:
        search = SqliteSearch(store)
        total, more, every = _answer(search, q, 1000)
        assert len(every) == total
        for limit in (1, 2, 3, 5, 8, 13, 40):
            assert _answer(search, q, limit) == (total, more, every[:limit]), limit


@pytest.mark.parametrize("q", QUERIES, ids=[repr(q) for q in QUERIES])
def test_bigrams_and_phrases_give_the_same_answers(stores, q) -> None:
    with_bigrams, without = stores
    for limit in (3, 20):
        expected = _answer(SqliteSearch(with_bigrams), q, limit)
        # Phrase queries answer a store that has bigrams the same.
        assert _answer(SqliteSearch(with_bigrams, pairs=False), q, limit) == expected
        # A store without bigrams: the same matches; BM25's document length no longer counts
        # the bigram tokens, so scores (and order inside a tier) may differ.
        total, more, hits = _answer(SqliteSearch(without), q, 1000)
        assert (total, more) == expected[:2]
        assert {h[0] for h in hits} == set(_hit_ids(with_bigrams, q))


def _hit_ids(store: Store, q: dict[str, Any]) -> list[str]:
    return [h[0] for h in _answer(SqliteSearch(store), q, 1000)[2]]


def test_a_new_store_writes_no_bigrams_and_an_old_one_keeps_them(tmp_path) -> None:
    with Store.open(tmp_path / "new.db") as s:
        assert s.get_meta("fts_pairs") == "0"
        s.upsert(_articles()[0])
        assert s.conn.execute("SELECT pairs FROM articles_fts").fetchone()[0] == ""


def test_snippet_marks_exactly_the_words_that_fold_to_a_query_word() -> None:
    import random
    import re

    from indexer.snippets import make_snippet
    from vnlang.text import fold

    rng = random.Random(5)
    vocab = ["Phát", "ngôn", "NGÔN", "phat", "kỹ", "Kĩ", "ky", "năng", "báo", "chí.", "Chí",
             "Đồng", "dong", "quy", "Quý", "09/2017/NĐ-CP", "x", "(phát)", "ngôn,", "tây"]  # fmt: skip
    for _ in range(400):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 60)))
        query = [fold(w) for w in rng.sample(["phát", "ngôn", "kĩ", "đồng", "quy", "2017"], 2)]
        snippet = make_snippet(text, query, width=12)
        for marked in re.findall(r"<mark>(.*?)</mark>", snippet):
            assert fold(marked) in query, (text, query, snippet)
        plain = re.sub(r"<mark>.*?</mark>", " ", snippet)
        for word in re.findall(r"\w+", plain):
            assert fold(word) not in query, (text, query, snippet)


def _report(n: int) -> str:
    return " ".join(
        f"Đoạn {k} của bản tin số {n}: hội nghị {n * 7 + k} bàn về {WORDS[(n + k) % len(WORDS)]}."
        for k in range(12)
    )


@pytest.mark.parametrize("copies_apart", [200, 0], ids=["counted-in-fts", "counted-by-rows"])
def test_a_listing_count_leaves_out_removed_articles_and_copies(
    tmp_path, monkeypatch, copies_apart
):
    """A province listing's counts come from the FTS index (removed tag, copies taken off one
    by one) or, with many copies, from the rows: the same numbers either way."""
    import indexer.sqlite_search as sqlite_search
    from indexer.history import mark_removed

    monkeypatch.setattr(sqlite_search, "_MAX_COPIES_APART", copies_apart)
    store = Store.open(tmp_path / "c.db")
    rows = []
    for i in range(10):
        rows.append(
            Article(
                id=f"c{i}",
                url=f"https://c.gov.vn/{i}.html",
                source="c",
                title=f"Tin số {i}",
                # c1 and c7 are copies of c0 and c6 (the same text: the store links them)
                body=_report({1: 0, 7: 6}.get(i, i)),
                date=f"2024-01-{i + 1:02d}",
                province="Hà Nam",
                relevant=i < 6,
                fetched_at="2025-01-01T00:00:00+00:00",
            )
        )
    store.upsert_many([(a, None, None) for a in rows])
    assert [store.get(f"c{i}")["duplicate_of"] for i in (1, 7)] == ["c0", "c6"]
    mark_removed(store, "c2", "gone")
    mark_removed(store, "c8", "gone")
    result = SqliteSearch(store).search(Query(province="Hà Nam"))
    # relevant: c0..c5, less the copy c1 and the removed c2; all: c0..c9 less c1, c7, c2, c8
    assert result.total == 4
    assert result.total + result.more_with_all == 6
    shown = SqliteSearch(store).search(Query(province="Hà Nam", include_removed=True))
    assert shown.total == 5
    store.close()


def test_copies_of_a_report_are_left_out_by_the_one_pass_ranking_as_by_the_tier_passes(
    tmp_path,
) -> None:
    with Store.open(tmp_path / "c.db") as store:
        store.upsert_many(
            [
                (
                    Article(
                        id=f"c{i}",
                        url=f"https://c.gov.vn/{i}.html",
                        source="c",
                        title=f"Bản tin số {i} hội nghị",
                        # c1 and c4 are copies of c0 and c3 (the same text: the store links them)
                        body=_report({1: 0, 4: 3}.get(i, i)),
                        relevant=True,
                        fetched_at="2025-01-01T00:00:00+00:00",
                    ),
                    None,
                    None,
                )
                for i in range(6)
            ]
        )
        # "bản tin": the page from the top tier; "bản tin hội nghị": no row in it
        for q in (dict(text="bản tin"), dict(text="bản tin hội nghị")):
            for limit in (1, 3, 20):
                one_pass = _answer(SqliteSearch(store), q, limit)
                assert one_pass == _answer(SqliteSearch(store, probe_rows=0), q, limit)
                assert one_pass[0] == 4 and {"c1", "c4"}.isdisjoint(h[0] for h in one_pass[2])


@pytest.mark.parametrize("q", QUERIES, ids=[repr(q) for q in QUERIES])
def test_one_bm25_pass_and_the_tier_passes_give_the_same_answers(stores, q) -> None:
    # A few matches: one BM25 pass, the top tier tested row by row best first; many (here
    # forced with probe_rows=0): a pass per tier. Same page, scores and counts.
    for store in stores:
        for limit in (1, 3, 20, 1000):
            one_pass = _answer(SqliteSearch(store), q, limit)
            assert _answer(SqliteSearch(store, probe_rows=0), q, limit) == one_pass, limit


@pytest.mark.parametrize(
    "text", ["phát ngôn", "người phát ngôn", "báo chí thông tin", '"tập huấn" phát ngôn', "số 7"]
)
def test_tiers_read_from_the_text_are_the_index_tiers(stores, text) -> None:
    # The rows of a page are placed in their tiers from their indexed text: the same rows as
    # the full-text index's title and adjacency expressions (bigram column or phrases).
    terms = parse_text(text)
    words = all_words(terms)
    for store in stores:
        search = SqliteSearch(store)
        every = {r[0] for r in store.conn.execute("SELECT rowid FROM articles_fts")}
        in_title, adjacent = search._tiers_by_text(every, terms)
        assert in_title == search._rowids(f"title : ({match_expression(terms)})")
        by_index = adjacency_expression(words) if search.pairs else adjacency_phrases(words)
        assert adjacent == search._rowids(by_index)
