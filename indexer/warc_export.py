"""`pressnews export --warc FILE`: the store's raw pages as a WARC 1.1 file (read-only).

The file opens with a `warcinfo` record saying it was rebuilt from a pressnews store (not
captured at fetch time: for that, crawl with `--warc DIR`), then, for every stored raw page in
the order the articles were first stored, a `response` record (the stored status, headers and
body, `WARC-Date` = the fetch time) and a `metadata` record about it (`WARC-Refers-To`) naming the
article. The file is written beside its target and renamed into place: a failed export leaves no
half-written FILE, and an existing FILE is replaced only with `force`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PressnewsError
from .schema import SCHEMA_VERSION
from .store import RawPage, Store
from .warc import (
    metadata_record,
    new_writer,
    record_id,
    response_record,
    warc_date,
    warcinfo_record,
)

ORIGIN = "rebuilt from the pressnews store"
DESCRIPTION = (
    "Rebuilt from a pressnews store by `pressnews export --warc`, not captured at fetch time: "
    "each response holds the stored body (after content decoding) and the headers pressnews "
    "keeps (content-type, etag, last-modified, date)"
)


class WarcExportError(PressnewsError, ValueError):
    """The WARC file cannot be written where asked; one line for the user."""


@dataclass
class WarcExportReport:
    file: str
    size: int = 0  # bytes
    articles: int = 0  # articles in the store
    pages: int = 0  # response records written (one per stored raw page)
    records: int = 0  # every record written, warcinfo included
    skipped: list[str] = field(default_factory=list)  # ids of raw pages that could not be read


def target_path(target: str | Path, store_path: str | Path, *, force: bool = False) -> Path:
    """`target` as a file that may be written: its folder exists, it is not a folder nor the
    database, and it does not exist yet unless `force`."""
    shown = str(target)
    if not shown.strip():
        raise WarcExportError("--warc is empty: give the file to write, e.g. pressnews.warc.gz")
    path = Path(target).expanduser()
    if path.is_dir():
        raise WarcExportError(
            f"--warc {shown} is a folder: give a file name, e.g. pressnews.warc.gz"
        )
    if not path.parent.is_dir():
        raise WarcExportError(f"--warc {shown}: the folder {path.parent} does not exist")
    if path.exists():
        with contextlib.suppress(OSError):
            if path.samefile(Path(store_path).expanduser()):
                raise WarcExportError(f"--warc {shown} is the database itself: give another file")
        if not force:
            raise WarcExportError(
                f"{shown} exists: give another name, or pass --force to replace it"
            )
    return path


def export_warc(
    store: Store, target: str | Path, *, force: bool = False, source: str | None = None
) -> WarcExportReport:
    """Write the store's raw pages (only `source`'s when given) to the WARC file `target`
    (gzip-compressed per record unless its name ends in `.warc`). Reads the store only."""
    path = target_path(target, store.path, force=force)
    report = WarcExportReport(str(target), articles=store.count())
    try:
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise WarcExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            _write(store, out, path.name, source, report)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o666 & ~_umask())
        os.replace(partial, path)
    except OSError as exc:
        raise WarcExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(partial)
    report.size = path.stat().st_size
    return report


def _write(
    store: Store, out: Any, filename: str, source: str | None, rep: WarcExportReport
) -> None:
    gzip = not filename.lower().endswith(".warc")
    writer = new_writer(out, gzip=gzip)
    info = {
        "description": DESCRIPTION,
        "pressnews-origin": ORIGIN,
        "pressnews-store": str(Path(store.path).expanduser().resolve()),
        "pressnews-schema-version": SCHEMA_VERSION,
        "pressnews-articles": rep.articles,
        "pressnews-raw-pages": _count_raw(store, source),
        "pressnews-source": source or "",
    }
    writer.write_record(warcinfo_record(writer, filename, info))
    rep.records = 1
    for article, raw in store.iter_raw():  # streamed: one page in memory at a time
        if source is not None and article.get("source") != source:
            continue
        date = _date_or_none(raw) if raw is not None else None
        if raw is None or date is None:
            rep.skipped.append(str(article["id"]))
            continue
        response = response_record(
            writer, raw.url, raw.status, list(raw.headers.items()), raw.body, date=date
        )
        writer.write_record(response)
        fields = {
            "pressnews-article-id": str(article["id"]),
            "pressnews-article-url": str(article.get("url") or ""),
            "pressnews-source": str(article.get("source") or ""),
            "pressnews-fetched-at": raw.fetched_at,
            "pressnews-extractor-version": raw.extractor_version,
        }
        meta = metadata_record(writer, raw.url, fields, date=date, refers_to=record_id(response))
        writer.write_record(meta)
        rep.pages += 1
        rep.records += 2


def _count_raw(store: Store, source: str | None) -> int:
    sql = "SELECT count(*) FROM raw_pages r JOIN articles a ON a.id = r.article_id"
    args: tuple[str, ...] = ()
    if source is not None:
        sql += " WHERE a.source = ?"
        args = (source,)
    return int(store.conn.execute(sql, args).fetchone()[0])


def _date_or_none(raw: RawPage) -> str | None:
    try:
        return warc_date(raw.fetched_at)
    except (TypeError, ValueError):
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
