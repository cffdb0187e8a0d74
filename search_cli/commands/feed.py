"""`pressnews feed`: an Atom feed of the newest trainings, for any feed reader."""

from __future__ import annotations

import click

from indexer.errors import PressnewsError
from indexer.feed import FeedSpec, build_feed, newest
from indexer.sqlite_search import SqliteSearch
from indexer.store import now_iso

from .. import output
from ..common import db_option, open_store

DEFAULT_LIMIT = 50


def write_feed(
    db: str | None,
    out: str,
    *,
    province: str | None = None,
    limit: int = DEFAULT_LIMIT,
    include_all: bool = False,
) -> int:
    """Build the feed from the store (opened read-only) and write it to `out`; the number of
    entries. Every failure is a `PressnewsError`, and then `out` is left as it was."""
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave --province out")
    path = output.check_out_file(out, "trainings.atom")
    with open_store(db, readonly=True) as store:
        articles = newest(
            SqliteSearch(store), province=province, limit=limit, include_all=include_all
        )
    spec = FeedSpec(province=province, include_all=include_all)
    data = build_feed(articles, spec=spec, self_url=path.resolve().as_uri(), now=now_iso())
    output.write_atomically(path, data, "the feed")
    return len(articles)


@click.command()
@db_option
@click.option(
    "--out", required=True, metavar="FILE", help="The Atom file to write (replaced atomically)."
)
@click.option(
    "--province",
    metavar="P",
    help="Province in any spelling; a 2025 unit includes the units merged into it.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Entries in the feed.",
)
@click.option(
    "--all",
    "include_all",
    is_flag=True,
    help="Every article, not only those judged relevant.",
)
def feed(db: str | None, out: str, province: str | None, limit: int, include_all: bool) -> None:
    """Write an Atom feed of the newest relevant articles (by date; an undated one by when it was
    first seen), for a feed reader. Reads the store only; writes only --out."""
    n = write_feed(db, out, province=province, limit=limit, include_all=include_all)
    click.echo(f"{n} article(s) written to {out}.")
