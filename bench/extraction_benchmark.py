"""Body-extraction quality and speed on the article-extraction-benchmark (181 English news pages).

Scores with the benchmark's own method (scrapinghub/article-extraction-benchmark, evaluate.py):
each text is tokenised on \\w+, cut into 4-word shingles; per page the shingle counts give
TP/FP/FN, normalised by their sum so every page weighs the same; precision is the mean over
pages that predicted something (TP+FP > 0), recall the mean over pages with a truth
(TP+FN > 0), F1 is computed from those two means; ± is 1.96 x the bootstrap standard deviation.

Runs, in the same process and on the same pages: our `extract()` body (with everything else
extract() does: title, date, images, attachments), trafilatura with its defaults, trafilatura as
the benchmark ran it (include_comments=False), trafilatura in fast mode (no fallback extractors,
as extract() runs it), and a full-text baseline (all visible text, like html-text). Prints
ms/page of each (HTML parsing included).

    python bench/extraction_benchmark.py [--data DIR] [--bootstrap 1000]
    python bench/extraction_benchmark.py --vn [--sites DIR]   # the Vietnamese fixture sites
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from crawler.extract.decode import decode_html  # noqa: E402
from crawler.extract.page import extract, is_article  # noqa: E402
from crawler.extract.text import parse_html  # noqa: E402
from vnlang.text import squeeze  # noqa: E402

DATA = REPO.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
SITES = REPO / "search_cli" / "demo" / "sites"
# Published F1 on this data (the benchmark's README) for reference.
PUBLISHED = [
    ("trafilatura 2.0.0", 0.958),
    ("newspaper4k", 0.949),
    ("news-please 1.6.16", 0.948),
    ("readability-lxml", 0.922),
    ("goose3", 0.896),
    ("justext", 0.804),
    ("full-text baseline (html-text)", 0.665),
]
# Tokens as the benchmark defines them.
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
# {{base}} and {{base:X}} templating in fixture pages.
_BASE = re.compile(r"\{\{base(?::[^}]*)?\}\}")

TpFpFn = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_match(true: str, pred: str) -> TpFpFn:
    """Per-page TP/FP/FN over 4-word shingles, normalised so that long pages weigh no more."""
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def metrics(rows: list[TpFpFn]) -> dict[str, float]:
    precision = statistics.mean([_precision(*r) for r in rows if r[0] + r[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*r) for r in rows if r[0] + r[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def with_ci(rows: list[TpFpFn], n_bootstrap: int) -> dict[str, float]:
    result = metrics(rows)
    if n_bootstrap > 1:
        rng = random.Random(0)
        samples: dict[str, list[float]] = {}
        for _ in range(n_bootstrap):
            picked = [rows[rng.randrange(len(rows))] for _ in rows]
            for key, value in metrics(picked).items():
                samples.setdefault(key, []).append(value)
        for key, values in samples.items():
            result[f"{key}_ci"] = 1.96 * statistics.stdev(values)
    return result


def full_text(html: str) -> str:
    """All visible text of the page, one line per block (the html-text baseline)."""
    root = parse_html(html)
    if root is None:
        return ""
    for el in root.xpath("//script|//style|//noscript|//head"):
        el.drop_tree()
    return "\n".join(t for t in (squeeze(x) for x in root.itertext()) if t)


SYSTEMS: list[tuple[str, Callable[[str, str], str]]] = [
    ("pressnews extract()", lambda url, html: extract(url, html).body),
    ("trafilatura defaults", lambda url, html: trafilatura.extract(html, url=url) or ""),
    (
        "trafilatura no comments",
        lambda url, html: trafilatura.extract(html, url=url, include_comments=False) or "",
    ),
    (
        "trafilatura fast",  # no readability/justext fallbacks: the setting extract() uses
        lambda url, html: (
            trafilatura.extract(html, url=url, include_comments=False, fast=True) or ""
        ),
    ),
    ("full-text baseline", lambda url, html: full_text(html)),
]


def run_benchmark(data: Path, n_bootstrap: int) -> None:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key in truth:
        with gzip.open(data / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            pages[key] = f.read()
    print(f"{len(pages)} pages from {data}")
    print(f"{'system':<26} {'precision':>15} {'recall':>15} {'F1':>15} {'ms/page':>8}")
    for name, system in SYSTEMS:
        rows: list[TpFpFn] = []
        spent = 0.0
        for key, html in pages.items():
            start = time.perf_counter()
            predicted = system(truth[key].get("url", ""), html)
            spent += time.perf_counter() - start
            rows.append(shingle_match(truth[key].get("articleBody", ""), predicted))
        m = with_ci(rows, n_bootstrap)
        cells = [f"{m[k]:.3f} ± {m.get(k + '_ci', 0):.3f}" for k in ("precision", "recall", "f1")]
        print(
            f"{name:<26} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15} {1000 * spent / len(pages):8.1f}"
        )
    print("\npublished F1 on the same pages (benchmark README), for reference:")
    for name, f1 in PUBLISHED:
        print(f"  {name:<32} {f1:.3f}")
    judged = sum(is_article(truth[k].get("url", ""), html).is_article for k, html in pages.items())
    print(f"\nis_article: {judged}/{len(pages)} benchmark pages (all articles) judged articles")


def _served_text(site: object, path_qs: str) -> str | None:
    """The page as the crawler sees it: encoded as the fixture server sends it, then decoded."""
    from search_cli.demo.payloads import encode_text

    path, _, query = path_qs.split("#")[0].partition("?")
    path = site.rewrite(path)  # type: ignore[attr-defined]
    found = site.find(site.routes, path, query)  # type: ignore[attr-defined]
    route = found[1] if found else {}
    if route.get("fault") or site.find(site.redirects, path, query):  # type: ignore[attr-defined]
        return None
    file = site.resolve_file(route["file"]) if route.get("file") else site.file_for(path)  # type: ignore[attr-defined]
    if file is None:
        return None
    text = _BASE.sub("http://127.0.0.1:8000", file.read_text(encoding="utf-8", errors="replace"))
    charset = route.get("charset") or site.config.get("charset") or "utf-8"  # type: ignore[attr-defined]
    return decode_html(encode_text(text, charset), f"text/html; charset={charset}")[0]


def _body_checks(body: str, spec: dict) -> list[bool]:
    """expected.json body checks, exact as the crawl tests make them."""
    checks = []
    if spec.get("body_starts_with"):
        checks.append(body.startswith(spec["body_starts_with"]))
    if spec.get("body_ends_with"):
        checks.append(body.rstrip().endswith(spec["body_ends_with"]))
    checks += [x in body for x in spec.get("body_contains", [])]
    checks += [x not in body for x in spec.get("body_excludes", [])]
    if "body_paragraphs" in spec:
        checks.append(len([x for x in body.split("\n") if x.strip()]) == spec["body_paragraphs"])
    return checks


def run_vn(sites_dir: Path) -> None:
    """The fixture sites' expected.json: body checks (starts/ends/contains/excludes, paragraph
    count) for our extract() and for plain trafilatura, title and date for ours, is_article."""
    from search_cli.demo.sites_config import load_expected, load_sites

    files = sorted(sites_dir.glob("*/expected.json"))
    if not files:
        print(f"no fixture sites with expected.json under {sites_dir}")
        return
    totals = {"pressnews extract()": [0, 0, 0.0], "trafilatura defaults": [0, 0, 0.0]}
    meta, verdicts = [0, 0], [0, 0]
    for file in files:
        (site,) = load_sites(sites_dir, [file.parent.name])
        expected = load_expected(file.parent.name, sites_dir)
        for spec in expected.get("articles", []):
            url, html = "http://127.0.0.1:8000" + spec["path"], _served_text(site, spec["path"])
            if html is None:
                continue
            for name in totals:
                start = time.perf_counter()
                if name.startswith("pressnews"):
                    art = extract(url, html)
                    body = art.body
                    meta[0] += (art.title == spec["title"]) + (
                        art.published == spec.get("published")
                    )
                    meta[1] += 2
                else:
                    body = trafilatura.extract(html, url=url) or ""
                totals[name][2] += time.perf_counter() - start
                checks = _body_checks(body, spec)
                totals[name][0] += sum(checks)
                totals[name][1] += len(checks)
            verdicts[0] += is_article(url, html).is_article
            verdicts[1] += 1
        for path in expected.get("non_articles", []):
            html = _served_text(site, path)
            if html is not None:
                verdicts[0] += not is_article("http://127.0.0.1:8000" + path, html).is_article
                verdicts[1] += 1
    pages = verdicts[1]
    for name, (passed, total, spent) in totals.items():
        ms = 1000 * spent / max(1, meta[1] // 2)
        print(f"{name:<22} body checks passed {passed}/{total}  ({ms:.1f} ms/page)")
    print(f"pressnews title+published right {meta[0]}/{meta[1]}")
    print(f"is_article right on {verdicts[0]}/{pages} pages (articles and non-articles)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--vn", action="store_true", help="score the Vietnamese fixture sites")
    parser.add_argument("--sites", type=Path, default=SITES)
    args = parser.parse_args()
    if args.vn:
        run_vn(args.sites)
    else:
        run_benchmark(args.data, args.bootstrap)


if __name__ == "__main__":
    main()
