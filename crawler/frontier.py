"""The crawl's frontier on disk: Scrapy's scheduler with its disk queue even without JOBDIR.

Scrapy keeps pending requests in memory unless JOBDIR is set, and JOBDIR also persists the
duplicate filter and resumes the old frontier on the next run (a re-crawl would skip every
page it saw before). This scheduler puts the pending requests in a temporary folder for the
length of one crawl instead (pickled, last in first out as in memory), so the crawl's memory
stays flat however many URLs a sitemap or a listing adds; a request that cannot be pickled
stays in memory as with plain Scrapy. The seen-request fingerprints stay in memory (about
100 bytes a URL). With JOBDIR set it is Scrapy's scheduler unchanged.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from scrapy.core.scheduler import Scheduler


class DiskFrontierScheduler(Scheduler):
    _tmp: str | None = None

    def _dqdir(self, jobdir: str | None) -> str | None:
        if jobdir:
            return super()._dqdir(jobdir)
        self._tmp = tempfile.mkdtemp(prefix="pressnews-frontier-")
        return self._tmp

    def close(self, reason: str) -> Any:
        try:
            return super().close(reason)
        finally:
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None
