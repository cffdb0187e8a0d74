"""What an extraction worker process runs before its first page, kept apart from the Scrapy
pipelines: a spawned worker imports the module of every function it is handed, and
`crawler.store_pipelines` would bring Scrapy, Twisted and the store into each worker (~35 MB)."""

from __future__ import annotations

import os
import signal
import threading
import time


def exit_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the crawl process is gone (even by kill -9),
    and leave Ctrl-C to the crawl process.

    A Ctrl-C in a terminal reaches every process of the group: the crawl process stops the
    crawl and then these workers, which must not die of it mid-item with a traceback of their
    own. They start with SIGINT ignored (see `crawler.store_pipelines._spawn_workers`); this
    keeps it so."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def ready() -> None:
    """A no-op task: submitting one per worker starts them all at once."""
