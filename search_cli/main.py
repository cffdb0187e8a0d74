"""`pressnews`: crawl, search and export Vietnamese press-training news.

A thin click layer over `crawler` and `indexer`: the commands live in `search_cli.commands`, one
module per topic; what they share (the environment, read once; the database option; the
Elasticsearch options) in `search_cli.common`. Every expected error (`PressnewsError`) becomes
one line on stderr and exit 1 here, in one place.
"""

from __future__ import annotations

from typing import Any

import click

from indexer.errors import PressnewsError

from .commands.crawl import crawl, reprocess, schedule
from .commands.demo import demo
from .commands.elastic import index, kibana
from .commands.operations import runs, sources
from .commands.search import export, search
from .common import Environment


class PressnewsGroup(click.Group):
    """Turns the library's expected errors into click's one-line error and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PressnewsError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=PressnewsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressnews")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Crawl Vietnamese provincial news about spokesperson and press-information training,
    and search it by text, province, speaker or legal document."""
    ctx.obj = Environment.read()  # the one place the environment is read


for command in (crawl, export, search, reprocess, runs, sources, demo, index, kibana, schedule):
    cli.add_command(command)
