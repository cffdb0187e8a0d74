"""`pressnews`: crawl, search and export Vietnamese press-training news. A thin click layer over
`crawler` and `indexer`; every error is one line on stderr and a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from crawler.sources import SourcesError
from indexer.query import Query, QueryError, parse_date_bound
from indexer.store import Store, StoreError

from . import output

ENV_DB = "PRESSNEWS_DB"


def default_db() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "pressnews" / "pressnews.db")


def resolve_db(db: str | None) -> str:
    return db or os.environ.get(ENV_DB) or default_db()


@contextmanager
def open_store(db: str | None, must_exist: bool = False) -> Iterator[Store]:
    path = resolve_db(db)
    if must_exist and path != ":memory:" and not Path(path).expanduser().exists():
        raise click.ClickException(
            f"no database at {path}: run `pressnews crawl` first, or pass --db"
        )
    try:
        store = Store.open(Path(path).expanduser())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield store
    finally:
        store.close()


db_option = click.option(
    "--db",
    metavar="PATH",
    help=f"SQLite database (default: ${ENV_DB}, else {default_db()}).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressnews")
def cli() -> None:
    """Crawl Vietnamese provincial news about spokesperson and press-information training,
    and search it by text, province, speaker or legal document."""


# -- crawl ---------------------------------------------------------------------------------------
def _parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="-s")
        out[name.strip()] = value
    return out


@cli.command()
@db_option
@click.option(
    "--sources",
    "sources_file",
    metavar="FILE",
    help="Sources file (TOML). Default: the built-in registry.",
)
@click.option(
    "--source", "keys", multiple=True, metavar="KEY", help="Crawl only this source (repeatable)."
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy setting, as `scrapy crawl -s`.",
)
@click.option("--full", is_flag=True, help="Fetch every article again, even those already stored.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines, only the summary.")
@click.option("--log", is_flag=True, help="Show Scrapy's own log on stderr.")
@click.option(
    "--es",
    "es_url",
    metavar="URL",
    envvar="ES_URL",
    help="Sync to Elasticsearch at the end (default: $ES_URL when set).",
)
def crawl(
    db: str | None,
    sources_file: str | None,
    keys: tuple[str, ...],
    settings: tuple[str, ...],
    full: bool,
    quiet: bool,
    log: bool,
    es_url: str | None,
) -> None:
    """Crawl the sources into the embedded store, then print a per-source summary.

    Exits 1 when a source failed entirely (nothing fetched), so cron and systemd report it.
    """
    from crawler.crawl_runner import CrawlLocked, run_crawl
    from crawler.store_pipelines import default_workers

    path = resolve_db(db)
    with open_store(path):
        pass  # create / migrate the database before Scrapy starts, with a clear error if unusable
    overrides = _parse_settings(settings)
    overrides.setdefault("PRESSNEWS_WORKERS", default_workers())
    if log:
        overrides["PRESSNEWS_LOG"] = True
    else:
        overrides.setdefault("LOG_LEVEL", "ERROR")
    try:
        report = run_crawl(path, sources_file, list(keys), overrides, full=full, progress=not quiet)
    except (SourcesError, CrawlLocked) as exc:
        raise click.ClickException(str(exc)) from None
    rows = [
        [
            s.key,
            str(s.pages),
            str(s.new),
            str(s.updated),
            str(s.unchanged + s.not_modified),
            ", ".join(f"{k}: {v}" for k, v in sorted(s.errors.items())) or "-",
        ]
        for s in report.sources
    ]
    click.echo(
        output.render_table(rows, ["source", "pages", "new", "updated", "unchanged", "errors"])
    )
    if es_url:
        _sync_after_crawl(path, es_url)
    if report.failed_sources:
        click.echo(
            f"Error: source(s) failed entirely: {', '.join(report.failed_sources)}", err=True
        )
        sys.exit(1)


def _sync_after_crawl(path: str, es_url: str) -> None:
    """A crawl succeeds even when Elasticsearch is down; the next sync catches up."""
    from indexer.elastic.client import ElasticUnavailable, connect
    from indexer.elastic.sync import sync

    try:
        with open_store(path) as store:
            rep = sync(store, connect(es_url))
        click.echo(f"Elasticsearch: {rep.accepted} article(s) synced, {len(rep.failed)} failed.")
    except ElasticUnavailable as exc:
        click.echo(
            f"Warning: not synced to Elasticsearch ({exc}); the next sync catches up.", err=True
        )


# -- export --------------------------------------------------------------------------------------
@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--source", metavar="KEY", help="Only this source's articles.")
def export(db: str | None, fmt: str, source: str | None) -> None:
    """Write every stored article as JSON Lines on stdout."""
    with open_store(db, must_exist=True) as store:
        for article in store.iter_articles(source):
            click.echo(json.dumps(article, ensure_ascii=False))


# -- search --------------------------------------------------------------------------------------
@cli.command()
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
) -> None:
    """Search stored articles, best first. Filters alone (no QUERY) are a valid search."""
    try:
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
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    with open_store(db, must_exist=backend == "sqlite") as store:
        engine = _backend(backend, store, es_url)
        try:
            if facets:
                f = engine.facets(q)
                output.emit_json(output.facets_json(f)) if as_json else output.print_facets(f)
                return
            result = engine.search(q)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from None
    hits = [h.to_json() for h in result.hits]
    if as_json:
        output.emit_json(hits)
    elif as_csv:
        output.emit_csv(
            hits, ["id", "date", "province", "title", "url", "speakers", "decrees", "score"]
        )
    else:
        output.print_search(result, color=sys.stdout.isatty(), include_all=include_all)


def _backend(name: str, store: Store, es_url: str | None) -> Any:
    if name == "sqlite":
        from indexer.sqlite_search import SqliteSearch

        return SqliteSearch(store)
    from indexer.elastic.client import ElasticUnavailable, connect
    from indexer.elastic.search import ElasticSearch

    if not es_url:
        raise click.ClickException("--backend es needs --es URL or $ES_URL")
    try:
        return ElasticSearch(connect(es_url), store=store)
    except ElasticUnavailable as exc:
        raise click.ClickException(str(exc)) from None


# -- reprocess -----------------------------------------------------------------------------------
@cli.command()
@db_option
def reprocess(db: str | None) -> None:
    """Re-run extraction and enrichment over the stored raw pages, without fetching."""
    from crawler.reprocess import reprocess as run

    with open_store(db, must_exist=True) as store:
        rep = run(store, progress=lambda n: click.echo(f"  … {n} articles", err=True))
    click.echo(
        f"{rep.seen} article(s): {rep.updated} updated, {rep.unchanged} unchanged, {rep.failed} failed."
    )


# -- runs and sources health ---------------------------------------------------------------------
@cli.command()
@db_option
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def runs(db: str | None, limit: int, as_json: bool) -> None:
    """List recent crawl runs with per-source pages, articles and errors."""
    from dataclasses import asdict

    from crawler.bookkeeping import list_runs

    with open_store(db, must_exist=True) as store:
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


@cli.command()
@db_option
@click.option(
    "--sources",
    "sources_file",
    metavar="FILE",
    help="Sources file (default: the built-in registry).",
)
@click.option("--json", "as_json", is_flag=True)
def sources(db: str | None, sources_file: str | None, as_json: bool) -> None:
    """Each source's health: last success, articles in 30 days, error rate, warning flags."""
    from crawler.bookkeeping import source_health
    from crawler.sources import select_sources

    try:
        chosen = select_sources(sources_file, [])
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    with open_store(db) as store:
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


from .commands_more import demo, index, kibana, schedule  # noqa: E402

cli.add_command(demo)
cli.add_command(index)
cli.add_command(kibana)
cli.add_command(schedule)
