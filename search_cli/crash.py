"""Crash reports: what an unexpected exception (a bug, not a bad input) leaves for a bug report.

The report holds the traceback, the pressnews and Python versions, the platform and the command
line, with every secret taken out: the user:password part of URLs and the values of the options
that carry credentials (`--password`, `--api-key`, `--username`). It is written, readable by the
user only, as `crash-<timestamp>.txt` under the user's cache folder
($XDG_CACHE_HOME/pressnews, else ~/.cache/pressnews).
"""

from __future__ import annotations

import os
import platform
import re
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

EXIT_BUG = 70  # EX_SOFTWARE (sysexits.h): an internal software error

_SECRET_OPTIONS = ("--password", "--api-key", "--username")
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
REDACTED = "***"


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("pressnews")
    except PackageNotFoundError:
        return "unknown (not installed)"


def redact_url_credentials(text: str) -> str:
    """`https://user:secret@host/` -> `https://***@host/`, anywhere in `text`."""
    return _URL_CREDENTIALS.sub(rf"\g<1>{REDACTED}@", text)


def redact_argv(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """The command line without secrets, and the secret values found (to scrub elsewhere)."""
    out: list[str] = []
    secrets: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            secrets.append(arg)
            out.append(REDACTED)
            hide_next = False
            continue
        name, eq, value = arg.partition("=")
        if name in _SECRET_OPTIONS:
            if eq:
                secrets.append(value)
                out.append(f"{name}={REDACTED}")
            else:
                out.append(arg)
                hide_next = True
            continue
        out.append(redact_url_credentials(arg))
    return out, [s for s in secrets if s]


def crash_report_text(exc: BaseException, argv: Sequence[str]) -> str:
    import shlex

    command, secrets = redact_argv(argv)
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    text = (
        f"pressnews crash report\n"
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}\n"
        f"pressnews: {version()}\n"
        f"python: {sys.version.split()[0]} ({sys.executable})\n"
        f"platform: {platform.platform()}\n"
        f"command: {shlex.join(command)}\n"
        f"\n{trace}"
    )
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return redact_url_credentials(text)


def write_crash_report(exc: BaseException, argv: Sequence[str], folder: Path) -> Path:
    """Write the report under `folder` (created if needed); return its path. Raises OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    text = crash_report_text(exc, argv)
    for n in range(100):
        path = folder / (f"crash-{stamp}.txt" if n == 0 else f"crash-{stamp}-{n}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path
    raise FileExistsError(f"too many crash reports named crash-{stamp}*.txt in {folder}")
