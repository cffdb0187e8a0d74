"""Text of a PDF with pypdf; a PDF whose pages hold images and (almost) no text is scanned, and
is read by OCR when Tesseract's Vietnamese model is installed (`ocr`), else flagged."""

from __future__ import annotations

import io
import logging
import subprocess

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from . import ocr
from .result import ReadResult

# Below this many characters of text per page on average, a PDF with images is a scan.
SCANNED_CHARS_PER_PAGE = 40

logging.getLogger("pypdf").setLevel(logging.ERROR)


def _has_images(reader: PdfReader) -> bool:
    for page in reader.pages[:5]:
        try:
            if page.images:
                return True
        except (PyPdfError, KeyError, ValueError, TypeError):
            continue
    return False


def read_pdf(data: bytes) -> ReadResult:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        texts = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        return ReadResult("pdf", "", ("unreadable",), None, f"pypdf: {exc}")
    text = "\n".join(texts)
    if len(text.strip()) >= SCANNED_CHARS_PER_PAGE * max(pages, 1) or not _has_images(reader):
        return ReadResult("pdf", text, (), pages)
    why = ocr.unavailable_reason()
    if why is not None:
        return ReadResult("pdf", text, ("scanned", "scanned-not-read"), pages, why)
    try:
        return ReadResult("pdf", ocr.ocr_pdf(data, pages), ("scanned", "ocr"), pages)
    except (OSError, subprocess.SubprocessError) as exc:
        return ReadResult("pdf", text, ("scanned", "scanned-not-read"), pages, f"OCR failed: {exc}")
