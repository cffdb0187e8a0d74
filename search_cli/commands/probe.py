"""`pressnews probe URL`: diagnose a new site before adding it to the sources file."""

from __future__ import annotations

from typing import Any

import click

from .. import output
from .crawl import _parse_settings

_KINDS = {
    "postback": "__doPostBack form (ASP.NET)",
    "load-more": "'Xem thêm' link or button",
    "links": "links (page numbers, next, page=N)",
    "none": "none",
}


@click.command()
@click.argument("url")
@click.option(
    "--max-pages",
    type=click.IntRange(min=1, max=1000),
    default=30,
    show_default=True,
    help="At most this many requests (robots.txt, sitemaps and retries included).",
)
@click.option(
    "--key", metavar="KEY", help="Source key of the suggested entry (default: from the host)."
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy setting, as for `pressnews crawl`.",
)
@click.option("--log", is_flag=True, help="Show Scrapy's own log on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def probe(
    url: str, max_pages: int, key: str | None, settings: tuple[str, ...], log: bool, as_json: bool
) -> None:
    """Fetch a few pages of a site as the crawl would, store nothing, and say what the crawler
    makes of it: robots.txt rules, sitemaps and feeds, listing pages and their pagination,
    links classified article or not (with the reason), one extracted article and a sources-file
    entry to paste. Exits 0 when articles were found, 1 when none (with the likely cause)."""
    from crawler.probe import check_url
    from crawler.probe import probe as run_probe

    check_url(url)  # a bad URL is a one-line error before anything starts
    overrides = _parse_settings(settings)
    if not log:
        overrides.setdefault("LOG_LEVEL", "ERROR")
    report = run_probe(url, max_pages, overrides, key=key, log=log)
    if as_json:
        output.emit_json(report.to_dict())
    else:
        click.echo(render(report))
    if report.exit_status:
        raise SystemExit(report.exit_status)


def render(report: Any) -> str:
    """The report as sections of plain text."""
    out: list[str] = []

    def section(title: str) -> None:
        out.extend(["", title])

    verdict = (
        f"{len(report.articles)} article(s) found"
        if report.found
        else f"no article found: {report.cause}"
    )
    out.append(
        f"Probe of {report.url}: {verdict} ({report.requests} of {report.max_pages} requests)"
    )
    r = report.robots
    section("robots.txt")
    status = {None: "not fetched", 0: "no answer"}.get(r.status, f"HTTP {r.status}")
    out.append(f"  {r.url} ({status}); start page {'allowed' if r.start_allowed else 'DISALLOWED'}")
    if r.crawl_delay is not None:
        out.append(f"  Crawl-delay: {r.crawl_delay:g} s")
    for rule in r.rules:
        if rule.blocks:
            out.append(
                f"  {rule.rule}  — forbids {rule.blocks} URL(s) the probe saw, e.g. {rule.example}"
            )
    quiet = [x.rule for x in r.rules if not x.blocks]
    if quiet:
        out.append(f"  {len(quiet)} other rule(s) forbid none of them: {output.cut_list(quiet, 4)}")
    section("sitemaps and feeds")
    xml = [*report.sitemaps, *report.feeds]
    if not xml:
        out.append("  none found")
    for x in xml:
        what = "not fetched" if x.kind == "?" else f"{x.kind}, {x.entries} entries"
        out.append(f"  {x.url} ({what}; from {x.found_in})")
    section(f"listing pages (pagination: {_KINDS.get(report.pagination, report.pagination)})")
    if report.listings:
        rows = [[x.url, str(x.article_links), x.pagination, x.via] for x in report.listings[:8]]
        out.extend(
            "  " + line
            for line in output.render_table(
                rows, ["url", "article links", "pagination", "reached by"]
            ).splitlines()
        )
    else:
        out.append("  none found")
    section("links (a sample)")
    for link in report.links:
        mark = "article" if link.article else "not    "
        text = f" “{link.text[:50]}”" if link.text else ""
        out.append(f"  {mark} {link.url}{text}")
        out.append(f"          {link.reason[:160]}")
    a = report.article
    if a is not None:
        section("one extracted article")
        out.append(f"  url:       {a.url}")
        out.append(f"  title:     {a.title}")
        out.append(f"  date:      {a.date or 'undated'}")
        out.append(f"  province:  {a.province or '—'}")
        out.append(f"  speakers:  {output.cut_list(_speakers(a.speakers), 3) or '—'}")
        out.append(f"  decrees:   {output.cut_list(a.decrees, 4) or '—'}")
        out.append(f"  relevant:  {'yes' if a.relevant else 'no'}")
        out.append(f"  body:      {a.body_start}")
    if report.notes or report.errors or report.held_back:
        section("notes")
        out.extend(f"  {n}" for n in report.notes)
        if report.errors:
            out.append(
                "  errors: " + ", ".join(f"{k}: {v}" for k, v in sorted(report.errors.items()))
            )
        if report.held_back:
            out.append(
                "  not fetched (probe budget): "
                + ", ".join(f"{k}: {v}" for k, v in sorted(report.held_back.items()))
            )
    section("suggested sources entry")
    out.extend("  " + line for line in report.entry.toml().splitlines())
    return "\n".join(out[:1] + out[1:])


def _speakers(speakers: list[dict[str, str]]) -> list[str]:
    return [f"{s['name']} ({s['role']})" if s.get("role") else s["name"] for s in speakers]
