"""`pressnews index` and `kibana import`: the scale-out engine, fed from the store."""

from __future__ import annotations

import click

from indexer.errors import PressnewsError

from ..common import (
    ElasticAccess,
    db_option,
    env,
    es_options,
    es_url_check,
    kibana_url_check,
    open_store,
)
from ..output import emit_json


@click.command()
@db_option
@click.option(
    "--es",
    "es_url",
    metavar="URL",
    envvar="ES_URL",
    required=True,
    callback=es_url_check,
    help="Elasticsearch URL (default: $ES_URL).",
)
@click.option(
    "--rebuild", is_flag=True, help="Build a new versioned index and swap the alias atomically."
)
@es_options
def index(
    db: str | None,
    es_url: str,
    rebuild: bool,
    api_key: str | None,
    username: str | None,
    password: str | None,
    ca_certs: str | None,
) -> None:
    """Push stored articles, then training events, to Elasticsearch: only what changed since the
    last successful sync (events that left the store are deleted from the index)."""
    from indexer.elastic.client import ElasticUnavailable
    from indexer.elastic.events_sync import sync_events
    from indexer.elastic.sync import sync

    access = ElasticAccess(es_url, api_key, username, password, ca_certs)
    with open_store(db, must_exist=True) as store:
        try:
            es = access.connect()
            rep = sync(store, es, rebuild=rebuild, alias=env().es_alias())
        except ElasticUnavailable as exc:
            raise PressnewsError(
                f"{exc} (articles stay pending in the store; the next run sends them)"
            ) from None
        for line in rep.lines():
            click.echo(line)
        try:
            erep = sync_events(store, es, rebuild=rebuild, alias=env().es_events_alias())
        except ElasticUnavailable as exc:
            raise PressnewsError(
                f"{exc} (training events stay pending in the store; the next run sends them)"
            ) from None
    for line in erep.lines():
        click.echo(line)
    _sync_documents(db, access)
    for what, r in (("article", rep), ("event", erep)):
        for doc_id, reason in r.failed[:20]:
            click.echo(f"  failed {what} {doc_id}: {reason}", err=True)
        for doc_id, reason in r.delete_failed[:20]:
            click.echo(f"  failed to delete {what} {doc_id}: {reason}", err=True)
    problems = []
    if rep.failed:
        problems.append(f"{len(rep.failed)} article(s)")
    if erep.failed or erep.delete_failed:
        problems.append(f"{len(erep.failed) + len(erep.delete_failed)} training event(s)")
    if problems:
        raise PressnewsError(" and ".join(problems) + " rejected; they are retried on the next run")


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
    callback=kibana_url_check,
    help="Kibana URL (default: $KIBANA_URL).",
)
@click.option("--space", help="Kibana space (default: the default space).")
@es_options
def kibana_import(
    kibana_url: str,
    space: str | None,
    api_key: str | None,
    username: str | None,
    password: str | None,
    ca_certs: str | None,
) -> None:
    """Load the pressnews data view and dashboard through Kibana's saved-objects API.

    Credentials: the options (and their ES_* variables: Kibana checks them against the same
    cluster), else $KIBANA_API_KEY, $KIBANA_USERNAME/$KIBANA_PASSWORD, $KIBANA_CA_CERTS.
    """
    from indexer.elastic.kibana import import_saved_objects

    result = import_saved_objects(
        kibana_url,
        api_key=api_key or env().kibana_api_key,
        username=username or env().kibana_username,
        password=password if password is not None else env().kibana_password,
        ca_certs=ca_certs or env().kibana_ca_certs,
        space=space,
        alias=env().es_alias(),
    )
    emit_json(result)


def _sync_documents(db: str | None, access: ElasticAccess) -> None:
    """The attached documents, pushed whole to `<prefix>-documents` after the articles."""
    from indexer.elastic.client import ElasticUnavailable
    from indexer.elastic.documents import sync_documents

    with open_store(db, must_exist=True) as store:
        try:
            rep = sync_documents(store, access.connect(), articles_alias=env().es_alias())
        except ElasticUnavailable as exc:
            raise PressnewsError(f"{exc} (documents are pushed again on the next run)") from None
    click.echo(rep.line())
    for doc_id, reason in rep.failed[:20]:
        click.echo(f"  failed {doc_id}: {reason}", err=True)
