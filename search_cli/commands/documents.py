"""`pressnews documents`: the attached documents (plans, reports, decisions, official letters)
the crawl fetched and read; `--planned-vs-held` and `--spokespeople` views of them; and the
document side of `show` and `search --in documents`."""

from __future__ import annotations

from typing import Any

import click

from indexer import documents as docs
from indexer.errors import PressnewsError
from indexer.store import Store

from .. import output
from ..common import date_range, db_option, open_store

TYPE_NAMES = {
    "plan": "kế hoạch",
    "report": "báo cáo",
    "decision": "quyết định",
    "official_letter": "công văn",
    "other": "khác",
}


def _flags(doc: dict[str, Any]) -> str:
    return ", ".join(doc.get("flags") or [])


@click.command()
@db_option
@click.option("--type", "type_", type=click.Choice(list(TYPE_NAMES)), help="Only this type.")
@click.option("--province", metavar="P", help="Province in any spelling (a 2025 unit too).")
@click.option("--from", "date_from", metavar="DATE", help="Dated on or after.")
@click.option("--to", "date_to", metavar="DATE", help="Dated on or before.")
@click.option("--limit", type=click.IntRange(1, 100000), default=50, show_default=True)
@click.option(
    "--planned-vs-held",
    "planned_vs_held",
    is_flag=True,
    help="Per province and plan: the trainings planned and which were held (by an article or "
    "the province's own report).",
)
@click.option("--spokespeople", is_flag=True, help="The spokespeople the stored decisions name.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of a table.")
def documents(
    db: str | None,
    type_: str | None,
    province: str | None,
    date_from: str | None,
    date_to: str | None,
    limit: int,
    planned_vs_held: bool,
    spokespeople: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List the stored attached documents, newest first (`pressnews show ID` prints one)."""
    if as_json and as_csv:
        raise PressnewsError("--json and --csv: choose one output format")
    if planned_vs_held and spokespeople:
        raise PressnewsError("--planned-vs-held and --spokespeople: choose one view")
    if province is not None and not province.strip():
        raise PressnewsError("--province is empty: give a province name, or leave --province out")
    start, end = date_range(date_from, date_to)
    with open_store(db, readonly=True) as store:
        if planned_vs_held:
            _print_planned_vs_held(docs.planned_vs_held(store, province), as_json, as_csv)
            return
        if spokespeople:
            rows = docs.spokespeople(store, province)
            if as_json:
                output.emit_json(rows)
            elif as_csv:
                output.emit_csv(rows, ["province", "name", "role", "decision", "date", "document"])
            else:
                click.echo(
                    output.render_table(
                        [
                            [
                                r["province"] or "—",
                                r["name"],
                                r["role"] or "—",
                                r["decision"] or "—",
                                r["date"] or "—",
                            ]
                            for r in rows
                        ],
                        ["province", "name", "role", "decision", "date"],
                    )
                )
            return
        rows = docs.list_documents(
            store, type_=type_, province=province, date_from=start, date_to=end, limit=limit
        )
        total = docs.count_documents(store)
    for r in rows:
        r.pop("extracted", None) if as_csv else None
    if as_json:
        output.emit_json(rows)
        return
    if as_csv:
        output.emit_csv(
            rows, ["id", "type", "symbol", "date", "province", "format", "flags", "title", "url"]
        )
        return
    if not rows:
        click.echo(f"no documents match ({total} stored)")
        return
    click.echo(
        output.render_table(
            [
                [
                    r["id"],
                    r["type"],
                    r["symbol"] or "—",
                    r["date"] or "undated",
                    r["province"] or "—",
                    r["format"] + (f" ({_flags(r)})" if r["flags"] else ""),
                    (r["title"] or "")[:70],
                ]
                for r in rows
            ],
            ["id", "type", "symbol", "date", "province", "format", "title"],
        )
    )
    click.echo(f"{len(rows)} of {total} stored documents")


def _print_planned_vs_held(rows: list[dict[str, Any]], as_json: bool, as_csv: bool) -> None:
    if as_json:
        output.emit_json(rows)
        return
    if as_csv:
        output.emit_csv(
            rows, ["province", "plan", "date", "planned", "held", "held_article", "held_report"]
        )
        return
    if not rows:
        click.echo("no plans stored")
        return
    empty = [r["plan"] or r["document"] for r in rows if not r["planned"]]
    for r in rows:
        if not r["planned"]:
            continue
        click.echo(
            f"{r['province'] or '—'}  {r['plan'] or r['document']} ({r['date'] or 'undated'}): "
            f"{r['planned']} planned, {r['held']} held "
            f"({r['held_article']} reported in articles, {r['held_report']} in the province's report)"
        )
        for item in r["items"]:
            p = item["planned"]
            mark = "✓" if item["article"] or item["report"] else "·"
            click.echo(f"  {mark} {p['topic']} — {p.get('period') or 'no period'}")
            if item["article"]:
                a = item["article"]
                click.echo(f"      article {a['id']} ({a['date']}): {a['title']}")
            if item.get("event"):
                click.echo(f"      training event {item['event']['id']}")
            if item["report"]:
                h = item["report"]
                n = f", {h['attendance']} attending" if h.get("attendance") else ""
                click.echo(f"      report {h['symbol']} ({h['date']}{n}): {h['topic']}")
    if empty:
        click.echo(f"({len(empty)} plan(s) with no planned training read: {', '.join(empty)})")


def document_lines(store: Store, doc: dict[str, Any], text_chars: int | None = 1500) -> list[str]:
    """A stored document as `field: value` lines, its links, then its text."""
    facts = doc.get("extracted") or {}
    lines = [doc.get("title") or doc["url"], ""]

    def add(label: str, value: Any) -> None:
        lines.append(f"{label + ':':<14}{value if value not in (None, '', []) else '—'}")

    add("id", doc["id"])
    add("url", doc["url"])
    add("source", doc["source"])
    add("type", f"{doc['type']} ({TYPE_NAMES.get(doc['type'], '')})")
    add("symbol", doc.get("symbol"))
    add("issuer", facts.get("issuer"))
    add("date", doc.get("date") or "undated")
    signer = facts.get("signer")
    if signer and facts.get("signer_role"):
        signer = f"{signer}, {facts['signer_role']}"
    add("signed by", signer)
    province, now = doc.get("province"), doc.get("province_now")
    add("province", f"{province} (now {now})" if province and now and now != province else province)
    add("format", f"{doc['format']}, {doc['size']:,} bytes")
    add("flags", _flags(doc))
    if doc.get("note"):
        add("note", doc["note"])
    add("fetched", doc.get("fetched_at"))
    add("cites", ", ".join(facts.get("cites") or []))
    if facts.get("totals"):
        add("totals", ", ".join(f"{k} {v}" for k, v in facts["totals"].items()))
    link = docs.links(store, doc)
    add("linked from", len(link["articles"]) or "")
    for a in link["articles"]:
        lines.append(f"  - article {a['id']} ({a['date'] or 'undated'}): {a['title']}")
    for item in link.get("planned", []):
        p = item["planned"]
        where = f", {p['place']}" if p.get("place") else ""
        lines.append(f"  planned: {p['topic']} — {p.get('period') or 'no period'}{where}")
        if item["article"]:
            a = item["article"]
            lines.append(f"    held: article {a['id']} ({a['date']}): {a['title']}")
        if item.get("event"):
            e = item["event"]
            lines.append(f"    training event {e['id']}: {e['title'] or ''}".rstrip(": "))
        if item["report"]:
            h = item["report"]
            lines.append(f"    held: report {h['symbol']} ({h['date']}): {h['topic']}")
        if not item["article"] and not item["report"]:
            lines.append("    held: nothing found yet")
    for item in link.get("held", []):
        h = item["held"]
        n = f", {h['attendance']} attending" if h.get("attendance") else ""
        lines.append(f"  held: {h['date']} {h['topic']}{n}")
        if item["article"]:
            a = item["article"]
            lines.append(f"    article {a['id']} ({a['date']}): {a['title']}")
        if item.get("event"):
            lines.append(f"    training event {item['event']['id']}")
    for p in link.get("spokespeople", []):
        also = f"  (trainer {', '.join(p['trainers'])})" if p.get("trainers") else ""
        lines.append(
            f"  spokesperson: {p['name']}" + (f", {p['role']}" if p.get("role") else "") + also
        )
    for c in facts.get("convened", []):
        lines.append(f"  convenes: {c['topic']} — {c.get('date') or '?'}, {c.get('place') or '?'}")
    text = doc.get("text") or ""
    if text_chars is not None and len(text) > text_chars:
        text = text[:text_chars] + f"… ({len(doc.get('text') or ''):,} characters; --json for all)"
    lines += ["", text or "(no text: " + (_flags(doc) or "nothing read") + ")"]
    return lines


def find_document(store: Store, key: str) -> dict[str, Any] | None:
    """A stored document by id or URL."""
    return docs.get_document(store, key)


def document_json(store: Store, doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "links": docs.links(store, doc)}


def search_documents_command(
    db: str | None,
    query: str,
    province: str | None,
    province_exact: bool,
    date_from: str | None,
    date_to: str | None,
    limit: int,
    as_json: bool,
    as_csv: bool,
    unsupported: list[str],
) -> None:
    """`pressnews search --in documents`: the same word, phrase, province and date semantics
    as articles, over the documents' text; best first."""
    if unsupported:
        raise PressnewsError(f"{', '.join(unsupported)}: not available with --in documents")
    with open_store(db, readonly=True) as store:
        hits = docs.search_documents(
            store,
            query,
            province=province,
            province_exact=province_exact,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
        )
    if as_json:
        output.emit_json(hits)
        return
    if as_csv:
        output.emit_csv(hits, ["id", "type", "symbol", "date", "province", "title", "url", "score"])
        return
    if not hits:
        click.echo("no documents match")
        return
    for h in hits:
        click.echo(
            f"{h['title']}\n  {h['type']} · {h['date'] or 'undated'} · {h['province'] or '—'} · {h['id']}\n  {h['url']}"
        )
