"""`pressnews show ID`: one stored record in full.

An article today (by id or by URL); events and trainers join the same command, each record
kind tried in turn, so that a user pastes any id that another command printed."""

from __future__ import annotations

from typing import Any

import click

from indexer.errors import PressnewsError
from indexer.events import get_event, get_trainer
from indexer.explain import explain, explanation_json
from indexer.store import Store

from .. import output
from ..common import db_option, open_store
from ..why import why_lines
from .events import event_lines, trainer_lines


def article_lines(doc: dict[str, Any]) -> list[str]:
    """The article as `field: value` lines, every field, the body last."""
    lines = [doc.get("title") or "(untitled)", ""]

    def add(label: str, value: Any) -> None:
        lines.append(f"{label + ':':<14}{value if value not in (None, '') else '—'}")

    add("id", doc.get("id"))
    add("url", doc.get("url"))
    add("source", doc.get("source"))
    add("date", doc.get("date") or "undated")
    add("published", doc.get("published"))
    add("event date", doc.get("event_date"))
    add("first seen", doc.get("first_seen"))
    add("fetched", doc.get("fetched_at"))
    province = doc.get("province")
    now = doc.get("province_now")
    add("province", f"{province} (now {now})" if province and now and now != province else province)
    add("relevant", "yes" if doc.get("relevant") else "no")
    add("topics", ", ".join(doc.get("topics") or []))
    add("duplicate of", doc.get("duplicate_of"))
    speakers = doc.get("speakers") or []
    add("speakers", len(speakers) if speakers else "")
    for s in speakers:
        lines.append(f"  - {s['name']}" + (f", {s['role']}" if s.get("role") else ""))
    add("documents", ", ".join(doc.get("decrees") or []))
    add("authors", ", ".join(doc.get("authors") or []))
    attachments = doc.get("attachments") or []
    add("attachments", len(attachments) if attachments else "")
    for a in attachments:
        lines.append(f"  - {a.get('title') or a['url']} [{a.get('type') or '?'}] {a['url']}")
    images = doc.get("images") or []
    add("images", len(images) if images else "")
    lines += ["", doc.get("body") or ""]
    return lines


@click.command()
@click.argument("record_id", metavar="ID")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@click.option(
    "--why",
    is_flag=True,
    help="Explain every field of an article: the excerpt it was read from, the rule, corrections.",
)
@click.option(
    "--history",
    "with_history",
    is_flag=True,
    help="The article's page versions instead (what changed in title, date, speakers) and its "
    "removal, if its page is gone.",
)
def show(record_id: str, db: str | None, as_json: bool, why: bool, with_history: bool) -> None:
    """Print one stored record in full: an article (by its id or URL), a training event (an id
    merged into another answers with the survivor), a trainer or an attached document."""
    with open_store(db, readonly=True) as store:
        doc = store.find(record_id.strip())
        if doc is None and _show_event_or_trainer(store, record_id.strip(), as_json):
            return
        if doc is None:
            from .documents import document_json, document_lines, find_document

            attached = find_document(store, record_id.strip())
            if attached is not None:
                if as_json:
                    output.emit_json(document_json(store, attached))
                else:
                    click.echo("\n".join(document_lines(store, attached, text_chars=None)))
                return
            raise PressnewsError(
                f"no article, event, trainer or document with id or URL {record_id!r}; "
                "`pressnews search`, `events`, `trainers` and `documents` print ids"
            )
        if why and with_history:
            raise PressnewsError("--why and --history: choose one")
        if with_history:
            show_history(store, doc, as_json)
            return
        if why:
            explanation = explain(store, doc)
            if as_json:
                output.emit_json(explanation_json(explanation))
            else:
                click.echo("\n".join(why_lines(explanation)))
            return
        if as_json:
            output.emit_json(doc)
            return
        click.echo("\n".join(article_lines(doc)))


def _show_event_or_trainer(store: Store, key: str, as_json: bool) -> bool:
    """Print the event (following an alias) or trainer with id `key`; False when none."""
    ev = get_event(store, key)
    if ev is not None:
        output.emit_json(ev.to_dict()) if as_json else click.echo("\n".join(event_lines(ev, key)))
        return True
    tr = get_trainer(store, key)
    if tr is not None:
        output.emit_json(tr.to_dict()) if as_json else click.echo("\n".join(trainer_lines(tr)))
        return True
    return False


def show_history(store: Any, doc: dict[str, Any], as_json: bool) -> None:
    """`show --history`: every kept version of the article's page, oldest first, with what
    changed in title, date, published and speakers; then its removal, if recorded."""
    from indexer import history

    versions = history.versions(store, doc["id"])
    gone = history.removal(store, doc["id"])
    if as_json:
        output.emit_json(
            {
                "id": doc["id"],
                "url": doc.get("url"),
                "versions": [v.to_json() for v in versions],
                "removal": gone.to_json() if gone else None,
            }
        )
        return
    click.echo(f"{doc.get('title') or '(untitled)'}\n{doc['id']}  {doc.get('url')}\n")
    for v in versions:
        until = f", replaced {v.superseded}" if v.superseded else " (current)"
        click.echo(f"version {v.number}: fetched {v.fetched_at}{until}")
        if v.number == 1:
            click.echo(f"  title: {v.article.get('title')}")
            click.echo(f"  date: {v.article.get('date') or 'undated'}")
            names = [s.get("name", "") for s in v.article.get("speakers") or []]
            click.echo(f"  speakers: {', '.join(names) or '—'}")
        elif not v.changes:
            click.echo("  no change in title, date or speakers")
        for key, (before, after) in v.changes.items():
            if key == "speakers":
                added = [n for n in after if n not in before]
                dropped = [n for n in before if n not in after]
                parts = [f"+ {n}" for n in added] + [f"- {n}" for n in dropped]
                click.echo(f"  speakers: {'; '.join(parts) or 'reordered'}")
            else:
                click.echo(f"  {key}: {before or '—'} → {after or '—'}")
    if gone is not None:
        state = f"; answered again {gone.restored}" if gone.restored else ""
        click.echo(f"\nremoved {gone.removed[:10]} ({gone.reason}){state}")
