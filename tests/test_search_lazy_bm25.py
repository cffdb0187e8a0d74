"""Scoring only the matches that can reach the page gives the same answers as scoring all."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the bench/ folder's generator

from bench.bench_store_search import QUERIES, synth_articles  # noqa: E402
from indexer import sqlite_search  # noqa: E402
from indexer.query import Query  # noqa: E402
from indexer.sqlite_search import SqliteSearch  # noqa: E402
from indexer.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("lazy") / "p.db") as s:
        s.upsert_many([(a, None, None) for a in synth_articles(1500, seed=4)])
        yield s


def _answer(search: SqliteSearch, q: Query) -> tuple:
    r = search.search(q)
    return r.total, r.more_with_all, [(h.article["id"], round(h.score, 12)) for h in r.hits]


@pytest.mark.parametrize("limit", [1, 5, 20])
def test_lazy_bm25_same_answers(store, monkeypatch, limit):
    search = SqliteSearch(store)
    queries = [*QUERIES, Query(text="phát ngôn", province="Hà Nam", include_all=True)]
    queries += [Query(text=q.text, sort="date", include_all=True) for q in QUERIES if q.text]
    for q in queries:
        q = replace(q, limit=limit)
        monkeypatch.setattr(sqlite_search, "LAZY_BM25", False)
        expected = _answer(search, q)
        monkeypatch.setattr(sqlite_search, "LAZY_BM25", True)
        assert _answer(search, q) == expected, q
