"""Page history: the earlier versions of a page that changed, and pages removed from their site.

The store never overwrites evidence. When a re-crawl brings a changed page (a different raw page
and a different article), `Store.upsert` calls `keep_version` first: the stored raw page and the
article extracted from it move to `article_versions` with the time they were fetched and the
time the change was seen. `pressnews reprocess` re-extracts the same raw page: that is not a
page change and keeps no version.

A page that later answers 404 or 410 (or, after a crawl that walked its source's archive to the
end, is no longer listed) is recorded in `removals` by `mark_removed` and kept: its article gets
`removed` (the date), the search index the tag `zgone` (searches hide it unless asked), and the
Elasticsearch sync sends it again. When the page answers again, the next upsert with a freshly
fetched raw page clears the mark (`apply_removal`) and records when it came back.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .fts import REMOVED_TAG
from .model import Article

if TYPE_CHECKING:
    from .store import Store

# The fields whose changes between versions `show --history` lists, with their labels.
TRACKED = (
    ("title", "title"),
    ("date", "date"),
    ("published", "published"),
    ("speakers", "speakers"),
)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# -- versions ----------------------------------------------------------------------------------
def keep_version(conn: sqlite3.Connection, article_id: str, new_body: bytes, seen: str) -> bool:
    """For `Store.upsert`, inside its transaction, before the new raw page is saved, when the
    article it extracted differs from the stored one: keep the stored raw page and article as
    an earlier version, unless the raw page itself is the same (a re-extraction, not a change).
    True when a version was kept."""
    row = conn.execute(
        "SELECT r.url, r.status, r.headers, r.body, r.fetched_at, r.extractor_version, d.data "
        "FROM raw_pages r JOIN articles a ON a.id = r.article_id "
        "JOIN article_docs d ON d.rowid = a.rowid WHERE r.article_id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return False
    url, status, headers, body, fetched_at, version, data = tuple(row)
    try:
        if zlib.decompress(body) == new_body:
            return False
    except zlib.error:
        pass  # an unreadable stored page is still kept, as it is
    conn.execute(
        "INSERT INTO article_versions(article_id, url, status, headers, body, fetched_at, "
        "superseded, extractor_version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (article_id, url, status, headers, body, fetched_at, seen, version, data),
    )
    return True


@dataclass
class Version:
    """One version of an article's page: an earlier one (`superseded` set) or the current one."""

    number: int  # 1 = the oldest kept
    fetched_at: str
    superseded: str | None  # when a changed page replaced it; None for the current version
    article: dict[str, Any]  # the article as extracted from this version
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # against the previous one

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.number,
            "fetched_at": self.fetched_at,
            "superseded": self.superseded,
            "current": self.superseded is None,
            "title": self.article.get("title"),
            "date": self.article.get("date"),
            "speakers": [s.get("name") for s in self.article.get("speakers") or []],
            "changes": {k: {"from": a, "to": b} for k, (a, b) in self.changes.items()},
        }


@dataclass
class Removal:
    article_id: str
    url: str
    removed: str  # ISO time the removal was recorded
    reason: str  # "http 404", "http 410", "no longer listed"
    restored: str | None  # ISO time the page answered again, else None

    def to_json(self) -> dict[str, Any]:
        return {
            "removed": self.removed,
            "reason": self.reason,
            "restored": self.restored,
        }


def _tracked(article: dict[str, Any], key: str) -> Any:
    value = article.get(key)
    if key == "speakers":
        return [s.get("name", "") for s in value or [] if isinstance(s, dict)]
    return value


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What changed in title, date, published and speakers from `old` to `new`."""
    out: dict[str, tuple[Any, Any]] = {}
    for key, _label in TRACKED:
        a, b = _tracked(old, key), _tracked(new, key)
        if a != b:
            out[key] = (a, b)
    return out


def versions(store: Store, article_id: str) -> list[Version]:
    """Every kept version of the article's page, oldest first, the current one last; each with
    what changed (title, date, published, speakers) against the one before. Empty for an
    unknown id."""
    current = store.get(article_id)
    if current is None:
        return []
    rows = store.conn.execute(
        "SELECT fetched_at, superseded, data FROM article_versions WHERE article_id = ? "
        "ORDER BY id",
        (article_id,),
    ).fetchall()
    raw = store.conn.execute(
        "SELECT fetched_at FROM raw_pages WHERE article_id = ?", (article_id,)
    ).fetchone()
    out: list[Version] = []
    for n, (fetched_at, superseded, data) in enumerate(rows, 1):
        out.append(Version(n, fetched_at, superseded, json.loads(data)))
    out.append(
        Version(len(rows) + 1, raw[0] if raw else current.get("fetched_at", ""), None, current)
    )
    for before, after in zip(out, out[1:], strict=False):
        after.changes = changes(before.article, after.article)
    return out


def version_count(store: Store, article_id: str) -> int:
    """How many earlier versions of the article's page are kept."""
    return store.conn.execute(
        "SELECT count(*) FROM article_versions WHERE article_id = ?", (article_id,)
    ).fetchone()[0]


# -- removals ----------------------------------------------------------------------------------
def removal(store: Store, article_id: str) -> Removal | None:
    """The article's latest removal record (restored or not), or None."""
    row = store.conn.execute(
        "SELECT article_id, url, removed, reason, restored FROM removals WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    return Removal(*tuple(row)) if row else None


def apply_removal(conn: sqlite3.Connection, article: Article, fetched_at: str | None) -> bool:
    """For `Store.upsert`, inside its transaction: set `article.removed` from the store. A page
    fetched after its removal was recorded answered again: the removal is closed (`restored`).
    A reprocess (no fetch) keeps it. True when the article is marked removed."""
    row = conn.execute(
        "SELECT removed FROM removals WHERE article_id = ? AND restored IS NULL", (article.id,)
    ).fetchone()
    if row is None:
        article.removed = None
        return False
    if fetched_at is not None and fetched_at > row[0]:
        conn.execute(
            "UPDATE removals SET restored = ? WHERE article_id = ?", (fetched_at, article.id)
        )
        article.removed = None
        return False
    article.removed = row[0][:10]
    return True


def mark_removed(store: Store, article_id: str, reason: str, when: str | None = None) -> bool:
    """Record that the article's page is gone (`reason`: "http 404", "http 410", "no longer
    listed"), keeping the article: its document gets `removed`, the index the removed tag, and
    the Elasticsearch sync sends it again. False when it is unknown or already marked."""
    when = when or _now()
    conn = store.conn
    with store.transaction():
        row = conn.execute("SELECT rowid, url FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return False
        rowid, url = row[0], row[1]
        open_ = conn.execute(
            "SELECT 1 FROM removals WHERE article_id = ? AND restored IS NULL", (article_id,)
        ).fetchone()
        if open_ is not None:
            return False
        conn.execute(
            "INSERT OR REPLACE INTO removals(article_id, url, removed, reason, restored) "
            "VALUES (?, ?, ?, ?, NULL)",
            (article_id, url, when, reason),
        )
        conn.execute(
            "UPDATE article_docs SET data = json_set(data, '$.removed', ?) WHERE rowid = ?",
            (when[:10], rowid),
        )
        conn.execute(
            "UPDATE articles_fts SET tags = tags || ' ' || ? WHERE rowid = ?", (REMOVED_TAG, rowid)
        )
        # An empty content hash: the next write of this article (a re-crawl, a reprocess) is
        # never "unchanged", so the mark is either kept or cleared everywhere at once.
        conn.execute(
            "UPDATE articles SET content_hash = '', updated_at = ?, seq = ? WHERE rowid = ?",
            (when, store._next_seq(), rowid),
        )
    return True


def removed_ids(store: Store) -> set[str]:
    """The ids of every article currently marked removed."""
    return {
        r[0] for r in store.conn.execute("SELECT article_id FROM removals WHERE restored IS NULL")
    }


# The SQL condition "this article row (alias a) is not marked removed".
NOT_REMOVED_SQL = "a.id NOT IN (SELECT article_id FROM removals WHERE restored IS NULL)"
