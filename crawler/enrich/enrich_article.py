"""Extracted -> Enrichment: the Vietnamese rules in one pure call (no Scrapy, no store)."""

from __future__ import annotations

from crawler.enrich.dates import extract_event_date
from crawler.enrich.documents import extract_documents
from crawler.enrich.provinces import detect_province
from crawler.enrich.relevance import judge
from crawler.enrich.speakers import extract_speakers
from crawler.evidence import derived
from indexer.model import Enrichment, Evidence, Extracted
from vnlang.gazetteer import MERGER_DATE, province_at
from vnlang.text import nfc


def enrich(ex: Extracted, *, source_province: str | None = None) -> Enrichment:
    """Province (as at the article's date, and its 2025 unit), speakers, documents, event date,
    relevance and topics of an extracted article. `source_province` is the site's own province,
    a hint only."""
    return _enrich(ex, source_province, None)


def enrich_with_evidence(
    ex: Extracted, *, source_province: str | None = None
) -> tuple[Enrichment, list[Evidence]]:
    """`enrich`, and the evidence of every value it found (one pass: the same rules record
    what they read). Offsets point into `ex.title`, `ex.body` and the image captions."""
    why: list[Evidence] = []
    return _enrich(ex, source_province, why), why


def _enrich(ex: Extracted, source_province: str | None, why: list[Evidence] | None) -> Enrichment:
    title, body = nfc(ex.title), nfc(ex.body)
    all_captions = [nfc(i.caption) for i in ex.images]
    captions = [c for c in all_captions if c]
    caption_images = [i for i, c in enumerate(all_captions) if c]
    lead = nfc(ex.lead)
    published = ex.published[:10] if ex.published else None
    event_date = extract_event_date(body, published, title, why)
    when = published or event_date
    name = detect_province(title, lead, body, captions, source_province, when, why, caption_images)
    province, province_now = province_at(name, when) if name else (None, None)
    relevant, topics = judge(title, body, why)
    en = Enrichment(
        province=province,
        province_now=province_now,
        speakers=extract_speakers(body, all_captions if why is not None else captions, why),
        decrees=extract_documents(f"{title}\n{body}", why, len(title)),
        event_date=event_date,
        relevant=relevant,
        topics=topics,
    )
    if why is not None:
        if not en.speakers:
            why.append(derived("speakers", None, _NO_SPEAKER))
        if not en.decrees:
            why.append(derived("decrees", None, "no law or numbered document cited"))
        if not topics:
            why.append(derived("topics", None, "no topic phrase in the title or the body"))
        if province and province != name:
            why.append(derived("province", province, f"{name} as at the article's date {when}"))
        if province_now:
            rule = (
                f"{province} keeps its name as a unit after 1 July 2025"
                if province_now == province
                else f"{province} merged into {province_now} on 1 July 2025"
            )
            if (when or "") >= MERGER_DATE:
                rule += " (the article is dated after the merger)"
            why.append(derived("province_now", province_now, rule))
        if (ex.title, ex.body) != (title, body):  # offsets are into the NFC text: drop them
            why[:] = [_unplaced(e) if e.source in ("title", "body") else e for e in why]
    return en


_NO_SPEAKER = (
    "no named person is the subject of a speech verb, heard, presenting, chairing or listed as "
    "a presenter"
)


def _unplaced(e: Evidence) -> Evidence:
    return Evidence(e.field, e.value, e.source, e.excerpt, None, None, e.rule, e.image)
