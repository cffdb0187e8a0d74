"""One fetched document to what the store keeps: read (text, format, flags) and understood
(facts). The function a crawl's worker process runs for a `DocumentItem`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .read import read
from .understand import understand

# Bumped when reading or understanding changes, so a re-fetch of unchanged bytes re-reads them.
READER_VERSION = "documents-1"


@dataclass(frozen=True)
class ProcessedDocument:
    format: str
    text: str
    flags: list[str]
    note: str
    facts: dict[str, Any] = field(default_factory=dict)


def process_document(data: bytes) -> ProcessedDocument:
    result = read(data)
    facts = understand(result.text).to_json() if result.text else {}
    return ProcessedDocument(result.format, result.text, list(result.flags), result.note, facts)
