"""`pressnews crawl`, `reprocess` and `schedule`: filling the store."""

from __future__ import annotations

import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from indexer.errors import PressnewsError

from .. import output
from ..child import run_child
from ..common import (
    ElasticAccess,
    db_option,
    env,
    es_options,
    es_url_check,
    open_store,
    resolve_db,
    sources_option,
)


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="-s")
        out[name.strip()] = value
    return out


@click.command()
@db_option
@sources_option
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
@click.option(
    "--focus",
    is_flag=True,
    help="Budget mode: fetch the articles likely to report a training, the band of events named "
    "without their subject (-s PRESSNEWS_FOCUS_BAND=0.25, PRESSNEWS_FOCUS_BAND_SAMPLE=1.0) and "
    "a sample of the rest (-s PRESSNEWS_FOCUS_SAMPLE=0.05); later runs fetch the skipped ones, "
    "-s PRESSNEWS_FOCUS_BACKLOG=500 per source per run. A source's `focus` settings win.",
)
@click.option(
    "--documents",
    "fetch_documents",
    is_flag=True,
    help="Also fetch, read and understand the PDF/DOC/DOCX documents that articles and listing "
    "pages link to (each once; again only when its validators change).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines, only the summary.")
@click.option("--log", is_flag=True, help="Show Scrapy's own log on stderr.")
@click.option(
    "--es",
    "es_url",
    metavar="URL",
    envvar="ES_URL",
    callback=es_url_check,
    help="Sync to Elasticsearch at the end (default: $ES_URL when set).",
)
@click.option(
    "--feed",
    "feed_file",
    metavar="FILE",
    help="Refresh this Atom feed of new trainings after the crawl (as `pressnews feed --out`).",
)
@click.option(
    "--warc",
    "warc_dir",
    metavar="DIR",
    help="Also write every request and response as WARC 1.1 files in DIR (made if missing).",
)
@es_options
def crawl(
    db: str | None,
    sources_file: str | None,
    keys: tuple[str, ...],
    settings: tuple[str, ...],
    full: bool,
    focus: bool,
    fetch_documents: bool,
    quiet: bool,
    log: bool,
    es_url: str | None,
    feed_file: str | None,
    warc_dir: str | None,
    api_key: str | None,
    username: str | None,
    password: str | None,
    ca_certs: str | None,
) -> None:
    """Crawl the sources into the embedded store, then print a per-source summary.

    Exits 1 when a source failed entirely (nothing fetched), so cron and systemd report it.
    Ctrl-C (SIGINT) or SIGTERM stops the crawl cleanly: what was stored is kept, the run is
    recorded as interrupted, and the exit status is 130 (SIGINT) or 143 (SIGTERM); a second
    signal stops it at once. A crawl running on the same database is waited for up to
    10 s (`-s PRESSNEWS_LOCK_WAIT=SECONDS`). With --feed, the feed is refreshed once the crawl
    has finished (not after an interruption); a feed that cannot be written is a warning.
    With --warc DIR (or `-s PRESSNEWS_WARC_DIR=DIR`), every request and response, redirects,
    retries, robots.txt and sitemaps included, is also written to WARC 1.1 files in DIR.
    """
    from crawler.crawl_runner import check_settings, run_crawl
    from crawler.sources import select_sources
    from crawler.store_pipelines import default_workers
    from crawler.warc import prepare_warc_dir

    # Every input is checked before anything is created or fetched.
    path = resolve_db(db)
    overrides = check_settings(_parse_settings(settings))
    select_sources(sources_file, list(keys))
    warc_dir = warc_dir if warc_dir is not None else overrides.get("PRESSNEWS_WARC_DIR")
    if warc_dir is not None:
        overrides["PRESSNEWS_WARC_DIR"] = str(prepare_warc_dir(warc_dir))
    with open_store(path):
        pass  # create / migrate the database before Scrapy starts, with a clear error if unusable
    overrides.setdefault("PRESSNEWS_WORKERS", default_workers())
    if fetch_documents:
        overrides["PRESSNEWS_DOCUMENTS"] = True
    if log:
        overrides["PRESSNEWS_LOG"] = True
    else:
        overrides.setdefault("LOG_LEVEL", "ERROR")
    report = run_crawl(
        path, sources_file, list(keys), overrides, full=full, progress=not quiet, focus=focus
    )
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
    if warc_dir is not None:
        files = int(report.stats.get("pressnews/warc_files", 0))
        fetched = int(report.stats.get("pressnews/warc_responses", 0))
        click.echo(
            f"WARC: {fetched} response(s), each with its request, in {files} file(s) in {warc_dir}."
        )
        lost = int(report.stats.get("pressnews/warc_errors", 0))
        if lost:
            click.echo(
                f"Warning: {lost} response(s) could not be written to the WARC files "
                "(is the disk full?).",
                err=True,
            )
    if fetch_documents:
        click.echo(_documents_line(report.stats))
    if report.signal is not None:
        click.echo(
            f"Interrupted by {report.signal_name}: the crawl stopped; what it stored is kept "
            "and the run is recorded as interrupted.",
            err=True,
        )
        sys.exit(report.exit_status)
    if es_url:
        _sync_after_crawl(path, ElasticAccess(es_url, api_key, username, password, ca_certs))
    if feed_file is not None:
        _feed_after_crawl(path, feed_file)
    if report.failed_sources:
        click.echo(
            f"Error: source(s) failed entirely: {', '.join(report.failed_sources)}", err=True
        )
    if report.exit_status:
        sys.exit(report.exit_status)


def _documents_line(stats: dict[str, Any]) -> str:
    """What the crawl did with attached documents, from its stats (summed over sources)."""
    counts: dict[str, int] = {}
    for key, value in stats.items():
        parts = str(key).split("/")
        if len(parts) == 3 and parts[0] == "pressnews" and parts[2].startswith("documents"):
            counts[parts[2]] = counts.get(parts[2], 0) + int(value)
    return (
        f"Documents: {counts.get('documents', 0)} requested, {counts.get('documents_new', 0)} new, "
        f"{counts.get('documents_updated', 0)} updated, "
        f"{counts.get('documents_unchanged', 0) + counts.get('documents_not_modified', 0)} "
        "unchanged (`pressnews documents` lists them)."
    )


def _sync_after_crawl(path: str, access: ElasticAccess) -> None:
    """A crawl succeeds even when Elasticsearch is down; the next sync catches up."""
    from indexer.elastic.client import ElasticUnavailable
    from indexer.elastic.events_sync import sync_events
    from indexer.elastic.sync import sync

    try:
        from indexer.elastic.documents import sync_documents

        with open_store(path) as store:
            es = access.connect()
            rep = sync(store, es, alias=env().es_alias())
            click.echo(
                f"Elasticsearch: {rep.accepted} article(s) synced, {len(rep.failed)} failed."
            )
            erep = sync_events(store, es, alias=env().es_events_alias())
            docs = sync_documents(store, es, articles_alias=env().es_alias())
        click.echo(
            f"Elasticsearch: {erep.accepted} training event(s) synced, {erep.deleted} deleted, "
            f"{len(erep.failed) + len(erep.delete_failed)} failed."
        )
        click.echo(docs.line())
    except ElasticUnavailable as exc:
        click.echo(
            f"Warning: not synced to Elasticsearch ({exc}); the next sync catches up.", err=True
        )


def _feed_after_crawl(path: str, out: str) -> None:
    """The crawl's store is closed by now; the feed reads it like `pressnews feed`. A feed that
    cannot be written is one warning line and leaves the crawl's exit status alone."""
    from .feed import write_feed

    try:
        n = write_feed(path, out)
    except Exception as exc:  # the crawl is done: its exit status stands
        reason = " ".join(str(exc).split()) or type(exc).__name__
        click.echo(f"Warning: feed not written ({reason}).", err=True)
        return
    click.echo(f"Feed: {n} article(s) written to {out}.")


@click.command()
@db_option
def reprocess(db: str | None) -> None:
    """Re-run extraction and enrichment over the stored raw pages, without fetching."""
    from crawler.reprocess import reprocess as run

    with open_store(db, must_exist=True) as store:
        rep = run(store, progress=lambda n: click.echo(f"  … {n} articles", err=True))
    click.echo(
        f"{rep.seen} article(s): {rep.updated} updated, {rep.unchanged} unchanged, {rep.failed} failed."
    )
    click.echo(f"{rep.events} training event(s) (`pressnews events`).")
    if rep.documents:
        click.echo(
            f"{rep.documents} attached document(s) read again: {rep.documents_updated} updated."
        )
    if rep.damaged:
        shown = ", ".join(rep.damaged[:10]) + (
            f" (+{len(rep.damaged) - 10} more)" if len(rep.damaged) > 10 else ""
        )
        raise PressnewsError(
            f"{len(rep.damaged)} stored raw page(s) unreadable, left as they were: {shown}; "
            "`pressnews crawl --full` fetches them again"
        )


_UNITS = {"m": 60, "h": 3600, "d": 86400}
_MAX_INTERVAL = 366 * 86400
# The intervals a crontab line repeats exactly: minutes that divide an hour, hours that divide a
# day, and a day (`*/7` in the day-of-month field restarts each month; `*/90` is not 90 minutes).
_CRON_EXACT = sorted(
    {m * 60 for m in range(1, 60) if 60 % m == 0}
    | {h * 3600 for h in range(1, 24) if 24 % h == 0}
    | {86400}
)


def _interval(value: str) -> int:
    value = value.strip().lower()
    if len(value) >= 2 and value[-1] in _UNITS and value[:-1].isascii() and value[:-1].isdigit():
        seconds = int(value[:-1]) * _UNITS[value[-1]]
        if 0 < seconds <= _MAX_INTERVAL:
            return seconds
        raise click.BadParameter(
            f"{value!r}: the interval must be from 1m to 366d", param_hint="--every"
        )
    raise click.BadParameter(
        f"{value!r}: use a number and m, h or d, e.g. 30m, 6h, 1d", param_hint="--every"
    )


def _human(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def cron_schedule(seconds: int, every: str) -> str:
    """The five crontab time fields that run every `seconds` exactly; else a usage error that
    names the nearest intervals cron can express."""
    if seconds in _CRON_EXACT:
        if seconds < 3600:
            return f"*/{seconds // 60} * * * *"
        if seconds < 86400:
            return f"0 */{seconds // 3600} * * *"
        return "0 0 * * *"
    below = [s for s in _CRON_EXACT if s < seconds][-1:]
    above = [s for s in _CRON_EXACT if s > seconds][:1]
    nearest = " or ".join(_human(s) for s in below + above)
    raise click.BadParameter(
        f"cron cannot run a job every {every.strip()} exactly; use --every {nearest}, "
        "or --print-systemd (a systemd timer takes any interval)",
        param_hint="--every",
    )


@click.command()
@db_option
@click.option(
    "--every", default="6h", show_default=True, help="Interval between runs (30m, 6h, 1d)."
)
@sources_option
@click.option("--print-cron", is_flag=True, help="Print a crontab line instead of running.")
@click.option(
    "--print-systemd", is_flag=True, help="Print a systemd service + timer instead of running."
)
@click.option("--once", is_flag=True, help="Run one crawl now and exit with its status.")
def schedule(
    db: str | None,
    every: str,
    sources_file: str | None,
    print_cron: bool,
    print_systemd: bool,
    once: bool,
) -> None:
    """Run crawls on a schedule (a foreground loop), or print a cron line or systemd timer.

    Each run is a separate `pressnews crawl` process holding the database lock, so runs never
    overlap and a killed run leaves nothing half-written.
    """
    seconds = _interval(every)
    path = str(Path(resolve_db(db)).expanduser().resolve())
    exe = shlex.quote(sys.executable)
    args = ["crawl", "--db", path, "-q"] + (
        ["--sources", str(Path(sources_file).resolve())] if sources_file else []
    )
    command = f"{exe} -m search_cli {shlex.join(args)}"
    if print_cron:
        log = shlex.quote(f"{path}.log")
        click.echo(f"{cron_schedule(seconds, every)} {command} >> {log} 2>&1")
        return
    if print_systemd:
        click.echo(_SYSTEMD.format(command=command, seconds=seconds))
        return
    while True:
        started = datetime.now(UTC).replace(microsecond=0).isoformat()
        rc = run_child([sys.executable, "-m", "search_cli", *args])  # Ctrl-C: stops it cleanly
        click.echo(f"[{started}] crawl exited {rc}", err=True)
        if once:
            sys.exit(rc)
        time.sleep(seconds)


_SYSTEMD = """# /etc/systemd/system/pressnews.service
[Unit]
Description=pressnews crawl
After=network-online.target

[Service]
Type=oneshot
ExecStart={command}

# /etc/systemd/system/pressnews.timer
[Unit]
Description=Run the pressnews crawl every {seconds} seconds

[Timer]
OnBootSec=5min
OnUnitActiveSec={seconds}s
Persistent=true

[Install]
WantedBy=timers.target
"""
