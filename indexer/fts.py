"""The full-text index's token rules, shared by the store (which writes them) and the SQLite
search (which queries them): folded text, syllable bigrams for the adjacency tier, zero-weight
filter tags (relevance, year, province and its 2025 unit) and the speaker and document keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnlang import fingerprint as dedup
from vnlang.gazetteer import lookup
from vnlang.legaldocs import match_key
from vnlang.text import fold_fast as fold

from .model import Article, document_core


def speakers_key(names: list[str]) -> str:
    """`| nguyen van hieu | le thi thu hang |`: consecutive-word matching is a substring test."""
    return "|" + "|".join(f" {fold(n)} " for n in names) + "|" if names else ""


def decrees_key(decrees: list[str]) -> str:
    keys = [k for k in (match_key(d) for d in decrees) if k]
    return "|" + "|".join(keys) + "|" if keys else ""


RELEVANT_TAG = "zrel"
REMOVED_TAG = "zgone"  # the page answered 404/410 or left its site: hidden unless asked for


def province_tag(name: str) -> str:
    """The FTS token of a province: `zp` + its folded name without spaces (`zphanam`)."""
    return "zp" + fold(name).replace(" ", "")


_WORDS = re.compile(r"\w+")


def bigrams(folded_words: list[str]) -> list[str]:
    """Adjacent-word tokens of folded text: ["phat", "ngon", "bao"] -> ["phatngon", "ngonbao"]."""
    return [a + b for a, b in zip(folded_words, folded_words[1:], strict=False)]


def pairs_text(title_folded: str, body_folded: str) -> str:
    return " ".join(bigrams(_WORDS.findall(title_folded)) + bigrams(_WORDS.findall(body_folded)))


def year_tag(year: int | str) -> str:
    return f"zy{year}"


def fts_tags(a: Article) -> str:
    tags = [RELEVANT_TAG] if a.relevant else []
    if a.date and a.date[:4].isdigit():
        tags.append(year_tag(a.date[:4]))
    units = {a.province, a.province_now}
    known = lookup(a.province) if a.province else None
    if known is not None:  # the 2025 unit, even for an article stored without province_now
        units.add(known.merged_into)
    tags += sorted(province_tag(p) for p in units if p)
    if a.removed:
        tags.append(REMOVED_TAG)
    return " ".join(tags)


def fts_extra(a: Article) -> str:
    parts = [s.name + " " + s.role for s in a.speakers]
    parts += a.decrees + a.topics + [a.province or "", a.province_now or ""]
    return fold(" ".join(parts))


@dataclass(frozen=True)
class IndexFields:
    """What the store derives from an article for indexing: pure, so a crawl's worker process
    computes it beside the article and the store's writer only writes."""

    fingerprint: int
    title_folded: str
    body_folded: str
    extra_folded: str
    tags: str
    speakers_key: str
    decrees_key: str
    document: str  # `model.document_core`: the stored JSON document before the store's keys


def index_fields(a: Article) -> IndexFields:
    title_folded, body_folded = fold(a.title), fold(a.body)
    return IndexFields(
        fingerprint=dedup.fingerprint(a.title, a.body),
        title_folded=title_folded,
        body_folded=body_folded,
        extra_folded=fts_extra(a),
        tags=fts_tags(a),
        speakers_key=speakers_key([s.name for s in a.speakers]),
        decrees_key=decrees_key(a.decrees),
        document=document_core(a),
    )
