"""Text of a DOCX with python-docx: paragraphs and table cells in document order."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError

from .result import ReadResult

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p: Any) -> str:
    """A paragraph's text. Tabs (<w:tab/>) separate words; a paragraph of three or more cells
    between tabs is a table row typed with tabs and reads as one: "a | b | c"."""
    text = "".join(
        (el.text or "") if el.tag == _W + "t" else "\t" for el in p.iter(_W + "t", _W + "tab")
    )
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    return " | ".join(cells) if len(cells) >= 3 else " ".join(cells)


def read_docx(data: bytes) -> ReadResult:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return ReadResult("docx", "", ("unreadable",), None, f"python-docx: {exc}")
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == _W + "p":
            lines.append(_paragraph_text(block))
        elif block.tag == _W + "tbl":
            for row in block.iter(_W + "tr"):
                cells = [
                    " ".join(
                        "".join(t.text or "" for t in p.iter(_W + "t")) for p in tc.iter(_W + "p")
                    ).strip()
                    for tc in row.iter(_W + "tc")
                ]
                lines.append(" | ".join(c for c in cells if c))
    return ReadResult("docx", "\n".join(lines), ())
