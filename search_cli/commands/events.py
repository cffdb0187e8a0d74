"""`pressnews events` and `pressnews trainers`: trainings (reports grouped) and the people who
trained; `event_lines` and `trainer_lines` are what `pressnews show` prints for them."""

from __future__ import annotations

from typing import Any

import click

from indexer.errors import PressnewsError
from indexer.event_model import EVENT_COLUMNS, TRAINER_COLUMNS, Event, Trainer
from indexer.events import EventQuery, TrainerQuery, list_events, list_trainers

from .. import output
from ..common import date_range, db_option, open_store

SHOWN_TRAINERS = 2
_FORMATS = {"in_person": "in person", "online": "online", "hybrid": "hybrid"}


def _formats(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise PressnewsError("--json and --csv: choose one output format")


def _span(ev: Event) -> str:
    if ev.start and ev.end and ev.end != ev.start:
        return f"{ev.start}–{ev.end[5:] if ev.end[:4] == ev.start[:4] else ev.end}"
    return ev.date or "undated"


@click.command()
@click.argument("query", required=False, default="")
@db_option
@click.option("--province", metavar="P", help="Province in any spelling; a 2025 unit includes the units merged into it.")  # fmt: skip
@click.option("--province-exact", is_flag=True, help="Match the event's own province only.")
@click.option("--speaker", metavar="S", help="A trainer's name words, with or without diacritics.")
@click.option("--decree", metavar="D", help="A document taught: 09/2017, 9/2017/ND-CP, 'Luật Báo chí'.")  # fmt: skip
@click.option("--from", "date_from", metavar="DATE", help="On or after (YYYY, YYYY-MM, YYYY-MM-DD, DD/MM/YYYY).")  # fmt: skip
@click.option("--to", "date_to", metavar="DATE", help="On or before.")
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=None, help="At most N events.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of events, every field.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one event per row.")
def events(
    query: str,
    db: str | None,
    province: str | None,
    province_exact: bool,
    speaker: str | None,
    decree: str | None,
    date_from: str | None,
    date_to: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List trainings, newest first: the reports of one training grouped into one event.

    QUERY words match the event's reports, with or without diacritics, as in `search`."""
    _formats(as_json, as_csv)
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave --province out")
    if province_exact and province is None:
        raise PressnewsError("--province-exact needs --province")
    start, end = date_range(date_from, date_to)
    q = EventQuery(query, province, province_exact, speaker, decree, start, end, limit)
    with open_store(db, readonly=True) as store:
        found = list_events(store, q)
    if output.emit_records(found, EVENT_COLUMNS, as_json, as_csv):
        return
    if not found:
        click.echo("No matching trainings.")
        return
    rows = [
        [
            _span(ev),
            ev.province or "—",
            str(ev.attendance) if ev.attendance else "—",
            _FORMATS.get(ev.format, ev.format),
            output.cut_list([t.name for t in ev.trainers], SHOWN_TRAINERS) or "—",
            str(len(ev.reports)),
            ev.id,
            _cut(ev.title, 60),
        ]
        for ev in found
    ]
    click.echo(
        output.render_table(
            rows,
            ["date", "province", "attended", "format", "trainers", "reports", "id", "title"],
        )
    )
    click.echo(f"\n{len(found)} training(s); `pressnews show ID` prints one in full.")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@click.command()
@db_option
@click.option("--province", metavar="P", help="Trained in this province (any spelling; a 2025 unit includes its old units).")  # fmt: skip
@click.option("--org", metavar="ORG", help="Words of the organisation, e.g. 'Cục Thông tin đối ngoại'.")  # fmt: skip
@click.option("--name", metavar="NAME", help="Consecutive name words, with or without diacritics.")
@click.option("--from", "date_from", metavar="DATE", help="Trainings on or after this date.")
@click.option("--to", "date_to", metavar="DATE", help="Trainings on or before this date.")
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=None, help="At most N people.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of trainers, every field.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one trainer per row.")
def trainers(
    db: str | None,
    province: str | None,
    org: str | None,
    name: str | None,
    date_from: str | None,
    date_to: str | None,
    limit: int | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List the people who trained, opened or presented at trainings, by number of trainings."""
    _formats(as_json, as_csv)
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave --province out")
    start, end = date_range(date_from, date_to)
    with open_store(db, readonly=True) as store:
        found = list_trainers(store, TrainerQuery(province, start, end, org, name, limit))
    if output.emit_records(found, TRAINER_COLUMNS, as_json, as_csv):
        return
    if not found:
        click.echo("No matching trainers.")
        return
    rows = [
        [
            str(len(t.events)),
            t.name + (" (?)" if t.possibly_same else ""),
            _cut(t.roles[-1].role if t.roles else t.organisation or "—", 50),
            output.cut_list(t.provinces, 3) or "—",
            t.first or "—",
            t.last or "—",
            t.id,
        ]
        for t in found
    ]
    click.echo(
        output.render_table(
            rows, ["trainings", "name", "latest role", "provinces", "first", "last", "id"]
        )
    )
    note = " (?): another person of the same name," if any(t.possibly_same for t in found) else ""
    click.echo(f"\n{len(found)} trainer(s);{note} `pressnews show ID` prints one in full.")


def _add(lines: list[str], label: str, value: Any) -> None:
    lines.append(f"{label + ':':<15}{value if value not in (None, '', []) else '—'}")


def event_lines(ev: Event, asked: str | None = None) -> list[str]:
    """An event in full: every field, every report."""
    lines = [ev.title or "(untitled)", ""]
    if asked and asked != ev.id:
        lines += [f"({asked} was merged into {ev.id})", ""]
    _add(lines, "id", ev.id)
    _add(lines, "kind", "training event")
    _add(lines, "dates", _span(ev))
    province = ev.province
    if province and ev.province_now and ev.province_now != province:
        province = f"{province} (now {ev.province_now})"
    _add(lines, "province", province)
    _add(lines, "format", _FORMATS.get(ev.format, ev.format))
    _add(lines, "attendance", str(ev.attendance) if ev.attendance else None)
    _add(lines, "audience", ev.audience)
    _add(lines, "organisers", "; ".join(ev.organisers))
    _add(lines, "trainers", len(ev.trainers) or None)
    for t in ev.trainers:
        who = t.name + (f", {t.role}" if t.role else "")
        lines.append(f"  - {who}" + (f"  [{t.trainer_id}]" if t.trainer_id else ""))
    _add(lines, "topics", ", ".join(ev.topics))
    _add(lines, "documents", ", ".join(ev.decrees))
    _add(lines, "phase", ev.phase)
    _add(lines, "aliases", ", ".join(ev.aliases))
    _add(lines, "reports", len(ev.reports))
    for r in ev.reports:
        lines.append(f"  - {r.date or 'undated'}  {r.source}  {r.title}")
        lines.append(f"    {r.url}  [{r.id}]")
    return lines


def trainer_lines(t: Trainer) -> list[str]:
    """A trainer in full: roles with their dates, events, provinces, namesakes, variants."""
    lines = [t.name, ""]
    _add(lines, "id", t.id)
    _add(lines, "kind", "trainer")
    _add(lines, "organisation", t.organisation)
    _add(lines, "trainings", len(t.events))
    _add(lines, "provinces", ", ".join(t.provinces))
    _add(lines, "first", t.first)
    _add(lines, "last", t.last)
    _add(lines, "roles", len(dict.fromkeys(r.role for r in t.roles)) or None)
    seen: set[str] = set()
    for r in t.roles:
        if r.role not in seen:
            seen.add(r.role)
            lines.append(f"  - {r.date or 'undated'}  {r.role}")
    _add(lines, "events", len(t.events))
    for e in t.events:
        lines.append(f"  - {e.date or 'undated'}  {e.province or '—'}  {e.id}  {e.title}")
    _add(lines, "possibly same", ", ".join(t.possibly_same))
    _add(lines, "see also", ", ".join(t.see_also))
    return lines
