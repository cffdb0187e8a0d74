"""A loopback HTTP server for the fixture sites (standard library only).

Every directory under ``sites/`` that holds a ``site.json`` is one site. `SiteServer` serves each
site on its own free port of 127.0.0.1, so each site is its own host, and logs every request.

``site.json`` keys (all optional):

- ``charset``: the codec text files are encoded to when served (default ``utf-8``); files are
  UTF-8 NFC on disk. Letters a legacy codec such as ``windows-1258`` lacks precomposed are sent as
  base letter + combining mark, the way such sites store them.
- ``declare_charset_in_header``: false sends ``Content-Type: text/html`` without ``charset=``.
- ``last_modified``: an HTTP or ISO 8601 date used as every file's ``Last-Modified`` (default:
  the file's mtime).
- ``path_rewrites``: ``[[regex, replacement], ...]`` applied to the request path before routing,
  the way ASP.NET drops ``/(S(session))/`` and Java servers drop ``;jsessionid=...``.
- ``redirects``: ``{"/old": "/new"}``, answered with 301.
- ``routes``: ``{"/path?query": {...}}``: ``file`` (relative to the site), or ``body`` (inline
  text), ``status``, ``headers``, ``content_type``, ``charset``, ``declare_charset_in_header``,
  ``last_modified``, and ``fault`` with its options (see `FAULTS`). A request matches a route by
  its exact path and query, then by the query with its parameters sorted, then by the route of
  the same path whose parameters the request all carries (a parameter value ``*`` matches any
  value): extra parameters such as ``utm_source`` are ignored, as real servers do.
- ``post``: ``{"/path": {"field": "__EVENTARGUMENT", "values": {"Page$2": "list-2.html"}}}``: an
  ASP.NET postback pager; a value may also be a route object. A POST whose field value is unknown
  gets the path's first page again, as a real portal does.
- ``placeholder_images``: true answers unknown ``*.jpg``/``*.png``/``*.gif`` with a tiny image.
- ``server`` (the ``Server`` header) and ``headers`` (added to every file response).

Otherwise a path maps to the file of the same name under the site (``/`` and directories to
``index.html``); unknown paths answer a 404 page. Text files (.html .xml .txt .toml .json) are
templated: ``{{base}}`` becomes the site's base URL and ``{{base:OTHER}}`` another site's.
Every file response has an ``ETag`` and ``Last-Modified`` and honours ``If-None-Match`` and
``If-Modified-Since`` with 304.

Run ``python -m search_cli.demo.server [SITE ...]`` to serve the sites by hand.
"""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import hashlib
import itertools
import json
import logging
import mimetypes
import re
import socket
import struct
import threading
import time
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())  # quiet unless the application configures logging

SITES_DIR = Path(__file__).resolve().parent / "sites"
# Sites whose routes inject faults (slow, broken, huge answers): a demo crawl may leave them out.
RESILIENCE_SITES = frozenset({"flaky"})

# Fault kinds a route may ask for, with their options.
FAULTS = {
    "status": "answer `status` (default 503) with optional `retry_after` seconds",
    "timeout": "wait `delay` seconds (default 30) before answering normally",
    "slow_body": "send the body in `chunks` pieces (default 10) `delay` seconds apart (0.5)",
    "reset": "close the socket without any response (TCP reset)",
    "truncated": "declare a Content-Length larger than the bytes sent, then close",
    "redirect_loop": "302 to `location` (default: the same URL)",
    "huge": "stream `size` bytes (default 12 MiB) of valid HTML",
    "binary": "a tiny real PDF as application/pdf",
    "deep_nesting": "HTML nested `depth` levels deep (default 100000)",
    "many_links": "a page with `count` links (default 50000) to generated paths that 404",
    "blocked": "a 200 anti-bot challenge page",
}
# Every fault also takes `times`: fault only the first N requests to that route, then serve it.

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
PRIVATE_FILES = {"site.json", "expected.json"}
_TEMPLATE = re.compile(r"\{\{base(?::([A-Za-z0-9_.-]+))?\}\}")
# A 1x1 transparent GIF.
_TINY_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


@dataclass
class RequestRecord:
    site: str
    method: str
    path_qs: str
    headers: dict[str, str]
    status: int | None = None  # None while the answer is pending; 0 when the socket was reset
    time: float = field(default_factory=time.time)


# ---------------------------------------------------------------------------------------------
# Encoding and generated bodies


def encode_text(text: str, charset: str) -> bytes:
    """Encode text to `charset`; letters it lacks precomposed go as base + combining marks.

    windows-1258 has "ô" and a combining acute but no "ố": "ố" is sent as "ô" + U+0301, which
    decodes back to the same text after NFC. Anything still unencodable becomes &#NNN;.
    """
    try:
        return text.encode(charset)
    except UnicodeEncodeError:
        pass
    cache: dict[str, bytes] = {}
    out = bytearray()
    for ch in text:
        encoded = cache.get(ch)
        if encoded is None:
            encoded = cache[ch] = _encode_char(ch, charset)
        out += encoded
    return bytes(out)


def _encode_char(ch: str, charset: str) -> bytes:
    try:
        return ch.encode(charset)
    except UnicodeEncodeError:
        pass
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    target = unicodedata.normalize("NFC", ch)
    for k in range(len(marks), -1, -1):
        for keep in itertools.combinations(range(len(marks)), k):
            head = unicodedata.normalize("NFC", base + "".join(marks[i] for i in keep))
            rest = "".join(marks[i] for i in range(len(marks)) if i not in keep)
            try:
                encoded = head.encode(charset) + rest.encode(charset)
            except UnicodeEncodeError:
                continue
            if unicodedata.normalize("NFC", encoded.decode(charset)) == target:
                return encoded
    return ch.encode(charset, errors="xmlcharrefreplace")


def tiny_pdf(text: str = "Tai lieu thu nghiem") -> bytes:
    """A small but valid one-page PDF showing `text` (ASCII)."""
    safe = re.sub(r"[^A-Za-z0-9 .,:/-]", "", text)[:80]
    stream = f"BT /F1 14 Tf 72 760 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def _huge_html(size: int) -> tuple[int, Iterator[bytes]]:
    head = (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        "<title>Số liệu thống kê tổng hợp</title></head><body>\n"
    ).encode()
    tail = b"\n</body></html>\n"
    unit = "<p>Số liệu thống kê dân số, lao động và việc làm theo đơn vị hành chính.</p>\n".encode()
    room = max(size - len(head) - len(tail), 0)
    count, pad = divmod(room, len(unit))
    batch = max(1, 65536 // len(unit))

    def gen() -> Iterator[bytes]:
        yield head
        left = count
        while left > 0:
            n = min(batch, left)
            yield unit * n
            left -= n
        yield b" " * pad + tail

    return len(head) + count * len(unit) + pad + len(tail), gen()


def _deep_html(depth: int) -> bytes:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang lồng nhau</title>'
        "</head><body>"
        + "<div>" * depth
        + "<p>Nội dung ở tầng sâu nhất.</p>"
        + "</div>" * depth
        + "</body></html>"
    ).encode()


def _many_links_html(count: int, prefix: str) -> bytes:
    links = "".join(
        f'<li><a href="{prefix}{i}.html">Liên kết số {i}</a></li>\n' for i in range(count)
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Sơ đồ liên kết</title>'
        f"</head><body><h1>Sơ đồ liên kết</h1><ul>\n{links}</ul></body></html>"
    ).encode()


def _blocked_html(host: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
<style>body{{font-family:system-ui}} #challenge-error-text{{display:none}}</style>
</head><body class="no-js">
<div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">{host}</h1>
<h2 id="challenge-running" class="h2">Checking your browser before accessing {host}.</h2>
<div id="challenge-stage"><div id="cf-chl-widget-a1b2c"></div></div>
<noscript><div id="challenge-error-title">Enable JavaScript and cookies to continue</div></noscript>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
</div></div>
<form id="challenge-form" action="/?__cf_chl_f_tk=Xy7Qk3" method="POST"
 enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="a9f0"></form>
<script>(function(){{window._cf_chl_opt={{cvId:'3',cZone:'{host}',cType:'managed',
cRay:'8a1b2c3d4e5f6789',cH:'dGVzdA'}};}}());</script>
<div class="footer">Performance &amp; security by Cloudflare · Ray ID: 8a1b2c3d4e5f6789</div>
</body></html>
""".encode()


def _error_html(status: int, message: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{status} {message}</title></head><body><h1>{status}</h1><p>{message}</p>"
        "</body></html>"
    ).encode()


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


# ---------------------------------------------------------------------------------------------
# Sites


class _Site:
    """One site's configuration and per-server state."""

    def __init__(self, name: str, root: Path, config: dict[str, Any]):
        self.name = name
        self.root = root.resolve()
        self.config = config
        self.routes: dict[str, dict[str, Any]] = {
            _normalise_key(k): v for k, v in (config.get("routes") or {}).items()
        }
        self.redirects: dict[str, str] = {
            _normalise_key(k): v for k, v in (config.get("redirects") or {}).items()
        }
        self.post: dict[str, dict[str, Any]] = config.get("post") or {}
        self.rewrites = [(re.compile(p), r) for p, r in config.get("path_rewrites") or []]
        self.counters: dict[str, int] = {}
        self.lock = threading.Lock()

    def count(self, key: str) -> int:
        """How many requests the route `key` has had before this one."""
        with self.lock:
            seen = self.counters.get(key, 0)
            self.counters[key] = seen + 1
        return seen

    def rewrite(self, path: str) -> str:
        for pattern, replacement in self.rewrites:
            path = pattern.sub(replacement, path)
        return path or "/"

    def find(self, table: dict[str, Any], path: str, query: str) -> tuple[str, Any] | None:
        """The entry of `table` for a request: exact, sorted query, then best subset match."""
        candidates = [f"{path}?{query}" if query else path]
        pairs = parse_qsl(query, keep_blank_values=True)
        if pairs:
            candidates.append(f"{path}?{urlencode(sorted(pairs))}")
        for key in candidates:
            if key in table:
                return key, table[key]
        request = {}
        for name, value in pairs:
            request.setdefault(name, set()).add(value)
        best: tuple[int, str] | None = None
        for key in table:
            key_path, _, key_query = key.partition("?")
            if key_path != path:
                continue
            wanted = parse_qsl(key_query, keep_blank_values=True)
            if all(n in request and (v == "*" or v in request[n]) for n, v in wanted) and (
                best is None or len(wanted) > best[0]
            ):
                best = (len(wanted), key)
        return (best[1], table[best[1]]) if best else None

    def file_for(self, path: str) -> Path | None:
        relative = unquote(path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if not candidate.is_file() or candidate.name in PRIVATE_FILES:
            return None
        return candidate

    def is_dir(self, path: str) -> bool:
        candidate = (self.root / unquote(path).lstrip("/")).resolve()
        return candidate != self.root and self.root in candidate.parents and candidate.is_dir()

    def resolve_file(self, name: str) -> Path | None:
        candidate = (self.root / name).resolve()
        if self.root not in candidate.parents or not candidate.is_file():
            return None
        return candidate


def _normalise_key(key: str) -> str:
    path, sep, query = key.partition("?")
    return path + sep + query if query else path


def load_sites(sites_dir: Path, names: Iterable[str] | None = None) -> list[_Site]:
    sites_dir = Path(sites_dir)
    if names is None:
        names = sorted(p.name for p in sites_dir.iterdir() if (p / "site.json").is_file())
    sites = []
    for name in names:
        root = sites_dir / name
        config_path = root / "site.json"
        if not root.is_dir():
            raise FileNotFoundError(f"no site directory {root}")
        config = json.loads(config_path.read_text("utf-8")) if config_path.is_file() else {}
        sites.append(_Site(name, root, config))
    return sites


def site_names(sites_dir: Path = SITES_DIR, include_resilience: bool = True) -> list[str]:
    """The sites under `sites_dir`, optionally without the fault-injecting ones."""
    names = sorted(p.name for p in Path(sites_dir).iterdir() if (p / "site.json").is_file())
    return [n for n in names if include_resilience or n not in RESILIENCE_SITES]


def load_expected(site: str, sites_dir: Path = SITES_DIR) -> dict[str, Any]:
    return json.loads((Path(sites_dir) / site / "expected.json").read_text("utf-8"))


# ---------------------------------------------------------------------------------------------
# The handler


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    stream: Iterator[bytes] | None = None  # instead of body, with Content-Length already set
    fault: str | None = None
    route: dict[str, Any] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
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
        return self.server.owner.base_urls[self.server.site.name]

    # -- serving ----------------------------------------------------------------------------

    def _serve(self, method: str) -> None:
        site = self.server.site
        path_qs = self.path.split("#", 1)[0]
        record = RequestRecord(site.name, method, path_qs, dict(self.headers.items()))
        self.server.owner._log(record)
        form = self._read_body() if method == "POST" else {}
        try:
            answer = self._answer(method, path_qs, form)
        except Exception:
            logger.exception("%s: error answering %s %s", site.name, method, path_qs)
            answer = _Answer(
                500, {"Content-Type": "text/html; charset=utf-8"}, _error_html(500, "Lỗi máy chủ")
            )
        record.status = 0 if answer.fault == "reset" else answer.status
        self._send(method, answer)

    def _read_body(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        return parse_form(self.headers.get("Content-Type") or "", raw)

    def _answer(self, method: str, path_qs: str, form: dict[str, str]) -> _Answer:
        site = self.server.site
        parts = urlsplit(path_qs)
        path, query = site.rewrite(parts.path or "/"), parts.query
        if method not in ("GET", "HEAD", "POST"):
            return _Answer(
                405,
                {"Allow": "GET, HEAD, POST", "Content-Type": "text/html; charset=utf-8"},
                _error_html(405, "Method Not Allowed"),
            )

        found = site.find(site.redirects, path, query)
        if found:
            return _Answer(
                301,
                {"Location": self._absolute(found[1]), "Content-Type": "text/html; charset=utf-8"},
                _error_html(301, "Moved Permanently"),
            )

        if method == "POST":
            post = site.post.get(f"{path}?{query}" if query else path) or site.post.get(path)
            if post:
                target = post.get("values", {}).get(
                    form.get(post.get("field", "__EVENTARGUMENT"), "")
                )
                if target is not None:
                    route = {"file": target} if isinstance(target, str) else dict(target)
                    return self._from_route(f"POST {path}", route, conditional=False)

        found = site.find(site.routes, path, query)
        if found:
            return self._from_route(found[0], dict(found[1]), conditional=method != "POST")

        if not path.endswith("/") and site.is_dir(path):
            # a directory asked for without its slash: servers redirect to the slash
            location = path + "/" + (f"?{query}" if query else "")
            return _Answer(
                301,
                {"Location": self._absolute(location), "Content-Type": "text/html; charset=utf-8"},
                _error_html(301, "Moved Permanently"),
            )
        file = site.file_for(path)
        if file is not None:
            return self._from_file(file, {}, conditional=method != "POST")
        if site.config.get("placeholder_images") and path.lower().endswith(
            (".jpg", ".jpeg", ".png", ".gif")
        ):
            is_png = path.lower().endswith(".png")
            body = tiny_png() if is_png else _TINY_GIF
            return _Answer(200, {"Content-Type": "image/png" if is_png else "image/gif"}, body)
        return self._not_found()

    def _not_found(self) -> _Answer:
        body = (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            "<title>Không tìm thấy trang</title></head><body><h1>404 - Không tìm thấy trang</h1>"
            "<p>Trang bạn yêu cầu không tồn tại hoặc đã bị gỡ bỏ.</p>"
            f'<p><a href="{self.base}/">Về trang chủ</a></p></body></html>'
        ).encode()
        return _Answer(404, {"Content-Type": "text/html; charset=utf-8"}, body)

    def _absolute(self, location: str) -> str:
        return location if "://" in location else self.base + location

    def _from_route(self, key: str, route: dict[str, Any], conditional: bool) -> _Answer:
        fault = route.get("fault")
        if fault:
            times = route.get("times")
            seen = self.server.site.count(key)
            if times is None or seen < int(times):
                return self._fault(fault, route)
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

    def _from_file(self, file: Path, route: dict[str, Any], conditional: bool) -> _Answer:
        return self._render(file.read_bytes(), file.suffix.lower(), file, route, conditional)

    def _render(
        self, raw: bytes, suffix: str, file: Path | None, route: dict[str, Any], conditional: bool
    ) -> _Answer:
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
            return _Answer(304, {"ETag": etag, "Last-Modified": headers["Last-Modified"]})
        return _Answer(status, headers, body, route=route)

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
        return self.server.owner.base_urls.get(other) or f"http://{other}.invalid"

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


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: _Site, owner: SiteServer):
        self.site = site
        self.owner = owner
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

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


# ---------------------------------------------------------------------------------------------
# The server


class SiteServer:
    """Serves fixture sites on 127.0.0.1, one free port (so one host) per site.

    >>> with SiteServer(SITES_DIR, ["wordpress"]) as server:
    ...     url = server.base_urls["wordpress"] + "/feed/"
    """

    def __init__(
        self, sites_dir: Path = SITES_DIR, sites: list[str] | None = None, host: str = "127.0.0.1"
    ):
        self.sites_dir = Path(sites_dir)
        self.host = host
        self._sites = load_sites(self.sites_dir, sites)
        self.base_urls: dict[str, str] = {}
        self._servers: list[_HTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._log_lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._stopping = threading.Event()

    @property
    def sites(self) -> list[str]:
        return [s.name for s in self._sites]

    @property
    def requests(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._requests)

    def requests_for(self, site: str) -> list[RequestRecord]:
        with self._log_lock:
            return [r for r in self._requests if r.site == site]

    def clear_log(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def _log(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._requests.append(record)

    def url(self, site: str, path: str = "/") -> str:
        return self.base_urls[site] + path

    def start(self) -> SiteServer:
        if self._servers:
            return self
        self._stopping.clear()
        try:
            for site in self._sites:
                httpd = _HTTPServer((self.host, 0), site, self)
                port = httpd.server_address[1]
                self.base_urls[site.name] = f"http://{self.host}:{port}"
                self._servers.append(httpd)
            for httpd in self._servers:
                thread = threading.Thread(
                    target=httpd.serve_forever,
                    kwargs={"poll_interval": 0.05},
                    name=f"fixture-{httpd.site.name}",
                    daemon=True,
                )
                thread.start()
                self._threads.append(thread)
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self._stopping.set()
        for httpd, thread in itertools.zip_longest(self._servers, self._threads):
            if httpd is None:
                continue
            if thread is not None and thread.is_alive():
                httpd.shutdown()
            httpd.server_close()
            httpd.close_connections()
        for thread in self._threads:
            thread.join(timeout=2)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sources_toml(server: SiteServer, sites_dir: Path = SITES_DIR) -> str:
    """`sites/sources.toml` with ``{{base:SITE}}`` filled in, keeping only the served sites."""
    text = (Path(sites_dir) / "sources.toml").read_text("utf-8")
    blocks = re.split(r"(?m)^(?=\[sources\.)", text)
    kept = []
    for block in blocks:
        header = re.match(r"\[sources\.([^\]]+)\]", block)
        if header and header.group(1).strip().strip('"') not in server.base_urls:
            continue
        kept.append(block)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            raise ValueError("sources.toml uses {{base}} without a site name")
        return server.base_urls[name]

    return _TEMPLATE.sub(fill, "".join(kept))


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve the pressnews fixture sites on 127.0.0.1")
    parser.add_argument("sites", nargs="*", help="site names (default: all)")
    parser.add_argument("--sites-dir", type=Path, default=SITES_DIR)
    parser.add_argument("--write-sources", type=Path, help="write the filled sources file here")
    args = parser.parse_args(argv)
    with SiteServer(args.sites_dir, args.sites or None) as server:
        for name, url in server.base_urls.items():
            print(f"{name:14} {url}")
        if args.write_sources:
            args.write_sources.write_text(sources_toml(server, args.sites_dir), "utf-8")
            print(f"sources written to {args.write_sources}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
