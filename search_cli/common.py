"""What every command shares: the environment (read once, here, at the edge), the database
option and how a command opens the store, and the Elasticsearch connection options."""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import click

from indexer.errors import PressnewsError
from indexer.query import parse_date_bound
from indexer.store import Store

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

ENV_DB = "PRESSNEWS_DB"
STORE_PATH_KEY = "pressnews.store_path"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Environment:
    """Every environment variable pressnews reads, read once when the CLI starts."""

    db: str | None = None  # $PRESSNEWS_DB
    data_home: str | None = None  # $XDG_DATA_HOME
    cache_home: str | None = None  # $XDG_CACHE_HOME: crash reports go to <it>/pressnews
    es_prefix: str | None = None  # $PRESSNEWS_ES_PREFIX: index names `<prefix>-articles`
    kibana_api_key: str | None = None
    kibana_username: str | None = None
    kibana_password: str | None = None
    kibana_ca_certs: str | None = None
    user: str | None = None  # $USER, else $LOGNAME: the default author of a correction

    @classmethod
    def read(cls, environ: Mapping[str, str] = os.environ) -> Environment:
        def get(name: str) -> str | None:
            return environ.get(name) or None

        return cls(
            db=get(ENV_DB),
            data_home=get("XDG_DATA_HOME"),
            cache_home=get("XDG_CACHE_HOME"),
            es_prefix=get("PRESSNEWS_ES_PREFIX"),
            kibana_api_key=get("KIBANA_API_KEY"),
            kibana_username=get("KIBANA_USERNAME"),
            kibana_password=get("KIBANA_PASSWORD"),
            kibana_ca_certs=get("KIBANA_CA_CERTS"),
            user=get("USER") or get("LOGNAME"),
        )

    def default_db(self) -> str:
        base = self.data_home or str(Path.home() / ".local" / "share")
        return str(Path(base) / "pressnews" / "pressnews.db")

    def crash_dir(self) -> Path:
        base = self.cache_home or str(Path.home() / ".cache")
        return Path(base) / "pressnews"

    def resolve_db(self, db: str | None) -> str:
        """`--db`, else $PRESSNEWS_DB, else the per-user default. An empty `--db` is an error."""
        if db is not None and not db.strip():
            raise PressnewsError("--db is empty: give the database path, or leave --db out")
        return db or self.db or self.default_db()

    def es_alias(self) -> str:
        from indexer.elastic.mapping import alias_for

        return alias_for(self.es_prefix)

    def es_events_alias(self) -> str:
        from indexer.elastic.mapping import events_alias_for

        return events_alias_for(self.es_prefix)


def env() -> Environment:
    """The environment as the `pressnews` group read it when this invocation started."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj if isinstance(obj, Environment) else Environment.read()


def resolve_db(db: str | None) -> str:
    return env().resolve_db(db)


@contextmanager
def open_store(
    db: str | None, *, readonly: bool = False, must_exist: bool = False
) -> Iterator[Store]:
    """The store at `--db` (else $PRESSNEWS_DB, else the default).

    `readonly`: for the commands that only read (search, export, runs, sources): SQLite opens
    the file read-only and nothing is created or migrated; a missing file is an error.
    `must_exist`: a writing command that needs stored articles (reprocess, index)."""
    path = resolve_db(db)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # an unexpected error while it is open: damage, or a bug? (see main)
        ctx.meta[STORE_PATH_KEY] = str(Path(path).expanduser())
    if readonly:
        store = Store.open_readonly(path)
    else:
        if must_exist and path != ":memory:" and not Path(path).expanduser().exists():
            raise PressnewsError(
                f"no database at {path}; run `pressnews crawl` first, or pass --db"
            )
        store = Store.open(Path(path).expanduser())
    try:
        yield store
    except BaseException as exc:
        # The frames of a failed read keep its SQLite statements open, and an open statement
        # keeps the connection (and a reader's -wal/-shm files) alive past close(): drop their
        # locals first. The traceback itself (for a crash report) is kept.
        traceback.clear_frames(exc.__traceback__)
        raise
    finally:
        store.close()


def check_http_url(url: str, what: str) -> str:
    """`url` if it is a usable http(s) URL; else a one-line `PressnewsError` naming `what`."""
    shown = re.sub(r"//[^/@]*@", "//", url)  # never repeat credentials
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError as exc:
        raise PressnewsError(f"{what}: {shown!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PressnewsError(f"{what}: {shown!r} is not an http(s) URL, e.g. http://localhost:9200")
    if any(ch.isspace() for ch in url.strip()):
        raise PressnewsError(f"{what}: {shown!r} is not a valid URL (it contains spaces)")
    return url.strip()


def _url_option(what: str) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return check_http_url(value, what)
        except PressnewsError as exc:
            raise click.BadParameter(str(exc).partition(": ")[2], ctx, param) from None

    return check


es_url_check = _url_option("--es")
kibana_url_check = _url_option("--kibana")


def _check_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise PressnewsError("--db is empty: give the database path, or leave --db out")
    return value


sources_option = click.option(
    "--sources",
    "sources_file",
    metavar="FILE",
    help="Sources file (TOML). Default: the built-in registry.",
)

db_option = click.option(
    "--db",
    metavar="PATH",
    callback=_check_db,
    help=f"SQLite database (default: ${ENV_DB}, else ~/.local/share/pressnews/pressnews.db).",
)


def es_options(f: F) -> F:
    """Credentials for Elasticsearch (and Kibana, which checks them against the same cluster)."""
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
                help="CA certificate file (default: $ES_CA_CERTS).",
            ),
        ]
    ):
        f = opt(f)
    return f


@dataclass(frozen=True)
class ElasticAccess:
    """Where Elasticsearch is and how to log in, as the command line and environment gave it."""

    url: str
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = None

    def connect(self) -> Elasticsearch:
        from indexer.elastic.client import connect

        return connect(
            self.url,
            api_key=self.api_key,
            username=self.username,
            password=self.password,
            ca_certs=self.ca_certs,
        )


def date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """`--from`/`--to` as inclusive ISO bounds (`parse_date_bound`); an empty range (from after
    to) is a one-line error, the same for every command that takes both."""
    start, end = parse_date_bound(date_from), parse_date_bound(date_to, end=True)
    if start and end and start > end:
        raise PressnewsError(
            f"--from {date_from} is after --to {date_to}: the date range is empty (swap them)"
        )
    return start, end
