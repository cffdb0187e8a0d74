"""WARC 1.1 records, built with warcio: what a crawl writes at fetch time (`crawler.warc`) and
what `pressnews export --warc` rebuilds from the store (`indexer.warc_export`).

warcio computes the digests (`WARC-Block-Digest` over the HTTP head and body,
`WARC-Payload-Digest` over the body as transferred) and the record lengths; each record is its
own gzip member in a `.warc.gz` file, so readers can seek to any record.
"""

from __future__ import annotations

import http
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from io import BytesIO
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_VERSION = "WARC/1.1"
FORMAT = "WARC File Format 1.1"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# Scrapy hands over bodies without their chunked transfer coding; as in Common Crawl's archives,
# the header that announced it is kept under this name, so readers do not de-chunk again.
CRAWLER_TRANSFER_ENCODING = "X-Crawler-Transfer-Encoding"
# Never archived as sent: credentials for the site or a proxy.
REDACTED_REQUEST_HEADERS = frozenset({"authorization", "proxy-authorization"})
REDACTED = "(removed by pressnews)"

Headers = list[tuple[str, str]]


def software() -> str:
    """`pressnews/<version> (warcio/<version>)`, for `warcinfo` records."""

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "unknown"

    return f"pressnews/{ver('pressnews')} (warcio/{ver('warcio')})"


def warc_date(when: str | datetime | None = None) -> str:
    """A WARC 1.1 date (`2024-01-02T03:04:05Z`, with microseconds when `when` has them) from an
    ISO 8601 string or a datetime (UTC when naive); now when `when` is None."""
    if when is None:
        moment = datetime.now(UTC)
    elif isinstance(when, str):
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    else:
        moment = when
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(fmt)


def new_writer(out: IO[bytes], *, gzip: bool = True) -> WARCWriter:
    """A warcio writer of WARC 1.1 records to `out` (one gzip member per record when `gzip`)."""
    return WARCWriter(out, gzip=gzip, warc_version=WARC_VERSION)


def warcinfo_record(
    writer: WARCWriter, filename: str, fields: Mapping[str, Any], *, date: str | None = None
) -> ArcWarcRecord:
    """The `warcinfo` record that opens a file: `software`, `format`, `conformsTo`, then
    `fields` (empty values left out), as `application/warc-fields`."""
    info: dict[str, Any] = {"software": software(), "format": FORMAT, "conformsTo": CONFORMS_TO}
    info.update(fields)
    record = writer.create_warcinfo_record(filename, info)
    if date is not None:
        record.rec_headers.replace_header("WARC-Date", date)
    return record


def status_line(status: int) -> str:
    """`200 OK`: the status and its standard reason phrase (the code alone when unknown)."""
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def response_record(
    writer: WARCWriter,
    url: str,
    status: int,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    date: str,
    protocol: str = "HTTP/1.1",
    warc_headers: Mapping[str, str] | None = None,
) -> ArcWarcRecord:
    """A `response` record: the status line, `headers` in order and `body` exactly as given."""
    http_headers = StatusAndHeaders(status_line(status), list(headers), protocol=protocol)
    return writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Type": "response", "WARC-Date": date, **(warc_headers or {})},
    )


def request_record(
    writer: WARCWriter,
    url: str,
    method: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    date: str,
    protocol: str = "HTTP/1.1",
) -> ArcWarcRecord:
    """A `request` record: `METHOD /path?query PROTOCOL`, `headers` in order, `body`."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    http_headers = StatusAndHeaders(
        f"{method} {target} {protocol}", list(headers), is_http_request=True
    )
    return writer.create_warc_record(
        url,
        "request",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Type": "request", "WARC-Date": date},
    )


def metadata_record(
    writer: WARCWriter, url: str, fields: Mapping[str, str], *, date: str, refers_to: str
) -> ArcWarcRecord:
    """A `metadata` record (`application/warc-fields`) about the record `refers_to`."""
    text = "".join(f"{name}: {value}\r\n" for name, value in fields.items() if value)
    data = text.encode("utf-8")
    return writer.create_warc_record(
        url,
        "metadata",
        payload=BytesIO(data),
        length=len(data),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Type": "metadata", "WARC-Date": date, "WARC-Refers-To": refers_to},
    )


def record_id(record: ArcWarcRecord) -> str:
    return str(record.rec_headers.get_header("WARC-Record-ID"))


def parse_fields(data: bytes) -> dict[str, str]:
    """The `name: value` lines of an `application/warc-fields` block."""
    out: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            out[name.strip()] = value.strip()
    return out
