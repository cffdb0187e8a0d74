"""Output formats shared by the commands: a readable table (default), JSON and CSV."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from indexer.errors import PressnewsError
from indexer.query import Facets, Query, SearchResult
from indexer.snippets import ELLIPSIS, MARK_CLOSE, MARK_OPEN
from vnlang.legaldocs import match_key
from vnlang.text import fold

_MARK = re.compile(r"<mark>(.*?)</mark>")
_MARK_TAG = re.compile(r"</?mark>")
# How many speakers, documents and other copies of a report one hit shows before "+N more".
SHOWN_SPEAKERS, SHOWN_DOCUMENTS, SHOWN_COPIES = 4, 4, 3


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# A UTF-8 byte-order mark opens every CSV: without it Excel reads UTF-8 as the local code page
# and Vietnamese comes out garbled; Python's csv module and LibreOffice ignore it ("utf-8-sig").
CSV_BOM = "\ufeff"


def emit_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    buf = io.StringIO()
    buf.write(CSV_BOM)
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(row.get(k)) for k in columns})
    click.echo(buf.getvalue(), nl=False)


def emit_records(
    records: Sequence[Any], columns: Sequence[str], as_json: bool, as_csv: bool
) -> bool:
    """`--json` (each record's `to_dict()`) or `--csv` (each record's `flat()` row) when asked;
    False when neither was, and the caller prints its table."""
    if as_json:
        emit_json([r.to_dict() for r in records])
    elif as_csv:
        emit_csv([r.flat() for r in records], columns)
    return as_json or as_csv


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return value.get("name") or json.dumps(value, ensure_ascii=False)
    return str(value)


def highlight(snippet: str, color: bool) -> str:
    if not color:
        return _MARK.sub(r"\1", snippet)
    return _MARK.sub(lambda m: click.style(m.group(1), bold=True, underline=True), snippet)


def render_table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def cut_list(items: Sequence[str], keep: int) -> str:
    """`a, b, c +2 more`: the first `keep` items, and how many were left out."""
    shown = ", ".join(items[:keep])
    rest = len(items) - keep
    return f"{shown} +{rest} more" if rest > 0 else shown


def fit_snippet(snippet: str, limit: int) -> str:
    """The snippet (with <mark> tags) in at most about `limit` visible characters, cut at a
    space (never inside a word), `…` where text was left out, marks kept balanced."""
    visible = _MARK_TAG.sub("", snippet)
    if len(visible) <= limit:
        return snippet
    out: list[str] = []
    used = 0
    for token in snippet.split(" "):
        size = len(_MARK_TAG.sub("", token)) + (1 if out else 0)
        if out and used + size > limit:
            break
        out.append(token)
        used += size
    text = " ".join(out).rstrip()
    if text.count(MARK_OPEN) > text.count(MARK_CLOSE):
        text += MARK_CLOSE
    return text if text.endswith(ELLIPSIS) else text + ELLIPSIS


def _speaker(s: dict[str, Any], with_role: bool) -> str:
    role = (s.get("role") or "").strip()
    return f"{s['name']} ({role})" if with_role and role else s["name"]


def _speakers_first(speakers: list[dict[str, Any]], speaker: str | None) -> list[dict[str, Any]]:
    """The speakers the --speaker search matched first (so a cut list never hides them)."""
    words = Query(speaker=speaker).speaker_words() if speaker else []
    if not words:
        return speakers
    wanted = " " + " ".join(words) + " "
    hit = [s for s in speakers if wanted in f" {fold(s.get('name') or '')} "]
    return hit + [s for s in speakers if s not in hit]


def _documents_first(decrees: list[str], decree: str | None) -> list[str]:
    """The documents the --decree search matched first."""
    key = match_key(decree) if decree else None
    if not key:
        return decrees

    def matches(d: str) -> bool:
        k = match_key(d) or ""
        return k == key or k.startswith((f"{key}/", f"{key} "))

    return [d for d in decrees if matches(d)] + [d for d in decrees if not matches(d)]


def print_search(
    result: SearchResult,
    *,
    color: bool,
    include_all: bool,
    speaker: str | None = None,
    decree: str | None = None,
) -> None:
    """The readable list of hits. A search by --speaker shows the speakers with their roles
    (the matched ones first), a search by --decree the documents each article cites; a list
    that is cut says how many it left out ("+3 more"). Snippets are whole words (both backends
    cut them so, the start of the body for a search without words)."""
    if not result.hits:
        more = (
            f" --all finds {result.more_with_all} not judged relevant."
            if not include_all and result.more_with_all
            else ""
        )
        click.echo(f"No matching articles.{more}")
        return
    width = shutil.get_terminal_size((100, 20)).columns
    for rank, hit in enumerate(result.hits, 1):
        a = hit.article
        head = f"{rank:>2}. {a['title']}"
        click.echo(click.style(head, bold=True) if color else head)
        meta = [
            a.get("date") or "no date",
            a.get("province") or "no province",
            a.get("source") or "",
        ]
        removed = f" [removed {a['removed']}]" if a.get("removed") else ""
        click.echo("    " + " · ".join(m for m in meta if m) + removed)
        click.echo(f"    {a['url']}")
        speakers = _speakers_first(list(a.get("speakers") or []), speaker)
        if speakers:
            names = [_speaker(s, with_role=bool(speaker)) for s in speakers]
            click.echo(f"    speakers: {cut_list(names, SHOWN_SPEAKERS)}")
        if decree and a.get("decrees"):
            documents = _documents_first(list(a["decrees"]), decree)
            click.echo(f"    documents: {cut_list(documents, SHOWN_DOCUMENTS)}")
        snippet = hit.snippet
        if snippet:
            click.echo("    " + highlight(fit_snippet(snippet, max(60, width * 3)), color))
        if hit.duplicates:
            click.echo(f"    also at: {cut_list(hit.duplicates, SHOWN_COPIES)}")
        click.echo()
    shown = len(result.hits)
    summary = f"{shown} of {result.total} matching article(s)"
    if not include_all and result.more_with_all:
        summary += f"; --all adds {result.more_with_all} more not judged relevant"
    click.echo(summary)


def print_facets(f: Facets) -> None:
    click.echo(f"{f.total} article(s)")
    for title, pairs in (
        ("Provinces", f.provinces),
        ("Speakers", f.speakers),
        ("Documents", f.decrees),
        ("Years", [*f.years, *([("undated", f.undated)] if f.undated else [])]),
    ):
        click.echo(f"\n{title}:")
        if not pairs:
            click.echo("  (none)")
        for name, count in pairs:
            click.echo(f"  {count:>5}  {name}")


def facets_json(f: Facets) -> dict[str, Any]:
    return {
        "total": f.total,
        "provinces": [{"name": n, "count": c} for n, c in f.provinces],
        "speakers": [{"name": n, "count": c} for n, c in f.speakers],
        "decrees": [{"name": n, "count": c} for n, c in f.decrees],
        "years": [{"name": n, "count": c} for n, c in f.years]
        + ([{"name": "undated", "count": f.undated}] if f.undated else []),
        "undated": f.undated,
    }


# -- files a command writes (--out) ---------------------------------------------------------
def check_out_file(out: str, example: str) -> Path:
    """`--out` as a path whose folder exists; else a one-line error."""
    if not out.strip():
        raise PressnewsError(f"--out is empty: give the file to write, e.g. {example}")
    path = Path(out).expanduser()
    if path.is_dir():
        raise PressnewsError(f"--out {out} is a folder: give a file name, e.g. {example}")
    folder = path.parent
    if not folder.is_dir():
        raise PressnewsError(f"--out {out}: the folder {folder} does not exist")
    return path


def write_atomically(path: Path, data: bytes, what: str) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a reader sees
    the old file or the new one, never half of one."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PressnewsError(f"cannot write {what} {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PressnewsError(f"cannot write {what} {path}: {exc.strerror or exc}") from None


def file_mode(path: Path) -> int:
    """The mode of the file replaced, else what a new file gets (0666 less the umask): a feed or
    report is meant to be read by a web server or another user, unlike mkstemp's 0600."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
