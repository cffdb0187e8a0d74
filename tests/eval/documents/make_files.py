"""Build the evaluation files: every source text of `source/` in six formats, into `files/`
(for the first set here and the second in `set2/`).

    .venv/bin/pip install -e '.[bench]'   # only to rebuild; the built files are committed
    .venv/bin/python tests/eval/documents/make_files.py [--doc]

Formats: typed PDF (.pdf), scanned PDF (.scan.pdf, 200 dpi, no text layer), DOCX (.docx),
DOCX typed in TCVN3 (.tcvn3.docx) and in VNI (.vni.docx), Word 97 DOC (.doc, by LibreOffice,
only with --doc). bench/eval_documents.py reads them and scores against the source texts.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "fixtures" / "documents"))

import make_documents as make  # noqa: E402


def main() -> None:
    """Builds the files of the first set (here) and of `set2/`."""
    for where in (HERE, HERE / "set2"):
        build(where)


def build(where: Path) -> None:
    OUT = where / "files"
    OUT.mkdir(exist_ok=True)
    for src in sorted((where / "source").glob("*.txt")):
        text, stem = src.read_text("utf-8"), src.stem
        make.typed_pdf(text, OUT / f"{stem}.pdf")
        make.scanned_pdf(text, OUT / f"{stem}.scan.pdf")
        make.docx_file(text, OUT / f"{stem}.docx")
        make.docx_file(text, OUT / f"{stem}.tcvn3.docx", legacy="tcvn3")
        make.docx_file(text, OUT / f"{stem}.vni.docx", legacy="vni")
        if "--doc" in sys.argv:
            make.doc_file(text, OUT / f"{stem}.doc")


if __name__ == "__main__":
    main()
