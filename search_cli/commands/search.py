"""`pressnews search` and `export`: reading the store."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from indexer.corrections import export_rows
from indexer.coverage import empty_result_note
from indexer.errors import PressnewsError
from indexer.events import iter_events, iter_trainers
from indexer.query import Query, SearchBackend
from indexer.store import Store

from .. import output
from ..common import (
    ElasticAccess,
    check_http_url,
    date_range,
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
    "--warc",
    "warc_file",
    metavar="FILE",
    help="Write the stored raw pages to the WARC 1.1 file FILE (.warc.gz) instead.",
)
@click.option("--force", is_flag=True, help="With --warc: replace FILE if it exists.")
@click.option(
    "--evidence",
    is_flag=True,
    help="Add to each article an `evidence` key: where each value came from (see show --why).",
)
@click.option("--events", "events", is_flag=True, help="Write the training events instead.")
@click.option("--trainers", "trainers", is_flag=True, help="Write the trainer registry instead.")
@click.option(
    "--xlsx",
    "xlsx",
    metavar="FILE",
    help="Write events, trainers and articles to an Excel workbook (a sheet each).",
)
@click.option(
    "--documents",
    "documents",
    is_flag=True,
    help="Write the attached documents instead: metadata, text, what was understood, referrers.",
)
def export(
    db: str | None,
    fmt: str,
    source: str | None,
    corrections: bool,
    warc_file: str | None,
    force: bool,
    evidence: bool,
    events: bool,
    trainers: bool,
    xlsx: str | None,
    documents: bool,
) -> None:
    """Write every stored article as JSON Lines on stdout (or, with --corrections, every
    active correction: the article's id, url and title, the field, the extracted value and the
    corrected value; with --events or --trainers, the training events or the trainers; with
    --xlsx FILE, a workbook of all three; with --documents, every attached document).

    With --warc FILE, write instead a WARC 1.1 file of the stored raw pages: a warcinfo record
    saying it was rebuilt from the store, then a response record (stored status, headers, body;
    WARC-Date the fetch time) and a metadata record naming the article, for each page."""
    modes = {"--corrections": corrections, "--events": events, "--trainers": trainers,
             "--xlsx": xlsx, "--warc": warc_file, "--documents": documents}  # fmt: skip
    chosen = [name for name, on in modes.items() if on]
    if len(chosen) > 1:
        raise PressnewsError(f"{' and '.join(chosen)}: choose one")
    if evidence and chosen:
        raise PressnewsError(f"--evidence adds to articles; it does not go with {chosen[0]}")
    if force and not warc_file:
        raise PressnewsError("--force goes with --warc FILE")
    if source and (events or trainers or xlsx):
        raise PressnewsError("--source selects articles: it does not apply to this export")
    if warc_file is not None:
        _export_warc(db, warc_file, source, corrections, force)
        return
    with open_store(db, readonly=True) as store:
        if xlsx:
            # openpyxl (and the numpy it imports) loads only for a workbook: ~25 MB and 0.2 s
            # off every other command and every crawl worker (which imports the CLI's module).
            from indexer.spreadsheet import write_workbook

            counts = write_workbook(store, xlsx)
            click.echo(
                f"{xlsx}: {counts['events']} event(s), {counts['trainers']} trainer(s), "
                f"{counts['articles']} article(s).",
                err=True,
            )
            return
        if events or trainers:
            records = iter_events(store) if events else iter_trainers(store)
            for record in records:
                click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
            return
        if documents:
            from indexer.documents import iter_documents

            rows = (d for d in iter_documents(store) if source is None or d["source"] == source)
        elif corrections:
            rows = export_rows(store, source)
        else:  # every article, those whose page was removed too (`removed`: the date, or null)
            rows = (
                {**a, "removed": a.get("removed")}
                for a in store.iter_articles(source, evidence=evidence)
            )
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))


def _export_warc(
    db: str | None, warc_file: str, source: str | None, corrections: bool, force: bool
) -> None:
    from indexer.warc_export import export_warc

    if corrections:
        raise PressnewsError("--warc and --corrections: choose one export")
    with open_store(db, readonly=True) as store:
        rep = export_warc(store, warc_file, force=force, source=source)
    click.echo(
        f"Wrote {rep.file}: {rep.pages} raw page(s) of {rep.articles} article(s), "
        f"{rep.records} records, {rep.size:,} bytes."
    )
    if rep.skipped:
        shown = ", ".join(rep.skipped[:10]) + (
            f" (+{len(rep.skipped) - 10} more)" if len(rep.skipped) > 10 else ""
        )
        raise PressnewsError(
            f"{len(rep.skipped)} stored raw page(s) unreadable, left out of {rep.file}: {shown}; "
            "`pressnews crawl --full` fetches them again"
        )


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
@click.option(
    "--include-removed",
    is_flag=True,
    help="Also articles whose page has since answered 404/410 or left its site (marked).",
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
    include_removed: bool,
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
    date_from_iso, date_to_iso = date_range(date_from, date_to)
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
        include_removed=include_removed,
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
        if not result.hits and store is not None and not (as_json or as_csv):
            # what was not looked at, one line (scripts: `pressnews coverage --json`)
            note = empty_result_note(store, province, date_from_iso, date_to_iso)
            if note:
                click.echo(note, err=True)
    hits = [h.to_json() for h in result.hits]
    if as_json:
        output.emit_json(hits)
    elif as_csv:
        output.emit_csv(
            hits,
            ["id", "date", "province", "title", "url", "speakers", "decrees", "score", "removed"],
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
