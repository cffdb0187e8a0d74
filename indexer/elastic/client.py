"""Connecting to Elasticsearch, with every failure turned into one line for the user.

`connect()` builds an `elasticsearch.Elasticsearch` client and checks it can talk to the server
before anything else happens: a wrong URL, a closed port, a TLS problem, bad credentials or a
server that is not Elasticsearch all raise `ElasticUnavailable` with a one-line message, never a
traceback. `translate_errors()` does the same for calls made later with the client.

Client/server versions: the 9.x Python client asks for `compatible-with=9` responses, which an
8.x server refuses (HTTP 400 `media_type_header_exception`; the client's compatibility table
pairs 9.x clients with 9.x servers). When the server says so, the client is switched to ask for
`compatible-with=<server major>`, which 8.x (and 9.x, through its REST compatibility) accept,
so the same install works against the docker-compose 8.x stack and a 9.x cluster.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import (
    ConnectionTimeout,
    HttpHeaders,
    SerializationError,
    TlsError,
    Transport,
    TransportError,
)
from elastic_transport.client_utils import DEFAULT
from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    BadRequestError,
    Elasticsearch,
    NotFoundError,
    UnsupportedProductError,
)
from elasticsearch import __versionstr__ as CLIENT_VERSION

from ..errors import PressnewsError

DEFAULT_URL = "http://localhost:9200"
MIN_SERVER_MAJOR = 8

# elastic-transport logs retries at WARNING with a traceback attached; with no logging set up,
# Python would print it on stderr. Keep the library quiet unless the application configures it.
logging.getLogger("elastic_transport").addHandler(logging.NullHandler())
logging.getLogger("elasticsearch").addHandler(logging.NullHandler())

_COMPAT = re.compile(r"compatible-with=\d+")
_ACCEPT_MAJOR = re.compile(r"either version (\d+)")


class ElasticUnavailable(PressnewsError, RuntimeError):
    """Elasticsearch (or Kibana) cannot be used; the message is one line for the user."""


def one_line(text: Any, limit: int = 300) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


class CompatTransport(Transport):
    """A transport that can pin the `compatible-with` version of every request.

    `compat_major` is None until `connect()` learns the server wants an older major.
    """

    compat_major: int | None = None

    def perform_request(
        self, method: str, target: str, *, headers: Any = DEFAULT, **kwargs: Any
    ) -> Any:  # type: ignore[override]
        if self.compat_major is not None and headers is not DEFAULT and headers:
            fixed = HttpHeaders(headers)
            for key in ("accept", "content-type"):
                value = fixed.get(key)
                if value and "compatible-with=" in value:
                    fixed[key] = _COMPAT.sub(f"compatible-with={self.compat_major}", value)
            headers = fixed
        return super().perform_request(method, target, headers=headers, **kwargs)


def redact(url: str) -> str:
    """The URL without any user:password part, for messages."""
    return re.sub(r"//[^/@]*@", "//", url)


def describe(exc: BaseException, url: str) -> str:
    """One line saying what went wrong talking to Elasticsearch at `url`."""
    where = redact(url)
    if isinstance(exc, TlsError):
        return one_line(
            f"TLS failure talking to Elasticsearch at {where}: {_root(exc)} "
            "(give the cluster's CA with --ca-certs or ES_CA_CERTS)"
        )
    if isinstance(exc, ConnectionTimeout):
        return one_line(f"Elasticsearch at {where} did not answer in time: {_root(exc)}")
    if isinstance(exc, TransportConnectionError):
        hint = ""
        if url.startswith("http://"):
            hint = " (is it running? if it uses TLS, the URL starts with https://)"
        return one_line(f"cannot reach Elasticsearch at {where}: {_root(exc)}{hint}")
    if isinstance(exc, AuthenticationException):
        return one_line(
            f"Elasticsearch at {where} rejected the credentials (401): "
            "give --api-key, or ES_USERNAME and ES_PASSWORD"
        )
    if isinstance(exc, AuthorizationException):
        return one_line(
            f"Elasticsearch at {where} refused the operation (403): {_reason(exc)}; "
            "the user or API key needs the privileges to manage pressnews-* indices"
        )
    if isinstance(exc, UnsupportedProductError):
        return one_line(f"the server at {where} is not Elasticsearch")
    if isinstance(exc, ApiError):
        return one_line(f"Elasticsearch at {where} answered {exc.meta.status}: {_reason(exc)}")
    if isinstance(exc, SerializationError):
        return one_line(f"unreadable answer from {where}: {exc}")
    if isinstance(exc, TransportError):
        return one_line(f"Elasticsearch at {where}: {exc}")
    return one_line(f"Elasticsearch at {where}: {exc.__class__.__name__}: {exc}")


def _root(exc: BaseException) -> str:
    """The innermost cause, without the library's wrapper names."""
    inner: BaseException = exc
    seen = 0
    while seen < 5:
        seen += 1
        nxt = None
        errors = getattr(inner, "errors", ())
        if errors:
            nxt = errors[0]
        elif inner.__cause__ is not None:
            nxt = inner.__cause__
        if nxt is None or nxt is inner:
            break
        inner = nxt
    text = str(inner) or inner.__class__.__name__
    # urllib3 wraps the OS error in a long repr; keep the useful tail.
    m = re.search(r"(\[Errno [^\]]+\][^)'\"]*)", text)
    return m.group(1).strip() if m else text


def _reason(exc: ApiError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            parts = [err.get("type"), err.get("reason")]
            cause = err.get("caused_by")
            if isinstance(cause, dict) and cause.get("reason"):
                parts.append(cause["reason"])
            return ": ".join(str(p) for p in parts if p)
        if err:
            return str(err)
    return str(exc.message)


@contextmanager
def translate_errors(es: Elasticsearch | None, url: str | None = None) -> Iterator[None]:
    """Turn any client/transport failure inside the block into `ElasticUnavailable`."""
    try:
        yield
    except ElasticUnavailable:
        raise
    except (ApiError, TransportError) as exc:
        raise ElasticUnavailable(describe(exc, url or url_of(es))) from None


def url_of(es: Elasticsearch | None) -> str:
    if es is None:
        return "?"
    url = getattr(es, "_pressnews_url", None)
    if url:
        return str(url)
    try:
        node = next(iter(es.transport.node_pool.all()))
        return f"{node.scheme}://{node.host}:{node.port}"
    except Exception:
        return "?"


def _server_wants_older_major(exc: BadRequestError) -> int | None:
    """The major version an 8.x server accepts, from its media-type refusal, if that is it."""
    text = repr(exc.body)
    if "media_type_header_exception" not in text and "compatible-with" not in text:
        return None
    m = _ACCEPT_MAJOR.search(text)
    if m:
        return int(m.group(1))
    client_major = int(CLIENT_VERSION.split(".")[0])
    return client_major - 1


def connect(
    url: str | None = None,
    *,
    api_key: str | None = None,
    username: str | None = None,
    password: str | None = None,
    ca_certs: str | None = None,
    verify_certs: bool = True,
    timeout: float = 10,
) -> Elasticsearch:
    """A checked client. The caller passes every setting (the CLI reads the environment once);
    no URL means DEFAULT_URL."""
    url = (url or DEFAULT_URL).strip()

    if not re.match(r"^https?://[^\s/]+", url):
        raise ElasticUnavailable(
            one_line(
                f"invalid Elasticsearch URL {redact(url)!r}: use http://host:9200 or https://host:9200"
            )
        )
    if ca_certs and not os.path.isfile(ca_certs):
        raise ElasticUnavailable(one_line(f"CA certificate file not found: {ca_certs}"))
    if username and password is None:
        raise ElasticUnavailable("a user name but no password: give --password or ES_PASSWORD")

    kwargs: dict[str, Any] = {
        "request_timeout": timeout,
        "max_retries": 3,
        "retry_on_timeout": True,
        "retry_on_status": (502, 503, 504),
        "transport_class": CompatTransport,
    }
    if api_key:
        kwargs["api_key"] = api_key
    elif username:
        kwargs["basic_auth"] = (username, password or "")
    if url.startswith("https://"):
        kwargs["verify_certs"] = verify_certs
        if ca_certs:
            kwargs["ca_certs"] = ca_certs
        if not verify_certs:
            kwargs["ssl_show_warn"] = False
    try:
        es = Elasticsearch(url, **kwargs)
    except (ValueError, TypeError) as exc:
        raise ElasticUnavailable(
            one_line(f"invalid Elasticsearch settings for {redact(url)}: {exc}")
        ) from None
    es._pressnews_url = url  # type: ignore[attr-defined]
    server_version(es, url)
    return es


def server_version(es: Elasticsearch, url: str | None = None) -> str:
    """Ask the server who it is (no retries); adapt the compatibility header; one-line errors."""
    url = url or url_of(es)
    probe = es.options(max_retries=0)
    try:
        try:
            info = probe.info()
        except BadRequestError as exc:
            major = _server_wants_older_major(exc)
            transport = es.transport
            if major is None or not isinstance(transport, CompatTransport):
                raise
            transport.compat_major = major
            info = probe.info()
    except (ApiError, TransportError) as exc:
        raise ElasticUnavailable(describe(exc, url)) from None
    number = str((info.get("version") or {}).get("number", "0"))
    try:
        major = int(number.split(".")[0])
    except ValueError:
        major = 0
    if major < MIN_SERVER_MAJOR:
        raise ElasticUnavailable(
            one_line(
                f"Elasticsearch {number} at {redact(url)} is too old: pressnews needs 8.x or 9.x"
            )
        )
    return number


__all__ = [
    "CLIENT_VERSION",
    "CompatTransport",
    "ElasticUnavailable",
    "NotFoundError",
    "connect",
    "describe",
    "one_line",
    "server_version",
    "translate_errors",
]
