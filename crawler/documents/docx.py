"""Text of a DOCX with python-docx: paragraphs and table cells in document order."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError

from .result import ReadResult

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> ReadResult:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        return ReadResult("docx", "", ("unreadable",), None, f"python-docx: {exc}")
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == _W + "p":
            lines.append("".join(t.text or "" for t in block.iter(_W + "t")))
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
