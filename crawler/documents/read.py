"""Bytes of an attached document to text: the format from its first bytes (not its name),
one reader per format, then legacy-font conversion (TCVN3/VNI, detected) and NFC."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from . import legacy_fonts
from .doc import read_doc
from .docx import read_docx
from .pdf import read_pdf
from .result import ReadResult

# Formats pressnews reads, by file extension and by Content-Type (what the crawl fetches).
EXTENSIONS = ("pdf", "doc", "docx")
CONTENT_TYPES = (
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream",  # many portals serve every download so; the bytes decide
    "application/x-download",
    "application/force-download",
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


def sniff(data: bytes) -> str:
    """pdf, docx, doc, or unknown, from the bytes."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(_OLE):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return "unknown"
    return "unknown"


def tidy(text: str) -> str:
    """NFC, one space between words, no blank-line runs, no stray control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def read(data: bytes) -> ReadResult:
    """The document's text (NFC, legacy fonts converted) with its format and flags."""
    kind = sniff(data)
    if kind == "pdf":
        result = read_pdf(data)
    elif kind == "docx":
        result = read_docx(data)
    elif kind == "doc":
        result = read_doc(data)
    else:
        return ReadResult("unknown", "", ("unsupported",), None, "not a PDF, DOC or DOCX")
    text, legacy = legacy_fonts.to_unicode(result.text)
    flags = result.flags + ((f"legacy-font:{legacy}",) if legacy else ())
    return ReadResult(result.format, tidy(text), flags, result.pages, result.note)
