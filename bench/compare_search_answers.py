"""Compare the search answers of two source trees on the same stores (hits in order, scores,
totals, snippets), for changes that must not change what a search finds.

    python bench/compare_search_answers.py OLD_TREE OLD_DB NEW_TREE NEW_DB [--pairs 0|1]

OLD_TREE/NEW_TREE are checkouts (e.g. `git archive 22ed5c9 | tar -x -C /tmp/old`); each is
imported in its own process and reads its store read-only without the schema check (the two
stores may be copies at different schema versions). Prints the queries whose answers differ.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

TEXTS = ["phát ngôn", "nguoi phat ngon", "thông tin đối ngoại", '"khủng hoảng truyền thông"',
         "kĩ năng phát ngôn", "chuyển đổi số", "09/2017/NĐ-CP", "tập huấn", "báo chí",
         "du lịch cộng đồng", "hội nghị", "yen bai", "nam 2021", "tap huan bao chi", ""]  # fmt: skip
VARIANTS = [
    {}, {"include_all": True}, {"sort": "date"}, {"province": "Thanh Hóa"},
    {"province": "Hà Nam", "province_exact": True}, {"limit": 1}, {"limit": 300},
    {"limit": 3000, "include_all": True}, {"date_from": "2020-01-01", "date_to": "2021-12-31"},
    {"date_from": "2020-03-05", "date_to": "2021-12-31"},
    {"date_from": "2019-01-01", "date_to": "2019-12-31", "sort": "date", "include_all": True},
    {"speaker": "nguyen van hieu"}, {"speaker": "van"}, {"decree": "9/2017/ND-CP"},
    {"decree": "Luật Báo chí"}, {"decree": "41/QĐ-UBND", "include_all": True},
    {"province": "Ninh Bình", "sort": "date", "include_all": True}, {"include_removed": True},
]  # fmt: skip

_CHILD = """
import json, sqlite3, sys
tree, db, out, pairs = sys.argv[1:5]
sys.path.insert(0, tree)
from indexer.query import Query
from indexer.sqlite_search import SqliteSearch
from indexer.store import Store
conn = sqlite3.connect("file:" + db + "?mode=ro", uri=True, isolation_level=None,
                       check_same_thread=False)
conn.row_factory = sqlite3.Row
store = Store(conn, db)
search = SqliteSearch(store) if pairs == "" else SqliteSearch(store, pairs=pairs == "1")
answers = []
for kw in json.loads(sys.stdin.read()):
    r = search.search(Query(**kw))
    hits = [(h.article["id"], h.score, h.snippet, h.duplicates) for h in r.hits]
    answers.append(dict(q=kw, total=r.total, more=r.more_with_all, hits=hits))
json.dump(answers, open(out, "w"), ensure_ascii=False)
"""


def answers(tree: str, db: str, pairs: str, queries: list[dict]) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-c", _CHILD, tree, str(Path(db).resolve()), out.name, pairs],
            input=json.dumps(queries),
            text=True,
            check=True,
        )
        return json.loads(Path(out.name).read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("old_tree")
    ap.add_argument("old_db")
    ap.add_argument("new_tree")
    ap.add_argument("new_db")
    ap.add_argument("--pairs", default="", help="new tree: 1 bigram column, 0 phrase queries")
    args = ap.parse_args()
    queries = [dict(text=t, **v) for t in TEXTS for v in VARIANTS]
    old = answers(args.old_tree, args.old_db, "", queries)
    new = answers(args.new_tree, args.new_db, args.pairs, queries)
    differ = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    for a, b in differ:
        same_set = {h[0] for h in a["hits"]} == {h[0] for h in b["hits"]}
        print(
            f"differs: {a['q']} totals {a['total']}/{a['more']} -> {b['total']}/{b['more']}, "
            f"{'same hits, other order or scores' if same_set else 'other hits'}"
        )
    print(f"{len(queries)} queries, {len(differ)} answers differ")


if __name__ == "__main__":
    main()
