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

from vnlang.text import fold, strip_accents_fast, strip_table

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


# Separators that are not white space to `str.split` (controls, the zero-width space).
_ODD_SEPARATORS = re.compile(
    "["
    + "".join(c for c in map(chr, range(0xA0)) if not c.isspace() and _SEPARATORS.fullmatch(c))
    + "\u200b]"
)


def clean_text(text: str) -> str:
    """NFC text with one space between words: separators squeezed, in-word invisibles dropped."""
    text = unicodedata.normalize("NFC", text)
    text = _INSIDE_WORDS.sub("", text)
    if _ODD_SEPARATORS.search(text):
        text = _ODD_SEPARATORS.sub(" ", text)
    # Every separator is now white space to `str.split` (as to `\s`): runs become one space.
    return " ".join(text.split())


def _letter_classes() -> tuple[dict[str, str], re.Pattern[str]]:
    """For each ASCII letter, a regex class of the characters that fold to it (by the table of
    `strip_accents_fast`, then lowercase), and the pattern of a text that holds only characters
    whose fold is one ASCII character (where folding a word is folding each character)."""
    members: dict[str, set[str]] = {}
    plain = set()
    for code in range(128):
        ch = chr(code)
        plain.add(ch)
        members.setdefault(ch.lower(), set()).add(ch)
    for code, base in strip_table().items():
        ch = chr(code)
        folded = base.lower()
        if len(base) == 1 and folded.isascii() and len(ch.lower()) == 1 and len(folded) == 1:
            plain.add(ch)
            members.setdefault(folded, set()).add(ch)
    classes = {k: "[" + "".join(re.escape(c) for c in sorted(v)) + "]" for k, v in members.items()}
    other = re.compile("[^" + "".join(re.escape(c) for c in sorted(plain)) + "]")
    return classes, other


_LETTER_CLASS, _NOT_PLAIN = _letter_classes()


@functools.lru_cache(maxsize=256)
def _candidates(wanted: frozenset[str]) -> re.Pattern[str] | None:
    """Words of plain text that may fold to a wanted word: its letters in any accent and case,
    and a final i also as y (the fold's kỹ/kĩ rule). Each is then checked as `make_snippet`
    checks every word."""
    variants = set()
    for w in wanted:
        if not w.isascii():
            return None
        variants.add(w)
        if w.endswith("i"):
            variants.add(w[:-1] + "y")
    alternatives = sorted(
        ("".join(_LETTER_CLASS.get(c, re.escape(c)) for c in v) for v in variants), key=len
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(alternatives)) + r")(?!\w)")


def make_snippet(text: str, query_words: list[str], width: int = 30) -> str:
    """The `width`-word window of `text` holding the most query words, matches in <mark> tags.

    `query_words` are folded; matching is on folded words, so "phat ngon" marks "phát ngôn".
    """
    text = clean_text(text)
    words = list(_WORD.finditer(text))
    if not words:
        return ""
    wanted = set(query_words)
    pattern = _candidates(frozenset(wanted)) if wanted else None
    if pattern is not None and not _NOT_PLAIN.search(text):
        # Fold only the words that may match: folding a plain text is per character.
        index = {m.start(): i for i, m in enumerate(words)}
        flags = [False] * len(words)
        for m in pattern.finditer(text):
            w = strip_accents_fast(m.group(0)).lower()
            if w in wanted or (w.endswith("y") and _fold_word(w) in wanted):
                flags[index[m.start()]] = True
        return _window(text, words, flags, width)
    # Fold the whole text once; the table fold keeps NFC text's length, so positions align.
    folded = strip_accents_fast(text).lower()
    if len(folded) == len(text):
        flags = []
        for m in words:
            w = folded[m.start() : m.end()]
            flags.append(w in wanted or (w.endswith("y") and _fold_word(w) in wanted))
    else:
        flags = [fold(m.group(0)) in wanted for m in words]
    return _window(text, words, flags, width)


def _window(text: str, words: list[re.Match[str]], flags: list[bool], width: int) -> str:
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
