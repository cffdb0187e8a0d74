"""The commands around the core: demo, Elasticsearch sync, Kibana import, scheduling."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from .main import db_option, open_store, resolve_db
from .output import emit_json

# -- demo ------------------------------------------------------------------------------------
DEMO_SEARCHES: list[tuple[str, list[str]]] = [
    ("Text without diacritics", ["nguoi phat ngon"]),
    ("A 2025 unit finds the old provinces merged into it", ["--province", "Ninh Binh"]),
    ("A speaker, typed without diacritics", ["--speaker", "nguyen van hieu"]),
    ("A decree in another spelling", ["--decree", "9/2017/ND-CP"]),
    ("Crisis handling, newest first", ["khủng hoảng truyền thông", "--sort", "date"]),
]


@click.command()
@db_option
@click.option("--keep", is_flag=True, help="Keep the demo database (printed at the end).")
def demo(db: str | None, keep: bool) -> None:
    """Serve the bundled fixture sites on 127.0.0.1, crawl them into a fresh index and search it.

    Works offline: the sites imitate SharePoint, DotNetNuke, Liferay and WordPress portals,
    a news site with JSON-LD, a legacy windows-1258 site and a sitemap-only site.
    """
    from search_cli.demo.server import RESILIENCE_SITES, SiteServer, site_names, sources_toml

    sites_dir = Path(str(resources.files("search_cli").joinpath("demo", "sites")))
    workdir = Path(tempfile.mkdtemp(prefix="pressnews-demo-"))
    path = db or str(workdir / "demo.db")
    if Path(path).exists():
        raise click.ClickException(f"{path} exists: the demo crawls into a fresh database")
    clean = [s for s in site_names(sites_dir) if s not in RESILIENCE_SITES]  # no fault injection
    with SiteServer(sites_dir, sites=clean) as server:
        sources_file = workdir / "sources.toml"
        sources_file.write_text(sources_toml(server, sites_dir), encoding="utf-8")
        click.echo(f"Serving {len(server.base_urls)} fixture sites on 127.0.0.1; crawling…")
        cmd = [
            sys.executable,
            "-m",
            "search_cli",
            "crawl",
            "--db",
            path,
            "--sources",
            str(sources_file),
            "-q",
        ]
        cmd += ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0"]
        crawled = subprocess.run(cmd, check=False)
    if crawled.returncode not in (0, 1):
        raise click.ClickException("the demo crawl failed")
    for title, args in DEMO_SEARCHES:
        click.echo(
            "\n"
            + click.style(f"$ pressnews search {shlex.join(args)}", bold=True)
            + f"   # {title}"
        )
        subprocess.run(
            [sys.executable, "-m", "search_cli", "search", "--db", path, "--limit", "3", *args],
            check=False,
        )
    click.echo("\n" + click.style("$ pressnews search --facets --all", bold=True))
    subprocess.run(
        [sys.executable, "-m", "search_cli", "search", "--db", path, "--facets", "--all"],
        check=False,
    )
    if keep or db:
        click.echo(
            f"\nThe demo database: {path}  (try: pressnews search --db {path} 'thông tin đối ngoại')"
        )
    else:
        Path(path).unlink(missing_ok=True)


# -- Elasticsearch ---------------------------------------------------------------------------
def es_options(f):  # type: ignore[no-untyped-def]
    for opt in reversed(
        [
            click.option("--api-key", envvar="ES_API_KEY", help="API key (default: $ES_API_KEY)."),
            click.option(
                "--username", envvar="ES_USERNAME", help="Basic-auth user (default: $ES_USERNAME)."
            ),
            click.option(
                "--password",
                envvar="ES_PASSWORD",
                help="Basic-auth password (default: $ES_PASSWORD).",
            ),
            click.option(
                "--ca-certs",
                envvar="ES_CA_CERTS",
                type=click.Path(dir_okay=False),
                help="CA certificate file.",
            ),
        ]
    ):
        f = opt(f)
    return f


@click.command()
@db_option
@click.option(
    "--es",
    "es_url",
    metavar="URL",
    envvar="ES_URL",
    required=True,
    help="Elasticsearch URL (default: $ES_URL).",
)
@click.option(
    "--rebuild", is_flag=True, help="Build a new versioned index and swap the alias atomically."
)
@es_options
def index(db, es_url, rebuild, api_key, username, password, ca_certs) -> None:  # type: ignore[no-untyped-def]
    """Push stored articles to Elasticsearch: only what changed since the last successful sync."""
    from indexer.elastic.client import ElasticUnavailable, connect
    from indexer.elastic.sync import sync

    with open_store(db, must_exist=True) as store:
        try:
            es = connect(
                es_url, api_key=api_key, username=username, password=password, ca_certs=ca_certs
            )
            rep = sync(store, es, rebuild=rebuild)
        except ElasticUnavailable as exc:
            raise click.ClickException(
                f"{exc} (articles stay pending in the store; the next run sends them)"
            ) from None
    for line in rep.lines():
        click.echo(line)
    for aid, reason in rep.failed[:20]:
        click.echo(f"  failed {aid}: {reason}", err=True)
    if rep.failed:
        raise click.ClickException(
            f"{len(rep.failed)} article(s) rejected; they are retried on the next run"
        )


@click.group()
def kibana() -> None:
    """Kibana dashboards for the Elasticsearch index."""


@kibana.command("import")
@click.option(
    "--kibana",
    "kibana_url",
    metavar="URL",
    envvar="KIBANA_URL",
    required=True,
    help="Kibana URL (default: $KIBANA_URL).",
)
@click.option("--space", help="Kibana space (default: the default space).")
@es_options
def kibana_import(kibana_url, space, api_key, username, password, ca_certs) -> None:  # type: ignore[no-untyped-def]
    """Load the pressnews data view and dashboard through Kibana's saved-objects API."""
    from indexer.elastic.client import ElasticUnavailable
    from indexer.elastic.kibana import import_saved_objects

    try:
        result = import_saved_objects(
            kibana_url,
            api_key=api_key,
            username=username,
            password=password,
            ca_certs=ca_certs,
            space=space,
        )
    except ElasticUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    emit_json(result)


# -- schedule --------------------------------------------------------------------------------
_UNITS = {"m": 60, "h": 3600, "d": 86400}


def _interval(value: str) -> int:
    value = value.strip().lower()
    if len(value) >= 2 and value[-1] in _UNITS and value[:-1].isdigit() and int(value[:-1]) > 0:
        return int(value[:-1]) * _UNITS[value[-1]]
    raise click.BadParameter(
        f"{value!r}: use a number and m, h or d, e.g. 30m, 6h, 1d", param_hint="--every"
    )


@click.command()
@db_option
@click.option(
    "--every", default="6h", show_default=True, help="Interval between runs (30m, 6h, 1d)."
)
@click.option("--sources", "sources_file", metavar="FILE", help="Sources file.")
@click.option("--print-cron", is_flag=True, help="Print a crontab line instead of running.")
@click.option(
    "--print-systemd", is_flag=True, help="Print a systemd service + timer instead of running."
)
@click.option("--once", is_flag=True, help="Run one crawl now and exit with its status.")
def schedule(db, every, sources_file, print_cron, print_systemd, once) -> None:  # type: ignore[no-untyped-def]
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
        hours = max(1, seconds // 3600)
        click.echo(
            f"0 */{hours} * * * {command} >> {path}.log 2>&1"
            if seconds >= 3600
            else f"*/{seconds // 60} * * * * {command} >> {path}.log 2>&1"
        )
        return
    if print_systemd:
        click.echo(_SYSTEMD.format(command=command, seconds=seconds))
        return
    while True:
        started = datetime.now(UTC).replace(microsecond=0).isoformat()
        rc = subprocess.run([sys.executable, "-m", "search_cli", *args], check=False).returncode
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
