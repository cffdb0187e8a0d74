"""The private-address guard: an untrusted page cannot make the crawler fetch internal addresses;
and the robots.txt parser that keeps a site's Sitemap lines for discovery.

Links and redirects from a public host to loopback, private, link-local (cloud metadata at
169.254.169.254), multicast or reserved addresses are refused, on every hop (redirects come back
through `process_request`) and on the address the host name resolves to. Hosts the user put in
the sources file are trusted as given, so a local or intranet site can still be crawled.
Only http and https are fetched.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import ProtegoRobotParser

from crawler.discovery import sitemaps_from_robots


class ForbiddenAddress(IgnoreRequest):
    pass


@lru_cache(maxsize=4096)
def _resolve(host: str) -> tuple[str, ...]:
    try:
        return tuple({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError, OSError):
        return ()  # unresolvable: the download itself will fail with a DNS error


def forbidden_reason(host: str) -> str | None:
    """Why `host` must not be fetched from an untrusted link, or None."""
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return "loopback host name"
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in _resolve(host)]
    for ip in addresses:
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast:
            return f"{ip} is not a public address"
        if ip.is_reserved or ip.is_unspecified:
            return f"{ip} is a reserved address"
    return None


class PrivateAddressGuard:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivateAddressGuard:
        guard = cls(crawler.stats)
        guard.crawler = crawler
        return guard

    def _trusted(self) -> frozenset[str]:
        spider = self.crawler.spider
        trusted: set[str] = set()
        for src in getattr(spider, "sources", {}).values():
            trusted |= src.trusted_netlocs
        return frozenset(trusted)

    def process_request(self, request: Any, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise ForbiddenAddress(f"scheme {parts.scheme!r} is not fetched")
        if parts.netloc.lower() in self._trusted():
            return None
        reason = forbidden_reason(parts.hostname or "")
        if reason:  # counted by the spider's errback as forbidden_address
            raise ForbiddenAddress(f"refused {request.url}: {reason}")
        return None


class ServerSlots:
    """Politeness per server: requests to host names on one IP address share one download slot.

    Provincial portals often sit on one government data-centre server under many host names.
    Scrapy keys its download slots (CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY,
    AutoThrottle) by host name; this middleware sets each request's `download_slot` to the
    address its host resolves to, so those limits hold per server, and so per host name too.
    (Scrapy's own CONCURRENT_REQUESTS_PER_IP is deprecated (Scrapy 2.19 warns) and refused by its
    default scheduler queue, the one that keeps many sites busy at once.)
    `PRESSNEWS_SLOT_PER_IP = False` turns it off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Any) -> ServerSlots:
        return cls(crawler.settings.getbool("PRESSNEWS_SLOT_PER_IP", True))

    def process_request(self, request: Any, spider: Any = None) -> None:
        if not self.enabled:
            return None
        host = (urlsplit(request.url).hostname or "").lower()
        if request.meta.get("pressnews_slot_host") == host and "download_slot" in request.meta:
            return None  # a retry: its slot stands (a redirect to another host is recomputed)
        request.meta["download_slot"] = server_address(host)
        request.meta["pressnews_slot_host"] = host
        return None


def server_address(host: str) -> str:
    """The address `host` resolves to (the lowest, for a host with several), else `host`."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    addresses = sorted(_resolve(host)) if host else []
    return addresses[0] if addresses else host


class RobotsWithSitemaps(ProtegoRobotParser):
    """Scrapy's robots.txt parser (Protego) that also keeps the file's text.

    Set as `ROBOTSTXT_PARSER`: Scrapy's `RobotsTxtMiddleware` fetches each site's robots.txt
    once and sends `robots_parsed` with this parser; the spider reads the sitemaps named in it
    from here instead of fetching robots.txt a second time."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        super().__init__(robotstxt_body, spider)
        self.text = (robotstxt_body or b"").decode("utf-8", "replace")

    def sitemaps(self, robots_url: str) -> list[str]:
        """The sitemap URLs the file names, resolved against `robots_url`."""
        return sitemaps_from_robots(self.text, robots_url)


REQUEST_LOG_STAT = "pressnews/request_log"


class RequestBudget:
    """At most `PRESSNEWS_REQUEST_BUDGET` downloads in a run (robots.txt, sitemaps, retries and
    redirects included); further requests are dropped with `BudgetSpent`. Every download is
    recorded as (method, URL, status) in the stat `REQUEST_LOG_STAT`. Off when the setting is 0 (a crawl's default);
    `pressnews probe` sets it. Placed near the downloader, so a request robots.txt forbids or
    the address guard refuses costs nothing."""

    def __init__(self, budget: int, stats: Any) -> None:
        self.budget = budget
        self.sent = 0
        self.log: list[tuple[str, str, int]] = []
        self.passed: set[int] = set()  # requests sent on to the download, not yet answered
        stats.set_value(REQUEST_LOG_STAT, self.log)  # the list itself: it grows as the run goes

    @classmethod
    def from_crawler(cls, crawler: Any) -> RequestBudget:
        from scrapy.exceptions import NotConfigured

        budget = crawler.settings.getint("PRESSNEWS_REQUEST_BUDGET", 0)
        if budget <= 0:
            raise NotConfigured
        return cls(budget, crawler.stats)

    def process_request(self, request: Any, spider: Any = None) -> None:
        if self.sent >= self.budget:
            raise BudgetSpent(f"request budget of {self.budget} spent: {request.url}")
        self.sent += 1
        self.passed.add(id(request))
        return None

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        self.passed.discard(id(request))
        self.log.append((request.method, request.url, response.status))
        return response

    def process_exception(self, request: Any, exception: Exception, spider: Any = None) -> None:
        if id(request) in self.passed:  # not the requests dropped before the download
            self.passed.discard(id(request))
            self.log.append((request.method, request.url, 0))  # 0: no answer (time-out, reset)
        return None


class BudgetSpent(IgnoreRequest):
    pass
