"""Run history and source health flags, from recorded runs (no crawl needed)."""

from __future__ import annotations

from conftest import make_article

from crawler.bookkeeping import finish_run, list_runs, source_health, start_run
from indexer.model import Article
from indexer.store import Store


def record(store: Store, source: str, pages: int, new: int = 0, errors: dict | None = None) -> str:
    run = start_run(store)
    stats = {f"pressnews/{source}/pages": pages, f"pressnews/{source}/articles_new": new}
    for kind, n in (errors or {}).items():
        stats[f"pressnews/{source}/errors/{kind}"] = n
    return finish_run(store, run, stats, [source], "finished")


def article(i: int, **kw) -> Article:
    fields = {
        "url": f"https://s.vn/{i}",
        "title": f"Bài {i}",
        "body": f"Nội dung riêng số {i}. " * 3,
        "fetched_at": "2026-11-22T00:00:00+00:00",
    }
    return make_article(f"a{i}", **{**fields, **kw})


def test_run_status_and_unreachable_flag(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        assert record(store, "s", pages=0, errors={"dns": 1}) == "failed"
        [row] = source_health(store, ["s"])
        assert "unreachable" in row["flags"] and row["last_success"] is None
        assert list_runs(store)[0].status == "failed"


def test_source_that_suddenly_yields_nothing(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        for i in range(3):
            store.upsert(article(i, published="2026-11-01", province="Hà Nam"))
        record(store, "s", pages=40, new=3)
        record(store, "s", pages=1, new=0)  # a redesign: the start page no longer leads anywhere
        [row] = source_health(store, ["s"])
        assert "yields nothing" in row["flags"]


def test_extraction_drift_is_flagged(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        run = start_run(store)
        for i in range(5):  # no dates, short bodies, no province: the template changed
            store.upsert(article(i))
        finish_run(
            store, run, {"pressnews/s/pages": 20, "pressnews/s/articles_new": 5}, ["s"], "finished"
        )
        [row] = source_health(store, ["s"])
        assert any(f.startswith("drift: with date") for f in row["flags"])
        assert any(f.startswith("drift: normal body") for f in row["flags"])


def test_healthy_source_has_no_flags(tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        run = start_run(store)
        body = "Nội dung đầy đủ của bài viết về tập huấn phát ngôn tại tỉnh. " * 12
        for i in range(4):
            store.upsert(article(i, published="2026-11-01", province="Hà Nam", body=body + str(i)))
        finish_run(
            store, run, {"pressnews/s/pages": 20, "pressnews/s/articles_new": 4}, ["s"], "finished"
        )
        [row] = source_health(store, ["s"])
        assert row["flags"] == [] and row["articles_30d"] == 4 and row["error_rate"] == 0.0
