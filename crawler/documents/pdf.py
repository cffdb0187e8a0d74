"""Text of a PDF with pypdf; a PDF whose pages hold images and (almost) no text is scanned, and
is read by OCR when Tesseract's Vietnamese model is installed (`ocr`), else flagged."""

from __future__ import annotations

import io
import logging
import subprocess
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from . import ocr
from .result import ReadResult

# A page with fewer characters of text than this, and an image, is a scanned page (a scan
# often carries a few words of text: a digital signature's "Người ký", a stamp's date).
SCANNED_CHARS_PER_PAGE = 40

logging.getLogger("pypdf").setLevel(logging.ERROR)


def _has_images(page: Any) -> bool:
    try:
        return bool(page.images)
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError):
        return False


def read_pdf(data: bytes) -> ReadResult:
    """The text layer of each page; scanned pages (an image and almost no text) read by OCR
    when it is available, else flagged; a PDF with both kinds is flagged `partly-scanned`."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        texts = [page.extract_text() or "" for page in reader.pages]
        scanned = [
            i + 1
            for i, page in enumerate(reader.pages)
            if len(texts[i].strip()) < SCANNED_CHARS_PER_PAGE and _has_images(page)
        ]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        return ReadResult("pdf", "", ("unreadable",), None, f"pypdf: {exc}")
    if not scanned:
        return ReadResult("pdf", "\n".join(texts), (), pages)
    kind = "scanned" if len(scanned) == pages else "partly-scanned"
    why = ocr.unavailable_reason()
    if why is not None:
        return ReadResult("pdf", "\n".join(texts).strip(), (kind, "scanned-not-read"), pages, why)
    try:
        read = ocr.ocr_pdf(data, scanned)
    except (OSError, subprocess.SubprocessError) as exc:
        note = f"OCR failed: {exc}"
        return ReadResult("pdf", "\n".join(texts).strip(), (kind, "scanned-not-read"), pages, note)
    # an OCR'd page's own few words (a signature's) are kept after its OCR text
    merged = [read[i + 1] + "\n" + texts[i] if i + 1 in read else texts[i] for i in range(pages)]
    note = (
        f"OCR of the first {ocr.MAX_PAGES} scanned pages only"
        if len(scanned) > ocr.MAX_PAGES
        else ""
    )
    return ReadResult("pdf", "\n".join(merged), (kind, "ocr"), pages, note)
