"""Per-URL crawl state read at the start of a crawl, so a re-crawl fetches only what is new.

The state lives in the store (`crawl_state` table, written by the store pipeline); the spider
reads a snapshot for its sources through a separate read-only connection.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class KnownPage:
    kind: str  # "article"
    etag: str | None
    last_modified: str | None
    fetched_at: str | None


class CrawlState:
    def __init__(self, pages: dict[str, KnownPage], complete: bool = False) -> None:
        self.pages = pages
        # The last run ended normally: what it stored is everything the listings then showed,
        # so a listing page with nothing new may end the walk through a pager.
        self.complete = complete

    @classmethod
    def load(cls, db_path: str, sources: list[str]) -> CrawlState:
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
            return cls({})  # an empty or older database: nothing known yet
        finally:
            conn.close()
        complete = last is not None and last[0] in ("ok", "partial")
        return cls(
            {url: KnownPage(kind, etag, lm, fa) for url, kind, etag, lm, fa in rows}, complete
        )

    def get(self, url: str) -> KnownPage | None:
        return self.pages.get(url)
