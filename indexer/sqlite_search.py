"""The embedded search backend: SQLite FTS5 over folded text, ranked in tiers then by BM25.

Ranking (shared with the Elasticsearch backend): every query word must match (AND). Hits fall
into tiers: the query's words adjacent and in order (+2), all of them in the title (+1); inside a
tier, BM25 with the title weighted 10x the body. `--sort date` orders by `date` instead.
"""

from __future__ import annotations

import json
from typing import Any

from crawler.enrich.documents import match_key
from crawler.enrich.provinces import search_units

from .query import Facets, Hit, Query, QueryError, SearchResult, Term, all_words
from .snippets import make_snippet
from .store import Store

# bm25 weights for the FTS columns (title, body, extra: speakers, documents, province names).
_BM25 = "bm25(articles_fts, 10.0, 1.0, 4.0)"


def _fts_phrase(words: tuple[str, ...] | list[str]) -> str:
    # Folded words are \w-only, so quoting them is always valid FTS5 syntax.
    return '"' + " ".join(words) + '"'


def match_expression(terms: list[Term]) -> str:
    return " AND ".join(_fts_phrase(t.words) for t in terms)


def province_units(name: str, exact: bool) -> list[str]:
    units = search_units(name, exact)
    if not units:
        raise QueryError(
            f"unknown province {name!r}: give a province name, e.g. 'Thanh Hóa' or 'Ninh Binh'"
        )
    return sorted(units)


class SqliteSearch:
    """`SearchBackend` over a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    # -- filters -------------------------------------------------------------------------------
    def _filters(self, q: Query, *, relevant_only: bool) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if relevant_only:
            where.append("a.relevant = 1")
        if q.province:
            units = province_units(q.province, q.province_exact)
            where.append(f"a.province IN ({','.join('?' * len(units))})")
            args += units
        words = q.speaker_words()
        if q.speaker is not None:
            if not words:
                raise QueryError("--speaker needs at least one name word")
            where.append("instr(a.speakers_key, ?) > 0")
            args.append(" " + " ".join(words) + " ")
        if q.decree is not None:
            key = match_key(q.decree)
            if not key:
                raise QueryError(f"cannot read a document number or law name in {q.decree!r}")
            where.append(
                "(instr(a.decrees_key, ?) > 0 OR instr(a.decrees_key, ?) > 0 "
                "OR instr(a.decrees_key, ?) > 0)"
            )
            args += [f"|{key}|", f"|{key}/", f"|{key} "]
        if q.date_from:
            where.append("a.date >= ?")
            args.append(q.date_from)
        if q.date_to:
            where.append("a.date <= ?")
            args.append(q.date_to + "\uffff")
        return where, args

    # -- search ----------------------------------------------------------------------------------
    def search(self, q: Query) -> SearchResult:
        terms = q.terms
        where, args = self._filters(q, relevant_only=not q.include_all)
        if terms:
            hits_sql, hits_args, count_sql, count_args = self._text_sql(q, terms, where, args)
        else:
            hits_sql, hits_args, count_sql, count_args = self._filter_sql(q, where, args)
        total = self.conn.execute(count_sql, count_args).fetchone()[0]
        more = 0
        if not q.include_all:
            all_where, all_args = self._filters(q, relevant_only=False)
            if terms:
                _, _, c_sql, c_args = self._text_sql(q, terms, all_where, all_args)
            else:
                _, _, c_sql, c_args = self._filter_sql(q, all_where, all_args)
            more = self.conn.execute(c_sql, c_args).fetchone()[0] - total
        rows = self.conn.execute(hits_sql, hits_args).fetchall()
        words = all_words(terms)
        dups = self.store.duplicates_of([r["id"] for r in rows])
        hits = []
        for r in rows:
            article = json.loads(r["data"])
            body = article.pop("body", "")
            hits.append(
                Hit(
                    article=article,
                    score=float(r["score"]),
                    snippet=make_snippet(body, words) if words else body[:200],
                    duplicates=dups.get(r["id"], []),
                )
            )
        return SearchResult(hits=hits, total=total, more_with_all=max(more, 0))

    def _text_sql(
        self, q: Query, terms: list[Term], where: list[str], args: list[Any]
    ) -> tuple[str, list[Any], str, list[Any]]:
        expr = match_expression(terms)
        words = all_words(terms)
        phrase = _fts_phrase(words) if len(words) > 1 else expr
        title_expr = f"title : ({expr})"
        cond = (" AND " + " AND ".join(where)) if where else ""
        matched = (
            f"SELECT a.rowid AS rowid, a.id AS id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            f"WHERE articles_fts MATCH ?{cond}"
        )
        base_args = [expr, *args]
        # A copy of a report is hidden when its original is among the matches.
        not_dup = "(a.duplicate_of IS NULL OR a.duplicate_of NOT IN (SELECT id FROM m))"
        tier = (
            "(CASE WHEN f.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) THEN 2 ELSE 0 END"
            " + CASE WHEN f.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) THEN 1 ELSE 0 END)"
        )
        order = "a.date DESC, score DESC" if q.sort == "date" else "score DESC, a.date DESC"
        hits_sql = (
            f"WITH m AS ({matched}) "
            f"SELECT a.id, a.data, {tier} + (-{_BM25}) / (1.0 + (-{_BM25})) AS score "
            f"FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            f"WHERE articles_fts MATCH ? AND f.rowid IN (SELECT rowid FROM m) AND {not_dup} "
            f"ORDER BY {order} LIMIT ?"
        )
        hits_args = [*base_args, phrase, title_expr, expr, q.limit]
        count_sql = (
            f"WITH m AS ({matched}) SELECT count(*) FROM articles a "
            f"WHERE a.rowid IN (SELECT rowid FROM m) AND {not_dup}"
        )
        return hits_sql, hits_args, count_sql, base_args

    def _filter_sql(
        self, q: Query, where: list[str], args: list[Any]
    ) -> tuple[str, list[Any], str, list[Any]]:
        cond = " AND ".join([*where, "a.duplicate_of IS NULL"])
        hits_sql = (
            f"SELECT a.id, a.data, 0.0 AS score FROM articles a WHERE {cond} "
            f"ORDER BY a.date DESC, a.rowid DESC LIMIT ?"
        )
        count_sql = f"SELECT count(*) FROM articles a WHERE {cond}"
        return hits_sql, [*args, q.limit], count_sql, list(args)

    # -- facets ----------------------------------------------------------------------------------
    def facets(self, q: Query, size: int = 10) -> Facets:
        terms = q.terms
        where, args = self._filters(q, relevant_only=not q.include_all)
        where.append("a.duplicate_of IS NULL")
        if terms:
            where.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            args.append(match_expression(terms))
        cond = " AND ".join(where)
        base = f"SELECT a.rowid, a.data, a.province, a.date FROM articles a WHERE {cond}"

        def top(sql: str) -> list[tuple[str, int]]:
            return [(r[0], r[1]) for r in self.conn.execute(sql, args).fetchall()]

        total = self.conn.execute(f"SELECT count(*) FROM ({base})", args).fetchone()[0]
        provinces = top(
            f"SELECT province, count(*) c FROM ({base}) WHERE province IS NOT NULL "
            f"GROUP BY province ORDER BY c DESC, province LIMIT {size}"
        )
        speakers = top(
            f"SELECT json_extract(j.value, '$.name') n, count(*) c FROM ({base}) b, "
            f"json_each(b.data, '$.speakers') j GROUP BY n ORDER BY c DESC, n LIMIT {size}"
        )
        decrees = top(
            f"SELECT j.value n, count(*) c FROM ({base}) b, json_each(b.data, '$.decrees') j "
            f"GROUP BY n ORDER BY c DESC, n LIMIT {size}"
        )
        years = top(
            f"SELECT substr(date, 1, 4) y, count(*) c FROM ({base}) WHERE date IS NOT NULL "
            f"GROUP BY y ORDER BY y DESC LIMIT {max(size, 30)}"
        )
        return Facets(
            provinces=provinces, speakers=speakers, decrees=decrees, years=years, total=total
        )
