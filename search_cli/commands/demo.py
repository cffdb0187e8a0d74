"""`pressnews demo`: serve the bundled fixture sites on loopback, crawl them, search them."""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import click

from indexer.errors import PressnewsError

from ..common import db_option

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
        raise PressnewsError(f"{path} exists: the demo crawls into a fresh database")
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
        raise PressnewsError("the demo crawl failed")
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
