"""Naming what went wrong: failures by kind, and pages that answer 200 but are not content."""

from __future__ import annotations

import re
from typing import Any

from twisted.internet import defer
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# Anti-bot challenges and block pages that some portals and CDNs answer with HTTP 200.
_BLOCKED_TITLE = re.compile(
    r"(just a moment|attention required|access denied|checking your browser|ddos protection|"
    r"request rejected|the requested url was rejected|bị chặn|truy cập bị từ chối|captcha)",
    re.IGNORECASE,
)
_BLOCKED_MARKERS = re.compile(
    r"(cf-chl-|cf_chl_|challenge-platform|/cdn-cgi/challenge|g-recaptcha|hcaptcha|"
    r"support id is|incapsula incident|_incapsula_resource|sucuri website firewall)",
    re.IGNORECASE,
)


def blocked_reason(tree: Any) -> str | None:
    """Why a 200 page is an anti-bot challenge or block page, or None."""
    title = " ".join(tree.xpath("//title//text()"))[:300]
    if _BLOCKED_TITLE.search(title):
        return f"challenge title {title.strip()!r}"
    head = " ".join(tree.xpath("//script/@src | //form/@action | //div/@id | //div/@class"))[:5000]
    body_text = " ".join(tree.xpath("//body//text()"))
    if _BLOCKED_MARKERS.search(head) and len(body_text) < 3000:
        return "challenge markers"
    return None


def classify_failure(failure: Failure) -> str:
    """A short kind for a failed request: http_503, timeout, dns, refused, reset, too_large, ..."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(TimeoutError, TCPTimedOutError, defer.TimeoutError):
        return "timeout"
    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(ConnectionRefusedError):
        return "refused"
    if failure.check(defer.CancelledError):
        return "too_large"
    if failure.check(ResponseNeverReceived, ConnectionLost, ResponseFailed):
        text = failure.getErrorMessage().lower()
        return "truncated" if "length" in text or "partial" in text else "reset"
    if failure.check(ConnectError):
        return "connect"
    if failure.check(IgnoreRequest):
        return "ignored"
    return failure.type.__name__.lower() if failure.type else "error"
