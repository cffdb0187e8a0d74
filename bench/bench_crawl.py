"""Crawl throughput: pressnews against a bare Scrapy spider that only fetches the same pages.

Generates a site of N article pages (default 2,000) plus its paged listing, serves it from a
separate process on 127.0.0.1, then crawls it twice in the same run, each crawl in a process
of its own with the same concurrency and no politeness delays:
  1. bare: a Scrapy spider that follows every link and does nothing with the pages;
  2. pressnews: the real spider, extraction, enrichment and SQLite store.
Prints pages/s of each and the ratio (target: pressnews >= 0.5 x bare), and the peak resident
memory of each crawl's process tree (the crawl process and its extraction workers together,
polled from /proc; target for pressnews: <= 300 MB at 100,000 pages). With --sitemap the site's
robots.txt names a sitemap listing every article page, so the whole site enters the crawl's
frontier at once (the largest frontier a site can give); --no-bare skips the bare crawl. With
--warc, a third crawl runs pressnews again writing WARC files (`pressnews crawl --warc`).

    python bench/bench_crawl.py [--articles 2000] [--concurrency 16] [--sitemap] [--no-bare] [--warc]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing import Process
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synth import write_site  # noqa: E402
from crawler.store_pipelines import default_workers  # noqa: E402

BARE_SPIDER = r"""
import json, sys, scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1]]
    links = LinkExtractor()
    def parse(self, response):
        for link in self.links.extract_links(response):
            yield response.follow(link.url, self.parse)

settings = json.loads(sys.argv[2])
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
s = crawler.stats.get_stats()
print(json.dumps({"pages": s.get("response_received_count", 0), "seconds": s.get("elapsed_time_seconds")}))
"""

PRESSNEWS = r"""
import json, sys
from crawler.crawl_runner import run_crawl

if __name__ == "__main__":  # extraction workers are spawned: they re-import this module
    report = run_crawl(sys.argv[1], sys.argv[2], [], json.loads(sys.argv[3]))
    s = report.stats
    print(json.dumps({"pages": s.get("response_received_count", 0), "seconds": s.get("elapsed_time_seconds"),
                      "new": sum(src.new for src in report.sources)}))
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(root: str, port: int) -> None:
    handler = functools.partial(QuietHandler, directory=root)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (Linux)."""
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


def tree_rss(root: int) -> dict[int, int]:
    """Resident memory (bytes) of a process and each of its descendants."""
    children = _children()
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[pid] = int(line.split()[1]) * 1024
        except OSError:
            pass
    return out


def run(code: str, *args: str, progress: bool = False) -> dict:
    """Run a benchmark child; its JSON line, plus `peak_rss` of its process tree (bytes)."""
    # A file, not `python -c`: Scrapy inspects callbacks' source code.
    script = Path(tempfile.mkdtemp(prefix="pressnews-bench-")) / "child.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, str(script), *args], stdout=out, stderr=err, text=True, env=env
        )
        peak = peak_main = peak_others = 0
        next_report = time.monotonic() + 60
        while child.poll() is None:
            rss = tree_rss(child.pid)
            peak = max(peak, sum(rss.values()))
            peak_main = max(peak_main, rss.get(child.pid, 0))
            peak_others = max(peak_others, sum(rss.values()) - rss.get(child.pid, 0))
            time.sleep(0.25)
            if progress and time.monotonic() >= next_report:
                next_report += 60
                print(f"  ... peak RSS so far {peak / 2**20:.0f} MB", flush=True)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if not lines:
        sys.exit(f"benchmark child failed:\n{stderr[-3000:]}")
    return {
        **json.loads(lines[-1]),
        "peak_rss": peak,
        "peak_main": peak_main,
        "peak_workers": peak_others,
    }


def write_sitemap(site: Path, base: str, paths: list[str]) -> None:
    """robots.txt names a sitemap index over sitemaps of up to 50,000 article URLs each."""
    parts = [paths[i : i + 50_000] for i in range(0, len(paths), 50_000)]
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    for n, part in enumerate(parts):
        urls = "".join(f"<url><loc>{base}{p.lstrip('/')}</loc></url>" for p in part)
        (site / f"sitemap-{n}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{urls}</urlset>', encoding="utf-8"
        )
    maps = "".join(
        f"<sitemap><loc>{base}sitemap-{n}.xml</loc></sitemap>" for n in range(len(parts))
    )
    (site / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {ns}>{maps}</sitemapindex>',
        encoding="utf-8",
    )
    (site / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n", encoding="utf-8"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction workers (default: cores - 1, as pressnews crawl)",
    )
    ap.add_argument("--warc", action="store_true", help="also crawl writing WARC files")
    ap.add_argument(
        "--sitemap", action="store_true", help="a sitemap lists every article page (big frontier)"
    )
    ap.add_argument("--no-bare", action="store_true", help="skip the bare Scrapy crawl")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pressnews-bench-"))
    site = tmp / "site"
    t0 = time.perf_counter()
    paths = write_site(site, args.articles)
    port = free_port()
    if args.sitemap:
        write_sitemap(site, f"http://127.0.0.1:{port}/", paths)
    print(f"site generated in {time.perf_counter() - t0:.0f} s", flush=True)
    server = Process(target=serve, args=(str(site), port), daemon=True)
    server.start()
    time.sleep(0.5)
    base = f"http://127.0.0.1:{port}/"
    common = {
        "CONCURRENT_REQUESTS": args.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "ROBOTSTXT_OBEY": True,
        "TELNETCONSOLE_ENABLED": False,
    }
    try:
        bare = None if args.no_bare else run(BARE_SPIDER, base, json.dumps(common))
        sources = tmp / "sources.toml"
        sources.write_text(
            f'[sources.bench]\nname = "Bench"\nstart_urls = ["{base}"]\nmax_pages = 100000\n'
        )
        workers = default_workers() if args.workers is None else args.workers  # as pressnews crawl
        mine = {**common, "PRESSNEWS_WORKERS": workers}
        ours = run(PRESSNEWS, str(tmp / "bench.db"), str(sources), json.dumps(mine), progress=True)
        if args.warc:
            warc = {**mine, "PRESSNEWS_WARC_DIR": str(tmp / "warc")}
            archived = run(PRESSNEWS, str(tmp / "warc.db"), str(sources), json.dumps(warc))
    finally:
        server.terminate()
    our_rate = ours["pages"] / ours["seconds"]
    mb = 1024 * 1024
    print(
        f"site: {args.articles} articles{' + sitemap' if args.sitemap else ''}, "
        f"concurrency {args.concurrency}, {workers} worker(s), 127.0.0.1"
    )
    if bare is not None:
        print(
            f"bare Scrapy : {bare['pages']:>6} pages in {bare['seconds']:.1f} s = "
            f"{bare['pages'] / bare['seconds']:7.1f} pages/s, peak RSS {bare['peak_rss'] / mb:.0f} MB"
        )
    print(
        f"pressnews   : {ours['pages']:>6} pages in {ours['seconds']:.1f} s = {our_rate:7.1f} pages/s"
        f" ({ours['new']} articles stored), peak RSS of the crawl and its workers "
        f"{ours['peak_rss'] / mb:.0f} MB (target <= 300 MB; the crawl process alone "
        f"{ours['peak_main'] / mb:.0f} MB, its workers {ours['peak_workers'] / mb:.0f} MB)"
    )
    if bare is not None:
        ratio = our_rate / (bare["pages"] / bare["seconds"])
        print(f"ratio       : {ratio:.2f} (target >= 0.5)")
    if args.warc:
        rate = archived["pages"] / archived["seconds"]
        size = sum(f.stat().st_size for f in (tmp / "warc").iterdir())
        print(
            f"with --warc : {archived['pages']:>6} pages in {archived['seconds']:.1f} s = "
            f"{rate:7.1f} pages/s ({rate / our_rate:.2f} x pressnews; {size / 1e6:.1f} MB of WARC)"
        )


if __name__ == "__main__":
    main()
