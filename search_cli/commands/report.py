"""`pressnews report --out report.html`: one self-contained HTML file about the trainings of a
period (map, months, attendance, trainers, documents, every event, source health)."""

from __future__ import annotations

from pathlib import Path

import click

from indexer.errors import PressnewsError
from indexer.report import render_html, report_data
from indexer.store import now_iso

from .. import output
from ..common import date_range, db_option, open_store, sources_option


@click.command()
@db_option
@sources_option
@click.option("--out", required=True, metavar="FILE", help="The HTML file to write (replaced).")
@click.option("--from", "date_from", metavar="DATE", help="Trainings on or after (YYYY, YYYY-MM, YYYY-MM-DD, DD/MM/YYYY).")  # fmt: skip
@click.option("--to", "date_to", metavar="DATE", help="Trainings on or before.")
@click.option("--province", metavar="P", help="One province (any spelling; a 2025 unit includes the units merged into it).")  # fmt: skip
@click.option("--title", default="Tập huấn phát ngôn và thông tin đối ngoại", show_default=True, help="The report's heading.")  # fmt: skip
def report(
    db: str | None,
    sources_file: str | None,
    out: str,
    date_from: str | None,
    date_to: str | None,
    province: str | None,
    title: str,
) -> None:
    """Write one HTML file that works offline (no script, no server, no network): a map of the
    trainings by province (provinces no source covers drawn apart from those where none was
    found; the Hoàng Sa and Trường Sa archipelagos always shown), trainings and attendance per
    month, the top trainers and documents, every training with links to its reports, and the
    health of the sources. Reads the store only."""
    from crawler.bookkeeping import source_health, stored_sources
    from crawler.sources import select_sources

    first, last = date_range(date_from, date_to)
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave it out")
    path = output.check_out_file(out, "report.html")
    chosen = select_sources(sources_file, [])
    registry = {k: s.province for k, s in chosen.items()}
    with open_store(db, readonly=True) as store:
        if path.exists() and path.resolve() == Path(store.path).expanduser().resolve():
            raise PressnewsError(f"--out {out} is the database itself: give another file")
        health = source_health(store, stored_sources(store))  # the sources crawled here
        data = report_data(
            store,
            generated=now_iso(),
            date_from=first,
            date_to=last,
            province=province,
            health=health,
            registry=registry,
            title=title,
        )
    page = render_html(data)
    output.write_atomically(path, page.encode("utf-8"), "the report")
    click.echo(
        f"Wrote {path}: {len(data.events)} training(s), "
        f"{sum(len(e.reports) for e in data.events)} report(s).",
        err=True,
    )
