"""Store/index throughput and search latency on the embedded backend.

1. extraction + enrichment ms/article on generated article pages (the crawl's CPU cost);
2. articles/s: computing the index fields (fingerprint, folded text; the crawl does this in its
   worker processes), and writing them through `Store.upsert` (row + FTS5 + dedup bands), one
   commit per article as the crawl does and in batches of 500 (target: >= 2,000/s);
3. search latency p50/p95 over a mix of queries (text, folded text, phrases, filters, sort by
   date, facets excluded) at --articles stored articles (default 100,000; target p95 < 50 ms).

    python bench/bench_store_search.py [--articles 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synth import PROVINCES, article, write_site  # noqa: E402
from crawler.article_from_page import process_page  # noqa: E402
from indexer.fts import index_fields  # noqa: E402
from indexer.model import Article, Speaker  # noqa: E402
from indexer.query import Query  # noqa: E402
from indexer.sqlite_search import SqliteSearch  # noqa: E402
from indexer.store import Store  # noqa: E402

QUERIES = [
    Query(text="phát ngôn"),
    Query(text="nguoi phat ngon"),
    Query(text="thông tin đối ngoại"),
    Query(text='"khủng hoảng truyền thông"'),
    Query(text="kĩ năng phát ngôn", sort="date"),
    Query(text="chuyển đổi số", include_all=True),
    Query(text="09/2017/NĐ-CP"),
    Query(province="Ninh Bình"),
    Query(text="tập huấn", province="Thanh Hoa"),
    Query(speaker="nguyen van hieu"),
    Query(decree="9/2017/ND-CP"),
    Query(text="báo chí", date_from="2020-01-01", date_to="2021-12-31"),
    Query(text="du lịch cộng đồng", include_all=True),
]


def synth_articles(n: int, seed: int = 11) -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a = article(rng, paragraphs=rng.randint(5, 12))
        relevant = (
            "Tập huấn" in a.title and "du lịch" not in a.title and "nông nghiệp" not in a.title
        )
        out.append(
            Article(
                id=f"b{i:07d}",
                url=f"https://bench{i % 40}.gov.vn/tin/{i}.html",
                source=f"bench{i % 40}",
                title=a.title,
                body=a.body + f"\nBài số {i}.",
                published=f"{a.year}-{a.month:02d}-{a.day:02d}",
                date=f"{a.year}-{a.month:02d}-{a.day:02d}",
                province=a.province,
                province_now=a.province,
                speakers=[Speaker(a.speaker, a.role)],
                decrees=["09/2017/NĐ-CP"] if i % 3 == 0 else [],
                relevant=relevant,
                topics=["phát ngôn"],
                fetched_at="2026-11-22T00:00:00+00:00",
            )
        )
    return out


def bench_extraction(tmp: Path, pages: int = 300) -> float:
    site = tmp / "site"
    paths = write_site(site, pages)
    texts = [(p, (site / p.lstrip("/")).read_text(encoding="utf-8")) for p in paths]
    start = time.perf_counter()
    for path, text in texts:
        process_page(
            f"http://127.0.0.1{path}", text, source="bench", fetched_at="2026-11-22T00:00:00+00:00"
        )
    return (time.perf_counter() - start) * 1000 / len(texts)


def timed_rate(n: int, fn) -> float:
    start = time.perf_counter()
    fn()
    return n / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pressnews-bench-"))

    print(f"extraction + enrichment: {bench_extraction(tmp):.2f} ms/article (generated pages)")

    sample = synth_articles(2000, seed=5)
    fields = []
    rate = timed_rate(len(sample), lambda: fields.extend(index_fields(a) for a in sample))
    print(f"index fields (fingerprint, folded text, keys), one process: {rate:8.0f} articles/s")
    with Store.open(tmp / "one.db") as store:
        rate = timed_rate(
            len(sample),
            lambda: [store.upsert(a, None, f) for a, f in zip(sample, fields, strict=True)],
        )
    print(f"store writes, one commit per article (the crawl's writer): {rate:8.0f} articles/s")
    with Store.open(tmp / "full.db") as store:
        rate = timed_rate(len(sample), lambda: [store.upsert(a) for a in sample])
    print(f"store writes computing the fields too, one process: {rate:8.0f} articles/s")

    articles = synth_articles(args.articles)
    with ProcessPoolExecutor() as pool:  # as a crawl's workers do
        all_fields = list(pool.map(index_fields, articles, chunksize=500))
    with Store.open(tmp / "bench.db") as store:

        def load() -> None:
            for i in range(0, len(articles), 500):
                with store.transaction():
                    for a, f in zip(articles[i : i + 500], all_fields[i : i + 500], strict=True):
                        store.upsert(a, None, f)

        rate = timed_rate(len(articles), load)
        print(
            f"store writes, batches of 500, {len(articles)} articles: {rate:8.0f} articles/s (target >= 2000/s)"
        )
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        search = SqliteSearch(store)
        rng = random.Random(3)
        for q in QUERIES:  # warm the page cache once
            search.search(q)
        times: dict[str, list[float]] = {"text": [], "filters only": [], "text --all": []}
        for _ in range(args.queries):
            q = rng.choice(QUERIES)
            if rng.random() < 0.3:
                q = Query(
                    text=q.text,
                    province=rng.choice(PROVINCES),
                    sort=q.sort,
                    include_all=q.include_all,
                )
            t0 = time.perf_counter()
            search.search(q)
            kind = "filters only" if not q.text else "text --all" if q.include_all else "text"
            times[kind].append((time.perf_counter() - t0) * 1000)
        every = sorted(t for ts in times.values() for t in ts)
        print(f"search over {store.count()} articles, {len(every)} queries (target p95 < 50 ms):")
        for kind, ts in [("all queries", every), *times.items()]:
            ts = sorted(ts)
            if ts:
                p95 = ts[max(0, int(len(ts) * 0.95) - 1)]
                print(
                    f"  {kind:14} n={len(ts):3d}  p50 {statistics.median(ts):6.1f} ms  "
                    f"p95 {p95:6.1f} ms  max {ts[-1]:6.1f} ms"
                )


if __name__ == "__main__":
    main()
