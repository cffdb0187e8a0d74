"""The Elasticsearch search backend: the embedded backend's semantics, on the index.

Same `Query` in, same `SearchResult` out (see `indexer.sqlite_search` and docs/interfaces.md):

* every term must match (AND) in the title, the body or the folded `extra` text (speakers,
  roles, documents, topics, province names); a word and a phrase alike are `match_phrase`
  queries on the folded fields, because the query is already folded and split by
  `indexer.query.parse_text` (no user syntax ever reaches Elasticsearch);
* ranking in tiers, then BM25 (title x10, extra x4, body x1): +2 when all the query's words
  stand next to each other in order, +1 when they are all in the title. Each tier is a
  `constant_score` should-clause worth `TIER` points, far above any BM25 score, and the hit's
  score is reported on the embedded backend's scale: `tier + bm25 / (1 + bm25)`;
* filters (province units, speaker words, document key, dates, relevant-only) as the embedded
  backend applies them, counts for `total` and `more_with_all`;
* a copy of a report (`duplicate_of` set) is hidden when its original matches too.
"""

from __future__ import annotations

import re
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from vnlang.legaldocs import match_key

from ..query import Facets, Hit, Query, QueryError, SearchResult, Term, all_words
from ..snippets import MARK_CLOSE, MARK_OPEN, lead_snippet, make_snippet
from ..sqlite_search import province_units
from .client import ElasticUnavailable, one_line, translate_errors, url_of
from .mapping import (
    BODY_FOLDED,
    DERIVED_FIELDS,
    EXACT_FIELDS,
    TEXT_FIELDS,
    TITLE_FOLDED,
    alias_for,
)

TIER = 10_000.0  # one tier step; BM25 stays far below it
EXACT_BOOST = 0.2  # small bonus when the words match with the user's own diacritics
MAX_DUP_GROUPS = 10_000
SNIPPET_CHARS = 200
_TAGS = re.compile(re.escape(MARK_OPEN) + "|" + re.escape(MARK_CLOSE))


def _phrase_any_field(words: tuple[str, ...] | list[str]) -> dict[str, Any]:
    text = " ".join(words)
    return {
        "bool": {
            "should": [
                {"match_phrase": {field: {"query": text, "boost": boost}}}
                for field, boost in TEXT_FIELDS
            ],
            "minimum_should_match": 1,
        }
    }


def _phrase(field: str, words: tuple[str, ...]) -> dict[str, Any]:
    return {"match_phrase": {field: {"query": " ".join(words)}}}


def score_from_es(score: float | None) -> float:
    """ES score (tiers x TIER + BM25) -> the embedded scale: tier + bm25 / (1 + bm25)."""
    if score is None:
        return 0.0
    tier = int(score // TIER)
    rest = max(score - tier * TIER, 0.0)
    return tier + rest / (1.0 + rest)


class ElasticSearch:
    """`SearchBackend` over the pressnews alias."""

    def __init__(self, es: Elasticsearch, *, alias: str | None = None, store: Any = None) -> None:
        self.es = es
        self.alias = alias or alias_for()  # pressnews-articles, or $PRESSNEWS_ES_PREFIX-articles
        self.store = store  # optional: the other copies' urls in the store's own order

    # -- query parts ---------------------------------------------------------------------------------
    def _filters(self, q: Query, *, relevant_only: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if relevant_only:
            out.append({"term": {"relevant": True}})
        if not q.include_removed:  # a page that answered 404/410 or left its site
            out.append({"bool": {"must_not": [{"exists": {"field": "removed"}}]}})
        if q.province:
            out.append({"terms": {"province": province_units(q.province, q.province_exact)}})
        if q.speaker is not None:
            words = q.speaker_words()
            if not words:
                raise QueryError("--speaker needs at least one name word")
            out.append({"match_phrase": {"speakers_key": " ".join(words)}})
        if q.decree is not None:
            key = match_key(q.decree)
            if not key:
                raise QueryError(f"cannot read a document number or law name in {q.decree!r}")
            out.append(
                {
                    "bool": {
                        "should": [
                            {"term": {"decree_keys": key}},
                            {"prefix": {"decree_keys": key + "/"}},
                            {"prefix": {"decree_keys": key + " "}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        if q.date_from:
            out.append({"range": {"date": {"gte": q.date_from[:10]}}})
        if q.date_to:
            out.append({"range": {"date": {"lte": q.date_to[:10] + "||/d"}}})
        return out

    @staticmethod
    def _must(terms: list[Term]) -> list[dict[str, Any]]:
        return [_phrase_any_field(t.words) for t in terms]

    @staticmethod
    def _tiers(q: Query, terms: list[Term]) -> list[dict[str, Any]]:
        words = all_words(terms)
        should: list[dict[str, Any]] = [
            # +2: all the words adjacent and in order (one word: always true, as in SQLite).
            {"constant_score": {"filter": _phrase_any_field(words), "boost": 2 * TIER}},
            # +1: every term in the title.
            {
                "constant_score": {
                    "filter": {"bool": {"must": [_phrase(TITLE_FOLDED, t.words) for t in terms]}},
                    "boost": TIER,
                }
            },
        ]
        typed = " ".join((q.text or "").split()[:64])
        if typed:
            should.append(
                {
                    "multi_match": {
                        "query": typed,
                        "type": "most_fields",
                        "fields": [f"{f}^{b:g}" for f, b in EXACT_FIELDS],
                        "boost": EXACT_BOOST,
                    }
                }
            )
        return should

    def _matching(self, terms: list[Term], filters: list[dict[str, Any]]) -> dict[str, Any]:
        return {"bool": {"must": self._must(terms), "filter": filters}}

    def _hidden_copies(self, terms: list[Term], filters: list[dict[str, Any]]) -> list[str]:
        """Originals that match and have matching copies: those copies are hidden."""
        base = self._matching(terms, filters)
        resp = self.es.search(
            index=self.alias,
            query=base,
            size=0,
            aggs={"originals": {"terms": {"field": "duplicate_of", "size": MAX_DUP_GROUPS}}},
        )
        candidates = [b["key"] for b in resp["aggregations"]["originals"]["buckets"]]
        if not candidates:
            return []
        resp = self.es.search(
            index=self.alias,
            query={"bool": {"must": base, "filter": [{"ids": {"values": candidates}}]}},
            size=len(candidates),
            source=False,
        )
        return [h["_id"] for h in resp["hits"]["hits"]]

    def _text_query(
        self, q: Query, terms: list[Term], filters: list[dict[str, Any]]
    ) -> dict[str, Any]:
        hidden = self._hidden_copies(terms, filters)
        query: dict[str, Any] = {
            "bool": {"must": self._must(terms), "should": self._tiers(q, terms), "filter": filters}
        }
        if hidden:
            query["bool"]["must_not"] = [{"terms": {"duplicate_of": hidden}}]
        return query

    @staticmethod
    def _filter_query(filters: list[dict[str, Any]]) -> dict[str, Any]:
        return {"bool": {"filter": filters, "must_not": [{"exists": {"field": "duplicate_of"}}]}}

    def _count(self, q: Query, terms: list[Term], filters: list[dict[str, Any]]) -> int:
        if terms:
            hidden = self._hidden_copies(terms, filters)
            query = self._matching(terms, filters)
            if hidden:
                query["bool"]["must_not"] = [{"terms": {"duplicate_of": hidden}}]
        else:
            query = self._filter_query(filters)
        return int(self.es.count(index=self.alias, query=query)["count"])

    # -- search ------------------------------------------------------------------------------------
    def search(self, q: Query) -> SearchResult:
        terms = q.terms
        filters = self._filters(q, relevant_only=not q.include_all)
        all_filters = self._filters(q, relevant_only=False) if not q.include_all else None
        with self._errors():
            if terms:
                query = self._text_query(q, terms, filters)
                if q.sort == "date":
                    sort: list[Any] = [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
                else:
                    sort = ["_score", {"date": {"order": "desc", "missing": "_last"}}]
            else:
                query = self._filter_query(filters)
                sort = [
                    {"date": {"order": "desc", "missing": "_last"}},
                    {"fetched_at": {"order": "desc", "missing": "_last"}},
                ]
            kwargs: dict[str, Any] = {}
            if terms:
                kwargs["highlight"] = {
                    "pre_tags": [MARK_OPEN],
                    "post_tags": [MARK_CLOSE],
                    "fields": {
                        BODY_FOLDED: {
                            "type": "unified",
                            "number_of_fragments": 1,
                            "fragment_size": SNIPPET_CHARS,
                            "no_match_size": 0,
                            "highlight_query": {
                                "bool": {"should": [_phrase(BODY_FOLDED, t.words) for t in terms]}
                            },
                        }
                    },
                }
            resp = self.es.search(
                index=self.alias,
                query=query,
                size=q.limit,
                sort=sort,
                track_scores=bool(terms),
                track_total_hits=True,
                source_excludes=list(DERIVED_FIELDS),
                **kwargs,
            )
            total = int(resp["hits"]["total"]["value"])
            more = 0
            if all_filters is not None:
                more = max(self._count(q, terms, all_filters) - total, 0)
            raw_hits = resp["hits"]["hits"]
            dups = self._duplicates([h["_id"] for h in raw_hits])
        words = all_words(terms)
        hits = []
        for h in raw_hits:
            article = dict(h["_source"])
            body = article.pop("body", "") or ""
            if terms:
                snippet = self._snippet(h, body, words)
                score = score_from_es(h.get("_score"))
            else:
                snippet, score = lead_snippet(body), 0.0
            hits.append(
                Hit(
                    article=article, score=score, snippet=snippet, duplicates=dups.get(h["_id"], [])
                )
            )
        return SearchResult(hits=hits, total=total, more_with_all=more)

    @staticmethod
    def _snippet(hit: dict[str, Any], body: str, words: list[str]) -> str:
        fragments = (hit.get("highlight") or {}).get(BODY_FOLDED) or []
        if not fragments:
            return make_snippet(body, words) if body else ""
        frag = " ".join(fragments[0].split())
        plain = _TAGS.sub("", frag)
        flat = " ".join(body.split())
        pos = flat.find(plain)
        prefix = "…" if pos != 0 else ""
        suffix = "…" if pos < 0 or pos + len(plain) < len(flat) else ""
        return f"{prefix}{frag}{suffix}"

    def _duplicates(self, ids: list[str]) -> dict[str, list[str]]:
        if not ids:
            return {}
        if self.store is not None:
            return self.store.duplicates_of(ids)
        out: dict[str, list[str]] = {i: [] for i in ids}
        resp = self.es.search(
            index=self.alias,
            query={"terms": {"duplicate_of": ids}},
            size=1000,
            source_includes=["url", "duplicate_of"],
            sort=[{"fetched_at": {"order": "asc", "missing": "_last"}}, {"id": {"order": "asc"}}],
        )
        for h in resp["hits"]["hits"]:
            src = h["_source"]
            if src.get("duplicate_of") in out:
                out[src["duplicate_of"]].append(src.get("url"))
        return out

    # -- facets ------------------------------------------------------------------------------------
    def facets(self, q: Query, size: int = 10) -> Facets:
        terms = q.terms
        filters = self._filters(q, relevant_only=not q.include_all)
        query: dict[str, Any] = {
            "bool": {"filter": filters, "must_not": [{"exists": {"field": "duplicate_of"}}]}
        }
        if terms:
            query["bool"]["must"] = self._must(terms)
        order = [{"_count": "desc"}, {"_key": "asc"}]
        aggs = {
            "provinces": {"terms": {"field": "province", "size": size, "order": order}},
            "speakers": {"terms": {"field": "speakers.name", "size": size, "order": order}},
            "decrees": {"terms": {"field": "decrees", "size": size, "order": order}},
            "undated": {"missing": {"field": "date"}},
            "years": {
                "date_histogram": {
                    "field": "date",
                    "calendar_interval": "year",
                    "format": "yyyy",
                    "min_doc_count": 1,
                    "order": {"_key": "desc"},
                }
            },
        }
        with self._errors():
            resp = self.es.search(
                index=self.alias, query=query, size=0, aggs=aggs, track_total_hits=True
            )
        a = resp["aggregations"]

        def buckets(name: str) -> list[tuple[str, int]]:
            return [(str(b["key"]), int(b["doc_count"])) for b in a[name]["buckets"]]

        years = [(str(b["key_as_string"]), int(b["doc_count"])) for b in a["years"]["buckets"]]
        return Facets(
            provinces=buckets("provinces"),
            speakers=buckets("speakers"),
            decrees=buckets("decrees"),
            years=years[: max(size, 30)],
            total=int(resp["hits"]["total"]["value"]),
            undated=int(a["undated"]["doc_count"]),
        )

    # -- errors ------------------------------------------------------------------------------------
    def _errors(self) -> Any:
        return _Errors(self)


class _Errors:
    """Missing index -> a hint to run the sync; anything else -> one line (ElasticUnavailable)."""

    def __init__(self, backend: ElasticSearch) -> None:
        self.backend = backend
        self.inner = translate_errors(backend.es, url_of(backend.es))

    def __enter__(self) -> None:
        self.inner.__enter__()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if isinstance(exc, NotFoundError):
            raise ElasticUnavailable(
                one_line(
                    f"no pressnews index at {url_of(self.backend.es)} (alias {self.backend.alias}): "
                    "run `pressnews index --es URL` first"
                )
            ) from None
        return bool(self.inner.__exit__(exc_type, exc, tb))
