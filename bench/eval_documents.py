"""Evaluate the attached-document readers and understanding (`crawler.documents`).

    .venv/bin/python bench/eval_documents.py [-v]

On the evaluation set tests/eval/documents/ (ten documents written for pressnews: plans,
reports, decisions, official letters, a notice; each built in six formats by make_files.py):
1. text recovery per format: token F1 of the text read against the Unicode source (tokens are
   words, compared case-insensitively; the case-sensitive figure is printed beside it);
2. understanding, on the text read from the typed PDF, the DOCX and the OCR of the
   scanned PDF: type, symbol, date and province accuracy, planned trainings found, report
   totals, spokespeople precision/recall;
3. planned-vs-held links: each planned training of the plans linked (indexer.documents.
   link_planned) to the labelled articles, judged relevant and given topics by the crawl's own
   enrichment (crawler.enrich.relevance.judge); precision and recall against labels.json.
OCR figures are printed as they are (Tesseract `vie`, 200-dpi renderings of the text).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.documents.read import read  # noqa: E402
from crawler.documents.understand import understand  # noqa: E402
from crawler.enrich.relevance import judge  # noqa: E402
from indexer.documents import link_planned  # noqa: E402
from vnlang.text import fold  # noqa: E402

EVAL = ROOT / "tests" / "eval" / "documents"
FORMATS = {
    "typed PDF": ".pdf",
    "scanned PDF (OCR)": ".scan.pdf",
    "DOCX": ".docx",
    "DOC": ".doc",
    "TCVN3 DOCX": ".tcvn3.docx",
    "VNI DOCX": ".vni.docx",
}


def token_f1(got: str, want: str, lower: bool = True) -> float:
    def tokens(t: str) -> Counter[str]:
        return Counter(re.findall(r"\w+", t.lower() if lower else t))

    a, b = tokens(got), tokens(want)
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def understanding(texts: dict[str, str], labels: dict, verbose: bool) -> dict[str, str]:
    ok: dict[str, list[bool]] = defaultdict(list)
    sp_tp = sp_fp = sp_fn = 0
    for stem, gold in labels["documents"].items():
        f = understand(texts[stem])
        for key in ("type", "symbol", "date", "province"):
            good = getattr(f, key) == gold[key]
            ok[key].append(good)
            if verbose and not good:
                print(f"    {stem}: {key} {getattr(f, key)!r} != {gold[key]!r}")
        if "planned" in gold:
            good = len(f.planned) == len(gold["planned"])
            ok["planned trainings (count)"].append(good)
            if verbose and not good:
                print(f"    {stem}: planned {[p.topic for p in f.planned]}")
        if "totals" in gold:
            ok["report totals"].append(f.totals == gold["totals"])
            ok["report trainings held (dates)"].append([h.date for h in f.held] == gold["held"])
        if "spokespeople" in gold:
            got = {p.name for p in f.spokespeople}
            want = set(gold["spokespeople"])
            sp_tp += len(got & want)
            sp_fp += len(got - want)
            sp_fn += len(want - got)
            if verbose and got != want:
                print(f"    {stem}: spokespeople {sorted(got)} vs {sorted(want)}")
    out = {k: f"{sum(v)}/{len(v)} = {sum(v) / len(v):.3f}" for k, v in ok.items()}
    p = sp_tp / (sp_tp + sp_fp) if sp_tp + sp_fp else 0.0
    r = sp_tp / (sp_tp + sp_fn) if sp_tp + sp_fn else 0.0
    out["spokespeople P / R"] = f"{p:.3f} / {r:.3f} ({sp_tp} found, {sp_fp} wrong, {sp_fn} missed)"
    return out


def links(texts: dict[str, str], labels: dict, verbose: bool) -> tuple[float, float, int, int, int]:
    articles = []
    for a in labels["articles"]:
        relevant, topics = judge(a["title"], a["body"])
        articles.append({**a, "relevant": relevant, "topics": topics, "event_date": a["date"]})
    gold = {(d, fold(k), a) for d, k, a in labels["links"]}
    predicted = set()
    for stem, g in labels["documents"].items():
        if g["type"] != "plan":
            continue
        facts = understand(texts[stem]).to_json()
        plan = {"id": stem, "symbol": facts.get("symbol"), "extracted": facts}
        candidates = [
            a for a in articles if a["relevant"] and a["province"] == facts.get("province")
        ]
        for entry in link_planned(plan, candidates, []):
            if entry["article"] is None:
                continue
            topic = fold(entry["planned"]["topic"])
            keys = [fold(k) for d, k, _ in labels["links"] if d == stem and fold(k) in topic]
            key = keys[0] if keys else topic
            predicted.add((stem, key, entry["article"]["id"]))
    tp = len(predicted & gold)
    if verbose:
        for x in sorted(predicted - gold):
            print(f"    wrong link: {x}")
        for x in sorted(gold - predicted):
            print(f"    missed link: {x}")
    precision = tp / len(predicted) if predicted else 0.0
    return precision, tp / len(gold), tp, len(predicted), len(gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--set", default="", help="the evaluation set: the first (default) or set2")
    args = parser.parse_args()
    global EVAL
    EVAL = EVAL / args.set if args.set else EVAL
    labels = json.loads((EVAL / "labels.json").read_text("utf-8"))
    sources = {p.stem: p.read_text("utf-8") for p in sorted((EVAL / "source").glob("*.txt"))}
    print(f"Evaluation set: {len(sources)} documents, {EVAL.relative_to(ROOT)}\n")
    print("1. Text recovery (token F1 against the source text; mean, min; case-sensitive mean)")
    print(f"   {'format':<20} {'n':>2}  {'F1':>6}  {'min':>6}  {'cased':>6}  {'s/doc':>6}  flags")
    texts_by_format: dict[str, dict[str, str]] = {}
    for name, suffix in FORMATS.items():
        scores, cased, flags, seconds = [], [], Counter(), []
        texts: dict[str, str] = {}
        for stem, src in sources.items():
            path = EVAL / "files" / f"{stem}{suffix}"
            if not path.exists():
                continue
            start = time.perf_counter()
            result = read(path.read_bytes())
            seconds.append(time.perf_counter() - start)
            texts[stem] = result.text
            scores.append(token_f1(result.text, src))
            cased.append(token_f1(result.text, src, lower=False))
            flags.update(result.flags or ("-",))
            if args.verbose and scores[-1] < 0.95:
                print(f"    {path.name}: F1 {scores[-1]:.3f} {result.flags} {result.note}")
        texts_by_format[name] = texts
        if not scores:
            print(f"   {name:<20}  0  (no files)")
            continue
        shown = ", ".join(f"{k} {v}" for k, v in sorted(flags.items()))
        print(
            f"   {name:<20} {len(scores):>2}  {mean(scores):6.3f}  {min(scores):6.3f}  "
            f"{mean(cased):6.3f}  {mean(seconds):6.2f}  {shown}"
        )
    for name in ("typed PDF", "DOCX", "scanned PDF (OCR)"):
        texts = texts_by_format.get(name) or {}
        if len(texts) < len(sources):
            continue
        print(f"\n2. Understanding, on the text read from the {name}")
        for key, value in understanding(texts, labels, args.verbose).items():
            print(f"   {key:<32} {value}")
        p, r, tp, n_pred, n_gold = links(texts, labels, args.verbose)
        print(
            f"   planned-vs-held links P / R    {p:.3f} / {r:.3f} "
            f"({tp} right of {n_pred} made; {n_gold} labelled)"
        )


if __name__ == "__main__":
    main()
