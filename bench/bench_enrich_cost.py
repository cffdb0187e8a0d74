"""Enrichment cost per article now against a baseline revision, measured in the same run.

    .venv/bin/python bench/bench_enrich_cost.py [--baseline REV] [--rounds 5] [--evidence]

The baseline's code is unpacked from git (`git archive REV`) into a temporary folder and timed
in a subprocess on the same articles (the v1 set and the development half of v2, the texts a
crawl of these sites would see), then this checkout's code. Prints the median of the rounds in
ms per article for each and their ratio (issue 8: within 2x of the first release's cost).
`--evidence` times this checkout's `enrich_with_evidence` (what a crawl runs: the values and
where each came from) instead of `enrich`; a baseline without it runs `enrich`.
`--evidence-overhead` times this checkout only: `enrich` and `enrich_with_evidence` in turn,
round after round in one process, and prints the cost of the evidence as their ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_RELEASE = "897933c"

TIMER = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
try:
    from crawler.enrich.enrich_article import enrich
    from indexer.model import Extracted, Image
except ImportError:  # the first release's layout
    from crawler.enrich.pipeline import enrich
    from crawler.items import Extracted, Image
if sys.argv[4] == "evidence":
    try:
        from crawler.enrich.enrich_article import enrich_with_evidence as enrich
    except ImportError:  # a baseline from before evidence
        pass
rows = json.loads(open(sys.argv[2], encoding="utf-8").read())
items = [Extracted(url="https://eval.invalid/" + r["id"], title=r["title"], body=r["body"],
                   published=r.get("published"),
                   images=[Image(url="", caption=c) for c in r.get("captions", [])]) for r in rows]
for ex in items[:5]:
    enrich(ex)
rounds = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    for r, ex in zip(rows, items):
        enrich(ex, source_province=r.get("source_province"))
    rounds.append((time.perf_counter() - start) * 1000 / len(items))
print(json.dumps(statistics.median(rounds)))
"""


def articles() -> list[dict]:
    rows = [
        json.loads(x) for x in (ROOT / "tests/eval/articles.jsonl").read_text().splitlines() if x
    ]
    for path in sorted((ROOT / "tests/eval/v2").glob("writer_*.jsonl")):
        rows += [
            r
            for r in (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x)
            if r["split"] == "dev"
        ]
    return rows


def time_code(code_dir: Path, data: Path, rounds: int, evidence: bool = False) -> float:
    mode = "evidence" if evidence else "plain"
    done = subprocess.run(
        [sys.executable, "-c", TIMER, str(code_dir), str(data), str(rounds), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


OVERHEAD = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from crawler.enrich.enrich_article import enrich, enrich_with_evidence
from indexer.model import Extracted, Image
rows = json.loads(open(sys.argv[2], encoding="utf-8").read())
items = [Extracted(url="https://eval.invalid/" + r["id"], title=r["title"], body=r["body"],
                   published=r.get("published"),
                   images=[Image(url="", caption=c) for c in r.get("captions", [])]) for r in rows]
def timed(fn):
    start = time.perf_counter()
    for r, ex in zip(rows, items):
        fn(ex, source_province=r.get("source_province"))
    return (time.perf_counter() - start) * 1000 / len(items)
timed(enrich), timed(enrich_with_evidence)
plain, full = [], []
for _ in range(int(sys.argv[3])):
    plain.append(timed(enrich))
    full.append(timed(enrich_with_evidence))
print(json.dumps([statistics.median(plain), statistics.median(full)]))
"""


def evidence_overhead(data: Path, rounds: int) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", OVERHEAD, str(ROOT), str(data), str(rounds)],
        capture_output=True,
        text=True,
        check=True,
    )
    plain, full = json.loads(done.stdout)
    return plain, full


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=FIRST_RELEASE, help="git revision to compare with")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument(
        "--evidence", action="store_true", help="time enrich_with_evidence in this checkout"
    )
    ap.add_argument(
        "--evidence-overhead",
        action="store_true",
        help="this checkout only: enrich against enrich_with_evidence, interleaved",
    )
    args = ap.parse_args()
    rows = articles()
    if args.evidence_overhead:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "articles.json"
            data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
            plain, full = evidence_overhead(data, args.rounds)
        print(f"{len(rows)} articles, median of {args.rounds} interleaved rounds")
        print(f"enrich:               {plain:.2f} ms/article")
        print(f"enrich_with_evidence: {full:.2f} ms/article")
        print(f"evidence overhead: {full / plain:.2f}x")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "articles.json"
        data.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.baseline], capture_output=True, check=True
        ).stdout
        base_dir = Path(tmp) / "baseline"
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(base_dir, filter="data")
        base = time_code(base_dir, data, args.rounds)
        now = time_code(ROOT, data, args.rounds, args.evidence)
    print(f"{len(rows)} articles, median of {args.rounds} rounds")
    print(f"baseline {args.baseline}: {base:.2f} ms/article")
    what = " (with evidence)" if args.evidence else ""
    print(f"this checkout{what}: {now:.2f} ms/article")
    print(f"ratio: {now / base:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
