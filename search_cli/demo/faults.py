"""Fault injection and sending answers: what a route's ``fault`` asks for, and the wire.

`_Answer` is what the handler decided to send. `_FaultsMixin` (mixed into the request handler,
`search_cli.demo.handler._Handler`) builds the answer of each fault in `FAULTS` and writes answers
to the socket, including the broken ways: reset, truncated, slow, streamed.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .payloads import (
    _blocked_html,
    _deep_html,
    _error_html,
    _huge_html,
    _many_links_html,
    tiny_pdf,
)

# The fixture server's one logger (named for search_cli.demo.server, which adds its NullHandler).
logger = logging.getLogger("search_cli.demo.server")


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    stream: Iterator[bytes] | None = None  # instead of body, with Content-Length already set
    fault: str | None = None
    route: dict[str, Any] = field(default_factory=dict)


class _FaultsMixin:
    """The fault answers and the sending half of `search_cli.demo.handler._Handler`."""

    def _fault(self, fault: str, route: dict[str, Any]) -> _Answer:
        html = "text/html; charset=utf-8"
        if fault == "status":
            status = int(route.get("status", 503))
            headers = {"Content-Type": html}
            if route.get("retry_after") is not None:
                headers["Retry-After"] = str(route["retry_after"])
            messages = {
                429: "Too Many Requests",
                500: "Internal Server Error",
                503: "Service Unavailable",
            }
            return _Answer(
                status, headers, _error_html(status, messages.get(status, "Lỗi")), fault=fault
            )
        if fault == "timeout":
            if self.server.owner._stopping.wait(float(route.get("delay", 30))):
                return _Answer(0, {}, fault="reset")
            plain = {k: v for k, v in route.items() if k != "fault"}
            return (
                self._from_route("", plain, conditional=False)
                if plain.get("file") or plain.get("body")
                else _Answer(200, {"Content-Type": html}, _error_html(200, "Trả lời muộn"))
            )
        if fault in ("slow_body", "truncated"):
            plain = {k: v for k, v in route.items() if k != "fault"}
            answer = (
                self._from_route("", plain, conditional=False)
                if plain.get("file") or plain.get("body")
                else _Answer(200, {"Content-Type": html}, _error_html(200, "Nội dung") * 20)
            )
            answer.fault, answer.route = fault, route
            return answer
        if fault == "reset":
            return _Answer(0, {}, fault=fault)
        if fault == "redirect_loop":
            location = route.get("location") or self.path.split("#", 1)[0]
            return _Answer(
                302,
                {"Location": self._absolute(location), "Content-Type": html},
                _error_html(302, "Found"),
                fault=fault,
            )
        if fault == "huge":
            size, stream = _huge_html(int(route.get("size", 12 * 1024 * 1024)))
            return _Answer(
                200, {"Content-Type": html, "Content-Length": str(size)}, stream=stream, fault=fault
            )
        if fault == "binary":
            return _Answer(
                200, {"Content-Type": "application/pdf"}, tiny_pdf("Bao cao tong hop"), fault=fault
            )
        if fault == "deep_nesting":
            return _Answer(
                200,
                {"Content-Type": html},
                _deep_html(int(route.get("depth", 100_000))),
                fault=fault,
            )
        if fault == "many_links":
            prefix = route.get("prefix", "/lien-ket/")
            return _Answer(
                200,
                {"Content-Type": html},
                _many_links_html(int(route.get("count", 50_000)), prefix),
                fault=fault,
            )
        if fault == "blocked":
            host = urlsplit(self.base).netloc
            headers = {
                "Content-Type": html,
                "Server": "cloudflare",
                "cf-mitigated": "challenge",
                "Cache-Control": "no-store",
            }
            return _Answer(int(route.get("status", 200)), headers, _blocked_html(host), fault=fault)
        logger.warning("%s: unknown fault %r", self.server.site.name, fault)
        return _Answer(500, {"Content-Type": html}, _error_html(500, f"unknown fault {fault}"))

    def _send(self, method: str, answer: _Answer) -> None:
        if answer.fault == "reset":
            self._reset()
            return
        headers = dict(answer.headers)
        self._server_header = headers.pop("Server", None)
        self.send_response(answer.status)
        body = answer.body
        if answer.stream is None:
            declared = len(body)
            if answer.fault == "truncated":
                declared = len(body) + int(answer.route.get("missing", max(len(body), 1024)))
            headers["Content-Length"] = str(declared)
        if (
            answer.fault in ("truncated", "huge", "slow_body", "redirect_loop")
            or answer.status >= 500
        ):
            headers["Connection"] = "close"
            self.close_connection = True
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if method == "HEAD" or answer.status in (204, 304):
            if answer.stream is not None:
                answer.stream.close()
            return
        stopping = self.server.owner._stopping
        if answer.stream is not None:
            for piece in answer.stream:
                if stopping.is_set():
                    break
                self.wfile.write(piece)
        elif answer.fault == "slow_body":
            chunks = max(1, int(answer.route.get("chunks", 10)))
            delay = float(answer.route.get("delay", 0.5))
            size = max(1, -(-len(body) // chunks))
            for start in range(0, len(body), size):
                if start and stopping.wait(delay):
                    break
                self.wfile.write(body[start : start + size])
                self.wfile.flush()
        elif answer.fault == "truncated":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self._close_now()
        else:
            self.wfile.write(body)

    def _reset(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._close_now()

    def _close_now(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()
