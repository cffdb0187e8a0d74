"""`pressnews`: crawl, search and export Vietnamese press-training news.

A thin click layer over `crawler` and `indexer`: the commands live in `search_cli.commands`, one
module per topic; what they share (the environment, read once; the database option; the
Elasticsearch options) in `search_cli.common`. Errors are told apart here, in one place:

- an expected error (`PressnewsError`: bad input, an unusable database, an unreachable server)
  is one line on stderr and exit 1;
- a usage error (an unknown option, a missing argument, a bad option value) is one line with a
  hint on stderr and exit 2;
- Ctrl-C is one line and exit 130 (a crawl stops cleanly first: 130, or 143 for SIGTERM);
- anything else is a bug: one line on stderr naming a crash report (traceback, version, the
  command line without credentials) written under the user's cache folder, and exit 70
  (EX_SOFTWARE), so an operator or a test can tell a bug from a bad input.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from indexer.errors import PressnewsError

from .commands.corrections import correct, corrections
from .commands.coverage import coverage
from .commands.crawl import crawl, reprocess, schedule
from .commands.demo import demo
from .commands.documents import documents
from .commands.elastic import index, kibana
from .commands.events import events, trainers
from .commands.feed import feed
from .commands.maintenance import backup, check, restore
from .commands.operations import runs, sources
from .commands.probe import probe
from .commands.report import report
from .commands.search import export, search
from .commands.show import show
from .common import STORE_PATH_KEY, Environment, env
from .crash import EXIT_BUG, write_crash_report

_ARGV_KEY = "pressnews.argv"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process that Ctrl-C ended


class OneLineUsageError(click.UsageError):
    """A click usage error shown as one line plus a hint, like every other pressnews error."""

    def __init__(self, original: click.UsageError) -> None:
        super().__init__(" ".join(original.format_message().split()), original.ctx)
        self.exit_code = original.exit_code

    def show(self, file: Any = None) -> None:
        where = self.ctx.command_path if self.ctx is not None else "pressnews"
        message = self.format_message()
        if not message.endswith((".", "?", "!")):
            message += "."
        click.echo(f"Error: {message} Try '{where} --help'.", file=file, err=True)


def _one_line(exc: click.UsageError) -> click.UsageError:
    if isinstance(exc, OneLineUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
        return exc  # `pressnews` alone prints its help
    return OneLineUsageError(exc)


class PressnewsGroup(click.Group):
    """Expected errors become one line (exit 1), usage errors one line and a hint (exit 2),
    unexpected ones a crash report (exit 70)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        argv = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        ctx.meta[_ARGV_KEY] = [info_name or "pressnews", *argv]
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PressnewsError as exc:
            raise click.ClickException(_printable(str(exc))) from None
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:  # Ctrl-C: not an error of the input, nor a bug
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:  # a bug: say so, with a report to send
            self._crash(ctx, exc)

    def _crash(self, ctx: click.Context, exc: Exception) -> None:
        if isinstance(exc, BrokenPipeError):  # `pressnews export | head`: the reader left
            _silence_stdout()
            ctx.exit(1)
        problem = _damage(ctx.meta.get(STORE_PATH_KEY), exc)
        if problem is not None:  # the stored file is damaged: the user's problem, not a bug
            click.echo(
                _printable(
                    f"Error: the database {ctx.meta[STORE_PATH_KEY]} is damaged ({problem}); "
                    "restore it from a backup, or crawl into a new database"
                ),
                err=True,
            )
            ctx.exit(1)
        argv = ctx.meta.get(_ARGV_KEY, sys.argv)
        try:
            report = write_crash_report(exc, argv, env().crash_dir())
            where = f"the crash report is {report}"
        except OSError as err:
            where = f"no crash report could be written ({err.strerror or err})"
        click.echo(
            f"Error: unexpected {type(exc).__name__}, a bug in pressnews (not in your input); "
            f"{where}",
            err=True,
        )
        ctx.exit(EXIT_BUG)


def _printable(message: str) -> str:
    """The message on one line: a control character from the input is shown escaped."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in message
    )


def _damage(path: str | None, exc: Exception) -> str | None:
    """What is damaged in the database the command had open, or None (then `exc` is a bug)."""
    if path is None or path == ":memory:":
        return None
    from indexer.store import damage

    try:
        return damage(path, exc)
    except Exception:  # the diagnosis itself failed: report the original error as a bug
        return None


def _silence_stdout() -> None:
    """After a broken pipe, send what is left to /dev/null so Python's exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@click.group(cls=PressnewsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressnews")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Crawl Vietnamese provincial news about spokesperson and press-information training,
    and search it by text, province, speaker or legal document."""
    ctx.obj = Environment.read()  # the one place the environment is read


for command in (
    crawl,
    export,
    search,
    reprocess,
    runs,
    sources,
    demo,
    index,
    kibana,
    schedule,
    backup,
    restore,
    check,
    correct,
    corrections,
    feed,
    show,
    report,
    events,
    trainers,
    coverage,
    probe,
    documents,
):
    cli.add_command(command)
