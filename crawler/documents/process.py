"""One fetched document to what the store keeps: read (text, format, flags) and understood
(facts). The function a crawl's worker process runs for a `DocumentItem`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .read import read
from .understand import DocumentFacts, fill_from_link_title, understand

# Bumped when reading or understanding changes, so a re-fetch of unchanged bytes re-reads them.
READER_VERSION = "documents-1"


@dataclass(frozen=True)
class ProcessedDocument:
    format: str
    text: str
    flags: list[str]
    note: str
    facts: dict[str, Any] = field(default_factory=dict)


def process_document(data: bytes, link_title: str = "") -> ProcessedDocument:
    """Read the bytes, understand the text; the link's title fills a missing symbol and type."""
    result = read(data)
    facts = understand(result.text) if result.text else DocumentFacts()
    facts = fill_from_link_title(facts, link_title)
    return ProcessedDocument(
        result.format, result.text, list(result.flags), result.note, facts.to_json()
    )
