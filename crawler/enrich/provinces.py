"""Which province an article is about: weighted mentions of the gazetteer's names in its parts."""

from __future__ import annotations

import re

from crawler.evidence import derived, quote
from indexer.model import Evidence
from vnlang.gazetteer import MERGER_DATE, Mention, city_mentions, lookup, mentions, province

# Words that show a text is about a province's own administration ("UBND tỉnh", "Sở ...").
_LOCAL = re.compile(
    r"\b(?:tỉnh|Tỉnh ủy|Tỉnh uỷ|UBND|Sở|huyện|Huyện ủy|Huyện uỷ|Thị ủy|Thị uỷ|Thành ủy|Thành uỷ|"
    r"xã|phường)\b"
)
# An institution whose name holds a province ("Đại học Quốc gia TP. Hồ Chí Minh", "Báo Hà Nội
# mới"): the mention names the institution, not the article's province.
_INSTITUTION_BEFORE = re.compile(
    r"(?:Đại học(?: Quốc gia)?|Học viện[^,;.]{0,30}|Trường[^,;.]{0,40}|Báo|Đài[^,;.]{0,30}|"
    r"Bệnh viện[^,;.]{0,30}|Công ty[^,;.]{0,30}|Viện[^,;.]{0,40})\s*(?:TP\.?|Tp\.?|thành phố|tỉnh)?\s*$"
)


# A central body organises the event ("Bộ Thông tin và Truyền thông tổ chức ...", "Ban Chỉ đạo
# công tác thông tin đối ngoại Trung ương", "Tổng cục Chính trị"): national news, unless the
# title or lead names a province with its administrative word ("tỉnh Kon Tum", "UBND tỉnh").
_CENTRAL = re.compile(
    r"^[^.\n]{0,90}?(?:\bBộ (?!Chỉ huy)[A-ZĐ]|Trung ương|Chính phủ|Tổng cục|Quốc hội|"
    r"Ban Chỉ đạo công tác thông tin đối ngoại(?! tỉnh| thành phố| TP))[^.\n]{0,120}?"
    r"\b(?:tổ chức|ban hành|phối hợp)"
)
# Mentions listed side by side ("tại Hà Nội, Đà Nẵng, TP Hồ Chí Minh và Cần Thơ"): places
# among others, none of them the article's province.
_LIST_GAP = re.compile(r"^\s*(?:,|và|;)\s*(?:(?:tỉnh|thành phố|TP\.?)\s*)?$")
# "giảng viên giảng bài từ Hà Nội", "phóng viên từ Đà Nẵng": where someone comes or speaks
# from, not where the article's event is (unless a stretch follows: "từ X đến Y").
_ORIGIN_BEFORE = re.compile(r"\btừ\s+(?:(?:tỉnh|thành phố|TP\.?)\s*)?$", re.IGNORECASE)
_ORIGIN_NOT_AFTER = re.compile(r"^\s*(?:\(|,)?[^.;,\n]{0,40}?\b(?:đến|tới)\b")
# "từ Thanh Hóa đến Bình Thuận": the two ends of a stretch of provinces.
_RANGE_GAP = re.compile(r"^\s*(?:đến|tới)\s*(?:(?:tỉnh|thành phố|TP\.?)\s*)?$")


def detect_province(
    title: str,
    lead: str,
    body: str,
    captions: list[str],
    source_province: str | None = None,
    published: str | None = None,
    why: list[Evidence] | None = None,
    caption_images: list[int] | None = None,
) -> str | None:
    """The province an article is about, by weighted mentions (title > lead > body > captions).

    A mention after "tỉnh"/"UBND"/"TP." weighs more; one in the last part of the body (teasers,
    related news) less; "tại Hà Nội" (the venue of a national event) little. The site's own
    province breaks ties, and is the answer when no province is named but the text is local. For
    an article dated on/after 1 July 2025 the scores add up per 2025 unit, which is returned.
    With `why`, appends the evidence: the winner's weighted mentions, every name's score, the
    hint and the rule that decided (`caption_images`: the image index of each caption).
    """
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    part = 0
    seen: list[tuple[str, float, str, str]] | None = [] if why is not None else None
    where: list[tuple[str, int, int | None]] = []  # per part: source, offset, image

    def add(text: str, weight: float, tail_from: float = 1.0) -> None:
        nonlocal part
        n = max(len(text), 1)
        found = sorted(mentions(text) + city_mentions(text))
        listed = _listed(text, found)
        for i, (off, name, admin, venue, _end) in enumerate(found):
            w = weight * (1.5 if admin else 1.0)
            notes = [f"{_PARTS.get(weight, 'text')} ×{weight:g}"] + (
                ["admin word ×1.5"] if admin else []
            )
            if i in listed:
                w *= 0.25
                notes.append("in a list ×0.25")
            if off / n > tail_from:
                w *= 0.4
                notes.append("end of the text ×0.4")
            if venue:  # "tại Hà Nội", "tại thành phố Hạ Long (Quảng Ninh)": where, not whose
                w *= 0.3 if name == "Hà Nội" else 0.5
                notes.append("a venue ×" + ("0.3" if name == "Hà Nội" else "0.5"))
            if _ORIGIN_BEFORE.search(text[max(0, off - 20) : off]) and not _ORIGIN_NOT_AFTER.match(
                text[_end : _end + 50]
            ):
                w *= 0.3
                notes.append("an origin ×0.3")
            if _INSTITUTION_BEFORE.search(text[max(0, off - 60) : off]):
                w *= 0.3
                notes.append("an institution's name ×0.3")
            scores[name] = scores.get(name, 0.0) + w
            first.setdefault(name, part * 1_000_000 + off)
            if seen is not None:
                seen.append((name, w, f"{part}:{off}:{_end}", ", ".join(notes)))
        part += 1

    where.append(("title", 0, None))
    add(title, 4.0)
    if lead and not body.startswith(lead):
        at = body.find(lead)
        where.append(("body", at, None) if at >= 0 else ("meta", -1, None))
        add(lead, 2.0)
        where.append(("body", 0, None))
        add(body, 1.0, tail_from=0.7)
    else:
        head = len(lead) if lead else max(body.find("\n", 80), 400)
        where.append(("body", 0, None))
        add(body[:head], 2.0)
        where.append(("body", head, None))
        add(body[head:], 1.0, tail_from=0.6)
    for k, c in enumerate(captions):
        image = caption_images[k] if caption_images and k < len(caption_images) else k
        where.append(("caption", 0, image))
        add(c, 0.5)
    texts = {"title": title, "body": body, "meta": lead}
    if why is not None and seen is not None:
        result = _detect(scores, first, body, title, source_province, published)
        _explain(why, result, scores, seen, where, texts, captions, source_province, published)
        return result[0]
    return _detect(scores, first, body, title, source_province, published)[0]


# The weight of each part of the article, by name (for the evidence).
_PARTS = {4.0: "title", 2.0: "lead", 1.0: "body", 0.5: "caption"}


def _detect(
    scores: dict[str, float],
    first: dict[str, int],
    body: str,
    title: str,
    source_province: str | None,
    published: str | None,
) -> tuple[str | None, str, dict[str, float], str | None]:
    """(the province, the rule that decided, the final scores, the hint)."""
    if not source_province and _CENTRAL.search(body[:300]):
        # A national event: held in Hà Nội (or nowhere named) by a central body; a province
        # named in the title or the first two paragraphs (a venue elsewhere, a local
        # connection point) makes it that province's.
        paragraphs = [p for p in body[:3000].split("\n") if p.strip()][:2]
        head = title + "\n" + "\n".join(paragraphs)[:1200]
        found = mentions(head)
        listed = _listed(head, found)
        if all((m.name == "Hà Nội" and m.venue) or i in listed for i, m in enumerate(found)):
            return (
                None,
                "national news: a central body organises it and the title and first paragraphs "
                "name no province (Hà Nội as the venue and listed places aside)",
                scores,
                None,
            )
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
        if hint and _LOCAL.search(body):
            return (
                hint,
                "no name scores 0.9; the site's own province, the text being local",
                scores,
                hint,
            )
        return None, "no name scores the threshold 0.9 and no local hint", scores, hint
    best = max(scores, key=lambda k: (scores[k], -first[k]))
    return best, f"the highest score ({scores[best]:.2f}, threshold 0.9)", scores, hint


def _explain(
    why: list[Evidence],
    result: tuple[str | None, str, dict[str, float], str | None],
    raw_scores: dict[str, float],
    seen: list[tuple[str, float, str, str]],
    where: list[tuple[str, int, int | None]],
    texts: dict[str, str],
    captions: list[str],
    source_province: str | None,
    published: str | None,
) -> None:
    name, rule, scores, hint = result
    merged = (published or "")[:10] >= MERGER_DATE
    summary = ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items(), key=lambda x: -x[1]))
    hint_note = f"; the site's province {hint} +0.75" if hint else ""
    unit_note = " (added up per 2025 unit)" if merged else ""
    why.append(
        derived("province", name, f"{rule}; scores{unit_note}: {summary or 'none'}{hint_note}")
    )
    if name is None:
        return
    if hint == name and not any(
        n == name or (merged and province(n).merged_into == name) for n, *_ in seen
    ):
        why.append(
            Evidence(
                "province",
                name,
                "sources",
                source_province or "",
                None,
                None,
                "the sources file's province hint",
            )
        )
        return
    mine = [m for m in seen if m[0] == name or (merged and province(m[0]).merged_into == name)]
    for mention_name, w, pos, notes in sorted(mine, key=lambda m: -m[1])[:3]:
        part, off, end = (int(x) for x in pos.split(":"))
        src, base, image = where[part]
        rule_text = f"mention of {mention_name}: weight {w:.2f} ({notes})"
        if src == "caption":
            k = next(i for i, p in enumerate(where) if p[0] == "caption")
            cap = captions[part - k]
            why.append(quote("province", name, "caption", cap, off, end, rule_text, image=image))
        elif src == "meta":
            why.append(
                Evidence("province", name, "meta", texts["meta"][:240], None, None, rule_text)
            )
        else:
            text = texts[src]
            why.append(quote("province", name, src, text, base + off, base + end, rule_text))


def _listed(text: str, found: list[Mention]) -> set[int]:
    """Indexes of mentions in a list of three or more places separated by commas or "và"."""
    out: set[int] = set()
    run = [0] if found else []
    for i in range(1, len(found) + 1):
        joined = i < len(found) and _LIST_GAP.match(text[found[i - 1].end : found[i].start])
        if joined:
            run.append(i)
            continue
        if (
            i < len(found)
            and _RANGE_GAP.match(text[found[i - 1].end : found[i].start])
            and text[max(0, found[i - 1].start - 4) : found[i - 1].start].strip().endswith("từ")
        ):
            out.update((i - 1, i))
        if len(run) >= 3:
            out.update(run)
        run = [i]
    return out
