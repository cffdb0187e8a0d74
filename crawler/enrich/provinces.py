"""Which province an article is about: weighted mentions of the gazetteer's names in its parts."""

from __future__ import annotations

import re

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
# "từ Thanh Hóa đến Bình Thuận": the two ends of a stretch of provinces.
_RANGE_GAP = re.compile(r"^\s*(?:đến|tới)\s*(?:(?:tỉnh|thành phố|TP\.?)\s*)?$")


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
        found = sorted(mentions(text) + city_mentions(text))
        listed = _listed(text, found)
        for i, (off, name, admin, venue, _end) in enumerate(found):
            w = weight * (1.5 if admin else 1.0)
            if i in listed:
                w *= 0.25
            if off / n > tail_from:
                w *= 0.4
            if venue:  # "tại Hà Nội", "tại thành phố Hạ Long (Quảng Ninh)": where, not whose
                w *= 0.3 if name == "Hà Nội" else 0.5
            if _INSTITUTION_BEFORE.search(text[max(0, off - 60) : off]):
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
    if not source_province and _CENTRAL.search(body[:300]):
        # A national event: held in Hà Nội (or nowhere named) by a central body; a province
        # named in the title or the first two paragraphs (a venue elsewhere, a local
        # connection point) makes it that province's.
        paragraphs = [p for p in body[:3000].split("\n") if p.strip()][:2]
        head = title + "\n" + "\n".join(paragraphs)[:1200]
        found = mentions(head)
        listed = _listed(head, found)
        if all((m.name == "Hà Nội" and m.venue) or i in listed for i, m in enumerate(found)):
            return None
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
