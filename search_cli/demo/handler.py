"""The fixture server's request handler and the socket server of one site.

`SiteHandler` turns a request into an `Answer`: redirects, ASP.NET postbacks, routes, then files
of the site, templated and encoded to the site's charset, with ``ETag``/``Last-Modified`` and 304
answers; unknown paths get a 404 page. Of a route's ``fault`` it knows only ``status`` (answer a
status, with ``Retry-After``, for the first ``times`` requests), which the clean sites use; any
other fault answers 501: fault injection is the test server's (``tests/fixtures/faultserver.py``,
a subclass that overrides `SiteHandler.fault_answer` and `SiteHandler.send_answer`).
"""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import gzip
import hashlib
import logging
import mimetypes
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .payloads import _TINY_GIF, encode_text, error_html, tiny_png
from .sites_config import _Site

# The fixture server's one logger (named for search_cli.demo.server, which adds its NullHandler).
logger = logging.getLogger("search_cli.demo.server")

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".toml", ".json", ".rss"}
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain",
    ".toml": "text/plain",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".css": "text/css",
    ".js": "application/javascript",
}
_TEMPLATE = re.compile(r"\{\{base(?::([A-Za-z0-9_.-]+))?\}\}")


@dataclass
class RequestRecord:
    site: str
    method: str
    path_qs: str
    headers: dict[str, str]
    status: int | None = None  # None while the answer is pending; 0 when the socket was reset
    time: float = field(default_factory=time.time)


def parse_form(content_type: str, raw: bytes) -> dict[str, str]:
    """The fields of a urlencoded or multipart/form-data body (ASP.NET accepts both)."""
    if "multipart/form-data" in content_type:
        message = BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
        )
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                payload = part.get_payload(decode=True) or b""
                fields[name] = payload.decode(part.get_content_charset() or "utf-8", "replace")
        return fields
    if "application/x-www-form-urlencoded" in content_type or not content_type:
        return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    return {}


def _parse_date(value: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


@dataclass
class Answer:
    """What the handler decided to send."""

    status: int
    headers: dict[str, str]
    body: bytes = b""


class _HTTPServer(ThreadingHTTPServer):
    """The socket server of one site: what its handlers see as ``self.server``."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        site: _Site,
        handler_class: type[SiteHandler],
        base_urls: dict[str, str],
        stopping: threading.Event,
        log: Callable[[RequestRecord], None],
    ):
        self.site = site
        self.base_urls = base_urls  # every served site's base URL (filled in as they start)
        self.stopping = stopping  # set when the server stops: waiting handlers give up
        self.log = log
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler_class)

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def close_connections(self) -> None:
        with self._connections_lock:
            conns = list(self._connections)
            self._connections.clear()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("%s: error with %s", self.site.name, client_address, exc_info=True)


class SiteHandler(BaseHTTPRequestHandler):
    """Serves one request of a fixture site (see the module's docstring and `SiteServer`)."""

    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 10  # idle keep-alive connections close after this many seconds

    server: _HTTPServer

    # -- plumbing ---------------------------------------------------------------------------

    _server_header: str | None = None

    def version_string(self) -> str:
        return self._server_header or self.server.site.config.get("server") or self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        logger.debug("%s %s", self.server.site.name, format % args)

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        except Exception:  # the socket may already be gone (reset, truncated)
            pass
        finally:
            self.server.track(self.connection, False)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, OSError) as exc:
            logger.debug("%s: connection ended: %s", self.server.site.name, exc)
            self.close_connection = True
        except Exception:
            logger.exception("%s: error while handling %s", self.server.site.name, self.path)
            self.close_connection = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _not_allowed(self) -> None:
        self._serve(self.command)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    @property
    def base(self) -> str:
        return self.server.base_urls[self.server.site.name]

    # -- serving ----------------------------------------------------------------------------

    def _serve(self, method: str) -> None:
        site = self.server.site
        path_qs = self.path.split("#", 1)[0]
        record = RequestRecord(site.name, method, path_qs, dict(self.headers.items()))
        self.server.log(record)
        form = self._read_body() if method == "POST" else {}
        try:
            answer = self._answer(method, path_qs, form)
        except Exception:
            logger.exception("%s: error answering %s %s", site.name, method, path_qs)
            answer = Answer(
                500, {"Content-Type": "text/html; charset=utf-8"}, error_html(500, "Lỗi máy chủ")
            )
        record.status = answer.status
        self.send_answer(method, answer)

    def _read_body(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        return parse_form(self.headers.get("Content-Type") or "", raw)

    def _answer(self, method: str, path_qs: str, form: dict[str, str]) -> Answer:
        site = self.server.site
        parts = urlsplit(path_qs)
        path, query = site.rewrite(parts.path or "/"), parts.query
        if method not in ("GET", "HEAD", "POST"):
            return Answer(
                405,
                {"Allow": "GET, HEAD, POST", "Content-Type": "text/html; charset=utf-8"},
                error_html(405, "Method Not Allowed"),
            )

        found = site.find(site.redirects, path, query)
        if found:
            return Answer(
                301,
                {"Location": self.absolute(found[1]), "Content-Type": "text/html; charset=utf-8"},
                error_html(301, "Moved Permanently"),
            )

        if method == "POST":
            post = site.post.get(f"{path}?{query}" if query else path) or site.post.get(path)
            if post:
                target = post.get("values", {}).get(
                    form.get(post.get("field", "__EVENTARGUMENT"), "")
                )
                if target is not None:
                    route = {"file": target} if isinstance(target, str) else dict(target)
                    return self.answer_route(f"POST {path}", route, conditional=False)

        found = site.find(site.routes, path, query)
        if found:
            return self.answer_route(found[0], dict(found[1]), conditional=method != "POST")

        if not path.endswith("/") and site.is_dir(path):
            # a directory asked for without its slash: servers redirect to the slash
            location = path + "/" + (f"?{query}" if query else "")
            return Answer(
                301,
                {"Location": self.absolute(location), "Content-Type": "text/html; charset=utf-8"},
                error_html(301, "Moved Permanently"),
            )
        file = site.file_for(path)
        if file is not None:
            return self._from_file(file, {}, conditional=method != "POST")
        if site.config.get("placeholder_images") and path.lower().endswith(
            (".jpg", ".jpeg", ".png", ".gif")
        ):
            is_png = path.lower().endswith(".png")
            body = tiny_png() if is_png else _TINY_GIF
            return Answer(200, {"Content-Type": "image/png" if is_png else "image/gif"}, body)
        return self._not_found()

    def _not_found(self) -> Answer:
        body = (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            "<title>Không tìm thấy trang</title></head><body><h1>404 - Không tìm thấy trang</h1>"
            "<p>Trang bạn yêu cầu không tồn tại hoặc đã bị gỡ bỏ.</p>"
            f'<p><a href="{self.base}/">Về trang chủ</a></p></body></html>'
        ).encode()
        return Answer(404, {"Content-Type": "text/html; charset=utf-8"}, body)

    def absolute(self, location: str) -> str:
        """`location` as an absolute URL (a path is on this site)."""
        return location if "://" in location else self.base + location

    def answer_route(self, key: str, route: dict[str, Any], conditional: bool) -> Answer:
        """The answer of the route `route` (counted under `key` when it has a fault)."""
        fault = route.get("fault")
        if fault:
            times = route.get("times")
            seen = self.server.site.count(key)
            if times is None or seen < int(times):
                return self.fault_answer(fault, route)
            if fault == "status":
                route = {k: v for k, v in route.items() if k != "status"}
        if "body" in route and "file" not in route:
            return self._render(route["body"].encode("utf-8"), ".html", None, route, conditional)
        file = self.server.site.resolve_file(route["file"]) if route.get("file") else None
        if file is None:
            if route.get("file"):
                logger.warning(
                    "%s: route %s names a missing file %s",
                    self.server.site.name,
                    key,
                    route["file"],
                )
            return self._not_found()
        return self._from_file(file, route, conditional)

    def fault_answer(self, fault: str, route: dict[str, Any]) -> Answer:
        """The answer of a route's `fault` while it lasts (its first ``times`` requests).

        This server knows only ``status``: `status` (default 503) with an optional
        ``Retry-After`` of `retry_after` seconds. Every other fault answers 501; the test server
        (``tests/fixtures/faultserver.py``) overrides this method with the rest.
        """
        if fault == "status":
            status = int(route.get("status", 503))
            headers = {"Content-Type": "text/html; charset=utf-8"}
            if route.get("retry_after") is not None:
                headers["Retry-After"] = str(route["retry_after"])
            messages = {
                429: "Too Many Requests",
                500: "Internal Server Error",
                503: "Service Unavailable",
            }
            return Answer(status, headers, error_html(status, messages.get(status, "Lỗi")))
        logger.warning(
            "%s: a route asks for fault %r, which only the test server injects",
            self.server.site.name,
            fault,
        )
        body = f"fault {fault!r}: fault injection is only in the test server\n".encode()
        return Answer(501, {"Content-Type": "text/plain; charset=utf-8"}, body)

    def _from_file(self, file: Path, route: dict[str, Any], conditional: bool) -> Answer:
        return self._render(file.read_bytes(), file.suffix.lower(), file, route, conditional)

    def _render(
        self, raw: bytes, suffix: str, file: Path | None, route: dict[str, Any], conditional: bool
    ) -> Answer:
        site = self.server.site
        config = site.config
        ctype = (
            route.get("content_type")
            or CONTENT_TYPES.get(suffix)
            or (mimetypes.guess_type(f"x{suffix}")[0] or "application/octet-stream")
        )
        body = raw
        if (
            suffix in TEXT_SUFFIXES
            or "content_type" in route
            and route["content_type"].startswith("text/")
        ):
            text = unicodedata.normalize("NFC", raw.decode("utf-8"))
            text = _TEMPLATE.sub(self._substitute, text)
            charset = route.get("charset") or config.get("charset") or "utf-8"
            body = encode_text(text, charset)
            declare = route.get(
                "declare_charset_in_header", config.get("declare_charset_in_header", True)
            )
            if declare and "charset=" not in ctype:
                ctype = f"{ctype}; charset={charset}"
        headers = {"Content-Type": ctype}
        stamp = route.get("last_modified") or config.get("last_modified")
        modified = _parse_date(stamp) if stamp else None
        if modified is None:
            modified = file.stat().st_mtime if file is not None else time.time()
        headers["Last-Modified"] = email.utils.formatdate(modified, usegmt=True)
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers["ETag"] = etag
        headers.update(config.get("headers") or {})
        headers.update(route.get("headers") or {})
        status = int(route.get("status", 200))
        if conditional and status == 200 and self._not_modified(etag, modified):
            return Answer(304, {"ETag": etag, "Last-Modified": headers["Last-Modified"]})
        accepted = self.headers.get("Accept-Encoding") or ""
        if route.get("gzip", config.get("gzip")) and "gzip" in accepted.lower():
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return Answer(status, headers, body)

    def _not_modified(self, etag: str, modified: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            since = _parse_date(ims)
            return since is not None and int(modified) <= int(since)
        return False

    def _substitute(self, match: re.Match[str]) -> str:
        other = match.group(1)
        if other is None:
            return self.base
        return self.server.base_urls.get(other) or f"http://{other}.invalid"

    # -- sending ----------------------------------------------------------------------------

    def send_answer(self, method: str, answer: Answer) -> None:
        """Write `answer` to the socket (headers only for HEAD, 204 and 304)."""
        self.send_head(answer, len(answer.body))
        if self.body_wanted(method, answer):
            self.wfile.write(answer.body)

    def send_head(self, answer: Answer, content_length: int | None, close: bool = False) -> None:
        """The status line and headers, with `content_length` unless it is None (the answer's
        headers then carry it) and ``Connection: close`` when `close` or the status is 5xx."""
        headers = dict(answer.headers)
        self._server_header = headers.pop("Server", None)
        self.send_response(answer.status)
        if content_length is not None:
            headers["Content-Length"] = str(content_length)
        if close or answer.status >= 500:
            headers["Connection"] = "close"
            self.close_connection = True
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    @staticmethod
    def body_wanted(method: str, answer: Answer) -> bool:
        return method != "HEAD" and answer.status not in (204, 304)
