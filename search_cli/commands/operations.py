"""`pressnews runs` and `sources`: what the crawls did and how each source is doing."""

from __future__ import annotations

from dataclasses import asdict

import click

from .. import output
from ..common import db_option, open_store


@click.command()
@db_option
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of runs.")
def runs(db: str | None, limit: int, as_json: bool) -> None:
    """List recent crawl runs with per-source pages, articles and errors."""
    from crawler.bookkeeping import list_runs

    with open_store(db, readonly=True) as store:
        rows = list_runs(store, limit)
    if as_json:
        output.emit_json([asdict(r) for r in rows])
        return
    for r in rows:
        click.echo(f"run {r.id}  {r.started} → {r.ended or '…'}  {r.status}")
        for s in r.sources:
            errs = ", ".join(f"{k}: {v}" for k, v in sorted(s["errors"].items())) or "no errors"
            click.echo(
                f"    {s['source']}: {s['pages']} pages, {s['new']} new, {s['updated']} updated, "
                f"{s['unchanged'] + s['not_modified']} unchanged; {errs}"
            )


@click.command()
@db_option
@click.option(
    "--sources",
    "sources_file",
    metavar="FILE",
    help="Sources file (default: the built-in registry).",
)
@click.option("--json", "as_json", is_flag=True, help="A JSON array, one object per source.")
def sources(db: str | None, sources_file: str | None, as_json: bool) -> None:
    """Each source's health: last success, articles in 30 days, error rate, warning flags."""
    from crawler.bookkeeping import source_health
    from crawler.sources import select_sources

    chosen = select_sources(sources_file, [])
    with open_store(db, readonly=True) as store:
        rows = source_health(store, list(chosen))
    if as_json:
        output.emit_json(rows)
        return
    table = [
        [
            r["source"],
            r["last_success"] or "never",
            str(r["articles_30d"]),
            "-" if r["error_rate"] is None else f"{r['error_rate']:.0%}",
            "; ".join(r["flags"]) or "ok",
        ]
        for r in rows
    ]
    click.echo(
        output.render_table(table, ["source", "last success", "30 days", "errors", "health"])
    )
