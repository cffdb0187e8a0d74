"""Text of a legacy Word 97-2003 DOC with Debian's converters: antiword, else catdoc."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .result import ReadResult

TIMEOUT = 60


def converter() -> str | None:
    """The converter that will be used, or None when neither is installed."""
    return next((c for c in ("antiword", "catdoc") if shutil.which(c)), None)


def read_doc(data: bytes) -> ReadResult:
    program = converter()
    if program is None:
        return ReadResult("doc", "", ("unread",), None, "neither antiword nor catdoc is installed")
    with tempfile.NamedTemporaryFile(suffix=".doc", prefix="pressnews-") as tmp:
        Path(tmp.name).write_bytes(data)
        if program == "antiword":
            cmd = ["antiword", "-w", "0", "-m", "UTF-8.txt", tmp.name]
        else:
            cmd = ["catdoc", "-w", "-d", "utf-8", tmp.name]
        try:
            out = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
        except (OSError, subprocess.SubprocessError) as exc:
            return ReadResult("doc", "", ("unreadable",), None, f"{program}: {exc}")
    if out.returncode != 0:
        err = out.stderr.decode("utf-8", "replace").strip().splitlines()
        return ReadResult("doc", "", ("unreadable",), None, f"{program}: {err[:1]}")
    return ReadResult("doc", out.stdout.decode("utf-8", "replace"), ())
