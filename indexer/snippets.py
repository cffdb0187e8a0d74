"""Highlighted snippets on the original (accented) text, for matches found on folded text.

A snippet is whole words with single spaces between them: it starts and ends at a space of the
text (never inside a word, nor inside a token such as `09/2017/NĐ-CP`), every run of white
space, control or zero-width-space characters between words becomes one space (so two words
are never glued together, and no control character reaches a terminal), and `…` marks the
ends where text was left out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import accumulate

from vnlang.text import fold, strip_accents_fast

# A word of the text, with its position: letters and digits with any combining marks (a
# decomposed "phát" is one word, not "pha" and "t").
_WORD = re.compile(r"(?:\w|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
# Characters that separate words: white space, control characters, the zero-width space and
# the line / paragraph separators. (Joiners and soft hyphens sit inside words: dropped.)
_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b\u2028\u2029]+")
_INSIDE_WORDS = re.compile("[\u00ad\u200c\u200d\u2060\ufeff]")
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
# `fold` of one word, remembered: words ending in "y" (common: "này", "ngày", "tây") need the
# full fold's final-y rule, which was most of a snippet's time.
_fold_word = functools.lru_cache(maxsize=1 << 16)(fold)
ELLIPSIS = "…"
# The backends show the start of the body (this many characters) when nothing is matched.
LEAD_CHARS = 200


def clean_text(text: str) -> str:
    """NFC text with one space between words: separators squeezed, in-word invisibles dropped."""
    text = unicodedata.normalize("NFC", text)
    text = _INSIDE_WORDS.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


def make_snippet(text: str, query_words: list[str], width: int = 30) -> str:
    """The `width`-word window of `text` holding the most query words, matches in <mark> tags.

    `query_words` are folded; matching is on folded words, so "phat ngon" marks "phát ngôn".
    """
    text = clean_text(text)
    words = list(_WORD.finditer(text))
    if not words:
        return ""
    wanted = set(query_words)
    # Fold the whole text once; the table fold keeps NFC text's length, so positions align.
    folded = strip_accents_fast(text).lower()
    if len(folded) == len(text):
        flags = []
        for m in words:
            w = folded[m.start() : m.end()]
            flags.append(w in wanted or (w.endswith("y") and _fold_word(w) in wanted))
    else:
        flags = [fold(m.group(0)) in wanted for m in words]
    width = max(1, width)
    best_start = 0
    if len(words) > width:  # the first window with the most matches, by prefix sums
        before = list(accumulate(flags, initial=0))
        sums = [before[s + width] - before[s] for s in range(len(words) - width + 1)]
        best_start = sums.index(max(sums))
    # Start the window a few words before the first match for context.
    first = next(
        (i for i in range(best_start, min(len(words), best_start + width)) if flags[i]), best_start
    )
    start = max(0, min(best_start, first - 3))
    end = min(len(words), start + width)
    # Widen to the spaces around the window: a token such as 09/2017/NĐ-CP stays whole.
    begin = text.rfind(" ", 0, words[start].start()) + 1
    finish = text.find(" ", words[end - 1].end())
    finish = len(text) if finish < 0 else finish
    while start > 0 and words[start - 1].start() >= begin:
        start -= 1
    out: list[str] = []
    pos = begin
    for i in range(start, len(words)):
        m = words[i]
        if m.start() >= finish:
            break
        out.append(text[pos : m.start()])
        out.append(f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}" if flags[i] else m.group(0))
        pos = m.end()
    out.append(text[pos:finish])
    prefix = ELLIPSIS if begin > 0 else ""
    suffix = ELLIPSIS if finish < len(text) else ""
    return f"{prefix}{''.join(out)}{suffix}"


def lead_snippet(text: str, chars: int = LEAD_CHARS) -> str:
    """The start of `text` in at most about `chars` characters, cut at a space, with `…` when
    text was left out (what to show for a search without query words)."""
    text = clean_text(text)
    if len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars + 1)
    return (text[:cut] if cut > 0 else text[:chars]).rstrip() + ELLIPSIS
