"""Crawl bookkeeping in the store: per-URL crawl state (what the next crawl may skip or ask
conditionally), run history (what each crawl did), the crawl's stat keys, and source health.

The state and runs live in the store's `crawl_state`, `runs` and `run_sources` tables; the
spider reads a snapshot of the state through a separate read-only connection (`CrawlState`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.items import FrontierItem, PageItem, Revisit, SeenPage
from crawler.urls import canonical_article_url, clean_url
from indexer import history
from indexer.store import Store, now_iso

# The stat the crawl runner sets to the name of the signal that stopped a crawl.
SIGNAL_STAT = "pressnews/signal"
# Share of a source's new articles that normally have these; a run far below is "drift".
DRIFT_FLOOR = {"with_date": 0.5, "normal_body": 0.6, "with_province": 0.4}


def start_run(store: Store) -> int:
    """Record a new run. Runs still marked running were killed (the caller holds the lock)."""
    store.conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
    cur = store.conn.execute(
        "INSERT INTO runs(started, status) VALUES (?, 'running')", (now_iso(),)
    )
    return int(cur.lastrowid or 0)


def close_running_runs(store: Store, signal: str | None = None) -> int:
    """Record the runs still marked running as interrupted, ending now (the caller holds the
    lock): a crawl that a second signal stopped before its pipelines could record it."""
    summary: dict[str, Any] = {"finish_reason": "forced"}
    if signal:
        summary["signal"] = signal
    cur = store.conn.execute(
        "UPDATE runs SET status = 'interrupted', ended = ?, summary = ? WHERE status = 'running'",
        (now_iso(), json.dumps(summary)),
    )
    return cur.rowcount


def source_failed(pages: int, errors: dict[str, Any], reason: str) -> bool:
    """A source failed entirely: nothing fetched, and errors (or the crawl ended early).

    The one rule for both the run's record (`finish_run`) and `pressnews crawl`'s exit status."""
    return pages == 0 and (bool(errors) or reason != "finished")


def record_crawl_state(store: Store, item: PageItem) -> None:
    """Remember an article's URLs and validators, so the next crawl can skip or ask conditionally."""
    assert item.article is not None
    etag = item.headers.get("etag")
    last_modified = item.headers.get("last-modified")
    urls = {clean_url(u) for u in item.seen_urls} | {item.url}
    store.conn.executemany(
        "INSERT INTO crawl_state(url, source, kind, article_id, status, etag, last_modified, fetched_at) "
        "VALUES (?, ?, 'article', ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
        "source = excluded.source, kind = excluded.kind, article_id = excluded.article_id, "
        "status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified, "
        "fetched_at = excluded.fetched_at",
        [
            (u, item.source, item.article.id, item.status, etag, last_modified, item.fetched_at)
            for u in urls
        ],
    )


def record_seen_page(store: Store, page: SeenPage) -> None:
    """Remember a page that is not an article with its validators (never over an article's)."""
    store.conn.execute(
        "INSERT INTO crawl_state(url, source, kind, article_id, status, etag, last_modified, fetched_at) "
        "VALUES (?, ?, 'page', NULL, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
        "status = excluded.status, etag = excluded.etag, last_modified = excluded.last_modified, "
        "fetched_at = excluded.fetched_at WHERE crawl_state.kind = 'page'",
        (page.url, page.source, page.status, page.etag, page.last_modified, page.fetched_at),
    )


def record_revisit(store: Store, item: Revisit) -> str | None:
    """A stored article's page answered 304 (still there) or 404/410 (removed: recorded, the
    article kept). Returns the article's date when it is still there (a date seen this run)."""
    row = store.conn.execute(
        "SELECT c.article_id, a.date FROM crawl_state c JOIN articles a ON a.id = c.article_id "
        "WHERE c.url = ? AND c.kind = 'article'",
        (item.url,),
    ).fetchone()
    if row is None:
        return None
    if item.status in (404, 410):
        history.mark_removed(store, row[0], f"http {item.status}", item.fetched_at)
        store.conn.execute(
            "UPDATE crawl_state SET status = ?, fetched_at = ? WHERE url = ?",
            (item.status, item.fetched_at, item.url),
        )
        return None
    return row[1]


# Why a run did not walk a source's archive to its end, in the order they are told.
_STOPPED = (
    ("cap_reached", "max_pages reached"),
    ("listing_failed", "listing pages failed"),
    ("listing_pages_with_nothing_new", "incremental: pager left at a page with nothing new"),
    ("listing_not_modified", "incremental: listing pages not modified, not read again"),
    ("nav_depth_capped", "navigation depth limit"),
)


def record_coverage(
    store: Store,
    run_id: int | None,
    stats: dict[str, Any],
    provinces: dict[str, str | None],
    reason: str,
) -> dict[str, bool]:
    """Write what the run reached per source (`source_coverage`): pages fetched and failed, the
    deepest listing page, the oldest and newest article dates seen, whether the archive was
    walked to its end and, if not, why. `provinces` maps each crawled source to its province
    hint. Returns, per source, whether its archive was walked to its end."""
    out: dict[str, bool] = {}
    if run_id is None:
        return out
    with store.transaction():
        for src, province in provinces.items():
            s = source_stats(stats, src)
            pages = int(s.get("pages", 0))
            failed = sum(int(v) for v in s["errors"].values())
            if reason != "finished":
                stopped = "interrupted"
            elif pages == 0:
                stopped = "nothing fetched"
            else:
                stopped = next((text for key, text in _STOPPED if s.get(key)), "")
            out[src] = not stopped
            store.conn.execute(
                "INSERT OR REPLACE INTO source_coverage(run_id, source, province, pages, failed, "
                "listing_depth, walked_to_end, stopped, oldest, newest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    src,
                    province,
                    pages,
                    failed,
                    int(s.get("listing_depth", 0)),
                    int(not stopped),
                    stopped,
                    s.get("oldest"),
                    s.get("newest"),
                ),
            )
    return out


# A walk that finds more than this share of a source's stored articles gone from its listings
# (and more than a handful) is taken for a broken discovery, not for removals.
UNLISTED_MAX_SHARE = 0.5


def record_unlisted(store: Store, source: str, seen: set[str]) -> int:
    """After a run that walked `source`'s archive to its end: mark removed ("no longer listed")
    each stored article of the source none of whose URLs was seen (`seen`: canonical keys, as
    `canonical_article_url` gives them). Returns how many were marked; none (and -N) when N
    is too many to be believed (a redesign that broke discovery looks the same)."""
    by_article: dict[str, list[str]] = {}
    rows = store.conn.execute(
        "SELECT c.article_id, c.url FROM crawl_state c WHERE c.source = ? AND c.kind = 'article' "
        "AND c.article_id NOT IN (SELECT article_id FROM removals WHERE restored IS NULL)",
        (source,),
    )
    for aid, url in rows:
        by_article.setdefault(aid, []).append(url)
    missing = [
        aid
        for aid, urls in by_article.items()
        if not any(canonical_article_url(u) in seen for u in urls)
    ]
    if len(missing) > 3 and len(missing) > UNLISTED_MAX_SHARE * len(by_article):
        return -len(missing)
    when = now_iso()
    return sum(history.mark_removed(store, aid, "no longer listed", when) for aid in missing)


def record_frontier(store: Store, item: FrontierItem) -> None:
    """Write one callback's frontier rows and done marks (the caller's transaction, or one).

    A `skipped` row never replaces a `pending` or `done` one (a link skipped in budget mode but
    already requested or fetched stays so); a `pending` row replaces anything (requested
    again: it is pending until its page is processed)."""
    now = now_iso()
    with store.transaction():
        if item.done:
            mark_frontier_done(store, item.done)
        store.conn.executemany(
            "INSERT INTO frontier(url, source, kind, state, score, reason, data, discovered, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "state = excluded.state, score = excluded.score, reason = excluded.reason, "
            "data = coalesce(excluded.data, frontier.data), updated = excluded.updated "
            "WHERE excluded.state = 'pending' OR frontier.state = 'skipped'",
            [
                (r.url, item.source, r.kind, r.state, r.score, r.reason, r.data, now, now)
                for r in item.rows
            ],
        )


def mark_frontier_done(store: Store, keys: list[str]) -> None:
    """The pages of these frontier keys were processed (rows not in the frontier are ignored)."""
    now = now_iso()
    store.conn.executemany(
        "UPDATE frontier SET state = 'done', reason = '', updated = ? "
        "WHERE url = ? AND state != 'done'",
        [(now, k) for k in keys],
    )


def frontier_counts(store: Store, sources: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Per source, what is still unfetched: `skipped` (budget mode), `pending` (left by the
    per-source cap or an interrupted run), and `listings` (listing pages among the pending:
    the archive walk has not reached its end). Empty for a database without the table."""
    try:
        rows = store.conn.execute(
            "SELECT source, state, kind IN ('listing', 'postback') AS walk, count(*) FROM frontier "
            "WHERE state IN ('pending', 'skipped') GROUP BY 1, 2, 3"
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    out: dict[str, dict[str, int]] = {}
    for source, state, walk, n in rows:
        if sources is not None and source not in sources:
            continue
        c = out.setdefault(source, {"skipped": 0, "pending": 0, "listings": 0})
        c[state] += n
        if walk and state == "pending":
            c["listings"] += n
    return out


def source_stats(stats: dict[str, Any], source: str) -> dict[str, Any]:
    prefix = f"pressnews/{source}/"
    out: dict[str, Any] = {"errors": {}}
    for key, value in stats.items():
        if not isinstance(key, str) or not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        if name.startswith("errors/"):
            out["errors"][name[7:]] = value
        else:
            out[name] = value
    return out


def _quality(store: Store, source: str, since: str) -> dict[str, Any]:
    row = store.conn.execute(
        "SELECT count(*), sum(published IS NOT NULL), "
        "sum(body_len >= 400), sum(province IS NOT NULL) "
        "FROM articles WHERE source = ? AND updated_at >= ?",
        (source, since),
    ).fetchone()
    n = row[0] or 0
    if not n:
        return {"articles": 0}
    return {
        "articles": n,
        "with_date": round((row[1] or 0) / n, 3),
        "normal_body": round((row[2] or 0) / n, 3),
        "with_province": round((row[3] or 0) / n, 3),
    }


def finish_run(
    store: Store, run_id: int | None, stats: dict[str, Any], sources: list[str], reason: str
) -> str:
    """Write per-source figures and the run's status: ok, partial (a source failed), failed
    (every source failed), or interrupted (the crawl did not finish: a signal, a time limit).

    The summary names the failed sources with their errors by kind (`refused`, `dns`, ...),
    and the signal that stopped the crawl, if one did."""
    if run_id is None:
        return "unknown"
    started = store.conn.execute("SELECT started FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    failed = []
    failed_errors: dict[str, dict[str, int]] = {}
    with store.transaction():
        for src in sources:
            s = source_stats(stats, src)
            pages = int(s.get("pages", 0))
            errors = s["errors"]
            if source_failed(pages, errors, reason):
                failed.append(src)
                failed_errors[src] = dict(sorted(errors.items()))
            store.conn.execute(
                "INSERT OR REPLACE INTO run_sources(run_id, source, pages, new, updated, unchanged, "
                "not_modified, errors, quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    src,
                    pages,
                    int(s.get("articles_new", 0)),
                    int(s.get("articles_updated", 0)),
                    int(s.get("articles_unchanged", 0)),
                    int(s.get("not_modified", 0)),
                    json.dumps(errors, sort_keys=True),
                    json.dumps(_quality(store, src, started)),
                ),
            )
        if reason == "finished" and sources:
            # The queue drained: whatever was requested was processed (or filtered, or failed);
            # only the links the per-source cap refused stay pending for the next run.
            marks = ",".join("?" * len(sources))
            store.conn.execute(
                f"UPDATE frontier SET state = 'done', updated = ? WHERE state = 'pending' "
                f"AND reason != 'cap' AND source IN ({marks})",
                (now_iso(), *sources),
            )
        if reason not in ("finished",):
            status = "interrupted"
        elif failed and len(failed) == len(sources):
            status = "failed"
        elif failed:
            status = "partial"
        else:
            status = "ok"
        summary: dict[str, Any] = {
            "finish_reason": reason,
            "failed_sources": failed,
            "errors": failed_errors,
        }
        if stats.get(SIGNAL_STAT):
            summary["signal"] = stats[SIGNAL_STAT]
        unfetched = frontier_counts(store, sources)
        if unfetched:
            summary["unfetched"] = unfetched
        store.conn.execute(
            "UPDATE runs SET ended = ?, status = ?, summary = ? WHERE id = ?",
            (now_iso(), status, json.dumps(summary), run_id),
        )
    return status


@dataclass
class RunRow:
    id: int
    started: str
    ended: str | None
    status: str
    sources: list[dict[str, Any]]
    # finish_reason, failed_sources, errors (of the failed sources, by kind), signal
    summary: dict[str, Any] = field(default_factory=dict)


def _summary(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def list_runs(store: Store, limit: int = 20) -> list[RunRow]:
    runs = store.conn.execute(
        "SELECT id, started, ended, status, summary FROM runs ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    out = []
    for r in runs:
        rows = store.conn.execute(
            "SELECT source, pages, new, updated, unchanged, not_modified, errors FROM run_sources "
            "WHERE run_id = ? ORDER BY source",
            (r["id"],),
        ).fetchall()
        srcs = [dict(x) | {"errors": json.loads(x["errors"])} for x in rows]
        out.append(
            RunRow(r["id"], r["started"], r["ended"], r["status"], srcs, _summary(r["summary"]))
        )
    return out


def stored_sources(store: Store) -> list[str]:
    """Every source the database knows: those its runs crawled and those of its articles."""
    rows = store.conn.execute(
        "SELECT source FROM run_sources UNION SELECT DISTINCT source FROM articles ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows if r[0]]


def source_health(store: Store, sources: list[str]) -> list[dict[str, Any]]:
    """Per source: last success, articles in the last 30 days, error rate, and flags."""
    since = (datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0).isoformat()
    out = []
    for src in sources:
        rows = store.conn.execute(
            "SELECT r.started, r.status, s.pages, s.new, s.updated, s.errors, s.quality "
            "FROM run_sources s JOIN runs r ON r.id = s.run_id WHERE s.source = ? "
            "ORDER BY r.id DESC LIMIT 10",
            (src,),
        ).fetchall()
        recent = store.conn.execute(
            "SELECT count(*) FROM articles WHERE source = ? AND first_seen >= ?", (src, since)
        ).fetchone()[0]
        flags = []
        last_ok = next((r["started"] for r in rows if r["pages"] and r["status"] != "failed"), None)
        pages = sum(r["pages"] for r in rows)
        errors = sum(sum(json.loads(r["errors"]).values()) for r in rows)
        if rows:
            latest = rows[0]
            if latest["pages"] == 0:
                flags.append("unreachable")
            elif latest["pages"] > 0 and latest["new"] + latest["updated"] == 0:
                earlier = [r for r in rows[1:] if r["new"] > 0]
                total_known = store.conn.execute(
                    "SELECT count(*) FROM articles WHERE source = ?", (src,)
                ).fetchone()[0]
                if total_known == 0 or (earlier and latest["pages"] <= 2):
                    flags.append("yields nothing")
            if json.loads(latest["errors"]).get("blocked"):
                flags.append("blocked")
            q = json.loads(latest["quality"])
            if q.get("articles", 0) >= 3:
                for key, floor in DRIFT_FLOOR.items():
                    if q.get(key, 1) < floor:
                        flags.append(f"drift: {key.replace('_', ' ')} {q[key]:.0%}")
        else:
            flags.append("never crawled")
        out.append(
            {
                "source": src,
                "last_success": last_ok,
                "articles_30d": recent,
                "error_rate": round(errors / (pages + errors), 3) if pages + errors else None,
                "flags": flags,
            }
        )
    return out


@dataclass(frozen=True)
class KnownPage:
    kind: str  # "article", or "page" for a page that is not an article
    etag: str | None
    last_modified: str | None
    fetched_at: str | None


@dataclass(frozen=True)
class FrontierEntry:
    """A frontier row a run starts from: a pending request to resume, or a skipped article."""

    url: str
    kind: str  # "article", "listing" or "postback"
    score: float
    reason: str
    data: str | None


class CrawlState:
    def __init__(
        self,
        pages: dict[str, KnownPage],
        complete: bool = False,
        resume: dict[str, list[FrontierEntry]] | None = None,
        backlog: dict[str, list[FrontierEntry]] | None = None,
    ) -> None:
        self.pages = pages
        # The last run ended normally: what it stored is everything the listings then showed,
        # so a listing page with nothing new may end the walk through a pager.
        self.complete = complete
        # Per source: requests a capped or interrupted run left pending (the rest of an
        # archive walk among them), and the best of the articles budget mode skipped.
        self.resume = resume or {}
        self.backlog = backlog or {}
        # Every article URL budget mode skipped and no run has fetched yet: known, not new.
        self.skipped: set[str] = set()

    @classmethod
    def load(
        cls, db_path: str, sources: list[str], backlog: dict[str, int] | None = None
    ) -> CrawlState:
        if not Path(db_path).exists() or not sources:
            return cls({})
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            marks = ",".join("?" * len(sources))
            rows = conn.execute(
                f"SELECT url, kind, etag, last_modified, fetched_at FROM crawl_state "
                f"WHERE source IN ({marks})",
                sources,
            ).fetchall()
            last = conn.execute("SELECT status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.Error:
            conn.close()
            return cls({})  # an empty or older database: nothing known yet
        resume: dict[str, list[FrontierEntry]] = {}
        skipped: dict[str, list[FrontierEntry]] = {}
        try:
            for source, url, kind, score, reason, data in conn.execute(
                f"SELECT source, url, kind, score, reason, data FROM frontier "
                f"WHERE state = 'pending' AND source IN ({marks}) ORDER BY score DESC, url",
                sources,
            ):
                resume.setdefault(source, []).append(FrontierEntry(url, kind, score, reason, data))
            for source, limit in (backlog or {}).items():
                if source not in sources or limit <= 0:
                    continue
                skipped[source] = [
                    FrontierEntry(*r)
                    for r in conn.execute(
                        "SELECT url, kind, score, reason, data FROM frontier WHERE source = ? "
                        "AND state = 'skipped' ORDER BY score DESC, url LIMIT ?",
                        (source, limit),
                    )
                ]
            skipped_urls = {
                r[0]
                for r in conn.execute(
                    f"SELECT url FROM frontier WHERE state = 'skipped' AND source IN ({marks})",
                    sources,
                )
            }
        except sqlite3.Error:
            skipped_urls = set()  # a database from before the frontier: nothing to resume
        finally:
            conn.close()
        complete = last is not None and last[0] in ("ok", "partial")
        state = cls(
            {url: KnownPage(kind, etag, lm, fa) for url, kind, etag, lm, fa in rows},
            complete,
            resume,
            skipped,
        )
        state.skipped = skipped_urls
        return state

    def get(self, url: str) -> KnownPage | None:
        return self.pages.get(url)

    @staticmethod
    def document_validators(db_path: str) -> dict[str, tuple[str | None, str | None]]:
        """URL -> (ETag, Last-Modified) of the stored attached documents (none in an older or
        empty database)."""
        if not Path(db_path).exists():
            return {}
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
        try:
            rows = conn.execute("SELECT url, etag, last_modified FROM documents").fetchall()
        except sqlite3.Error:
            return {}
        finally:
            conn.close()
        return {url: (etag, lm) for url, etag, lm in rows}
