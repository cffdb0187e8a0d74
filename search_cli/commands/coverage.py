"""`pressnews coverage`: what the crawls looked at, per source and per province × year."""

from __future__ import annotations

from typing import Any

import click

from indexer.errors import PressnewsError

from .. import output
from ..common import date_range, db_option, open_store, sources_option

# One character per cell in the text matrix.
SYMBOLS = {"covered": "█", "partial": "▌", "gap": "·", "none": "-", "no source": " "}


@click.command()
@db_option
@sources_option
@click.option(
    "--province", metavar="P", help="Only this province (a 2025 unit: the units merged into it)."
)
@click.option("--from", "date_from", metavar="YEAR", help="First year (YYYY or a date).")
@click.option("--to", "date_to", metavar="YEAR", help="Last year (YYYY or a date).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="An object: years, sources (what each source's crawls reached), cells (one per "
    "province and year: status, sources, gaps, articles, oldest), no_source (provinces).",
)
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one row per province and year.")
def coverage(
    db: str | None,
    sources_file: str | None,
    province: str | None,
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """What the crawls looked at: per source, how far back and how deep they reached and
    whether the archive was walked to its end; per province and year, which sources cover it,
    and the gaps. Provinces without any source (in the sources file or the database) are
    listed as such."""
    from crawler.sources import select_sources
    from indexer import coverage as cov

    if as_json and as_csv:
        raise PressnewsError("--json and --csv: choose one output format")
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave it out")
    first, last = date_range(date_from, date_to)
    registry = {k: s.province for k, s in select_sources(sources_file, []).items()}
    with open_store(db, readonly=True) as store:
        srcs = cov.sources(store, registry)
        span = cov.default_years(srcs)
        start = int(first[:4]) if first else span.start
        stop = int(last[:4]) if last else max(span.stop - 1, start)
        years = list(range(start, stop + 1))
        cells = cov.coverage(store, province, years, registry)
    no_source = sorted({c.province for c in cells if c.status == "no source"})
    if as_json:
        output.emit_json(
            {
                "years": years,
                "sources": [s.to_json() for s in srcs],
                "cells": [c.to_json() for c in cells],
                "no_source": no_source,
            }
        )
        return
    if as_csv:
        rows = [
            {**c.to_json(), "sources": " ".join(c.sources), "gaps": " ".join(c.gaps)} for c in cells
        ]
        output.emit_csv(
            rows, ["province", "year", "status", "sources", "gaps", "articles", "oldest"]
        )
        return
    _print_sources([s for s in srcs if province is None or s.province in _units(cells)])
    click.echo()
    _print_matrix(cells, years)
    if no_source:
        click.echo(f"\nNo source at all ({len(no_source)}): {', '.join(no_source)}")


def _units(cells: list[Any]) -> set[str]:
    return {c.province for c in cells}


def _print_sources(srcs: list[Any]) -> None:
    table = [
        [
            s.source,
            s.province or "(national)",
            str(s.runs),
            f"{s.pages} ({s.failed} failed)" if s.runs else "-",
            str(s.listing_depth or "-"),
            ("yes" if s.walked_to_end else f"no: {s.stopped or 'never walked'}")
            if s.runs
            else "never crawled",
            f"{s.oldest or '?'} → {s.newest or '?'}" if s.articles else "-",
            str(s.articles),
        ]
        for s in srcs
    ]
    click.echo(
        output.render_table(
            table,
            [
                "source",
                "province",
                "crawls",
                "pages",
                "depth",
                "walked to end",
                "articles dated",
                "articles",
            ],
        )
    )


def _print_matrix(cells: list[Any], years: list[int]) -> None:
    rows: dict[str, dict[int, Any]] = {}
    for c in cells:
        rows.setdefault(c.province, {})[c.year] = c
    shown = {p: r for p, r in rows.items() if any(c.status != "no source" for c in r.values())}
    if not shown:
        click.echo("No province has a source.")
        return
    width = max(len(p) for p in shown)
    head = " ".join(str(y)[-2:] for y in years)
    click.echo(f"{'':<{width}}  {head}   sources")
    for prov, by_year in shown.items():
        marks = " ".join(SYMBOLS[by_year[y].status] * 2 for y in years)
        names = sorted({s for c in by_year.values() for s in (*c.sources, *c.gaps)})
        click.echo(f"{prov:<{width}}  {marks}   {', '.join(names)}")
    click.echo(
        f"\n{SYMBOLS['covered'] * 2} covered  {SYMBOLS['partial'] * 2} partly (the walk stopped "
        f"in that year)  {SYMBOLS['gap'] * 2} gap (not walked that far back)  "
        f"{SYMBOLS['none'] * 2} before the archive starts"
    )
