"""Score the grouping of training reports into events against hand-labelled articles.

    .venv/bin/python bench/eval_events.py --split dev [-v]     # tune on this only (P and Q)
    .venv/bin/python bench/eval_events.py --split heldout      # report, once (writer T)

The sets are in tests/eval/events (see SPLIT.txt there): writers who never saw this code each
wrote about 60 articles from tests/eval/events/BRIEF.md: trainings reported by two or three
outlets in different words, look-alike different trainings, near-miss non-trainings. Each
article goes through the real enrichment (`crawler.enrich.enrich`, as a crawl runs it), then
the training facts and the grouping the store uses (`crawler.events`).

Figures: pairwise precision and recall of the grouping over the articles labelled with an event
(a pair is predicted when both articles land in one event; an article judged not relevant is
in no event), plus accuracy of attendance (value and qualifier, null included), format and the
first day, per labelled article.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.enrich.enrich_article import enrich  # noqa: E402
from crawler.events.build import report_record  # noqa: E402
from crawler.events.grouping import can_link, group, score  # noqa: E402
from indexer.model import Extracted, pick_date  # noqa: E402
from vnlang.gazetteer import all_provinces, mentions  # noqa: E402
from vnlang.text import fold  # noqa: E402

EVAL = ROOT / "tests" / "eval" / "events"


def load(split: str) -> list[dict[str, Any]]:
    files = {"dev": ["dev.jsonl", "dev_Q.jsonl"], "heldout": ["heldout_T.jsonl"]}[split]
    rows: list[dict[str, Any]] = []
    for name in files:
        with open(EVAL / name, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def article_doc(row: dict[str, Any]) -> dict[str, Any]:
    """The article as the crawl would store it (enrichment included)."""
    published = row.get("published")
    ex = Extracted(url=row["url"], title=row["title"], body=row["body"], published=published)
    en = enrich(
        ex, source_province=source_province(row.get("outlet") or "", row.get("source") or "")
    )
    return {
        "id": row["id"],
        "url": row["url"],
        "source": row.get("source") or "",
        "title": row["title"],
        "body": row["body"],
        "published": published,
        "event_date": en.event_date,
        "date": pick_date(published, en.event_date),
        "province": en.province,
        "province_now": en.province_now,
        "speakers": [{"name": s.name, "role": s.role} for s in en.speakers],
        "decrees": list(en.decrees),
        "topics": list(en.topics),
        "relevant": en.relevant,
    }


def source_province(outlet: str, source: str) -> str | None:
    """The province a sources file would give this outlet (its optional `province` hint; none
    for a national outlet): the province its name holds ("Báo Nghệ An (Party paper)"), else the
    one its source key names ("thanhsen-hatinh", a ward's portal)."""
    found = mentions(outlet.split("(")[0])
    if found:
        return found[-1].name
    keys = {fold(p.name).replace(" ", ""): p.name for p in all_provinces()}
    for part in reversed(source.split("-")):
        if part in keys:
            return keys[part]
    return None


def pairs(groups: list[list[str]], within: set[str]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for g in groups:
        members = sorted(i for i in g if i in within)
        out.update(itertools.combinations(members, 2))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    rows = load(args.split)
    docs = [article_doc(r) for r in rows]
    inputs = [report_record(d, n) for n, d in enumerate(docs) if d["relevant"]]
    facts = {i.record.id: i for i in inputs}
    groups = group([i.record for i in inputs])
    labelled = {r["id"] for r in rows if r["labels"].get("event")}
    gold_groups: dict[str, list[str]] = {}
    for r in rows:
        if r["labels"].get("event"):
            gold_groups.setdefault(r["labels"]["event"], []).append(r["id"])
    gold = pairs(list(gold_groups.values()), labelled)
    got = pairs(groups, labelled)
    tp = len(gold & got)
    precision = tp / len(got) if got else 1.0
    recall = tp / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_id = {r["id"]: r for r in rows}
    print(f"split {args.split}: {len(rows)} articles, {len(labelled)} labelled with an event, "
          f"{len(gold_groups)} events, {sum(len(g) > 1 for g in gold_groups.values())} reported "
          f"more than once")  # fmt: skip
    print(f"judged relevant: {len(inputs)} (of the labelled: {len(labelled & set(facts))})")
    print(f"events found: {len(groups)}")
    print(f"grouping pairs: gold {len(gold)}, predicted {len(got)}, right {tp}")
    print(f"pairwise precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")

    att_ok = att_n = fmt_ok = fmt_n = start_ok = start_n = 0
    errors: list[str] = []
    for rid in sorted(labelled):
        labels = by_id[rid]["labels"]
        inp = facts.get(rid)
        if inp is None:
            errors.append(f"{rid}: not judged relevant")
            continue
        want = labels.get("attendance")
        got_att = inp.facts.attendance
        ok = (want is None and got_att is None) or (
            want is not None
            and got_att is not None
            and want["value"] == got_att.value
            and (want.get("qualifier") or "") == got_att.qualifier
        )
        att_n += 1
        att_ok += ok
        if not ok:
            errors.append(f"{rid}: attendance {want} got {got_att}")
        if labels.get("format"):
            fmt_n += 1
            fmt_ok += labels["format"] == inp.facts.format
            if labels["format"] != inp.facts.format:
                errors.append(f"{rid}: format {labels['format']} got {inp.facts.format}")
        if "start" in labels:
            start_n += 1
            start_ok += labels["start"] == inp.record.start
            if labels["start"] != inp.record.start:
                errors.append(f"{rid}: start {labels['start']} got {inp.record.start}")
    print(
        f"attendance (value and qualifier) accuracy {att_ok / max(att_n, 1):.3f} ({att_ok}/{att_n})"
    )
    print(f"format accuracy {fmt_ok / max(fmt_n, 1):.3f} ({fmt_ok}/{fmt_n})")
    print(f"first day accuracy {start_ok / max(start_n, 1):.3f} ({start_ok}/{start_n})")
    if args.verbose:
        where = {i: n for n, g in enumerate(groups) for i in g}
        print("\nmissed pairs (same training, apart):")
        for a, b in sorted(gold - got):
            ra, rb = facts.get(a), facts.get(b)
            how = (
                f"link={can_link(ra.record, rb.record)} score={score(ra.record, rb.record):.2f}"
                if ra and rb
                else ""
            )
            print(
                f"  {a} [{where.get(a)}] / {b} [{where.get(b)}]  {by_id[a]['labels']['event']} {how}"
            )
            for x in (a, b):
                rec = facts.get(x)
                if rec:
                    r = rec.record
                    print(f"     {x}: {r.province}/{r.province_now} start={r.start} end={r.end} "
                          f"pub={r.published} phase={r.phase} trainers={sorted(r.trainers)} "
                          f"att={r.attendance} orgs={sorted(r.organisers)}")  # fmt: skip
        print("\nwrong pairs (different, together):")
        for a, b in sorted(got - gold):
            s = score(facts[a].record, facts[b].record)
            print(
                f"  {a} {by_id[a]['labels'].get('event')} / {b} {by_id[b]['labels'].get('event')} score={s:.2f}"
            )
        print("\nper-article errors:")
        for e in errors:
            print("  " + e)


if __name__ == "__main__":
    main()
