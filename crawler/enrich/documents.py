"""The legal and Party documents an article cites, in canonical form (see `vnlang.legaldocs`)."""

from __future__ import annotations

import re

from crawler.evidence import quote
from indexer.model import Evidence
from vnlang.legaldocs import (
    LAW,
    LAW_CANON,
    LAW_DATED,
    NUMBERED,
    TYPE_CODE,
    TYPED,
    code_form,
    codes_form,
    is_party_issuer,
    number_form,
)
from vnlang.text import fold


def _spans_overlap(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def extract_documents(
    text: str, why: list[Evidence] | None = None, title_len: int | None = None
) -> list[str]:
    """Canonical names of the documents cited, deduplicated, in order of first mention.

    With `why`, appends each document's first mention; `text` is then `title + "\\n" + body`
    and `title_len` the title's length, so that offsets point into the title or the body."""
    # (position, canonical form, type code of a numbered document, for "Nghị định 09")
    found: list[tuple[int, str, str]] = []
    spans: list[tuple[int, int]] = []
    for m in LAW.finditer(text):
        year = m.group(2) or m.group(3)
        name = LAW_CANON[fold(m.group(1))]
        found.append((m.start(), f"Luật {name}" + (f" {year}" if year else ""), ""))
        spans.append(m.span())
    for m in LAW_DATED.finditer(text):
        # "Công ước Liên hợp quốc về Luật Biển năm 1982": part of another document's name.
        if not _spans_overlap(spans, *m.span()) and not text[: m.start()].endswith("về "):
            found.append((m.start(), f"Luật {m.group(1)} {m.group(2)}", ""))
            spans.append(m.span())
    for m in NUMBERED.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before.isalnum() or before in "/.,-_" or _spans_overlap(spans, *m.span()):
            continue
        number = number_form(m.group(1))
        if m.group("y"):
            codes = codes_form(m.group("y"))
            found.append((m.start(), f"{number}/{m.group('year')}/{codes}", codes.split("-")[0]))
        elif m.group("p"):
            if not is_party_issuer(m.group("issuer")):
                continue
            kind_code = code_form(m.group("p"))  # "57-KL/TW" covers a later "Kết luận 57"
            found.append(
                (m.start(), f"{number}-{kind_code}/{code_form(m.group('issuer'))}", kind_code)
            )
        elif any(c.isupper() for c in m.group("n")):
            codes = codes_form(m.group("n"))
            found.append((m.start(), f"{number}/{codes}", codes.split("-")[0]))
        else:
            continue
        spans.append(m.span())
    numbered = {(c, doc.split("/")[0].split("-")[0]) for _, doc, c in found if c}
    for m in TYPED.finditer(text):
        if _spans_overlap(spans, *m.span()):
            continue
        kind, number, year = m.group(1), number_form(m.group(3)), m.group(4)
        if len(m.group(3)) == 4 and not m.group(2) and m.group(3)[:2] in ("19", "20"):
            continue  # "Kế hoạch 2025": a year, not a number
        code = TYPE_CODE[kind]
        if kind in ("NĐ", "ND") and not year:
            continue  # "NĐ 72" alone: too short to be sure of
        if code == "NĐ" and year:
            found.append((m.start(), f"{number}/{year}/NĐ-CP", code))
        elif (code, number) not in numbered:
            found.append((m.start(), f"{kind} {number}" + (f"/{year}" if year else ""), ""))
    found.sort()
    if why is not None:
        _explain(why, text, found, title_len)
    out: list[str] = []
    for _, doc, _ in found:
        if doc not in out:
            out.append(doc)
    # "Luật Báo chí" and "Luật Báo chí 2016" are one law: keep the dated form where the first was.
    dated = {d.rsplit(" ", 1)[0]: d for d in out if d.startswith("Luật ") and d[-4:].isdigit()}
    result: list[str] = []
    for doc in out:
        doc = dated.get(doc, doc)
        if doc not in result:
            result.append(doc)
    return result


def _explain(
    why: list[Evidence], text: str, found: list[tuple[int, str, str]], title_len: int | None
) -> None:
    """The first mention of each document (the dated form of a law where the text gives it)."""
    first: dict[str, int] = {}
    for pos, doc, _ in found:
        first.setdefault(doc, pos)
    dated = {d.rsplit(" ", 1)[0]: d for d in first if d.startswith("Luật ") and d[-4:].isdigit()}
    done: set[str] = set()
    for pos, doc, code in found:
        doc = dated.get(doc, doc)
        if doc in done:
            continue
        done.add(doc)
        m = _MENTION.match(text, pos)
        end = m.end() if m else pos + len(doc)
        if doc.startswith("Luật "):
            rule = "a law by name" + (" and year" if doc[-4:].isdigit() else "")
        elif code:
            rule = f"a numbered document (type code {code}), written in canonical form"
        else:
            rule = "a document named by its type and number"
        if title_len is not None and pos < title_len:
            why.append(
                quote("decrees", doc, "title", text[:title_len], pos, min(end, title_len), rule)
            )
        elif title_len is not None:
            base = title_len + 1
            why.append(quote("decrees", doc, "body", text[base:], pos - base, end - base, rule))
        else:
            why.append(quote("decrees", doc, "body", text, pos, end, rule))


# The words of a document mention (its number and codes), for the evidence's span.
_MENTION = re.compile(r"[^\s,;()]+(?:\s[^\s,;()]+){0,3}")
