"""Output formats shared by the commands: a readable table (default), JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Sequence
from typing import Any

import click

from indexer.query import Facets, SearchResult

_MARK = re.compile(r"<mark>(.*?)</mark>")


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def emit_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(row.get(k)) for k in columns})
    click.echo(buf.getvalue(), nl=False)


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


def print_search(result: SearchResult, *, color: bool, include_all: bool) -> None:
    if not result.hits:
        click.echo("No matching articles.")
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
        click.echo("    " + " · ".join(m for m in meta if m))
        click.echo(f"    {a['url']}")
        if a.get("speakers"):
            names = ", ".join(s["name"] for s in a["speakers"][:4])
            click.echo(f"    speakers: {names}")
        if hit.snippet:
            click.echo("    " + highlight(hit.snippet, color)[: max(60, width * 3)])
        if hit.duplicates:
            click.echo(f"    also at: {', '.join(hit.duplicates[:3])}")
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
