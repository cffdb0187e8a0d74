"""`pressnews runs` and `sources`: what the crawls did and how each source is doing."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from .. import output
from ..common import db_option, open_store, sources_option


@click.command()
@db_option
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="A JSON array of runs, newest first: id, started, ended, status, per-source figures, "
    "and the summary (finish reason, failed sources with their errors by kind, signal, and "
    "`unfetched`: per source, articles budget mode skipped and requests left pending).",
)
def runs(db: str | None, limit: int, as_json: bool) -> None:
    """List recent crawl runs with per-source pages, articles and errors.

    A source with pages still unfetched when the run ended (skipped by budget mode, or left
    by the per-source cap or an interruption) says how many: later runs fetch them."""
    from crawler.bookkeeping import list_runs

    with open_store(db, readonly=True) as store:
        rows = list_runs(store, limit)
    if as_json:
        output.emit_json([asdict(r) for r in rows])
        return
    for r in rows:
        click.echo(f"run {r.id}  {r.started} → {r.ended or '…'}  {r.status}{_why(r.summary)}")
        unfetched = r.summary.get("unfetched") or {}
        for s in r.sources:
            errs = ", ".join(f"{k}: {v}" for k, v in sorted(s["errors"].items())) or "no errors"
            click.echo(
                f"    {s['source']}: {s['pages']} pages, {s['new']} new, {s['updated']} updated, "
                f"{s['unchanged'] + s['not_modified']} unchanged; {errs}"
                f"{_unfetched(unfetched.get(s['source']))}"
            )


def _unfetched(counts: dict[str, int] | None) -> str:
    """ "; 1,234 unfetched (1,200 skipped by budget mode, 34 pending, the archive walk among
    them)" for a source with pages left when the run ended, else nothing."""
    if not counts:
        return ""
    skipped, pending = int(counts.get("skipped", 0)), int(counts.get("pending", 0))
    if not skipped + pending:
        return ""
    parts = []
    if skipped:
        parts.append(f"{skipped:,} skipped by budget mode")
    if pending:
        walk = ", the archive walk among them" if counts.get("listings") else ""
        parts.append(f"{pending:,} pending{walk}")
    return f"; {skipped + pending:,} unfetched ({', '.join(parts)})"


def _why(summary: dict[str, Any]) -> str:
    """What the run's summary adds to its status: the signal that stopped it, or how it
    ended early, and the sources that failed entirely with their errors by kind."""
    parts = []
    if summary.get("signal"):
        parts.append(f"stopped by {summary['signal']}")
    elif summary.get("finish_reason") not in (None, "finished"):
        parts.append(f"ended: {summary['finish_reason']}")
    failed = [str(f) for f in summary.get("failed_sources") or []]
    if failed:
        errors = summary.get("errors") or {}

        def named(src: str) -> str:
            kinds = errors.get(src) or {}
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
            return f"{src} ({shown})" if shown else src

        label = "failed entirely" if summary.get("finish_reason") == "finished" else "nothing from"
        parts.append(f"{label}: {', '.join(named(f) for f in failed)}")
    return f" — {'; '.join(parts)}" if parts else ""


@click.command()
@db_option
@sources_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="A JSON array, one object per source: source, last_success, articles_30d, error_rate, "
    "flags, in_sources_file.",
)
def sources(db: str | None, sources_file: str | None, as_json: bool) -> None:
    """Each source's health: last success, articles in 30 days, error rate, warning flags.

    Lists the sources of the sources file, then those the database holds runs or articles of
    but the file does not name (e.g. the demo's fixture sites), marked with *."""
    from crawler.bookkeeping import source_health, stored_sources
    from crawler.sources import select_sources

    chosen = list(select_sources(sources_file, []))
    with open_store(db, readonly=True) as store:
        extra = [s for s in stored_sources(store) if s not in chosen]
        rows = source_health(store, chosen + extra)
    for r in rows:
        r["in_sources_file"] = r["source"] in chosen
    if as_json:
        output.emit_json(rows)
        return
    table = [
        [
            r["source"] + ("" if r["in_sources_file"] else "*"),
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
    if extra:
        where = sources_file or "the built-in registry"
        click.echo(f"\n* in the database but not in {where}")
