"""Highlighted snippets on the original (accented) text, for matches found on folded text."""

from __future__ import annotations

import re

from vnlang.text import fold, strip_accents_fast

# A word of the original text, with its position.
_WORD = re.compile(r"\w+", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def make_snippet(text: str, query_words: list[str], width: int = 30) -> str:
    """The `width`-word window of `text` holding the most query words, matches in <mark> tags.

    `query_words` are folded; matching is on folded words, so "phat ngon" marks "phát ngôn".
    """
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
            flags.append(w in wanted or (w.endswith("y") and fold(w) in wanted))
    else:
        flags = [fold(m.group(0)) in wanted for m in words]
    best_start, best = 0, -1
    running = sum(flags[:width])
    best, best_start = running, 0
    for start in range(1, max(1, len(words) - width + 1)):
        running += (
            flags[start + width - 1] - flags[start - 1]
            if start + width - 1 < len(words)
            else -flags[start - 1]
        )
        if running > best:
            best, best_start = running, start
    # Start the window a few words before the first match for context.
    first = next(
        (i for i in range(best_start, min(len(words), best_start + width)) if flags[i]), best_start
    )
    start = max(0, min(best_start, first - 3))
    end = min(len(words), start + width)
    out: list[str] = []
    pos = words[start].start()
    for i in range(start, end):
        m = words[i]
        out.append(text[pos : m.start()])
        out.append(f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}" if flags[i] else m.group(0))
        pos = m.end()
    snippet = "".join(out).replace("\n", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(words) else ""
    return f"{prefix}{snippet.strip()}{suffix}"
