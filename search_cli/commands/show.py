"""`pressnews show ID`: one stored record in full.

An article today (by id or by URL); events and trainers join the same command, each record
kind tried in turn, so that a user pastes any id that another command printed."""

from __future__ import annotations

from typing import Any

import click

from indexer.errors import PressnewsError

from .. import output
from ..common import db_option, open_store


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
def show(record_id: str, db: str | None, as_json: bool) -> None:
    """Print one stored record in full: an article or an attached document (with what it
    links to), by its id or URL."""
    with open_store(db, readonly=True) as store:
        doc = store.find(record_id.strip())
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
                f"no article or document with id or URL {record_id!r}; "
                "`pressnews search` and `pressnews documents` print ids"
            )
        if as_json:
            output.emit_json(doc)
            return
        click.echo("\n".join(article_lines(doc)))
