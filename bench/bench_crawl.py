"""Crawl throughput: pressnews against a bare Scrapy spider that only fetches the same pages.

Generates a site of N article pages (default 2,000) plus its paged listing, serves it from a
separate process on 127.0.0.1, then crawls it twice in the same run, each crawl in a process
of its own with the same concurrency and no politeness delays:
  1. bare: a Scrapy spider that follows every link and does nothing with the pages;
  2. pressnews: the real spider, extraction, enrichment and SQLite store.
Prints pages/s of each and the ratio (target: pressnews >= 0.5 x bare). With --warc, a third
crawl runs pressnews again writing WARC files (`pressnews crawl --warc`), to show their cost.

    python bench/bench_crawl.py [--articles 2000] [--concurrency 16] [--warc]
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


def run(code: str, *args: str) -> dict:
    # A file, not `python -c`: Scrapy inspects callbacks' source code.
    script = Path(tempfile.mkdtemp(prefix="pressnews-bench-")) / "child.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=False, env=env
    )
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        sys.exit(f"benchmark child failed:\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


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
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pressnews-bench-"))
    site = tmp / "site"
    write_site(site, args.articles)
    port = free_port()
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
        bare = run(BARE_SPIDER, base, json.dumps(common))
        sources = tmp / "sources.toml"
        sources.write_text(
            f'[sources.bench]\nname = "Bench"\nstart_urls = ["{base}"]\nmax_pages = 100000\n'
        )
        workers = default_workers() if args.workers is None else args.workers  # as pressnews crawl
        mine = {**common, "PRESSNEWS_WORKERS": workers}
        ours = run(PRESSNEWS, str(tmp / "bench.db"), str(sources), json.dumps(mine))
        if args.warc:
            warc = {**mine, "PRESSNEWS_WARC_DIR": str(tmp / "warc")}
            archived = run(PRESSNEWS, str(tmp / "warc.db"), str(sources), json.dumps(warc))
    finally:
        server.terminate()
    bare_rate = bare["pages"] / bare["seconds"]
    our_rate = ours["pages"] / ours["seconds"]
    print(
        f"site: {args.articles} articles, concurrency {args.concurrency}, {workers} worker(s), 127.0.0.1"
    )
    print(
        f"bare Scrapy : {bare['pages']:>6} pages in {bare['seconds']:.1f} s = {bare_rate:7.1f} pages/s"
    )
    print(
        f"pressnews   : {ours['pages']:>6} pages in {ours['seconds']:.1f} s = {our_rate:7.1f} pages/s"
        f" ({ours['new']} articles stored)"
    )
    print(f"ratio       : {our_rate / bare_rate:.2f} (target >= 0.5)")
    if args.warc:
        rate = archived["pages"] / archived["seconds"]
        size = sum(f.stat().st_size for f in (tmp / "warc").iterdir())
        print(
            f"with --warc : {archived['pages']:>6} pages in {archived['seconds']:.1f} s = "
            f"{rate:7.1f} pages/s ({rate / our_rate:.2f} x pressnews; {size / 1e6:.1f} MB of WARC)"
        )


if __name__ == "__main__":
    main()
