"""What hiding removed pages costs a search (the `NOT tags : zgone` the SQLite backend adds).

Builds a store of --articles generated articles (as bench_store_search.py does), marks
--removed of them removed, then times the same queries, interleaved, with the default
(removed hidden) and with `include_removed=True` (no removal clause at all).

    python bench/bench_removed.py [--articles 30000] [--removed 300] [--rounds 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_store_search import QUERIES, synth_articles  # noqa: E402
from indexer import history  # noqa: E402
from indexer.fts import index_fields  # noqa: E402
from indexer.sqlite_search import SqliteSearch  # noqa: E402
from indexer.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=30_000)
    ap.add_argument("--removed", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    articles = synth_articles(args.articles)
    with ProcessPoolExecutor() as pool:
        fields = list(pool.map(index_fields, articles, chunksize=500))
    tmp = Path(tempfile.mkdtemp(prefix="pressnews-bench-removed-"))
    with Store.open(tmp / "b.db") as store:
        for i in range(0, len(articles), 500):
            with store.transaction():
                for a, f in zip(articles[i : i + 500], fields[i : i + 500], strict=True):
                    store.upsert(a, None, f)
        step = max(1, len(articles) // max(1, args.removed))
        for a in articles[::step][: args.removed]:
            history.mark_removed(store, a.id, "http 404")
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        search = SqliteSearch(store)
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(args.rounds):
            for q in QUERIES:
                for include in (False, True):
                    q2 = dataclasses.replace(q, include_removed=include)
                    t0 = time.perf_counter()
                    search.search(q2)
                    times[include].append((time.perf_counter() - t0) * 1000)
        print(
            f"{store.count()} articles, {len(history.removed_ids(store))} removed, "
            f"{len(times[False])} searches each"
        )
        for include, label in ((False, "removed hidden (default)"), (True, "--include-removed")):
            ts = sorted(times[include])
            p95 = ts[max(0, int(len(ts) * 0.95) - 1)]
            print(f"  {label:26} p50 {statistics.median(ts):6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
