"""What a reader returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadResult:
    format: str  # pdf, docx, doc, text, or unknown
    text: str  # as the reader gave it (the dispatcher converts legacy fonts and applies NFC)
    flags: tuple[str, ...] = ()  # scanned, ocr, scanned-not-read, legacy-font:tcvn3, unreadable...
    pages: int | None = None
    note: str = ""  # why a flag was set (a missing converter, a broken file)
