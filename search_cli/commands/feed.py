"""`pressnews feed`: an Atom feed of the newest trainings, for any feed reader."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import click

from indexer.errors import PressnewsError
from indexer.feed import FeedSpec, build_feed, newest
from indexer.sqlite_search import SqliteSearch
from indexer.store import now_iso

from ..common import db_option, open_store

DEFAULT_LIMIT = 50


def _check_out(out: str) -> Path:
    """`--out` as a path whose folder exists; else a one-line error."""
    if not out.strip():
        raise PressnewsError("--out is empty: give the feed file to write, e.g. trainings.atom")
    path = Path(out).expanduser()
    if path.is_dir():
        raise PressnewsError(f"--out {out} is a folder: give a file name, e.g. trainings.atom")
    folder = path.parent
    if not folder.is_dir():
        raise PressnewsError(f"--out {out}: the folder {folder} does not exist")
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a reader sees
    the old feed or the new one, never half of one."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise PressnewsError(f"cannot write the feed {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PressnewsError(f"cannot write the feed {path}: {exc.strerror or exc}") from None


def _file_mode(path: Path) -> int:
    """The mode of the file replaced, else what a new file gets (0666 less the umask): a feed is
    meant to be read by a web server or another user, unlike mkstemp's 0600."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


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
    path = _check_out(out)
    with open_store(db, readonly=True) as store:
        articles = newest(
            SqliteSearch(store), province=province, limit=limit, include_all=include_all
        )
    spec = FeedSpec(province=province, include_all=include_all)
    data = build_feed(articles, spec=spec, self_url=path.resolve().as_uri(), now=now_iso())
    _write_atomically(path, data)
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
