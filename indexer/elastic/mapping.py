"""The Elasticsearch index layout: one composable index template, versioned indices, one alias.

Searches and the sync go through the alias (`pressnews-articles`); each physical index is a
version behind it (`pressnews-articles-v1`, `-v2`, ...), so `pressnews index --rebuild` can
fill a new version and swap the alias atomically. Every name derives from one prefix.

Text analysis mirrors `vnlang.text.fold`, the comparison key of the embedded
backend, so both backends match the same words:

* `vn_punct` (char filter) turns every character that is not a letter, digit, combining mark
  or space into a space before tokenising, as SQLite FTS5's unicode61 tokenizer does:
  `TP.HCM` -> `TP HCM`, `09/2017/NĐ-CP` -> `09 2017 NĐ CP`. (The standard tokenizer alone
  keeps `tp.hcm` as one token, which would break the query side, where it is a phrase.)
* `vn_folded` = standard tokenizer + lowercase + asciifolding(preserve_original) + the i/y
  rule. Lucene's ASCIIFoldingFilter maps U+0111 đ / U+0110 Đ to d / D and the Vietnamese
  letters of Latin Extended Additional (ắ, ế, ộ, ỹ...) to their base letters, so
  "Đắk Lắk" is indexed as both `đắk lắk` and `dak lak`.
* `vn_final_y` rewrites a token made of a consonant cluster (or `qu`) and a final `y` to a
  final `i` (`ky` -> `ki`, `quy` -> `qui`), the same rule as `fold`'s `_FINAL_Y`, declared once
  below as `FINAL_Y_PATTERN`. It runs after folding, so `kỹ` -> `ky` -> `ki` matches `kĩ`.
* `vn_exact` keeps diacritics (lowercase only): the main `title`/`body` fields, boosted a
  little when the user typed the accents.
* `vn_key` splits on white space only, for keys already folded in Python (`speakers_key`):
  a speaker filter is a phrase over `fold(name)`, exactly the embedded backend's test.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

# Bumped when the mapping or analysis changes in a way that needs `pressnews index --rebuild`.
MAPPING_VERSION = 3  # 3: `evidence` (stored in _source, not indexed), `removed`

DEFAULT_PREFIX = "pressnews"

# The i/y rule of `vnlang.text.fold` (`_FINAL_Y`), anchored on a whole token.
# Java and Python agree on this syntax; a test checks it against `fold` on real words.
FINAL_Y_CONSONANTS = "bcdghklmnpqrstvx"
FINAL_Y_PATTERN = rf"^(qu|[{FINAL_Y_CONSONANTS}]+)y$"
FINAL_Y_REPLACEMENT = "$1i"
# Anything that is not a letter, digit, combining mark or white space separates words.
PUNCT_PATTERN = r"[^\p{L}\p{N}\p{M}\s]+"

# Fields the search backend scores on, with the embedded backend's BM25 column weights.
TITLE_FOLDED, BODY_FOLDED, EXTRA = "title.folded", "body.folded", "extra"
TEXT_FIELDS: tuple[tuple[str, float], ...] = (
    (TITLE_FOLDED, 10.0),
    (BODY_FOLDED, 1.0),
    (EXTRA, 4.0),
)
EXACT_FIELDS: tuple[tuple[str, float], ...] = (("title", 10.0), ("body", 1.0))

# Fields that exist only in the index (derived by `sync.to_document`), not in the article.
DERIVED_FIELDS = ("extra", "speakers_key", "decree_keys", "location", "evidence")


@dataclass(frozen=True)
class IndexNames:
    """Every name derived from one alias: template, pattern of versions, version names."""

    alias: str

    @property
    def template(self) -> str:
        return self.alias

    @property
    def pattern(self) -> str:
        return f"{self.alias}-v*"

    def version(self, number: int) -> str:
        return f"{self.alias}-v{number}"

    def version_of(self, index: str) -> int | None:
        m = re.fullmatch(re.escape(self.alias) + r"-v(\d+)", index)
        return int(m.group(1)) if m else None


def alias_for(prefix: str | None = None) -> str:
    """`pressnews-articles` for the default prefix (the CLI passes `$PRESSNEWS_ES_PREFIX`)."""
    prefix = prefix or DEFAULT_PREFIX
    return f"{prefix}-articles"


DEFAULT_ALIAS = alias_for(DEFAULT_PREFIX)


def analysis() -> dict[str, Any]:
    return {
        "char_filter": {
            "vn_punct": {"type": "pattern_replace", "pattern": PUNCT_PATTERN, "replacement": " "},
        },
        "filter": {
            "vn_ascii_fold": {"type": "asciifolding", "preserve_original": True},
            "vn_final_y": {
                "type": "pattern_replace",
                "pattern": FINAL_Y_PATTERN,
                "replacement": FINAL_Y_REPLACEMENT,
            },
        },
        "analyzer": {
            "vn_exact": {
                "type": "custom",
                "char_filter": ["vn_punct"],
                "tokenizer": "standard",
                "filter": ["lowercase"],
            },
            "vn_folded": {
                "type": "custom",
                "char_filter": ["vn_punct"],
                "tokenizer": "standard",
                "filter": ["lowercase", "vn_ascii_fold", "vn_final_y"],
            },
            "vn_key": {"type": "custom", "tokenizer": "whitespace"},
        },
    }


def _text_twice() -> dict[str, Any]:
    """Exact (diacritics kept) as the field itself, folded as `.folded`."""
    return {
        "type": "text",
        "analyzer": "vn_exact",
        "fields": {"folded": {"type": "text", "analyzer": "vn_folded"}},
    }


def _keyword_with_folded() -> dict[str, Any]:
    return {
        "type": "keyword",
        "fields": {"folded": {"type": "text", "analyzer": "vn_folded"}},
    }


def _date(*, lenient: bool) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
    if lenient:
        # An odd date string in the page must not cost the whole article its place in the index.
        field["ignore_malformed"] = True
    return field


def mappings() -> dict[str, Any]:
    return {
        "dynamic": False,
        "_meta": {"pressnews_mapping_version": MAPPING_VERSION},
        "properties": {
            "id": {"type": "keyword"},
            "url": {"type": "keyword"},
            "source": {"type": "keyword"},
            "title": _text_twice(),
            "body": _text_twice(),
            # Folded speakers, roles, documents, topics and province names: FTS5's `extra`.
            "extra": {"type": "text", "analyzer": "vn_folded"},
            "published": _date(lenient=True),
            "event_date": _date(lenient=True),
            # published, else event_date; absent for an undated article (never the crawl date)
            "date": _date(lenient=False),
            "year": {"type": "keyword"},  # "2024", or "undated": what Kibana counts by year
            "fetched_at": _date(lenient=True),
            "first_seen": _date(lenient=True),  # the Kibana data view's time field
            "province": _keyword_with_folded(),
            "province_now": _keyword_with_folded(),
            "location": {"type": "geo_point"},  # the province's map point
            "speakers": {
                "type": "object",  # not nested: Kibana aggregates on speakers.name directly
                "properties": {
                    "name": _keyword_with_folded(),
                    "role": _text_twice(),
                },
            },
            # fold(name) of each speaker; a text array keeps a position gap between names, so
            # a phrase never spans two speakers ("consecutive words of one name").
            "speakers_key": {"type": "text", "analyzer": "vn_key"},
            "decrees": _keyword_with_folded(),
            "decree_keys": {"type": "keyword"},  # vnlang.legaldocs.match_key(decree)
            "relevant": {"type": "boolean"},
            "topics": {"type": "keyword"},
            "authors": {"type": "keyword"},
            "images": {"type": "object", "enabled": False},
            "attachments": {"type": "object", "enabled": False},
            "duplicate_of": {"type": "keyword"},
            # where each value came from (`indexer.model.Evidence`): kept in _source for
            # `show --why`-style checks, never parsed or searched
            "evidence": {"type": "object", "enabled": False},
            "removed": _date(lenient=True),  # the page answered 404/410 or left its site
        },
    }


def settings() -> dict[str, Any]:
    return {
        # One shard: exact aggregation counts and the same BM25 statistics for every document.
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "analysis": analysis(),
    }


def index_template(names: IndexNames) -> dict[str, Any]:
    """Keyword arguments for `es.indices.put_index_template` (a composable template).

    The alias is not in the template: a rebuild's new version must stay out of the alias
    until it is full, then the alias moves in one `_aliases` call.
    """
    return {
        "name": names.template,
        "index_patterns": [names.pattern],
        "priority": 200,
        "template": {"settings": settings(), "mappings": mappings()},
        "meta": {"description": "pressnews articles", "managed_by": "pressnews"},
        "version": MAPPING_VERSION,
    }


def as_request_body(names: IndexNames) -> dict[str, Any]:
    """The template as the body of `PUT _index_template/<name>` (for docs and tests)."""
    kw = copy.deepcopy(index_template(names))
    kw.pop("name")
    kw["_meta"] = kw.pop("meta")
    return kw


# -- training events (`pressnews-events`) --------------------------------------------------------
# Bumped when the events mapping changes in a way that needs `pressnews index --rebuild`.
EVENTS_MAPPING_VERSION = 1


def events_alias_for(prefix: str | None = None) -> str:
    """`pressnews-events` for the default prefix: one document per training (indexer.events)."""
    return f"{prefix or DEFAULT_PREFIX}-events"


DEFAULT_EVENTS_ALIAS = events_alias_for(DEFAULT_PREFIX)


def events_alias_beside(articles_alias: str) -> str:
    """The events alias of the same prefix as an articles alias (`x-articles` -> `x-events`)."""
    stem = articles_alias.removesuffix("-articles")
    return f"{stem}-events"


def event_mappings() -> dict[str, Any]:
    """One document per training event (`indexer.event_model.Event`, see docs/interfaces.md),
    plus derived fields: `location` (the province's map point), `year`, `report_count`,
    `trainer_count`, `decree_keys`, `sources`. Objects, not nested: Kibana aggregates on
    `trainers.name` directly (a training counts once per trainer)."""
    return {
        "dynamic": False,
        "_meta": {"pressnews_mapping_version": EVENTS_MAPPING_VERSION},
        "properties": {
            "id": {"type": "keyword"},
            "title": _text_twice(),
            "start": _date(lenient=True),
            "end": _date(lenient=True),
            # start, else the earliest report's date; absent when no report dates it.
            # The Kibana data view's time field.
            "date": _date(lenient=True),
            "year": {"type": "keyword"},  # "2024", or "undated"
            "province": _keyword_with_folded(),  # the unit at the training's date
            "province_now": _keyword_with_folded(),  # its 2025 unit
            "location": {"type": "geo_point"},  # the map point of `province`
            "organisers": _keyword_with_folded(),
            "format": {"type": "keyword"},  # in_person, online, hybrid
            "audience": _text_twice(),
            "attendance": {
                "properties": {
                    "value": {"type": "integer"},
                    "qualifier": {"type": "keyword"},  # "", "hơn", "trên", "gần", "khoảng"
                }
            },
            "trainers": {
                "type": "object",
                "properties": {
                    "name": _keyword_with_folded(),
                    "role": _text_twice(),
                    "trainer_id": {"type": "keyword"},
                },
            },
            "trainer_count": {"type": "integer"},
            "topics": {"type": "keyword"},
            "decrees": _keyword_with_folded(),
            "decree_keys": {"type": "keyword"},
            "reports": {
                "type": "object",
                "properties": {
                    "id": {"type": "keyword"},
                    "url": {"type": "keyword"},
                    "source": {"type": "keyword"},
                    "title": {"type": "text", "analyzer": "vn_folded"},
                    "date": _date(lenient=True),
                },
            },
            "report_count": {"type": "integer"},
            "sources": {"type": "keyword"},
            "aliases": {"type": "keyword"},  # ids merged into this one (their documents deleted)
            "phase": {"type": "keyword"},
        },
    }


def events_index_template(names: IndexNames) -> dict[str, Any]:
    """Keyword arguments for `es.indices.put_index_template`: the events' composable template
    (same analysis and settings as the articles', its own mapping; no alias in it)."""
    return {
        "name": names.template,
        "index_patterns": [names.pattern],
        "priority": 200,
        "template": {"settings": settings(), "mappings": event_mappings()},
        "meta": {"description": "pressnews training events", "managed_by": "pressnews"},
        "version": EVENTS_MAPPING_VERSION,
    }
