"""WARC archives written at fetch time: `pressnews crawl --warc DIR` (the `PRESSNEWS_WARC_DIR`
setting).

`WarcMiddleware` is a downloader middleware placed next to the downloader (above
`HttpCompressionMiddleware` and `RedirectMiddleware`), so it sees every response as it came off
the wire: the body still content-encoded (gzip, br), and each 3xx of a redirect chain, each
retried 5xx, robots.txt and sitemaps as responses of their own. For each it writes a `request`
record (the method, path and headers as sent) and a `response` record (status, every header, the
raw body) linked by `WARC-Concurrent-To`, with their digests (warcio computes them).

Files are `pressnews-<UTC time>-<n>.warc.gz` in DIR, each opened with a `warcinfo` record and
closed when the crawl ends; a file that reaches `PRESSNEWS_WARC_MAX_SIZE` bytes is closed and
the next one started. A file being written is named `….warc.gz.open` and renamed when closed, so
every `.warc.gz` in DIR is complete.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from indexer.errors import PressnewsError
from indexer.warc import (
    CRAWLER_TRANSFER_ENCODING,
    REDACTED,
    REDACTED_REQUEST_HEADERS,
    Headers,
    new_writer,
    request_record,
    response_record,
    warc_date,
    warcinfo_record,
)

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 1024**3  # 1 GiB per file
OPEN_SUFFIX = ".open"


class WarcDirError(PressnewsError, OSError):
    """The WARC folder cannot be written; one line for the user."""


def prepare_warc_dir(folder: str | Path) -> Path:
    """`folder`, created if missing, once a file could be created in it; else `WarcDirError`.

    Called before anything is fetched, so an unwritable folder stops the crawl at once."""
    shown = str(folder)
    if not shown.strip():
        raise WarcDirError("--warc is empty: give the folder to write WARC files to")
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise WarcDirError(f"--warc {shown} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise WarcDirError(
            f"--warc {shown}: cannot write WARC files there ({exc.strerror or exc})"
        ) from None
    return path


class RotatingWarcFiles:
    """WARC files in `folder`, started with a `warcinfo` record, rotated at `max_size` bytes."""

    def __init__(self, folder: Path, max_size: int, info: dict[str, Any]) -> None:
        self.folder = folder
        self.max_size = max(1, max_size)
        self.info = info
        self.stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.serial = 0
        self.files: list[Path] = []  # every file closed so far
        self._out: IO[bytes] | None = None
        self._name = ""
        self._writer: Any = None

    def writer(self) -> Any:
        """The writer of the current file, starting a new one when needed."""
        if self._out is not None and self._out.tell() >= self.max_size:
            self.close()
        if self._out is None:
            self.serial += 1
            self._name = f"pressnews-{self.stamp}-{self.serial:05d}.warc.gz"
            self._out = open(self.folder / (self._name + OPEN_SUFFIX), "xb")  # noqa: SIM115
            self._writer = new_writer(self._out)
            self._writer.write_record(warcinfo_record(self._writer, self._name, self.info))
        return self._writer

    def close(self) -> None:
        if self._out is None:
            return
        self._out.close()
        self._out = None
        final = self.folder / self._name
        os.replace(self.folder / (self._name + OPEN_SUFFIX), final)
        self.files.append(final)


class WarcMiddleware:
    """Writes a request and a response record for every response the downloader returns."""

    def __init__(self, folder: Path, max_size: int, info: dict[str, Any], stats: Any) -> None:
        self.files = RotatingWarcFiles(folder, max_size, info)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMiddleware:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        folder = settings.get("PRESSNEWS_WARC_DIR")
        if not folder:
            raise NotConfigured("no PRESSNEWS_WARC_DIR")
        info = {
            "description": "Captured at fetch time by `pressnews crawl`: requests as sent, "
            "responses as received",
            "pressnews-origin": "captured at fetch time",
            "hostname": socket.gethostname(),
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        }
        mw = cls(
            prepare_warc_dir(folder),
            settings.getint("PRESSNEWS_WARC_MAX_SIZE", DEFAULT_MAX_SIZE),
            info,
            crawler.stats,
        )
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider: Any = None) -> None:
        self.files.close()
        if self.stats is not None:
            self.stats.set_value("pressnews/warc_files", len(self.files.files))

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        if "cached" in (response.flags or []):  # not fetched now: an HTTP cache answered
            return response
        try:
            self._write(request, response)
        except OSError as exc:  # a full disk must not lose the crawl: counted, logged, reported
            logger.error("WARC record of %s not written: %s", response.url, exc)
            if self.stats is not None:
                self.stats.inc_value("pressnews/warc_errors")
        return response

    def _write(self, request: Any, response: Any) -> None:
        writer = self.files.writer()
        date = warc_date()
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        extra: dict[str, str] = {}
        if protocol not in ("HTTP/1.0", "HTTP/1.1"):  # h2: the message is written as HTTP/1.1
            extra["WARC-Protocol"] = protocol
            protocol = "HTTP/1.1"
        ip = getattr(response, "ip_address", None)
        if ip is not None:
            extra["WARC-IP-Address"] = str(ip)
        if "dataloss" in (response.flags or []):
            extra["WARC-Truncated"] = "disconnect"
        resp = response_record(
            writer,
            response.url,
            response.status,
            response_headers(response.headers),
            response.body,
            date=date,
            protocol=protocol,
            warc_headers=extra,
        )
        body = request.body or b""
        req = request_record(
            writer,
            request.url,
            request.method,
            request_headers(request.url, request.headers, len(body)),
            body,
            date=date,
            protocol=protocol,
        )
        writer.write_request_response_pair(req, resp)  # the response, then its request
        if self.stats is not None:
            self.stats.inc_value("pressnews/warc_responses")


def response_headers(headers: Any) -> Headers:
    """Every header of a Scrapy response, in order, one pair per value; `Transfer-Encoding`
    renamed (the body Scrapy hands over is already de-chunked)."""
    out: Headers = []
    for name, values in headers.items():
        key = _text(name)
        if key.lower() == "transfer-encoding":
            key = CRAWLER_TRANSFER_ENCODING
        out.extend((key, _text(v)) for v in values)
    return out


def request_headers(url: str, headers: Any, body_length: int = 0) -> Headers:
    """The headers of a request as sent: `Host` first and `Content-Length` of a body (the HTTP
    client adds them), credentials removed."""
    out: Headers = []
    if b"Host" not in headers:
        out.append(("Host", urlsplit(url).netloc.rpartition("@")[2]))
    for name, values in headers.items():
        key = _text(name)
        redact = key.lower() in REDACTED_REQUEST_HEADERS
        out.extend((key, REDACTED if redact else _text(v)) for v in values)
    if body_length and b"Content-Length" not in headers:
        out.append(("Content-Length", str(body_length)))
    return out


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)
