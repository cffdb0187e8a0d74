"""The embedded search backend: SQLite FTS5 over folded text, ranked in tiers then by BM25.

Ranking (shared with the Elasticsearch backend): every query word must match (AND). Hits fall
into tiers: the query's words adjacent and in order (+2: every consecutive pair of query words
occurs as a pair, from the indexed syllable bigrams; Elasticsearch uses the phrase), all of them
in the title (+1); inside a tier, BM25 with the title weighted 10x the body. `--sort date`
orders by `date` instead.

Speed at 100,000 articles comes from: slim article rows (documents apart), relevance, province
and year as zero-weight tag tokens inside the FTS match, rows joined only when an SQL-only
filter or a date sort needs them, and the top hits chosen here (see README, Measurements).
"""

from __future__ import annotations

import heapq
from typing import Any

from vnlang.gazetteer import search_units
from vnlang.legaldocs import match_key

from .fts import RELEVANT_TAG, bigrams, province_tag, year_tag
from .query import Facets, Hit, Query, QueryError, SearchResult, Term, all_words
from .snippets import lead_snippet, make_snippet
from .store import Store

# bm25 weights for the FTS columns: title, body, extra (speakers, documents, province names),
# tags (filter tokens) and pairs (adjacent-word bigrams) with no weight.
_BM25 = "bm25(articles_fts, 10.0, 1.0, 4.0, 0.0, 0.0)"
# Up to this many matches every one is ranked; beyond, only the phrase/title tiers when they fill
# the page (BM25 over tens of thousands of rows is what makes a search slow).
_RANK_ALL_UP_TO = 20_000
# A date range of up to this many years also becomes year tokens in the FTS match.
_MAX_YEAR_TAGS = 40


def _fts_phrase(words: tuple[str, ...] | list[str]) -> str:
    # Folded words are \w-only, so quoting them is always valid FTS5 syntax.
    return '"' + " ".join(words) + '"'


def adjacency_expression(words: list[str]) -> str:
    """Every adjacent pair of the query's words present: the bigram tokens of the pairs column."""
    return "pairs : (" + " AND ".join(bigrams(words)) + ")"


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
    def _filters(
        self, q: Query, *, relevant_only: bool, tags: list[str] | None = None
    ) -> tuple[list[str], list[Any]]:
        """SQL conditions on the article rows. With `tags` (a list to fill), the province filter
        becomes an FTS tag token instead, so text searches never join rows for it."""
        where: list[str] = []
        args: list[Any] = []
        if relevant_only:
            where.append("a.relevant = 1")
        if q.province and tags is not None and not q.province_exact:
            (unit,) = province_units(q.province, True)
            province_units(q.province, False)  # same validation and error as the SQL path
            tags.append(province_tag(unit))
        elif q.province:
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
        if tags is not None and (q.date_from or q.date_to):
            first = int((q.date_from or "1990")[:4])
            last = int((q.date_to or "2100")[:4])
            if 0 <= last - first <= _MAX_YEAR_TAGS:  # narrow the FTS match to those years first
                tags.append("(" + " OR ".join(year_tag(y) for y in range(first, last + 1)) + ")")
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
        tags: list[str] = []
        if terms:
            where, args = self._filters(q, relevant_only=False, tags=tags)
            ranked, total, total_all = self._ranked(q, terms, where, args, tags)
        else:
            tags = []
            where, args = self._filters(q, relevant_only=False, tags=tags)
            ranked, total, total_all = self._by_date(q, where, args, tags)
        docs = self.store.docs([rowid for rowid, _ in ranked])
        words = all_words(terms)
        dups = self.store.duplicates_of([docs[rowid]["id"] for rowid, _ in ranked])
        hits = []
        for rowid, score in ranked:
            article = dict(docs[rowid])
            body = article.pop("body", "")
            hits.append(
                Hit(
                    article=article,
                    score=score,
                    snippet=make_snippet(body, words) if words else lead_snippet(body),
                    duplicates=dups.get(article["id"], []),
                )
            )
        more = 0 if q.include_all else total_all - total
        return SearchResult(hits=hits, total=total, more_with_all=max(more, 0))

    def _ranked(
        self, q: Query, terms: list[Term], where: list[str], args: list[Any], tags: list[str]
    ) -> tuple[list[tuple[int, float]], int, int]:
        """Every match with its score, cheaply: filters that are FTS tags (relevance, province)
        are part of the full-text match; article rows are joined only for SQL-only filters or
        a date sort; tiers are rowid-only FTS passes; the top hits are chosen here and only
        their documents are read."""
        expr = match_expression(terms)
        shown_tags = tags if q.include_all else [*tags, RELEVANT_TAG]

        def with_tags(e: str, t: list[str]) -> str:
            return f"({e}) AND tags : ({' AND '.join(t)})" if t else e

        pairs = self._copy_pairs()
        words = all_words(terms)
        adjacency = adjacency_expression(words) if len(words) > 1 else None
        tiered = f"({adjacency}) OR (title : ({expr}))" if adjacency else f"title : ({expr})"
        rows: list[tuple[int, float, str]] = []
        total = -1
        if q.sort == "relevance" and not where:
            # Relevant-only sets are small; --all over common words may match most articles.
            total = self._count(with_tags(expr, shown_tags), pairs) if q.include_all else 0
            if total > _RANK_ALL_UP_TO:
                # Rows in tier >= 1 (adjacency or title match) always outrank the rest: when
                # there are enough of them for the page, rank only those. (Either match implies
                # the whole query, so the tier expression alone selects them.)
                rows = self._visible(with_tags(tiered, shown_tags), [], [], False, pairs)
            if len(rows) < q.limit:
                rows = self._visible(with_tags(expr, shown_tags), [], [], False, pairs)
                total = len(rows)
        else:
            rows = self._visible(with_tags(expr, shown_tags), where, args, q.sort == "date", pairs)
            total = len(rows)
        if q.include_all:
            total_all = total
        elif where:
            total_all = len(self._matches(with_tags(expr, tags), where, args, False))
        else:
            total_all = self._count(with_tags(expr, tags), pairs)
        if not rows:
            return [], 0, total_all
        one_phrase = len(terms) == 1  # the query is its own phrase: every match is adjacent
        adjacent = (
            self._rowids(with_tags(adjacency, shown_tags))
            if len(words) > 1 and not one_phrase
            else None
        )
        in_title = self._rowids(with_tags(f"title : ({expr})", shown_tags))

        def score(r: tuple[int, float, str]) -> float:
            bm = -r[1]
            tier = (2 if adjacent is None or r[0] in adjacent else 0) + (
                1 if r[0] in in_title else 0
            )
            return tier + bm / (1.0 + bm)

        scored = [(score(r), r[2], r[0]) for r in rows]
        if q.sort == "date":
            top = heapq.nlargest(q.limit, scored, key=lambda x: (x[1], x[0]))
        else:
            top = heapq.nlargest(q.limit, scored, key=lambda x: (x[0], x[1]))
        return [(rowid, sc) for sc, _, rowid in top], total, total_all

    def _count(self, match: str, pairs: list[tuple[int, int]]) -> int:
        """Matches of an FTS expression, less copies hidden by their matching original."""
        n = self.conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)
        )
        return n.fetchone()[0] - len(self._hidden_copies(pairs, None, match))

    def _visible(
        self,
        match: str,
        where: list[str],
        args: list[Any],
        want_date: bool,
        pairs: list[tuple[int, int]],
    ) -> list[tuple[int, float, str]]:
        """`_matches`, less copies of a report whose original is among them."""
        rows = self._matches(match, where, args, want_date)
        hidden = self._hidden_copies(pairs, {r[0] for r in rows})
        return [r for r in rows if r[0] not in hidden]

    def _matches(
        self, match: str, where: list[str], args: list[Any], want_date: bool
    ) -> list[tuple[int, float, str]]:
        """(rowid, bm25, date) of every match; joins article rows only when it must."""
        if not where and not want_date:
            sql = f"SELECT rowid, {_BM25}, '' FROM articles_fts WHERE articles_fts MATCH ?"
            return self.conn.execute(sql, (match,)).fetchall()
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        return self.conn.execute(
            f"SELECT a.rowid, m.r, coalesce(a.date, '') FROM "
            f"(SELECT rowid, {_BM25} AS r FROM articles_fts WHERE articles_fts MATCH ?) m "
            # CROSS JOIN keeps the FTS pass as the outer loop (else a filter index may drive it).
            f"CROSS JOIN articles a ON a.rowid = m.rowid{cond}",
            [match, *args],
        ).fetchall()

    def _copy_pairs(self) -> list[tuple[int, int]]:
        """(copy rowid, original rowid) of every stored copy of a report; read once a search."""
        return self.conn.execute(
            "SELECT d.rowid, o.rowid FROM articles d JOIN articles o ON o.id = d.duplicate_of "
            "WHERE d.duplicate_of IS NOT NULL"  # uses the index: copies are few
        ).fetchall()

    def _hidden_copies(
        self, pairs: list[tuple[int, int]], matched: set[int] | None, match: str | None = None
    ) -> set[int]:
        """Rows that are copies of a report whose original is among the matches (given as a
        set of rowids, or as an FTS expression checked on the few rows concerned)."""
        if not pairs:
            return set()
        if matched is None:
            rowids = sorted({x for pair in pairs for x in pair})
            marks = ",".join("?" * len(rowids))
            matched = {
                r[0]
                for r in self.conn.execute(
                    f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                    [match, *rowids],
                )
            }
        return {copy for copy, original in pairs if copy in matched and original in matched}

    def _rowids(self, expr: str) -> set[int]:
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (expr,)
            )
        }

    def _by_date(
        self, q: Query, where: list[str], args: list[Any], tags: list[str]
    ) -> tuple[list[tuple[int, float]], int, int]:
        """Filters without text, newest first. Tag filters (relevance, province) go through the
        FTS index; the rest are SQL conditions. Copies of a report are not listed."""
        shown_tags = tags if q.include_all else [*tags, RELEVANT_TAG]
        cond = " AND ".join([*where, "a.duplicate_of IS NULL"])
        if shown_tags:
            source = (
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) m "
                "CROSS JOIN articles a ON a.rowid = m.rowid"
            )
            shown_args = [f"tags : ({' AND '.join(shown_tags)})", *args]
        else:
            source, shown_args = "articles a", list(args)
        rows = self.conn.execute(
            f"SELECT a.rowid FROM {source} WHERE {cond} ORDER BY a.date DESC, a.rowid DESC LIMIT ?",
            [*shown_args, q.limit],
        ).fetchall()
        total = self.conn.execute(
            f"SELECT count(*) FROM {source} WHERE {cond}", shown_args
        ).fetchone()[0]
        if q.include_all:
            total_all = total
        elif tags:
            all_args = [f"tags : ({' AND '.join(tags)})", *args]
            total_all = self.conn.execute(
                f"SELECT count(*) FROM {source} WHERE {cond}", all_args
            ).fetchone()[0]
        else:
            total_all = self.conn.execute(
                f"SELECT count(*) FROM articles a WHERE {cond}", args
            ).fetchone()[0]
        return [(r[0], 0.0) for r in rows], total, total_all

    # -- facets ----------------------------------------------------------------------------------
    def facets(self, q: Query, size: int = 10) -> Facets:
        terms = q.terms
        where, args = self._filters(q, relevant_only=not q.include_all)
        where.append("a.duplicate_of IS NULL")
        if terms:
            where.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            args.append(match_expression(terms))
        cond = " AND ".join(where)
        base = f"SELECT a.rowid, a.speakers, a.decrees, a.province, a.date FROM articles a WHERE {cond}"

        def top(sql: str) -> list[tuple[str, int]]:
            return [(r[0], r[1]) for r in self.conn.execute(sql, args).fetchall()]

        total = self.conn.execute(f"SELECT count(*) FROM ({base})", args).fetchone()[0]
        provinces = top(
            f"SELECT province, count(*) c FROM ({base}) WHERE province IS NOT NULL "
            f"GROUP BY province ORDER BY c DESC, province LIMIT {size}"
        )
        speakers = top(
            f"SELECT j.value n, count(*) c FROM ({base}) b, "
            f"json_each(b.speakers) j GROUP BY n ORDER BY c DESC, n LIMIT {size}"
        )
        decrees = top(
            f"SELECT j.value n, count(*) c FROM ({base}) b, json_each(b.decrees) j "
            f"GROUP BY n ORDER BY c DESC, n LIMIT {size}"
        )
        years = top(
            f"SELECT substr(date, 1, 4) y, count(*) c FROM ({base}) WHERE date IS NOT NULL "
            f"GROUP BY y ORDER BY y DESC LIMIT {max(size, 30)}"
        )
        undated = self.conn.execute(
            f"SELECT count(*) FROM ({base}) WHERE date IS NULL", args
        ).fetchone()[0]
        return Facets(
            provinces=provinces,
            speakers=speakers,
            decrees=decrees,
            years=years,
            total=total,
            undated=undated,
        )
