"""Focused crawling: how soon a crawl finds the relevant articles of a deep archive, and what
budget mode (`pressnews crawl --focus`) fetches and misses.

Builds the generated portal of bench/gen_portal.py (default 20,000 articles, 1% relevant, 20 per
listing page over 1,000 listing pages), serves it from memory on 127.0.0.1 (a thread of this
process, logging every request in order), then runs the real `pressnews crawl` against it, each
in a process of its own and into a fresh database:

  1. breadth: the order before focused crawling (`-s PRESSNEWS_ORDER=breadth`: every article as
     found, then the next listing page);
  2. focused: the default order (likely training reports first, then the listing walk, then the
     other articles, best first);
  3. budget mode: `--focus` (every likely-relevant article, the band of events named without
     their subject, a 5% sample of the others: pressnews's defaults unless `--sample`,
     `--band`, `--band-sample` say otherwise), then follow-up runs, each fetching the best
     `--backlog` skipped articles.

Prints, for 1 and 2, the share of the relevant articles fetched within the first 10%, 25%, 50%
and 100% of the requests (the dull-headline ones separately), and for 3 the pages fetched, the
relevant articles missed and what the follow-up runs add.

The crawls use pressnews's settings except: no AutoThrottle and no DOWNLOAD_DELAY (the server is
local: politeness delays would only make the benchmark slow, not change the order), and the
per-source cap raised above the archive's size (the harvest is measured over a whole crawl).
Concurrency stays at pressnews's default: 4 requests at a time per site.

    python bench/bench_focus.py [--titles FILE] [--articles 20000] [--followups 3]
        [--backlog 2000] [--skip-full] [--orders breadth,focused] [--sample S] [--band B]
        [--band-sample S] [--estimate]

`--orders focused` runs only the focused full crawl (the breadth one is the order before, for
comparison). `--titles FILE` builds the portal from another headline file (same JSON lines as
bench/data/portal_titles.jsonl, the default). `--skip-full` runs only budget mode (`--followups 0`:
only its first run, a few minutes). `--estimate` crawls nothing: it prints what budget mode's
first run would fetch and miss, in expectation, from the link scores alone.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gen_portal import TITLES, Portal  # noqa: E402
from crawler.focus import (  # noqa: E402
    BAND,
    BAND_SAMPLE,
    LIKELY,
    SAMPLE,
    LinkText,
    budget_share,
    link_score,
)

FRACTIONS = (0.10, 0.25, 0.50, 1.00)
LOCAL = [
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "LOG_LEVEL=ERROR",
]


class PortalServer:
    """The portal from memory on a free port of 127.0.0.1; `log` lists the paths requested."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self.log: list[str] = []
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    server.log.append(self.path)
                body = server.portal.page(self.path)
                status = 200 if body is not None else 404
                if body is None:
                    body = b"<html><body><h1>404</h1></body></html>"
                ctype = "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def take_log(self) -> list[str]:
        with self.lock:
            out, self.log = self.log, []
        return out


def crawl(db: Path, sources: Path, *extra: str) -> float:
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "search_cli", "crawl", "--db", str(db), "--sources", str(sources)]
        + ["-q", *LOCAL, *extra],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if out.returncode != 0:
        sys.exit(f"crawl failed ({out.returncode}):\n{out.stderr[-3000:]}\n{out.stdout[-2000:]}")
    return time.monotonic() - started


def unfetched(db: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "search_cli", "runs", "--db", str(db), "--json", "--limit", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return (json.loads(out.stdout)[0]["summary"].get("unfetched") or {}).get("portal", {})


def fetched_articles(portal: Portal, log: list[str]) -> list[str]:
    """The article paths of a request log, in order of first request."""
    seen: dict[str, None] = {}
    for path in log:
        if path in portal.by_path:
            seen.setdefault(path, None)
    return list(seen)


def harvest(portal: Portal, log: list[str], total: int) -> dict[str, list[float]]:
    """Share of relevant (and of dull-headline relevant) articles within the first f * total
    requests, for each f in FRACTIONS."""
    first: dict[str, int] = {}
    for i, path in enumerate(log):
        first.setdefault(path, i)
    groups = {
        "relevant": [it for it in portal.items if it.relevant],
        "dull": [it for it in portal.items if it.kind == "dull"],
        "dull, teaser hints": [it for it in portal.items if it.kind == "dull" and it.hints],
        "dull, no hint": [it for it in portal.items if it.kind == "dull" and not it.hints],
    }
    out = {}
    for name, items in groups.items():
        shares = []
        for f in FRACTIONS:
            limit = f * total
            got = sum(1 for it in items if first.get(it.path, total + 1) < limit)
            shares.append(got / len(items) if items else 0.0)
        out[f"{name} ({len(items)})"] = shares
    return out


def estimate(portal: Portal, sample: float, band: float, band_sample: float) -> None:
    """Budget mode's first run in expectation, from the link scores alone (no crawl): the
    articles it would fetch and the relevant ones it would miss, per stratum."""
    strata = ("likely", "band", "rest")
    count = {s: [0, 0] for s in strata}  # stratum -> [articles, relevant]
    fetched = missed = missed_dull = 0.0
    for it in portal.items:
        score = link_score(LinkText(it.path, it.title, it.title, it.teaser))
        share = budget_share(score, sample, band, band_sample)
        stratum = "likely" if score >= LIKELY else "band" if score >= band else "rest"
        count[stratum][0] += 1
        count[stratum][1] += it.relevant
        fetched += share
        if it.relevant:
            missed += 1 - share
            missed_dull += (1 - share) if it.kind == "dull" else 0
    relevant = sum(1 for it in portal.items if it.relevant)
    pages = len(portal.items) + portal.pages
    print(
        f"Estimate (no crawl): budget mode's first run, sample {sample:.0%}, band from {band} "
        f"sampled at {band_sample:.0%}"
    )
    for s in strata:
        print(f"  {s:<7} {count[s][0]:>6,} articles, {count[s][1]:>4} relevant")
    print(
        f"  expected: {fetched:,.0f} articles + {portal.pages:,} listing pages = "
        f"{(fetched + portal.pages) / pages:.1%} of the {pages:,} pages; relevant missed "
        f"{missed:.1f}/{relevant} = {missed / relevant:.1%} (dull headlines: {missed_dull:.1f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--titles", type=Path, default=TITLES, help="the portal's headline file")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument(
        "--sample", type=float, default=None, help=f"budget mode's sample share ({SAMPLE})"
    )
    ap.add_argument("--band", type=float, default=None, help=f"the band's lowest score ({BAND})")
    ap.add_argument(
        "--band-sample", type=float, default=None, help=f"the band's share ({BAND_SAMPLE})"
    )
    ap.add_argument("--followups", type=int, default=3, help="budget-mode runs after the first")
    ap.add_argument("--backlog", type=int, default=2000, help="skipped articles per follow-up")
    ap.add_argument("--skip-full", action="store_true", help="only the budget-mode runs")
    ap.add_argument(
        "--orders", default="breadth,focused", help="the full crawls to run (comma-separated)"
    )
    ap.add_argument("--estimate", action="store_true", help="no crawl: budget mode's expectation")
    args = ap.parse_args()

    portal = Portal(args.articles, args.seed, args.titles)
    sample = SAMPLE if args.sample is None else args.sample
    band = BAND if args.band is None else args.band
    band_sample = BAND_SAMPLE if args.band_sample is None else args.band_sample
    budget = [
        *("-s", f"PRESSNEWS_FOCUS_SAMPLE={sample}"),
        *("-s", f"PRESSNEWS_FOCUS_BAND={band}"),
        *("-s", f"PRESSNEWS_FOCUS_BAND_SAMPLE={band_sample}"),
    ]
    if args.estimate:
        print(f"titles: {args.titles}")
        estimate(portal, sample, band, band_sample)
        return
    server = PortalServer(portal)
    tmp = Path(tempfile.mkdtemp(prefix="pressnews-focus-"))
    sources = tmp / "sources.toml"
    sources.write_text(
        f'[sources.portal]\nname = "Cổng thông tin điện tử tỉnh (generated)"\n'
        f'start_urls = ["{server.base}/tin-tuc/"]\nmax_pages = 1000000\n',
        encoding="utf-8",
    )
    relevant = [it for it in portal.items if it.relevant]
    dull = [it for it in portal.items if it.kind == "dull"]
    pages_total = len(portal.items) + portal.pages
    print(
        f"portal: {len(portal.items):,} articles ({len(relevant)} relevant, {len(dull)} of them "
        f"with dull headlines: {sum(1 for d in dull if d.hints)} with a teaser that hints), "
        f"{portal.pages:,} listing pages of 20; seed {args.seed}; titles {args.titles}"
    )
    print(
        "settings: pressnews defaults (4 requests at a time per site), except AutoThrottle off, "
        "DOWNLOAD_DELAY 0, max_pages 1,000,000\n"
    )

    if not args.skip_full:
        print("Harvest: share of relevant articles fetched within the first N% of the requests")
        header = "order     group                        " + "".join(
            f"{f:>8.0%}" for f in FRACTIONS
        )
        rows = []
        for order in args.orders.split(","):
            db = tmp / f"{order}.db"
            server.take_log()
            seconds = crawl(db, sources, "-s", f"PRESSNEWS_ORDER={order}")
            log = server.take_log()
            arts = fetched_articles(portal, log)
            rows.append(
                (
                    order,
                    f"{len(log):,} requests, {len(arts):,} articles, {seconds:.0f} s",
                    harvest(portal, log, len(log)),
                )
            )
        print(header)
        for order, what, curves in rows:
            for name, shares in curves.items():
                print(f"{order:<9} {name:<28} " + "".join(f"{s:>8.1%}" for s in shares))
            print(f"{'':<9} ({what})")
        print()

    print(
        f"Budget mode: --focus, every article at or above LIKELY ({LIKELY}), {band_sample:.0%} of "
        f"the band (from {band}), {sample:.0%} of the others"
    )
    db = tmp / "budget.db"
    server.take_log()
    seconds = crawl(db, sources, "--focus", *budget)
    fetched: set[str] = set()
    requests = 0
    for run in range(args.followups + 1):
        if run:
            server.take_log()
            seconds = crawl(
                db,
                sources,
                "--focus",
                *budget,
                "-s",
                f"PRESSNEWS_FOCUS_BACKLOG={args.backlog}",
            )
        log = server.take_log()
        requests += len(log)
        fetched |= set(fetched_articles(portal, log))
        missed = [it for it in relevant if it.path not in fetched]
        missed_dull = [it for it in dull if it.path not in fetched]
        left = unfetched(db)
        label = "first run" if not run else f"follow-up {run} (backlog {args.backlog})"
        print(
            f"  {label:<28} {len(log):>6,} requests ({seconds:.0f} s); total {requests:,} = "
            f"{requests / pages_total:.1%} of the {pages_total:,} pages; relevant missed "
            f"{len(missed)}/{len(relevant)} = {len(missed) / len(relevant):.1%} (dull headlines: "
            f"{len(missed_dull)}/{len(dull)} missed, {sum(1 for d in missed_dull if d.hints)} "
            f"of them with a hinting teaser); unfetched per `pressnews runs`: "
            f"{left.get('skipped', 0):,} skipped, {left.get('pending', 0):,} pending"
        )
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
