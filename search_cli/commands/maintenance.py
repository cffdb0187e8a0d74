"""`pressnews backup`, `restore` and `check`: keeping the store safe (indexer.maintenance)."""

from __future__ import annotations

import click

from indexer.maintenance import CheckReport, check_store
from indexer.maintenance import backup as run_backup
from indexer.maintenance import restore as run_restore

from .. import output
from ..common import db_option, resolve_db


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def backup(file: str, db: str | None, force: bool) -> None:
    """Copy the store to FILE, consistently, even while a crawl is writing it.

    SQLite's online backup API copies one snapshot of the database into a single file (no -wal
    beside it); a failed backup leaves no FILE behind."""
    rep = run_backup(resolve_db(db), file, force=force)
    click.echo(
        f"Backed up {rep.db} to {rep.file}: {rep.articles} articles, {rep.raw_pages} raw pages, "
        f"{_size(rep.size)} (schema {rep.schema_version})."
    )
    click.echo(f"Verify it with: pressnews check --db {rep.file}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.option(
    "--force", is_flag=True, help="Replace the <db>.before-restore an earlier restore kept."
)
def restore(file: str, db: str | None, force: bool) -> None:
    """Replace the store by the backup FILE, once FILE passes `pressnews check`.

    Refused while a crawl is running on the store; the database it replaces is kept as
    <db>.before-restore."""
    rep = run_restore(file, resolve_db(db), force=force)
    counts = rep.check.counts
    click.echo(
        f"Checked {rep.file}: {len(rep.check.checks)} checks passed "
        f"({counts.get('articles', 0)} articles, {counts.get('raw_pages', 0)} raw pages)."
    )
    if rep.migrated_from is not None:
        click.echo(f"Migrated it from schema {rep.migrated_from}.")
    click.echo(f"Restored it into {rep.db}.")
    if rep.kept:
        click.echo(f"The database it replaced is kept as {rep.kept}.")


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="The checks as a JSON object.")
@click.pass_context
def check(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Verify the store, read-only: SQLite integrity, the full-text index, the article
    documents, every raw page, the counts. Exit 0 when every check passes, 1 otherwise."""
    report = check_store(resolve_db(db))
    if as_json:
        output.emit_json(report.to_json())
    else:
        _print_report(report)
    if not report.ok:
        ctx.exit(1)


def _print_report(report: CheckReport) -> None:
    click.echo(f"Checking {report.path}")
    width = max((len(c.name) for c in report.checks), default=0)
    for c in report.checks:
        click.echo(f"  {'ok' if c.ok else 'PROBLEM':7}  {c.name:{width}}  {c.detail}")
        if not c.ok and c.advice:
            click.echo(f"  {'':7}  {'':{width}}  what to do: {c.advice}")
    problems = len(report.problems)
    if problems:
        click.echo(f"{problems} problem(s) found: see 'what to do' above.")
    else:
        click.echo(f"All {len(report.checks)} checks passed.")


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"
