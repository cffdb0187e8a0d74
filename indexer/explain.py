"""Why an article's values are what they are: its stored evidence, the user's corrections, and
what the store itself decided (`pressnews show ID --why`).

Every key of the exported article gets one `FieldWhy`: the value as stored, the evidence
records of that field (`indexer.model.Evidence` as dicts; for `speakers`, the role records
too), the corrections that changed it, and for the keys the crawl and the store set (id, url,
source, fetched_at, first_seen, duplicate_of) the rule that sets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .corrections import Correction, list_corrections

if TYPE_CHECKING:
    from .store import Store

# The article's keys in the order `show --why` explains them.
FIELDS = (
    "id",
    "url",
    "source",
    "title",
    "body",
    "published",
    "event_date",
    "date",
    "province",
    "province_now",
    "relevant",
    "topics",
    "speakers",
    "decrees",
    "authors",
    "images",
    "attachments",
    "fetched_at",
    "first_seen",
    "duplicate_of",
)
# Keys the crawl and the store set, and the rule that sets them.
_STORE_RULES = {
    "id": "derived from the canonical URL: the same article keeps it across re-crawls",
    "url": "the canonical URL: redirects followed, tracking and session parameters and the "
    "fragment removed, print/AMP/mobile copies mapped to the article",
    "source": "the sources-file key of the site the page was crawled from",
    "fetched_at": "when the page was last fetched",
    "first_seen": "when the store first stored the article",
}
# A correction's field -> the article keys it changes.
_CORRECTED = {
    "province": ("province", "province_now"),
    "relevant": ("relevant",),
    "speaker": ("speakers",),
    "decree": ("decrees",),
    "event_date": ("event_date", "date"),
}
# Evidence fields shown under another key (a speaker's role under `speakers`).
_UNDER = {"speakers.role": "speakers"}


@dataclass
class FieldWhy:
    field: str
    value: Any
    evidence: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    rule: str = ""  # for keys the crawl and the store set


@dataclass
class Explanation:
    article: dict[str, Any]
    fields: list[FieldWhy]
    has_evidence: bool  # False: stored before evidence was kept (run `pressnews reprocess`)


def explain(store: Store, doc: dict[str, Any]) -> Explanation:
    """The explanation of the stored article `doc` (as `Store.get` returns it)."""
    stored = store.evidence(doc["id"])
    by_field: dict[str, list[dict[str, Any]]] = {}
    for item in stored or []:
        key = _UNDER.get(item.get("field", ""), item.get("field", ""))
        by_field.setdefault(key, []).append(item)
    fixes: dict[str, list[Correction]] = {}
    for c in list_corrections(store, doc["id"]):
        for key in _CORRECTED.get(c.field, ()):
            fixes.setdefault(key, []).append(c)
    out = []
    for key in FIELDS:
        why = FieldWhy(key, doc.get(key), by_field.get(key, []), fixes.get(key, []))
        if key in _STORE_RULES:
            why.rule = _STORE_RULES[key]
        elif key == "duplicate_of":
            why.rule = (
                "an earlier-stored copy of the same report: their near-duplicate fingerprints "
                "(64-bit simhash of the text) are at most a few bits apart"
                if doc.get(key)
                else "no earlier-stored article has a near-duplicate fingerprint"
            )
        out.append(why)
    return Explanation(doc, out, stored is not None)


def explanation_json(explanation: Explanation) -> dict[str, Any]:
    """The article with `evidence` (every record) and `corrections` (of this article)."""
    seen: dict[int, Correction] = {}
    for why in explanation.fields:
        for c in why.corrections:
            seen[c.id] = c
    evidence = [e for why in explanation.fields for e in why.evidence]
    return {
        **explanation.article,
        "evidence": evidence if explanation.has_evidence else None,
        "corrections": [
            {**c.to_json(), "extracted": c.extracted}
            for c in sorted(seen.values(), key=lambda c: c.id)
        ],
    }


def evidence_problems(doc: dict[str, Any], evidence: list[dict[str, Any]]) -> list[str]:
    """Evidence records whose offsets do not give their excerpt in the stored text (none is
    expected: offsets point into the text stored with the same extraction)."""
    problems = []
    for item in evidence:
        start, end = item.get("start"), item.get("end")
        if start is None or end is None:
            continue
        source = item.get("source")
        if source == "caption":
            images = doc.get("images") or []
            index = item.get("image")
            text = (
                images[index].get("caption", "")
                if index is not None and index < len(images)
                else ""
            )
        else:
            text = doc.get(source or "") or ""
        if text[start:end] != item.get("excerpt"):
            problems.append(f"{item.get('field')}: {source}[{start}:{end}] is not the excerpt")
    return problems
