"""`pressnews search` and `export`: reading the store."""

from __future__ import annotations

import json
import sys

import click

from indexer.errors import PressnewsError
from indexer.query import Query, SearchBackend, parse_date_bound
from indexer.store import Store

from .. import output
from ..common import ElasticAccess, db_option, env, es_options, open_store


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--source", metavar="KEY", help="Only this source's articles.")
def export(db: str | None, fmt: str, source: str | None) -> None:
    """Write every stored article as JSON Lines on stdout."""
    with open_store(db, must_exist=True) as store:
        for article in store.iter_articles(source):
            click.echo(json.dumps(article, ensure_ascii=False))


@click.command()
@click.argument("query", required=False, default="")
@db_option
@click.option(
    "--province",
    metavar="P",
    help="Province in any spelling; a 2025 unit includes the units merged into it.",
)
@click.option("--province-exact", is_flag=True, help="Match the article's own province only.")
@click.option("--speaker", metavar="S", help="Speaker name words, with or without diacritics.")
@click.option(
    "--decree", metavar="D", help="Legal document: 09/2017, 9/2017/ND-CP, 'Luật Báo chí'."
)
@click.option(
    "--from",
    "date_from",
    metavar="DATE",
    help="On or after (YYYY, YYYY-MM, YYYY-MM-DD, DD/MM/YYYY).",
)
@click.option("--to", "date_to", metavar="DATE", help="On or before.")
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True
)
@click.option("--limit", type=click.IntRange(1, 10000), default=10, show_default=True)
@click.option(
    "--all",
    "include_all",
    is_flag=True,
    help="Search every article, not only those judged relevant.",
)
@click.option(
    "--facets", is_flag=True, help="Counts by province, speaker, document and year instead of hits."
)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of hits.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV of hits.")
@click.option("--backend", type=click.Choice(["sqlite", "es"]), default="sqlite", show_default=True)
@click.option(
    "--es", "es_url", metavar="URL", envvar="ES_URL", help="Elasticsearch URL for --backend es."
)
@es_options
def search(
    query: str,
    db: str | None,
    province: str | None,
    province_exact: bool,
    speaker: str | None,
    decree: str | None,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
    include_all: bool,
    facets: bool,
    as_json: bool,
    as_csv: bool,
    backend: str,
    es_url: str | None,
    api_key: str | None,
    username: str | None,
    password: str | None,
    ca_certs: str | None,
) -> None:
    """Search stored articles, best first. Filters alone (no QUERY) are a valid search."""
    q = Query(
        text=query,
        province=province,
        province_exact=province_exact,
        speaker=speaker,
        decree=decree,
        date_from=parse_date_bound(date_from),
        date_to=parse_date_bound(date_to, end=True),
        sort=sort,  # type: ignore[arg-type]
        limit=limit,
        include_all=include_all,
    )
    access = ElasticAccess(es_url, api_key, username, password, ca_certs) if es_url else None
    with open_store(db, must_exist=backend == "sqlite") as store:
        engine = _backend(backend, store, access)
        if facets:
            f = engine.facets(q)
            output.emit_json(output.facets_json(f)) if as_json else output.print_facets(f)
            return
        result = engine.search(q)
    hits = [h.to_json() for h in result.hits]
    if as_json:
        output.emit_json(hits)
    elif as_csv:
        output.emit_csv(
            hits, ["id", "date", "province", "title", "url", "speakers", "decrees", "score"]
        )
    else:
        output.print_search(result, color=sys.stdout.isatty(), include_all=include_all)


def _backend(name: str, store: Store, access: ElasticAccess | None) -> SearchBackend:
    if name == "sqlite":
        from indexer.sqlite_search import SqliteSearch

        return SqliteSearch(store)
    from indexer.elastic.search import ElasticSearch

    if access is None:
        raise PressnewsError("--backend es needs --es URL or $ES_URL")
    return ElasticSearch(access.connect(), alias=env().es_alias(), store=store)
