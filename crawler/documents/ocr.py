"""OCR of scanned PDF pages with Tesseract's Vietnamese model (Debian: tesseract-ocr-vie).

`pdftoppm` (poppler-utils) renders the pages, `tesseract -l vie` reads them. When either
program or the Vietnamese model is missing, `available()` says why and the reader flags the
document "scanned, not read" instead of guessing."""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

# Pages read at most per document, and the time allowed for each external step.
MAX_PAGES = 20
TIMEOUT = 120
DPI = 300


@functools.cache
def unavailable_reason() -> str | None:
    """None when OCR can run here, else why not (a missing program or language model)."""
    for program in ("pdftoppm", "tesseract"):
        if shutil.which(program) is None:
            return f"{program} is not installed"
    try:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30
        ).stdout.split()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run: {exc}"
    if "vie" not in langs:
        return "the Vietnamese model (tesseract-ocr-vie) is not installed"
    return None


def ocr_pdf(data: bytes, pages: list[int]) -> dict[int, str]:
    """The text of these pages (1-based; at most MAX_PAGES of them) of a PDF, by OCR."""
    out: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="pressnews-ocr-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        for number in pages[:MAX_PAGES]:
            prefix = f"{tmp}/p{number}"
            subprocess.run(
                ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(number), "-l",
                 str(number), str(src), prefix],
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
            )  # fmt: skip
            for image in sorted(Path(tmp).glob(f"p{number}*.png")):
                result = subprocess.run(
                    ["tesseract", str(image), "-", "-l", "vie", "--psm", "4"],
                    check=True,
                    capture_output=True,
                    timeout=TIMEOUT,
                )
                out[number] = result.stdout.decode("utf-8", "replace")
                image.unlink()
    return out
