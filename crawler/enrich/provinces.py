"""Which province an article is about: weighted mentions of the gazetteer's names in its parts."""

from __future__ import annotations

import re

from vnlang.gazetteer import MERGER_DATE, lookup, mentions, province

# Words that show a text is about a province's own administration ("UBND tỉnh", "Sở ...").
_LOCAL = re.compile(r"\b(?:tỉnh|Tỉnh ủy|Tỉnh uỷ|UBND|Sở|huyện|Thành ủy|Thành uỷ)\b")


def detect_province(
    title: str,
    lead: str,
    body: str,
    captions: list[str],
    source_province: str | None = None,
    published: str | None = None,
) -> str | None:
    """The province an article is about, by weighted mentions (title > lead > body > captions).

    A mention after "tỉnh"/"UBND"/"TP." weighs more; one in the last part of the body (teasers,
    related news) less; "tại Hà Nội" (the venue of a national event) little. The site's own
    province breaks ties, and is the answer when no province is named but the text is local. For
    an article dated on/after 1 July 2025 the scores add up per 2025 unit, which is returned.
    """
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    part = 0

    def add(text: str, weight: float, tail_from: float = 1.0) -> None:
        nonlocal part
        n = max(len(text), 1)
        for off, name, admin, venue in mentions(text):
            w = weight * (1.5 if admin else 1.0)
            if off / n > tail_from:
                w *= 0.4
            if venue and name == "Hà Nội":
                w *= 0.3
            scores[name] = scores.get(name, 0.0) + w
            first.setdefault(name, part * 1_000_000 + off)
        part += 1

    add(title, 4.0)
    if lead and not body.startswith(lead):
        add(lead, 2.0)
        add(body, 1.0, tail_from=0.7)
    else:
        head = len(lead) if lead else max(body.find("\n", 80), 400)
        add(body[:head], 2.0)
        add(body[head:], 1.0, tail_from=0.6)
    for c in captions:
        add(c, 0.5)
    hinted = lookup(source_province) if source_province else None
    hint = hinted.name if hinted else None
    if (published or "")[:10] >= MERGER_DATE:
        merged: dict[str, float] = {}
        for name, s in scores.items():
            unit = province(name).merged_into
            merged[unit] = merged.get(unit, 0.0) + s
            first[unit] = min(first.get(unit, 1 << 60), first[name])
        scores = merged
        hint = hinted.merged_into if hinted else None
    if hint and hint in scores:
        scores[hint] += 0.75
    if not scores or max(scores.values()) < 0.9:
        return hint if hint and _LOCAL.search(body) else None
    return max(scores, key=lambda k: (scores[k], -first[k]))
