"""Score the Vietnamese enrichment against hand-labelled articles.

    .venv/bin/python bench/eval_enrich.py [--verbose] [--split dev|heldout|all]
    .venv/bin/python bench/eval_enrich.py --set v2 --split dev -v   # tune on this only
    .venv/bin/python bench/eval_enrich.py --set v2 --split heldout  # report, once per rule set

Set v2 (tests/eval/v2, 360 articles) was written by twelve helper sessions that never read the
enrichment code or set v1, from tests/eval/v2/BRIEF.md, each labelling its own articles. It was
split once, by writer, before any article existed (tests/eval/v2/SPLIT.txt): writers A, C, E
are the development half, B, D, F the held-out half. The held-out half was run once
(HELDOUT_RUN_1.txt), then its errors were read and fixed, so it is no longer evidence; writers
G, H, I then wrote a fresh held-out set ("fresh"), run once (FRESH_RUN_1.txt); its province
misses were read and fixed too, so writers J, K, L wrote a third set ("round3"), the held-out
set of record, run once (ROUND3_RUN_1.txt). Besides the figures below it scores
relevance as precision/recall/F1 and the article-or-not verdict on every brief, rendered in
four CMS page templates (bench/eval_pages.py).

Set v1 (below) is the first release's own set, written next to the rules.

tests/eval/articles.jsonl holds articles written for this purpose with labels written by hand
before tuning; the "heldout" split was written after the code was tuned and is reported apart.
The five real seed articles of ../shared/seeds are scored as a third set when present.

Splits: "dev" (32 articles, written first, the code was tuned on them), "heldout" (16, written
after that tuning) and "fresh" (8, written after the held-out run). Each split was run once
before any fix it prompted; those first runs were:
    heldout: speakers P 0.917 R 0.957 F1 0.936, roles exact 0.909, documents F1 0.971,
             topics F1 0.981, province / province_now / event_date / relevance 1.000
             (then fixed: "Phòng" ended a name, "bà Thu Hà" became a second person, a lower-case
             part inside a unit's name, "nguyên Phó ...", laws outside the known list)
    fresh:   speakers P 1.000 R 0.900 F1 0.947, roles 1.000, documents 1.000, topics F1 0.963,
             accuracies 1.000 (then fixed: a comma inside a unit's name in a title-first role)
The figures this script prints now are therefore optimistic for those splits.

Figures: speakers precision/recall/F1 (matched on folded name; role scored as the exact-match
rate on matched speakers), documents P/R/F1 (exact canonical string), accuracy of province,
province_now, event_date and relevance, topic micro-F1, and enrich() time in ms per article
(also for a ~1,000-word article).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.enrich.enrich_article import enrich  # noqa: E402
from indexer.model import Enrichment, Extracted, Image  # noqa: E402
from vnlang.text import fold  # noqa: E402

EVAL = ROOT / "tests" / "eval" / "articles.jsonl"
EVAL_V2 = ROOT / "tests" / "eval" / "v2"
SEEDS = ROOT.parent / "shared" / "seeds"


class Score:
    def __init__(self) -> None:
        self.tp: dict[str, int] = {}
        self.fp: dict[str, int] = {}
        self.fn: dict[str, int] = {}
        self.right: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self.errors: list[str] = []

    def prf(self, what: str, gold: list[str], got: list[str]) -> tuple[set[str], set[str]]:
        g, o = set(gold), set(got)
        self.tp[what] = self.tp.get(what, 0) + len(g & o)
        self.fp[what] = self.fp.get(what, 0) + len(o - g)
        self.fn[what] = self.fn.get(what, 0) + len(g - o)
        return g - o, o - g

    def acc(self, what: str, ok: bool) -> None:
        self.right[what] = self.right.get(what, 0) + int(ok)
        self.total[what] = self.total.get(what, 0) + 1

    def f1(self, what: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp.get(what, 0), self.fp.get(what, 0), self.fn.get(what, 0)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def rate(self, what: str) -> float:
        return self.right.get(what, 0) / self.total[what] if self.total.get(what) else 1.0


def score_one(sc: Score, aid: str, labels: dict, got: Enrichment) -> None:
    def err(msg: str) -> None:
        sc.errors.append(f"{aid}: {msg}")

    gold_sp = {fold(s["name"]): s for s in labels["speakers"]}
    got_sp = {fold(s.name): s for s in got.speakers}
    missed, extra = sc.prf("speakers", list(gold_sp), list(got_sp))
    for k in sorted(missed):
        err(f"speaker missed: {gold_sp[k]['name']}")
    for k in sorted(extra):
        err(f"speaker extra: {got_sp[k].name} ({got_sp[k].role})")
    for k in gold_sp.keys() & got_sp.keys():
        ok = gold_sp[k]["role"] == got_sp[k].role
        sc.acc("role", ok)
        if not ok:
            err(f"role of {gold_sp[k]['name']}: got {got_sp[k].role!r} want {gold_sp[k]['role']!r}")
    missed, extra = sc.prf("decrees", labels["decrees"], got.decrees)
    for d in sorted(missed):
        err(f"document missed: {d}")
    for d in sorted(extra):
        err(f"document extra: {d}")
    if "topics" in labels:
        missed, extra = sc.prf("topics", labels["topics"], got.topics)
        for t in sorted(missed | extra):
            err(f"topic {'missed' if t in missed else 'extra'}: {t}")
    rel_want, rel_have = labels["relevant"], got.relevant
    sc.tp["relevance"] = sc.tp.get("relevance", 0) + int(rel_want and rel_have)
    sc.fp["relevance"] = sc.fp.get("relevance", 0) + int(rel_have and not rel_want)
    sc.fn["relevance"] = sc.fn.get("relevance", 0) + int(rel_want and not rel_have)
    for what in ("province", "province_now", "event_date", "relevant"):
        want, have = labels[what], getattr(got, what)
        sc.acc(what, want == have)
        if want != have:
            err(f"{what}: got {have!r} want {want!r}")


def load_eval(split: str) -> list[dict]:
    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split == "all" or r.get("split", "dev") == split]


def load_v2(split: str) -> list[dict]:
    rows = [
        json.loads(line)
        for path in sorted(EVAL_V2.glob("writer_*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in rows if split == "all" or r["split"] == split]


def briefs_verdict(rows: list[dict], verbose: bool) -> tuple[int, int]:
    """(pages judged articles with a body, pages) over every brief in every page template."""
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_pages import pages

    from crawler.extract.page import extract, is_article

    right = total = 0
    for r in rows:
        if r.get("kind") != "brief":
            continue
        for label, url, html in pages(r):
            verdict = is_article(url, html)
            ok = verdict.is_article and bool(extract(url, html).body.strip())
            right += ok
            total += 1
            if verbose and not ok:
                print(f"    brief {r['id']} {label}: {verdict.reason}")
    return right, total


def extracted(row: dict) -> Extracted:
    return Extracted(
        url=f"https://eval.invalid/{row['id']}",
        title=row["title"],
        body=row["body"],
        published=row["published"],
        images=[Image(url="", caption=c) for c in row.get("captions", [])],
    )


def run_rows(rows: list[dict]) -> tuple[Score, float]:
    sc = Score()
    items = [(r, extracted(r)) for r in rows]
    enrich(items[0][1])  # warm-up: the gazetteer loads once per process
    start = time.perf_counter()
    results = [enrich(ex, source_province=r.get("source_province")) for r, ex in items]
    ms = (time.perf_counter() - start) * 1000 / max(len(items), 1)
    for (r, _), got in zip(items, results, strict=True):
        score_one(sc, r["id"], r["labels"], got)
    return sc, ms


def load_seeds() -> list[dict]:
    labels_path = SEEDS / "labels.json"
    if not labels_path.exists():
        return []
    sys.path.insert(0, str(ROOT / "tests"))
    from test_seed_labels import seed_body  # the same cleaning as the seed test

    rows = []
    for lab in json.loads(labels_path.read_text(encoding="utf-8")):
        text = (SEEDS / lab["file"]).read_text(encoding="utf-8")
        labels = {k: lab[k] for k in ("province", "province_now", "speakers", "decrees")}
        labels |= {"event_date": lab["event_date"], "relevant": lab["relevant"]}
        rows.append(
            {
                "id": lab["file"][:3],
                "title": lab["title"],
                "body": seed_body(text, lab["title"]),
                "published": lab["published"],
                "labels": labels,
            }
        )
    return rows


def report(name: str, rows: list[dict], verbose: bool) -> None:
    if not rows:
        return
    sc, ms = run_rows(rows)
    print(f"== {name}: {len(rows)} articles, {ms:.2f} ms/article")
    for what in ("speakers", "decrees", "topics"):
        if what in sc.tp or what in sc.fn:
            p, r, f = sc.f1(what)
            print(f"  {what:<13} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(
        f"  {'role exact':<13} {sc.rate('role'):.3f} of {sc.total.get('role', 0)} matched speakers"
    )
    for what in ("province", "province_now", "event_date", "relevant"):
        print(f"  {what:<13} accuracy {sc.rate(what):.3f}")
    if "relevance" in sc.tp or "relevance" in sc.fn:
        p, r, f = sc.f1("relevance")
        print(f"  {'relevance':<13} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if verbose and sc.errors:
        print("  errors:")
        for e in sc.errors:
            print(f"    {e}")


def time_long_article(rows: list[dict], reps: int = 40) -> tuple[float, int]:
    """ms per enrich() call on a ~1,000-word article built from the eval bodies (the median of
    five batches, so that a busy machine does not skew it)."""
    words: list[str] = []
    paras: list[str] = []
    for r in rows:
        paras.append(r["body"])
        words += r["body"].split()
        if len(words) >= 1000:
            break
    ex = Extracted(url="https://eval.invalid/long", title=rows[0]["title"], body="\n".join(paras))
    enrich(ex)
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(reps):
            enrich(ex)
        batches.append((time.perf_counter() - start) * 1000 / reps)
    return sorted(batches)[2], len(ex.body.split())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score crawler.enrich against labelled articles")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every error")
    ap.add_argument("--split", choices=("dev", "heldout", "fresh", "round3", "all"), default=None)
    # v2 splits: dev (writers A, C, E), heldout (B, D, F; run once, then read and fixed),
    # fresh (G, H, I; run once, then read and fixed), round3 (J, K, L; the held-out set of
    # record, run once).
    ap.add_argument("--set", dest="which", choices=("v1", "v2", "both"), default="both")
    args = ap.parse_args(argv)
    if args.which in ("v2", "both"):
        splits = [args.split] if args.split else ["dev", "heldout", "fresh", "round3"]
        writers = {"dev": "ACE", "heldout": "BDF", "fresh": "GHI", "round3": "JKL", "all": "A-L"}
        for split in splits:
            rows = load_v2(split)
            report(f"v2/{split} (writers {writers[split]})", rows, args.verbose)
            right, total = briefs_verdict(rows, args.verbose)
            print(
                f"  {'briefs':<13} article-or-not {right / max(total, 1):.3f} ({right}/{total} pages)"
            )
    if args.which in ("v1", "both"):
        splits = [args.split] if args.split else ["dev", "heldout", "fresh"]
        for split in splits:
            if split in ("dev", "heldout", "fresh", "all"):  # v1 has no round3
                report(f"v1/{split}", load_eval(split), args.verbose and args.which == "v1")
        if not args.split:
            report("v1/all", load_eval("all"), False)
            report("seeds (../shared)", load_seeds(), args.verbose)
    if not args.split:
        ms, n = time_long_article(load_eval("all"))
        print(f"== timing: {ms:.2f} ms per enrich() on a {n}-word article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
