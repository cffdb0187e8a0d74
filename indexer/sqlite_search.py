"""The embedded search backend: SQLite FTS5 over folded text, ranked in tiers then by BM25.

Ranking (shared with the Elasticsearch backend): every query word must match (AND). Hits fall
into tiers: the query's words adjacent and in order (+2: every consecutive pair of query words
occurs adjacent: FTS5 phrase queries, or the indexed syllable bigrams of a store created before
schema `_adjacency_by_phrases`; Elasticsearch uses the phrase), all of them in the title (+1);
inside a tier, BM25 with the title weighted 10x the body. `--sort date` orders by `date` instead.

Speed comes from: slim article rows (documents apart), relevance, province and year as
zero-weight tag tokens inside the FTS match, rows joined only when an SQL-only filter or a date
sort needs them, BM25 only for the tiers that can fill the page, a query of several terms with
few matches ranked from one BM25 pass (the top tier tested on the best rows' text), counts from
the FTS index, and the top hits chosen here (see README, Measurements).
"""

from __future__ import annotations

import heapq
import json
import re
from itertools import pairwise
from typing import Any

from vnlang.gazetteer import search_units
from vnlang.legaldocs import match_key

from .fts import RELEVANT_TAG, REMOVED_TAG, bigrams, province_tag, year_tag
from .history import NOT_REMOVED_SQL
from .query import Facets, Hit, Query, QueryError, SearchResult, Term, all_words
from .snippets import lead_snippet, make_snippet
from .store import Store

# bm25 weights for the FTS columns: title, body, extra (speakers, documents, province names),
# tags (filter tokens) and pairs (adjacent-word bigrams) with no weight.
_BM25 = "bm25(articles_fts, 10.0, 1.0, 4.0, 0.0, 0.0)"
# The same over the title column alone: not zero exactly when a phrase of the match is in it.
_TITLE_BM25 = "bm25(articles_fts, 1.0, 0.0, 0.0, 0.0, 0.0)"
# Up to this many rows, the ranking tiers of given rows are read from their text (~50 us a row)
# rather than found by a pass over every match of the tier's expression.
_CHECK_UP_TO = 64
# A token of the full-text index (FTS5 unicode61: letters and digits), and a word of the bigram
# column of older stores (`fts.pairs_text`).
_TOKENS = re.compile(r"[^\W_]+")
_PAIR_WORDS = re.compile(r"\w+")
# A query of several terms is first answered from one BM25 pass over its matches when they are
# at most 1/_PROBE_SHARE of the store (at least _PROBE_MIN_ROWS): scoring a row costs ~3 us, a
# pass over the lists of common syllables ~20 ms at 1,000,000 articles (see `_top_tier_by_bm25`).
_PROBE_SHARE = 64
_PROBE_MIN_ROWS = 2_000
# Rows of a page's candidates tested against the top tier before the tier passes take over.
_TIER_CHECKS = 256
# Up to this many stored copies of reports, a listing's count is taken from the FTS index alone.
_MAX_COPIES_APART = 200
# A date range of up to this many years also becomes year tokens in the FTS match.
_MAX_YEAR_TAGS = 40


def _fts_phrase(words: tuple[str, ...] | list[str]) -> str:
    # Folded words are \w-only, so quoting them is always valid FTS5 syntax.
    return '"' + " ".join(words) + '"'


def adjacency_expression(words: list[str]) -> str:
    """Every adjacent pair of the query's words present: the bigram tokens of the pairs column."""
    return "pairs : (" + " AND ".join(bigrams(words)) + ")"


def adjacency_phrases(words: list[str]) -> str:
    """Every adjacent pair of the query's words present, as FTS5 phrases in the title or the
    body (what the bigrams of the pairs column hold, for stores that write none)."""
    pairs = [_fts_phrase(p) for p in zip(words, words[1:], strict=False)]
    return "{title body} : (" + " AND ".join(pairs) + ")"


def match_expression(terms: list[Term]) -> str:
    return " AND ".join(_fts_phrase(t.words) for t in terms)


_PLAIN_WORD = re.compile(r"[a-z0-9]+")
# A document key's number may have been written with leading zeros (09/2017): up to this many.
_MAX_LEADING_ZEROS = 3


def whole_years_only(q: Query) -> bool:
    """Both bounds of the date range are whole years (2020-01-01 to 2021-12-31, at most
    `_MAX_YEAR_TAGS` apart): the year tags select exactly the rows the SQL conditions would
    keep (a stored date is YYYY-MM-DD; an article without a date has no year tag)."""
    if not (q.date_from and q.date_to):
        return False
    span = int(q.date_to[:4]) - int(q.date_from[:4])
    return 0 <= span <= _MAX_YEAR_TAGS and q.date_from[4:] == "-01-01" and q.date_to[4:] == "-12-31"


def speaker_narrowing(words: list[str]) -> list[str]:
    """An FTS condition every article whose speaker's name holds `words` consecutively meets:
    the folded names are in the `extra` column (empty when a word is not plain a-z0-9, whose
    tokenization could differ)."""
    if not all(_PLAIN_WORD.fullmatch(w) for w in words):
        return []
    return [f"extra : {_fts_phrase(words)}"]


def decree_narrowing(key: str) -> list[str]:
    """An FTS condition every article with a document of this `match_key` meets: the key's
    tokens in the `extra` column, a number also with up to `_MAX_LEADING_ZEROS` leading zeros
    (the key drops them)."""
    parts = []
    for token in re.split(r"[^a-z0-9]+", key):
        if not token:
            continue
        if token[0].isdigit():
            variants = [f'"{"0" * k}{token}"' for k in range(_MAX_LEADING_ZEROS + 1)]
            parts.append("(" + " OR ".join(variants) + ")")
        else:
            parts.append(f'"{token}"')
    return [f"extra : ({' AND '.join(parts)})"] if parts else []


def province_units(name: str, exact: bool) -> list[str]:
    units = search_units(name, exact)
    if not units:
        raise QueryError(
            f"unknown province {name!r}: give a province name, e.g. 'Thanh Hóa' or 'Ninh Binh'"
        )
    return sorted(units)


class SqliteSearch:
    """`SearchBackend` over a `Store`."""

    def __init__(
        self, store: Store, *, pairs: bool | None = None, probe_rows: int | None = None
    ) -> None:
        """`pairs`: answer the adjacency tier from the bigram column (True) or by phrase queries
        (False); default: bigrams when the store writes them (`Store.writes_pairs`).
        `probe_rows`: the most matches answered by one BM25 pass (default: by the store's size;
        tests set it to compare both ways)."""
        self.probe_rows = probe_rows
        self.store = store
        self.conn = store.conn
        self.pairs = store.writes_pairs if pairs is None else pairs

    # -- filters -------------------------------------------------------------------------------
    def _filters(
        self,
        q: Query,
        *,
        relevant_only: bool,
        tags: list[str] | None = None,
        narrow: list[str] | None = None,
    ) -> tuple[list[str], list[Any]]:
        """SQL conditions on the article rows. With `tags` (a list to fill), the province filter
        becomes an FTS tag token instead, so text searches never join rows for it, and a date
        range of whole years (2020-01-01 to 2021-12-31) is answered by the year tags alone. With
        `narrow` (a list to fill), the speaker and document filters also give an FTS condition
        on the `extra` column that every row they keep satisfies: the full-text index picks the
        few candidate rows, the SQL condition (exact) checks only those."""
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
            if narrow is not None:
                narrow.extend(speaker_narrowing(words))
        if q.decree is not None:
            key = match_key(q.decree)
            if not key:
                raise QueryError(f"cannot read a document number or law name in {q.decree!r}")
            where.append(
                "(instr(a.decrees_key, ?) > 0 OR instr(a.decrees_key, ?) > 0 "
                "OR instr(a.decrees_key, ?) > 0)"
            )
            args += [f"|{key}|", f"|{key}/", f"|{key} "]
            if narrow is not None:
                narrow.extend(decree_narrowing(key))
        whole_years = False
        if tags is not None and (q.date_from or q.date_to):
            first = int((q.date_from or "1990")[:4])
            last = int((q.date_to or "2100")[:4])
            if 0 <= last - first <= _MAX_YEAR_TAGS:  # narrow the FTS match to those years first
                tags.append("(" + " OR ".join(year_tag(y) for y in range(first, last + 1)) + ")")
                whole_years = whole_years_only(q)
        if q.date_from and not whole_years:
            where.append("a.date >= ?")
            args.append(q.date_from)
        if q.date_to and not whole_years:
            where.append("a.date <= ?")
            args.append(q.date_to + "\uffff")
        return where, args

    # -- search ----------------------------------------------------------------------------------
    def search(self, q: Query) -> SearchResult:
        terms = q.terms
        tags: list[str] = []
        narrow: list[str] = []
        where, args = self._filters(q, relevant_only=False, tags=tags, narrow=narrow)
        if terms:
            ranked, total, total_all = self._ranked(q, terms, where, args, tags, narrow)
        else:
            ranked, total, total_all = self._by_date(q, where, args, tags, narrow)
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
        self,
        q: Query,
        terms: list[Term],
        where: list[str],
        args: list[Any],
        tags: list[str],
        narrow: list[str],
    ) -> tuple[list[tuple[int, float]], int, int]:
        """The top hits with their scores, computing BM25 only where it can decide the page.

        A hit's score is its tier (+2 words adjacent, +1 all in the title) plus bm/(1 + bm) of
        its BM25, so a higher tier always outranks a lower one: when the adjacency tier alone
        holds a page of hits, only its rows are scored (with bigrams, by the tier's own
        expression: its bigram phrases weigh 0, so its BM25 is the query's; with phrase queries,
        the query's BM25 of those rows only); else the adjacency and title tiers when they hold
        a page; else every match. Before those, a query of several terms with few matches is
        ranked from one BM25 pass (`_top_tier_by_bm25`). A date sort scores only the rows dated
        like the page's last hit or later (BM25 breaks ties of equal dates). Counts are counts,
        never scores; copies of a report whose original matches are left out of hits and counts
        alike."""
        expr = match_expression(terms)
        shown_tags = tags if q.include_all else [*tags, RELEVANT_TAG]

        def with_tags(e: str, t: list[str]) -> str:
            e = f"({e}) AND tags : ({' AND '.join(t)})" if t else e
            return e if q.include_removed else f"({e}) NOT tags : {REMOVED_TAG}"

        def narrowed(e: str, t: list[str]) -> str:
            return with_tags(" AND ".join([f"({e})", *narrow]) if narrow else e, t)

        pairs = self._copy_pairs()
        words = all_words(terms)
        # The query is its own phrase (or one word): every match is adjacent.
        adjacency: str | None = None
        if len(terms) > 1:
            adjacency = adjacency_expression(words) if self.pairs else adjacency_phrases(words)
        title = f"title : ({expr})"
        shown = with_tags(expr, shown_tags)
        if q.sort == "relevance" and not where:
            dated: dict[int, str] = {}
            scores: dict[int, float] | None = None
            adjacent: set[int] | None = None
            in_title: set[int] | None = None
            total = -1
            first = self._top_tier_by_bm25(shown, terms, pairs, q.limit) if adjacency else None
            if first is not None:
                scores, total, top = first
                if top is not None:  # the page: the top tier's best rows
                    adjacent = in_title = top
            else:
                hidden = self._hidden_copies(pairs, None, shown)
            if adjacency and scores is None:
                upper_tier = with_tags(f"({expr}) AND {adjacency}", shown_tags)
                if self.pairs:  # zero-weight bigram phrases: the BM25 is the query's
                    scores = self._bm25(upper_tier, None)
                    for r in hidden:
                        scores.pop(r, None)
                    adjacent = set(scores)
                else:  # phrases in the title and body would count: score those rows apart
                    adjacent = self._rowids(upper_tier) - hidden
                    scores = self._bm25(shown, adjacent) if len(adjacent) >= q.limit else {}
                if len(scores) >= q.limit and self.pairs:
                    in_title = self._rowids(
                        with_tags(f"({expr}) AND {adjacency} AND {title}", shown_tags)
                    )
                elif len(scores) >= q.limit:  # (a second pass over the phrases costs more)
                    in_title = self._rowids(with_tags(title, shown_tags)) & adjacent
                else:
                    in_title = self._rowids(with_tags(title, shown_tags)) - hidden
                    upper = in_title | adjacent
                    scores = self._bm25(shown, upper) if len(upper) >= q.limit else None
                if scores is not None:
                    total = self._count(shown, pairs)
            if scores is None:
                # Every match scored: the count is theirs. A one-term query is in the title
                # exactly when its BM25 over the title column alone is not zero (an extra
                # column of the same statement: the term statistics are computed once).
                every = self._bm25_all(shown, with_title=in_title is None)
                assert every is not None  # (no cap)
                scores, titled = every
                for r in hidden:
                    scores.pop(r, None)
                total = len(scores)
                if in_title is None:
                    in_title = titled
        elif q.sort == "date" and not where:
            # The newest rows only, sorted by SQLite; every row dated like the page's last hit
            # (BM25 orders equal dates) is among them.
            hidden = self._hidden_copies(pairs, None, shown)
            total = self._count(shown, pairs)
            dated = self._newest(shown, q.limit, hidden)
            scores = self._bm25(shown, set(dated)) if dated else {}
            scores = {r: scores[r] for r in dated if r in scores}
            adjacent = in_title = None
        else:
            rows = self._rows(narrowed(expr, shown_tags), where, args)
            hidden = self._hidden_copies(pairs, {r[0] for r in rows})
            dated = {r: d for r, d in rows if r not in hidden}
            total = len(dated)
            wanted: set[int] | None = None
            if q.sort == "date" and len(dated) > q.limit:
                last = heapq.nlargest(q.limit, dated.values())[-1]
                wanted = {r for r, d in dated.items() if d >= last}
            elif where:
                wanted = set(dated)
            scores = self._bm25(shown, wanted) if dated else {}
            scores = {r: scores[r] for r in dated if r in scores}
            adjacent = in_title = None
        if q.include_all:
            total_all = total
        elif where:
            total_all = self._count_rows(narrowed(expr, tags), where, args)
        else:
            total_all = self._count(with_tags(expr, tags), pairs)
        if not scores:
            return [], 0, total_all
        if len(scores) <= _CHECK_UP_TO and (in_title is None or (adjacency and adjacent is None)):
            checked_title, checked_adjacent = self._tiers_by_text(set(scores), terms)
            in_title = checked_title if in_title is None else in_title
            adjacent = checked_adjacent if adjacency and adjacent is None else adjacent
        if adjacency and adjacent is None:
            adjacent = self._rowids(with_tags(adjacency, shown_tags))
        if in_title is None:
            in_title = self._rowids(with_tags(title, shown_tags))

        def score(rowid: int, bm25: float) -> float:
            bm = -bm25
            tier = (2 if adjacent is None or rowid in adjacent else 0) + (
                1 if rowid in in_title else 0
            )
            return tier + bm / (1.0 + bm)

        scored = [(score(r, b), dated.get(r, ""), r) for r, b in scores.items()]
        if q.sort == "relevance" and not where and whole_years_only(q) and scored:
            # A date range is an SQL condition unless it is whole years, and with one the rows
            # were joined and equal scores ordered by date: so they still are.
            last = heapq.nlargest(q.limit, (x[0] for x in scored))[-1]
            scored = [x for x in scored if x[0] >= last]
            dates = self._dates([x[2] for x in scored])
            scored = [(sc, dates[r], r) for sc, _, r in scored]
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

    def _count_rows(self, match: str, where: list[str], args: list[Any]) -> int:
        """Rows matching an FTS expression and SQL conditions (copies included)."""
        return self.conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) m "
            "CROSS JOIN articles a ON a.rowid = m.rowid WHERE " + " AND ".join(where),
            [match, *args],
        ).fetchone()[0]

    def _bm25(self, match: str, rowids: set[int] | None) -> dict[int, float]:
        """BM25 of the matches of an FTS expression, in rowid order: every one, or only those
        in `rowids` (the others are passed over without being scored: the `+` keeps the rowid
        test out of the full-text index's plan, where an IN list would mean one index lookup
        per value)."""
        sql = f"SELECT rowid, {_BM25} FROM articles_fts WHERE articles_fts MATCH ?"
        if rowids is None:
            return dict(self.conn.execute(sql, (match,)).fetchall())
        if not rowids:
            return {}
        # Never looked up one by one: each lookup would compute the term statistics again.
        sql += " AND +rowid IN (SELECT value FROM json_each(?))"
        return dict(self.conn.execute(sql, (match, json.dumps(sorted(rowids)))).fetchall())

    def _newest(self, match: str, limit: int, hidden: set[int]) -> dict[int, str]:
        """{rowid: date or ''} in rowid order of the matches not in `hidden` dated like the
        `limit`-th newest of them or later."""
        fetch = limit + len(hidden) + 16
        while True:
            rows = self.conn.execute(
                "SELECT a.rowid, coalesce(a.date, '') d FROM "
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) m "
                "CROSS JOIN articles a ON a.rowid = m.rowid ORDER BY d DESC LIMIT ?",
                (match, fetch),
            ).fetchall()
            shown = [r for r in rows if r[0] not in hidden]
            if len(rows) < fetch:  # every match
                break
            if len(shown) > limit and shown[-1][1] < shown[limit - 1][1]:
                break  # past the last date the page can hold
            fetch *= 4
        if len(shown) > limit:
            last = shown[limit - 1][1]
            shown = [r for r in shown if r[1] >= last]
        return dict(sorted((r[0], r[1]) for r in shown))

    def _dates(self, rowids: list[int]) -> dict[int, str]:
        return dict(
            self.conn.execute(
                "SELECT rowid, coalesce(date, '') FROM articles "
                "WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(rowids),),
            ).fetchall()
        )

    def _bm25_all(
        self, match: str, *, with_title: bool, cap: int | None = None
    ) -> tuple[dict[int, float], set[int]] | None:
        """BM25 of every match of an FTS expression, and the rows where a phrase of it occurs
        in the title (a BM25 of the title column alone above zero: bm25() is negated, and a
        term's weight is positive; for one term, the rows with it in the title), or no rows
        without `with_title`. None when more than `cap` rows match (the pass is given up)."""
        title = f", {_TITLE_BM25}" if with_title else ""
        cur = self.conn.execute(
            f"SELECT rowid, {_BM25}{title} FROM articles_fts WHERE articles_fts MATCH ?", (match,)
        )
        rows: list[tuple[Any, ...]] = []
        while chunk := cur.fetchmany(1000):
            rows.extend(chunk)
            if cap is not None and len(rows) > cap:
                cur.close()
                return None
        if not with_title:
            return dict(rows), set()
        return {r[0]: r[1] for r in rows}, {r[0] for r in rows if r[2] < 0}

    def _top_tier_by_bm25(
        self, shown: str, terms: list[Term], pairs: list[tuple[int, int]], limit: int
    ) -> tuple[dict[int, float], int, set[int] | None] | None:
        """The page of a query of several terms from one BM25 pass over its matches, when they
        are few enough (at most 1/_PROBE_SHARE of the store, `probe_rows` if set; else None, and
        the tier passes answer).

        Rows are taken best BM25 first among those with a query word in the title (a title
        BM25 above zero), and tested against the top tier (every term in the title and every
        pair of query words adjacent: `_tiers_by_text`) a few at a time: the first `limit` that
        pass, with every row of equal BM25, are the page, since no other tier outranks it.
        Returns (BM25 of those rows, the count of matches, their rowids), or, when fewer than
        `limit` rows pass among the first `_TIER_CHECKS`, (BM25 of every match, the count,
        None). One pass instead of four at 1,000,000 articles: the walks over long lists of
        common syllables (each ~20 ms) were most of a search."""
        if self.probe_rows is None:
            top = self._max_rowid()
            cap = max(_PROBE_MIN_ROWS, top // _PROBE_SHARE)
            # Estimated from the newest 1/_PROBE_SHARE of the rows (a short walk at the end of
            # the lists): scoring many matches only to give up would cost more than it saves.
            newest = self.conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?",
                (shown, top - max(1, top // _PROBE_SHARE)),
            ).fetchone()[0]
            if newest * _PROBE_SHARE > cap:
                return None
        else:
            cap = self.probe_rows
        every = self._bm25_all(shown, with_title=True, cap=cap)
        if every is None:
            return None
        scores, titled = every
        hidden = self._hidden_copies(pairs, set(scores))  # (copies: `_ranked`)
        for r in hidden:
            scores.pop(r, None)
        # bm25() is negated: best first
        candidates = sorted((scores[r], r) for r in titled if r not in hidden)
        found: list[tuple[float, int]] = []
        checked = 0
        size = min(_CHECK_UP_TO, limit + limit // 2 + 4)  # most of a page's rows pass at once
        while checked < len(candidates) and checked < max(_TIER_CHECKS, 2 * limit):
            batch = candidates[checked : checked + size]
            checked += len(batch)
            size = _CHECK_UP_TO
            in_title, adjacent = self._tiers_by_text({r for _, r in batch}, terms)
            found.extend(x for x in batch if x[1] in in_title and x[1] in adjacent)
            if len(found) >= limit:
                last = found[limit - 1][0]
                if checked == len(candidates) or candidates[checked][0] > last:
                    top = {r for _, r in found}
                    return {r: b for r, b in scores.items() if r in top}, len(scores), top
        return scores, len(scores), None

    def _tiers_by_text(self, rowids: set[int], terms: list[Term]) -> tuple[set[int], set[int]]:
        """Of these rows, those with every term in the title (`title : (terms)`) and those
        where every pair of consecutive query words stands adjacent in the title or the body
        (the adjacency tier), read from their indexed text. (FTS5 lookups of given rows seek
        the next row that matches: for an expression few rows match, that was a walk to the
        end of its lists for every row: up to 14 ms a row.)"""
        words = _PAIR_WORDS if self.pairs else _TOKENS  # the bigram column's words, or FTS5's

        def spaced(text: str, tokens: re.Pattern[str] = words) -> str:
            return " " + " ".join(tokens.findall(text)) + " "

        pairs = [spaced(f"{a} {b}") for a, b in pairwise(all_words(terms))]
        phrases = [spaced(" ".join(t.words), _TOKENS) for t in terms]
        in_title: set[int] = set()
        adjacent: set[int] = set()
        for rowid, title, body in self.conn.execute(
            "SELECT rowid, title, body FROM articles_fts "
            "WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(rowids)),),
        ):
            t = spaced(title, _TOKENS)
            if all(p in t for p in phrases):
                in_title.add(rowid)
            if words is not _TOKENS:
                t = spaced(title)
            b = spaced(body)
            if all(p in t or p in b for p in pairs):
                adjacent.add(rowid)
        return in_title, adjacent

    def _max_rowid(self) -> int:
        return self.conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]

    def _rows(self, match: str, where: list[str], args: list[Any]) -> list[tuple[int, str]]:
        """(rowid, date or '') of every match meeting the SQL conditions, in rowid order."""
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        return self.conn.execute(
            "SELECT a.rowid, coalesce(a.date, '') FROM "
            "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) m "
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
            assert match is not None
            matched = self._matching(match, {x for pair in pairs for x in pair})
        return {copy for copy, original in pairs if copy in matched and original in matched}

    def _matching(self, expr: str, rowids: set[int]) -> set[int]:
        """Which of these rows match an FTS expression, from one pass over its matches. (Not
        FTS5 lookups of the given rows: a lookup seeks the next matching row, a walk to the end
        of the lists when few rows match; 300 rows of stored copies cost up to 84 ms that way at
        1,000,000 articles, a pass 2-22 ms.)"""
        if not rowids:
            return set()
        sql = (
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "AND +rowid IN (SELECT value FROM json_each(?))"
        )
        return {r[0] for r in self.conn.execute(sql, (expr, json.dumps(sorted(rowids))))}

    def _rowids(self, expr: str) -> set[int]:
        """The matches of an FTS expression."""
        sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
        return {r[0] for r in self.conn.execute(sql, (expr,))}

    def _by_date(
        self, q: Query, where: list[str], args: list[Any], tags: list[str], narrow: list[str]
    ) -> tuple[list[tuple[int, float]], int, int]:
        """Filters without text, newest first. Tag filters (relevance, province) and the
        candidate narrowing of the speaker and document filters go through the FTS index; the
        rest are SQL conditions. Copies of a report are not listed."""
        shown_tags = tags if q.include_all else [*tags, RELEVANT_TAG]
        live = [] if q.include_removed else [NOT_REMOVED_SQL]
        cond = " AND ".join([*where, *live, "a.duplicate_of IS NULL"])

        def fts(t: list[str]) -> str | None:
            parts = ([f"tags : ({' AND '.join(t)})"] if t else []) + narrow
            return " AND ".join(parts) if parts else None

        def source(match: str | None) -> tuple[str, list[Any]]:
            if match is None:
                return "articles a", list(args)
            return (
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) m "
                "CROSS JOIN articles a ON a.rowid = m.rowid",
                [match, *args],
            )

        shown_source, shown_args = source(fts(shown_tags))
        rows = self.conn.execute(
            f"SELECT a.rowid FROM {shown_source} WHERE {cond} "
            "ORDER BY a.date DESC, a.rowid DESC LIMIT ?",
            [*shown_args, q.limit],
        ).fetchall()

        # Without SQL-only filters a count is the FTS index's, less the copies (read once here).
        copies = None if where else self._copy_rowids()

        def count(match: str | None) -> int:
            if match is not None and copies is not None:
                return self._count_listed(match, q, copies)
            src, src_args = source(match)
            return self.conn.execute(
                f"SELECT count(*) FROM {src} WHERE {cond}", src_args
            ).fetchone()[0]

        total = count(fts(shown_tags))
        total_all = total if q.include_all else count(fts(tags))
        return [(r[0], 0.0) for r in rows], total, total_all

    def _copy_rowids(self) -> list[int] | None:
        """The rowids of the stored copies of reports (few: the duplicate_of index finds them),
        or None when they are too many to be taken off a count one by one."""
        copies = [
            r[0]
            for r in self.conn.execute(
                "SELECT rowid FROM articles WHERE duplicate_of IS NOT NULL LIMIT ?",
                (_MAX_COPIES_APART + 1,),
            )
        ]
        return None if len(copies) > _MAX_COPIES_APART else copies

    def _count_listed(self, match: str, q: Query, copies: list[int]) -> int:
        """The rows of an FTS expression a listing shows (not removed, not a copy of a report),
        counted in the FTS index alone: removed articles carry the removed tag, and the `copies`
        among the matches are taken off. At 1,000,000 articles a province holds ~100,000: counting
        them through the rows took 140 ms, through the index ~2 ms."""
        if not q.include_removed:
            match = f"({match}) NOT tags : {REMOVED_TAG}"
        n = self.conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,)
        ).fetchone()[0]
        return n - len(self._matching(match, set(copies)))

    # -- facets ----------------------------------------------------------------------------------
    def facets(self, q: Query, size: int = 10) -> Facets:
        terms = q.terms
        where, args = self._filters(q, relevant_only=not q.include_all)
        where.append("a.duplicate_of IS NULL")
        if not q.include_removed:
            where.append(NOT_REMOVED_SQL)
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
