"""Building `Evidence` records: the excerpt of stored text a value was read from, with offsets.

The extraction and enrichment functions take an optional `why` list; when given, they append
one `Evidence` per value (and per deciding signal) to it. `text[start:end] == excerpt` holds
for every record whose offsets are set, in the text named by its `source`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from indexer.model import Evidence
from vnlang.text import strip_accents_fast

# Where a sentence ends: ., !, ? or ; before white space, or a line break.
_SENT_END = re.compile(r"[.!?;](?=\s)|\n")
EXCERPT_MAX = 240


def sentence_span(text: str, start: int, end: int, limit: int = EXCERPT_MAX) -> tuple[int, int]:
    """The sentence of `text` around [start, end), cut to about `limit` characters around it."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    s = max((m.end() for m in _SENT_END.finditer(text, max(0, start - limit), start)), default=-1)
    if s < 0:
        s = 0 if start <= limit else start - limit
    m = _SENT_END.search(text, end)
    e = m.end() if m and m.group(0) != "\n" else (m.start() if m else len(text))
    if e - s > limit:  # keep the match, cut the context on both sides
        room = max(0, limit - (end - start)) // 2
        s, e = max(s, start - room), min(e, end + room)
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


def quote(
    field: str,
    value: Any,
    source: str,
    text: str,
    start: int,
    end: int,
    rule: str,
    image: int | None = None,
) -> Evidence:
    """Evidence read from stored text: the sentence around text[start:end]."""
    s, e = sentence_span(text, start, end)
    return Evidence(field, value, source, text[s:e], s, e, rule, image)


def whole(field: str, value: Any, source: str, text: str, rule: str) -> Evidence:
    """Evidence that is a whole stored text (the title, a caption)."""
    return Evidence(field, value, source, text[:EXCERPT_MAX], 0, min(len(text), EXCERPT_MAX), rule)


def page(field: str, value: Any, source: str, excerpt: str, rule: str) -> Evidence:
    """Evidence read from the page but not from stored text (JSON-LD, meta, an element)."""
    return Evidence(field, value, source, excerpt[:EXCERPT_MAX], None, None, rule)


def derived(field: str, value: Any, rule: str) -> Evidence:
    """A value derived from other values by a rule (no excerpt of its own)."""
    return Evidence(field, value, "rule", "", None, None, rule)


class PhraseFinder:
    """Finds `fold_words` phrases in a text, with offsets into the text itself (the text is
    stripped of accents once, keeping its length, and searched by regular expression)."""

    def __init__(self, text: str) -> None:
        self.text = text
        plain = strip_accents_fast(text)
        self.plain = plain.lower() if len(plain) == len(text) else ""

    def find(self, *folded: str) -> tuple[int, int] | None:
        """(start, end) of the first whole-word occurrence of any of the phrases, or None."""
        if not self.plain or not folded:
            return None
        m = _phrases_pattern(folded).search(self.plain)
        return m.span() if m else None


@functools.lru_cache(maxsize=256)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for `fold_words` phrases over accent-stripped lower-case text; a word-final
    "i" of the folded form is "y" in some spellings (kỹ/kĩ, lý/lí)."""
    alts = []
    for phrase in phrases:
        parts = [
            re.escape(w[:-1]) + "[iy]" if w.endswith("i") else re.escape(w) for w in phrase.split()
        ]
        if parts:
            alts.append(r"\W+".join(parts))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts or ["(?!)"]) + r")(?!\w)")


def find_phrase(text: str, folded: str) -> tuple[int, int] | None:
    """Where the `fold_words` phrase `folded` first occurs in `text` (whole words)."""
    return PhraseFinder(text).find(folded)
