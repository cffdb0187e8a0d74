"""`pressnews demo`: serve the bundled fixture sites on loopback, crawl them, search them."""

from __future__ import annotations

import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import click

from indexer.errors import PressnewsError

from ..child import EXIT_INTERRUPTED, run_child
from ..common import db_option, env

DEMO_SEARCHES: list[tuple[str, list[str]]] = [
    ("Text without diacritics", ["nguoi phat ngon"]),
    ("A 2025 unit finds the old provinces merged into it", ["--province", "Ninh Binh"]),
    ("A speaker, typed without diacritics", ["--speaker", "nguyen van hieu"]),
    ("A decree in another spelling", ["--decree", "9/2017/ND-CP"]),
    ("Crisis handling, newest first", ["khủng hoảng truyền thông", "--sort", "date"]),
]


@dataclass(frozen=True)
class DemoDatabase:
    """Where the demo crawls: `path`, and whether the next commands find it without --db."""

    path: str
    found_by_default: bool  # `pressnews search` (no --db) reads it
    instead_of: str | None = None  # the existing database the demo left alone, if any


def choose_database(db: str | None, default: str) -> DemoDatabase:
    """--db, else $PRESSNEWS_DB, else the default database (`default`, what `resolve_db`
    gives): there, so that the next commands find it. An existing database is never written
    to: the demo then crawls into a new database in the temporary folder."""
    target = db or default
    if not Path(target).expanduser().exists():
        return DemoDatabase(target, found_by_default=target == default)
    folder = tempfile.mkdtemp(prefix="pressnews-demo-db-")
    return DemoDatabase(str(Path(folder) / "demo.db"), False, instead_of=target)


def _prog() -> str:
    """How to call pressnews from the shell the demo was started in."""
    argv0 = sys.argv[0] if sys.argv else ""
    typed = Path(argv0).name == "pressnews"  # the script, as the user typed it
    script = Path(argv0) if typed else Path(sys.executable).parent / "pressnews"
    if not script.exists():
        return f"{shlex.quote(sys.executable)} -m search_cli"
    found = shutil.which("pressnews")
    if found and Path(found).resolve() == script.resolve():
        return "pressnews"
    return shlex.quote(argv0 if typed else str(script))


def _remove_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@click.command()
@db_option
@click.option("--keep", is_flag=True, hidden=True, help="Kept for old scripts: the default now.")
def demo(db: str | None, keep: bool) -> None:
    """Serve the bundled fixture sites on 127.0.0.1, crawl them into a database and search it.

    Works offline: the sites imitate SharePoint, DotNetNuke, Liferay and WordPress portals,
    a news site with JSON-LD, a legacy windows-1258 site, a sitemap-only site and a provincial
    portal with attached documents (plans, a report, a decision, an official letter), which the
    demo fetches, reads and links (`crawl --documents`).

    The database is --db, else $PRESSNEWS_DB, else the default database, so the next
    `pressnews search`, `runs` and `sources` find it; the demo prints them at the end. An
    existing database is never touched: the demo then crawls into a new one in the temporary
    folder and prints the commands with its --db. Ctrl-C stops the demo and removes what it
    left half-done.
    """
    target = choose_database(db, env().resolve_db(None))
    workdir = Path(tempfile.mkdtemp(prefix="pressnews-demo-"))
    crawled = False
    try:
        _crawl(target.path, workdir)
        crawled = True
        _searches(target.path)
    except KeyboardInterrupt:
        if crawled:
            where = f"the demo database is {target.path}"
        else:
            _remove_database(target.path)
            if target.instead_of is not None:
                shutil.rmtree(Path(target.path).parent, ignore_errors=True)
            where = "its unfinished database was removed"
        click.echo(f"Interrupted: the demo stopped; {where}.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _next_steps(target)


def _crawl(path: str, workdir: Path) -> None:
    from search_cli.demo.server import SiteServer, sources_toml
    from search_cli.demo.sites_config import RESILIENCE_SITES, site_names

    sites_dir = Path(str(resources.files("search_cli").joinpath("demo", "sites")))
    docs_dir = Path(str(resources.files("search_cli").joinpath("demo", "document_sites")))
    clean = [s for s in site_names(sites_dir) if s not in RESILIENCE_SITES]  # no fault injection
    with SiteServer(sites_dir, sites=clean) as server, SiteServer(docs_dir) as doc_server:
        sources_file = workdir / "sources.toml"
        sources_file.write_text(
            sources_toml(server, sites_dir) + "\n" + sources_toml(doc_server, docs_dir),
            encoding="utf-8",
        )
        served = len(server.base_urls) + len(doc_server.base_urls)
        click.echo(f"Serving {served} fixture sites on 127.0.0.1; crawling…")
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
            "--documents",
        ]
        cmd += ["-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0"]
        code = run_child(cmd, quiet_stop=True)
    if code == EXIT_INTERRUPTED:
        raise KeyboardInterrupt
    if code not in (0, 1):
        raise PressnewsError(f"the demo crawl failed (exit status {code})")


def _searches(path: str) -> None:
    for title, args in DEMO_SEARCHES:
        click.echo(
            "\n"
            + click.style(f"$ pressnews search {shlex.join(args)}", bold=True)
            + f"   # {title}"
        )
        run_child(
            [sys.executable, "-m", "search_cli", "search", "--db", path, "--limit", "3", *args]
        )
    click.echo("\n" + click.style("$ pressnews search --facets --all", bold=True))
    run_child([sys.executable, "-m", "search_cli", "search", "--db", path, "--facets", "--all"])
    _documents(path)
    click.echo(
        "\n" + click.style("$ pressnews events", bold=True) + "   # trainings, reports grouped"
    )
    run_child([sys.executable, "-m", "search_cli", "events", "--db", path])
    report = str(Path(path).with_name("pressnews-demo-report.html"))
    click.echo(
        "\n"
        + click.style(f"$ pressnews report --out {shlex.quote(report)}", bold=True)
        + "   # one HTML file: map, months, attendance, trainers, every training"
    )
    run_child([sys.executable, "-m", "search_cli", "report", "--db", path, "--out", report])


def _documents(path: str) -> None:
    """The attached documents: the list, planned vs held, and one plan with the trainings that
    carried it out."""
    from indexer.documents import list_documents

    from ..common import open_store

    with open_store(path, readonly=True) as store:
        plans = [d for d in list_documents(store, type_="plan") if d["extracted"].get("planned")]
    for title, args in (
        ("Attached documents read from PDF, scanned PDF, DOCX, DOC, TCVN3", ["documents"]),
        ("Planned vs held, per province", ["documents", "--planned-vs-held"]),
        *(
            (("A plan and the trainings that carried it out", ["show", plans[0]["id"]]),)
            if plans
            else ()
        ),
    ):
        click.echo(
            "\n" + click.style(f"$ pressnews {shlex.join(args)}", bold=True) + f"   # {title}"
        )
        run_child([sys.executable, "-m", "search_cli", *args, "--db", path])


def _next_steps(target: DemoDatabase) -> None:
    prog = _prog()
    db = "" if target.found_by_default else f" --db {shlex.quote(target.path)}"
    click.echo(f"\nThe demo database: {target.path}")
    if target.instead_of is not None:
        click.echo(
            f"({target.instead_of} exists, so the demo left it untouched and crawled into a "
            "new database in the temporary folder: copy it elsewhere to keep it.)"
        )
    click.echo("Next, on the demo's articles:")
    for args in (
        "search 'thông tin đối ngoại'",
        "search --speaker 'nguyen van hieu'",
        "events --province 'Kon Tum'",
        "trainers",
        "runs",
        "sources",
    ):
        verb, _, rest = args.partition(" ")
        click.echo(f"  {prog} {verb}{db}{' ' + rest if rest else ''}")
    click.echo(
        f"Then crawl the real sources: {prog} crawl{db}  "
        "(into the same database, beside the demo's articles)"
    )
