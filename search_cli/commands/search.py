"""`pressnews search` and `export`: reading the store."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from indexer.corrections import export_rows
from indexer.errors import PressnewsError
from indexer.query import Query, SearchBackend, parse_date_bound
from indexer.store import Store

from .. import output
from ..common import (
    ElasticAccess,
    check_http_url,
    db_option,
    env,
    es_options,
    open_store,
    resolve_db,
)


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--source", metavar="KEY", help="Only this source's articles.")
@click.option(
    "--corrections",
    "corrections",
    is_flag=True,
    help="Write the active corrections instead, as labelled examples (extracted vs corrected).",
)
@click.option(
    "--documents",
    "documents",
    is_flag=True,
    help="Write the attached documents instead: metadata, text, what was understood, referrers.",
)
def export(
    db: str | None, fmt: str, source: str | None, corrections: bool, documents: bool
) -> None:
    """Write every stored article as JSON Lines on stdout (or, with --corrections, every
    active correction: the article's id, url and title, the field, the extracted value and the
    corrected value; with --documents, every attached document)."""
    if corrections and documents:
        raise PressnewsError("--corrections and --documents: choose one")
    with open_store(db, readonly=True) as store:
        if documents:
            from indexer.documents import iter_documents

            rows = [d for d in iter_documents(store) if source is None or d["source"] == source]
        else:
            rows = export_rows(store, source) if corrections else store.iter_articles(source)
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))


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
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=10,
    show_default=True,
    help="Hits to show; with --facets, the entries of each list (provinces, speakers, documents).",
)
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
@click.option(
    "--in",
    "target",
    type=click.Choice(["articles", "documents"]),
    default="articles",
    show_default=True,
    help="Search the articles, or the text of the attached documents (plans, reports...).",
)
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
    target: str,
    backend: str,
    es_url: str | None,
    api_key: str | None,
    username: str | None,
    password: str | None,
    ca_certs: str | None,
) -> None:
    """Search stored articles, best first. Filters alone (no QUERY) are a valid search."""
    _check_options(province, province_exact, facets, as_json, as_csv)
    date_from_iso = parse_date_bound(date_from)
    date_to_iso = parse_date_bound(date_to, end=True)
    if date_from_iso and date_to_iso and date_from_iso > date_to_iso:
        raise PressnewsError(
            f"--from {date_from} is after --to {date_to}: the date range is empty (swap them)"
        )
    if target == "documents":
        from .documents import search_documents_command

        return search_documents_command(
            db,
            query,
            province,
            province_exact,
            date_from_iso,
            date_to_iso,
            limit,
            as_json,
            as_csv,
            unsupported=[
                name
                for name, given in (
                    ("--speaker", speaker is not None),
                    ("--decree", decree is not None),
                    ("--facets", facets),
                    ("--backend es", backend != "sqlite"),
                    ("--sort date", sort == "date"),
                )
                if given
            ],
        )
    q = Query(
        text=query,
        province=province,
        province_exact=province_exact,
        speaker=speaker,
        decree=decree,
        date_from=date_from_iso,
        date_to=date_to_iso,
        sort=sort,  # type: ignore[arg-type]
        limit=limit,
        include_all=include_all,
    )
    if backend == "sqlite":
        access = None
    elif not es_url:
        raise PressnewsError("--backend es needs --es URL or $ES_URL")
    else:
        access = ElasticAccess(
            check_http_url(es_url, "--es"), api_key, username, password, ca_certs
        )
    with _maybe_store(db, needed=backend == "sqlite") as store:
        engine = _backend(backend, store, access)
        if facets:
            f = engine.facets(q, size=limit)
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
        output.print_search(
            result,
            color=sys.stdout.isatty(),
            include_all=include_all,
            speaker=speaker,
            decree=decree,
        )


def _check_options(
    province: str | None, province_exact: bool, facets: bool, as_json: bool, as_csv: bool
) -> None:
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave --province out")
    if province_exact and province is None:
        raise PressnewsError("--province-exact needs --province")
    if as_json and as_csv:
        raise PressnewsError("--json and --csv: choose one output format")
    if facets and as_csv:
        raise PressnewsError("--facets prints counts as text or --json, not --csv")


@contextmanager
def _maybe_store(db: str | None, needed: bool) -> Iterator[Store | None]:
    """The store, read-only. Elasticsearch searches use it only for the other copies of a
    report (`also_at`), so there a missing database is no error."""
    if not needed and not Path(resolve_db(db)).expanduser().exists():
        yield None
        return
    with open_store(db, readonly=True) as store:
        yield store


def _backend(name: str, store: Store | None, access: ElasticAccess | None) -> SearchBackend:
    if name == "sqlite":
        from indexer.sqlite_search import SqliteSearch

        assert store is not None
        return SqliteSearch(store)
    from indexer.elastic.search import ElasticSearch

    if access is None:
        raise PressnewsError("--backend es needs --es URL or $ES_URL")
    return ElasticSearch(access.connect(), alias=env().es_alias(), store=store)
