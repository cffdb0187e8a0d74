"""Render a local HTML file in a real headless Chromium to a PNG, collecting console messages.

Used by the report tests; skipped (with the reason) when no Chromium can be found. The flags are
the ones this closed network needs: without the background-networking switches Chromium tries
to reach Google's hosts at start.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--log-level=0",
)
# Chromium logs each console message as `...:CONSOLE:<line>] "<message>", source: <url>` (older: `CONSOLE(<line>)]`);
# errors of loading a resource show as `...ERROR...` lines naming net:: codes.
_CONSOLE = re.compile(r'CONSOLE[(:]\d+\)?\]\s+"(.*)", source:')
_NET_ERROR = re.compile(r"net::ERR_\w+")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class Rendering:
    png: Path
    console: list[str]  # console messages (log, warning, error) the page printed
    net_errors: list[str]  # resources that failed to load


def render(html_file: Path, png: Path, width: int = 1200, height: int = 1800) -> Rendering:
    browser = find_chromium()
    if browser is None:
        raise FileNotFoundError("no Chromium on PATH")
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                html_file.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if proc.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}")
    console = _CONSOLE.findall(proc.stderr)
    return Rendering(png, console, _NET_ERROR.findall(proc.stderr))


def main(argv: list[str]) -> int:
    """`python tests/browser.py REPORT.html OUT.png`: the rendering the tests make, to a file
    (the picture of the report in the README is made this way from the demo's report)."""
    if len(argv) != 2:
        print("usage: python tests/browser.py REPORT.html OUT.png")
        return 2
    result = render(Path(argv[0]), Path(argv[1]), 1200, 2000)
    print(
        f"{result.png}: console {result.console or 'clean'}, network {result.net_errors or 'clean'}"
    )
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
