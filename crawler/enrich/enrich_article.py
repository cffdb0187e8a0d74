"""Extracted -> Enrichment: the Vietnamese rules in one pure call (no Scrapy, no store)."""

from __future__ import annotations

from crawler.enrich.dates import extract_event_date
from crawler.enrich.documents import extract_documents
from crawler.enrich.provinces import detect_province
from crawler.enrich.relevance import judge
from crawler.enrich.speakers import extract_speakers
from indexer.model import Enrichment, Extracted
from vnlang.gazetteer import province_at
from vnlang.text import nfc


def enrich(ex: Extracted, *, source_province: str | None = None) -> Enrichment:
    """Province (as at the article's date, and its 2025 unit), speakers, documents, event date,
    relevance and topics of an extracted article. `source_province` is the site's own province,
    a hint only."""
    title, body = nfc(ex.title), nfc(ex.body)
    captions = [nfc(i.caption) for i in ex.images if i.caption]
    lead = nfc(ex.lead)
    published = ex.published[:10] if ex.published else None
    event_date = extract_event_date(body, published, title)
    when = published or event_date
    name = detect_province(title, lead, body, captions, source_province, when)
    province, province_now = province_at(name, when) if name else (None, None)
    relevant, topics = judge(title, body)
    return Enrichment(
        province=province,
        province_now=province_now,
        speakers=extract_speakers(body, captions),
        decrees=extract_documents(f"{title}\n{body}"),
        event_date=event_date,
        relevant=relevant,
        topics=topics,
    )
