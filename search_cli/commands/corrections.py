"""`pressnews correct` and `corrections`: fixes to an article's values that last
(indexer.corrections)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from indexer.corrections import FIELDS, Change, Correction, list_corrections, parse_change, record
from indexer.corrections import undo as undo_correction
from indexer.errors import PressnewsError

from .. import output
from ..common import db_option, env, open_store

if TYPE_CHECKING:
    from crawler.events.recompute import CorrectionRecompute
    from indexer.store import Store


@click.command()
@click.argument("article_id", metavar="ID", required=False)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    help=f"Set a value ({', '.join(FIELDS)}); speaker=Name|Role adds a speaker or sets a role.",
)
@click.option(
    "--remove",
    "removes",
    multiple=True,
    metavar="FIELD[=VALUE]",
    help="Remove a value: speaker=Name, decree=09/2017/NĐ-CP, province, event_date.",
)
@click.option("--note", default="", metavar="TEXT", help="Why (kept with the correction).")
@click.option("--author", metavar="NAME", help="Who (default: $USER).")
@click.option("--undo", "undo_id", type=int, metavar="CORRECTION_ID", help="Undo one correction.")
@db_option
def correct(
    article_id: str | None,
    sets: tuple[str, ...],
    removes: tuple[str, ...],
    note: str,
    author: str | None,
    undo_id: int | None,
    db: str | None,
) -> None:
    """Correct an article's values, for good: kept apart from what extraction found and applied
    again whenever the article is re-crawled or reprocessed. The training events of the
    provinces the article concerns are recomputed at once.

    \b
    pressnews correct ID --set province="Hà Nam" --note "the event was in Phủ Lý"
    pressnews correct ID --set "speaker=Nguyễn Văn A|Giám đốc Sở" --remove speaker="Trần B"
    pressnews correct ID --set relevant=false
    pressnews correct --undo 3"""
    if undo_id is not None:
        if article_id or sets or removes:
            raise PressnewsError("--undo takes a correction id alone: no ID, --set or --remove")
        with open_store(db, must_exist=True) as store:
            c = undo_correction(store, undo_id)
            events = _recompute(store, c.article_id)
        click.echo(f"Undid correction {c.id} of article {c.article_id}: {c.describe()}.")
        _echo_events(events)
        return
    if not article_id:
        raise PressnewsError("give the article's ID (or --undo CORRECTION_ID)")
    changes: list[Change] = [parse_change("set", s) for s in sets]
    changes += [parse_change("remove", r) for r in removes]
    if not changes:
        raise PressnewsError("nothing to correct: give --set FIELD=VALUE or --remove FIELD[=VALUE]")
    who = author if author is not None else env().user or ""
    with open_store(db, must_exist=True) as store:
        done = record(store, article_id, changes, note=note, author=who)
        events = _recompute(store, article_id)
    for c in done:
        click.echo(f"Correction {c.id} of article {c.article_id}: {c.describe()}.")
    _echo_events(events)
    click.echo("Undo one with: pressnews correct --undo CORRECTION_ID")


def _recompute(store: Store, article_id: str) -> CorrectionRecompute | None:
    """The training events of the provinces the corrected article concerns, recomputed now."""
    from crawler.events.recompute import recompute_after_correction

    return recompute_after_correction(store, article_id)


def _echo_events(done: CorrectionRecompute | None) -> None:
    if done is None:
        return
    where = " and ".join(p or "no province" for p in done.provinces)
    now = f"a report of event {done.event}" if done.event else "in no event"
    click.echo(f"Training events of {where} recomputed: the article is {now}.")


@click.command()
@db_option
@click.option("--article", "article_id", metavar="ID", help="Only this article's corrections.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of corrections.")
def corrections(db: str | None, article_id: str | None, as_json: bool) -> None:
    """List the corrections, undone ones included (marked)."""
    with open_store(db, readonly=True) as store:
        rows = list_corrections(store, article_id)
    if as_json:
        output.emit_json([c.to_json() for c in rows])
        return
    if not rows:
        click.echo("No corrections.")
        return
    click.echo(
        output.render_table(
            [_row(c) for c in rows],
            ["id", "article", "correction", "author", "created", "status", "note"],
        )
    )


def _row(c: Correction) -> list[str]:
    status = "active" if c.active else f"undone {c.undone}"
    return [str(c.id), c.article_id, c.describe(), c.author, c.created, status, c.note]
