"""Naming what went wrong: failures by kind, and pages that answer 200 but are not content."""

from __future__ import annotations

import re
from typing import Any

from twisted.python.failure import Failure

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


# Failure classes by name (Twisted's and Scrapy's; Scrapy renamed several in 2.13+), to kinds.
_KINDS = {
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "DownloadTimeoutError": "timeout",
    "DNSLookupError": "dns",
    "CannotResolveHostError": "dns",
    "ConnectionRefusedError": "refused",
    "DownloadConnectionRefusedError": "refused",
    "CancelledError": "too_large",
    "DownloadCancelledError": "too_large",
    "ResponseDataLossError": "truncated",
    "ResponseFailed": "reset",
    "ResponseNeverReceived": "reset",
    "ConnectionLost": "reset",
    "ConnectionDone": "reset",
    "DownloadFailedError": "reset",
    "ConnectError": "connect",
    "ForbiddenAddress": "forbidden_address",
    "UnsupportedURLSchemeError": "forbidden_scheme",
}


def classify_failure(failure: Failure) -> str:
    """A short kind for a failed request: http_503, timeout, dns, refused, reset, too_large, ..."""
    from scrapy.spidermiddlewares.httperror import HttpError

    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    for cls in failure.type.__mro__ if failure.type else ():
        kind = _KINDS.get(cls.__name__)
        if kind:
            if kind == "reset" and "length" in failure.getErrorMessage().lower():
                return "truncated"
            return kind
    message = failure.getErrorMessage().lower()
    if "robots.txt" in message:
        return "robots_disallowed"
    if "redirect" in message:
        return "redirect_loop"
    if "maxsize" in message or "max size" in message or "larger than" in message:
        return "too_large"
    return failure.type.__name__.lower() if failure.type else "error"


# The mount point of a single-page application, and placeholders a script fills in later.
_APP_ROOT = (
    "//div[@id='app' or @id='root' or @id='__next' or @id='__nuxt' or @id='app-root']"
    " | //app-root | //*[@ng-app or @data-ng-app or @data-reactroot]"
)
_PLACEHOLDER = (
    "//*[@data-api or @data-src-api or @data-endpoint]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' spinner ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' loading ')]"
)
_NEEDS_JS = re.compile(r"javascript", re.IGNORECASE)


def script_rendered_reason(tree: Any) -> str | None:
    """Why a page looks drawn by JavaScript in the browser (an app root, placeholders the
    script fills, a "turn on JavaScript" notice), or None. Such a page carries no article
    links of its own; its articles are only reachable through a sitemap, a feed or an API."""
    scripts = len(tree.xpath("//script"))
    if not scripts:
        return None
    text = " ".join(
        tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
    )
    words = len(text.split())
    signs = []
    if tree.xpath(_APP_ROOT):
        signs.append("an app root element")
    strong = words < 50 and bool(signs)  # an empty mount point: the script draws everything
    if tree.xpath(_PLACEHOLDER):
        signs.append("placeholders filled by a script")
        strong = True
    if any(_NEEDS_JS.search(t) for t in tree.xpath("//noscript//text()")):
        signs.append("a <noscript> asking for JavaScript")
        strong = True
    if not strong:
        return None  # an app root around server-rendered text is an ordinary page
    return f"{', '.join(signs)}, {scripts} script(s), {words} words of text"


def login_form(tree: Any) -> bool:
    """Whether the page holds a login form (a password field)."""
    return bool(tree.xpath("//input[translate(@type, 'PASSWORD', 'password')='password']"))
