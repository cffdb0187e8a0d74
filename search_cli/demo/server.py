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
  ``last_modified``, and ``fault`` with its options and ``times`` (fault only the first N
  requests, else every one). This server knows one fault, ``status`` (answer `status`, default
  503, with an optional ``Retry-After`` of `retry_after` seconds), and answers 501 to the others:
  only the test server, ``tests/fixtures/faultserver.py``, injects them (its `FAULTS` lists them).
  A request matches a route by its exact path and query, then by the query with its parameters
  sorted, then by the route of the same path whose parameters the request all carries (a
  parameter value ``*`` matches any value): extra parameters such as ``utm_source`` are ignored,
  as real servers do.
- ``post``: ``{"/path": {"field": "__EVENTARGUMENT", "values": {"Page$2": "list-2.html"}}}``: an
  ASP.NET postback pager; a value may also be a route object. A POST whose field value is unknown
  gets the path's first page again, as a real portal does.
- ``placeholder_images``: true answers unknown ``*.jpg``/``*.png``/``*.gif`` with a tiny image.
- ``server`` (the ``Server`` header) and ``headers`` (added to every file response).
- ``gzip``: true sends every file response gzip-compressed (``Content-Encoding: gzip``) to a
  client whose ``Accept-Encoding`` names gzip; a route may say ``gzip`` too.

Otherwise a path maps to the file of the same name under the site (``/`` and directories to
``index.html``); unknown paths answer a 404 page. Text files (.html .xml .txt .toml .json) are
templated: ``{{base}}`` becomes the site's base URL and ``{{base:OTHER}}`` another site's.
Every file response has an ``ETag`` and ``Last-Modified`` and honours ``If-None-Match`` and
``If-Modified-Since`` with 304.

The parts: `sites_config` (``site.json``, `_Site`, routing tables, the site lists), `payloads`
(charset encoding, tiny files, error pages), `handler` (`SiteHandler`, the request handler, and
the socket server of one site); this module keeps `SiteServer`, `sources_toml` and the command
line. Import each name from the module that defines it.

Run ``python -m search_cli.demo.server [SITE ...]`` to serve the sites by hand.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import time
from pathlib import Path

from .handler import _TEMPLATE, RequestRecord, SiteHandler, _HTTPServer
from .sites_config import SITES_DIR, load_sites

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())  # quiet unless the application configures logging


class SiteServer:
    """Serves fixture sites on 127.0.0.1, one free port (so one host) per site.

    >>> with SiteServer(SITES_DIR, ["wordpress"]) as server:
    ...     url = server.base_urls["wordpress"] + "/feed/"

    Requests are answered by `handler_class` (a subclass of `SiteHandler`; the class attribute
    unless given): the test server's injects faults (``tests/fixtures/faultserver.py``).
    """

    handler_class: type[SiteHandler] = SiteHandler

    def __init__(
        self,
        sites_dir: Path = SITES_DIR,
        sites: list[str] | None = None,
        host: str = "127.0.0.1",
        handler_class: type[SiteHandler] | None = None,
    ):
        self.sites_dir = Path(sites_dir)
        self.host = host
        if handler_class is not None:
            self.handler_class = handler_class
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
                httpd = _HTTPServer(
                    (self.host, 0),
                    site,
                    self.handler_class,
                    self.base_urls,
                    self._stopping,
                    self._log,
                )
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
