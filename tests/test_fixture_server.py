"""The loopback fixture server and the integrity of the fixture sites (stdlib urllib only)."""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import re
import threading
import time
import tomllib
import unicodedata
import urllib.error
import urllib.request
import urllib.robotparser
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from fixtures.faultserver import FaultSiteServer

from search_cli.demo.payloads import encode_text
from search_cli.demo.server import SiteServer, sources_toml
from search_cli.demo.sites_config import RESILIENCE_SITES, SITES_DIR, load_expected, site_names

SITES = site_names()
CRAWLABLE = [s for s in SITES if s not in RESILIENCE_SITES]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_plain = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str,
    data: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 5,
    follow: bool = True,
    retries: int = 2,
):
    """(status, headers, body) for a request; HTTP errors are answers, not exceptions.

    503 and 429 are retried `retries` times at once, as a crawler would (some sites inject them).
    """
    req = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener() if follow else _plain
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            answer = err.code, err.headers, err.read()
        if err.code in (429, 503) and retries > 0:
            return fetch(url, data, headers, timeout, follow, retries - 1)
        return answer


def text_of(body: bytes, headers) -> str:
    """Visible text, whitespace squeezed, NFC (the charset from the header or the meta tag)."""
    charset = headers.get_content_charset()
    if not charset:
        m = re.search(rb'charset=["\']?([\w-]+)', body[:2048])
        charset = m.group(1).decode() if m else "utf-8"
    raw = body.decode(charset)
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    raw = re.sub(r"(?s)<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", html.unescape(raw))).strip()


@pytest.fixture(scope="module")
def server():
    with FaultSiteServer(SITES_DIR) as srv:
        yield srv


# ---------------------------------------------------------------------------------------------
# The server


def test_every_site_answers_its_start_and_home_pages(server):
    assert set(server.base_urls) == set(SITES)
    ports = {urlsplit(u).port for u in server.base_urls.values()}
    assert len(ports) == len(SITES)  # one host per site
    for site in CRAWLABLE:
        expected = load_expected(site)
        for path in expected["start_paths"] + ["/"]:
            status, headers, body = fetch(server.url(site, path))
            assert status == 200, (site, path)
            assert headers.get_content_type() == "text/html"
            assert b"<" in body


def test_sources_toml_names_every_site_with_its_base_url(server):
    text = sources_toml(server)
    assert not [line for line in text.splitlines() if "{{" in line and not line.startswith("#")]
    data = tomllib.loads(text)["sources"]
    assert set(data) == set(SITES)
    for site, entry in data.items():
        expected = load_expected(site)
        assert set(entry) <= {"name", "start_urls", "province"}
        assert entry["name"] == expected["name"]
        assert entry["start_urls"] == [server.base_urls[site] + p for p in expected["start_paths"]]
        assert entry.get("province") == expected["province"]
    with SiteServer(SITES_DIR, ["dnn"]) as only:
        assert list(tomllib.loads(sources_toml(only))["sources"]) == ["dnn"]


def test_templating_fills_base_urls(server):
    base = server.base_urls["sitemaponly"]
    status, headers, body = fetch(base + "/robots.txt")
    assert status == 200 and headers.get_content_type() == "text/plain"
    assert f"Sitemap: {base}/sitemap_index.xml" in body.decode()
    status, _, body = fetch(base + "/sitemap_index.xml")
    assert f"<loc>{base}/sitemap-news.xml</loc>" in body.decode()
    _, _, body = fetch(server.url("newsjsonld", "/thoi-su/"))
    assert (
        f'<link rel="canonical" href="{server.base_urls["newsjsonld"]}/thoi-su/">' in body.decode()
    )


def test_templating_names_other_sites(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "site.json").write_text("{}")
        (tmp_path / name / "index.html").write_text(
            "<a href='{{base:two}}/x'>{{base}}</a> {{base:three}}"
        )
    with SiteServer(tmp_path, ["one", "two"]) as srv:
        body = fetch(srv.url("one"))[2].decode()
        assert (
            body
            == f"<a href='{srv.base_urls['two']}/x'>{srv.base_urls['one']}</a> http://three.invalid"
        )
        req = urllib.request.Request(srv.url("one"), method="HEAD")
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert (
                resp.status == 200
                and resp.read() == b""
                and int(resp.headers["Content-Length"]) > 0
            )


def test_postback_pager_returns_the_requested_page(server):
    url = server.url("sharepoint", "/Pages/tin-tuc.aspx")
    _, _, first = fetch(url)
    form = {
        "__EVENTTARGET": "ctl00$m$g_5a1f2c3d_8e7b_4c6a_9d0f_1e2b3c4d5e6f$pager",
        "__VIEWSTATE": "x",
    }
    status, _, page2 = fetch(url, urlencode({**form, "__EVENTARGUMENT": "Page$2"}).encode())
    assert status == 200 and b"ItemID=21" in page2 and b"ItemID=21" not in first
    _, _, page3 = fetch(url, urlencode({**form, "__EVENTARGUMENT": "Page$3"}).encode())
    assert b"ItemID=12" in page3
    # an unknown pager value answers the first page again, as a real portal does
    _, _, again = fetch(url, urlencode({**form, "__EVENTARGUMENT": "Page$9"}).encode())
    assert again == first
    # DotNetNuke: __EVENTTARGET, in a multipart/form-data body
    boundary = "----pressnews"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="__EVENTTARGET"\r\n\r\n'
        f"dnn$ctr512$View$lnkNext\r\n--{boundary}--\r\n"
    ).encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, _, dnn2 = fetch(server.url("dnn", "/tin-tuc/tabid/105/default.aspx"), body, headers)
    assert status == 200 and b"ArticleID/1250/" in dnn2


def test_windows_1258_round_trips(server):
    root = SITES_DIR / "legacy1258"
    on_disk = unicodedata.normalize("NFC", (root / "tin/1452.html").read_text("utf-8"))
    status, headers, body = fetch(server.url("legacy1258", "/chitiet.asp?id=1452"))
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=windows-1258"
    decoded = body.decode("cp1258")
    assert decoded != on_disk  # tone marks travel as combining characters
    assert unicodedata.normalize("NFC", decoded) == on_disk
    # this route declares the charset only in the page's own <meta http-equiv>
    status, headers, body = fetch(server.url("legacy1258", "/chitiet.asp?id=1371"))
    assert headers["Content-Type"] == "text/html"
    assert b"charset=windows-1258" in body
    assert "Lạng Sơn: Tập huấn thông tin đối ngoại" in unicodedata.normalize(
        "NFC", body.decode("cp1258")
    )
    # every Vietnamese letter survives, including those cp1258 lacks precomposed
    letters = "ẠạẶặẬậẸẹỆệỊịỌọỘộỢợỤụỰựỲỳỴỵỶỷỸỹĐđƯưƠơ ấầẩẫắằẳẵếềểễốồổỗớờởỡứừửữ"
    assert unicodedata.normalize("NFC", encode_text(letters, "cp1258").decode("cp1258")) == letters


def test_conditional_requests_answer_304(server):
    url = server.url("wordpress", "/category/tin-tuc/")
    status, headers, body = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag and modified
    assert etag == '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    status, headers, body = fetch(url, headers={"If-None-Match": etag})
    assert status == 304 and body == b""
    status, _, _ = fetch(url, headers={"If-Modified-Since": modified})
    assert status == 304
    status, _, _ = fetch(url, headers={"If-None-Match": '"other"'})
    assert status == 200
    status, _, _ = fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert status == 200


def test_routing_ignores_noise_like_real_servers(server):
    article = server.url("sharepoint", "/Pages/tin-tuc.aspx?ItemID=12")
    _, _, body = fetch(article)
    for variant in (
        "/(S(abc123xyz))/Pages/tin-tuc.aspx?ItemID=12",
        "/Pages/tin-tuc.aspx?ItemID=12&utm_source=zalo",
        "/Pages/tin-tuc.aspx?utm_source=zalo&ItemID=12",
    ):
        assert fetch(server.url("sharepoint", variant))[2] == body, variant
    assert fetch(server.url("sharepoint", "/Pages/tin-tuc.aspx?ItemID=15"))[2] != body
    liferay = load_expected("liferay")["articles"][0]
    _, _, canonical = fetch(server.url("liferay", liferay["path"]))
    for variant in liferay["other_paths"]:
        assert fetch(server.url("liferay", variant))[2] == canonical
    status, headers, _ = fetch(server.url("sharepoint", "/"), follow=False)
    assert status == 301 and headers["Location"] == server.url("sharepoint", "/Pages/Home.aspx")
    status, headers, _ = fetch(server.url("wordpress", "/category/tin-tuc"), follow=False)
    assert status == 301 and headers["Location"].endswith("/category/tin-tuc/")
    status, _, body = fetch(server.url("wordpress", "/khong-co-trang-nay/"))
    assert status == 404 and "Không tìm thấy" in body.decode()
    assert fetch(server.url("wordpress", "/site.json"))[0] == 404
    status, headers, body = fetch(
        server.url("wordpress", "/wp-content/uploads/2023/09/ke-hoach.pdf")
    )
    assert (
        status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF-")
    )
    status, headers, _ = fetch(server.url("wordpress", "/feed/"))
    assert headers.get_content_type() == "application/rss+xml"


def test_request_log(server):
    server.clear_log()
    fetch(
        server.url("dnn", "/tin-tuc/tabid/105/default.aspx"),
        headers={"User-Agent": "pressnews-test"},
    )
    fetch(server.url("dnn", "/khong-co"))
    log = server.requests_for("dnn")
    assert [(r.method, r.path_qs, r.status) for r in log] == [
        ("GET", "/tin-tuc/tabid/105/default.aspx", 200),
        ("GET", "/khong-co", 404),
    ]
    assert log[0].headers["User-Agent"] == "pressnews-test" and log[0].time > 0
    assert server.requests_for("wordpress") == []
    server.clear_log()
    assert server.requests == []


# ---------------------------------------------------------------------------------------------
# Faults, on a small site of their own


def _write_faulty_site(tmp_path: Path) -> None:
    root = tmp_path / "faulty"
    root.mkdir()
    (root / "ok.html").write_text(
        "<html><body><p>" + "Nội dung bình thường. " * 200 + "</p></body></html>", "utf-8"
    )
    routes = {
        "/flaky": {
            "fault": "status",
            "status": 503,
            "times": 2,
            "retry_after": 1,
            "file": "ok.html",
        },
        "/busy": {"fault": "status", "status": 429, "retry_after": 1},
        "/slow": {"fault": "timeout", "delay": 2, "file": "ok.html"},
        "/very-slow": {"fault": "timeout", "file": "ok.html"},
        "/drip": {"fault": "slow_body", "chunks": 4, "delay": 0.3, "file": "ok.html"},
        "/reset": {"fault": "reset"},
        "/cut": {"fault": "truncated", "file": "ok.html"},
        "/loop-a": {"fault": "redirect_loop", "location": "/loop-b"},
        "/loop-b": {"fault": "redirect_loop", "location": "/loop-a"},
        "/self": {"fault": "redirect_loop"},
        "/huge": {"fault": "huge"},
        "/pdf": {"fault": "binary"},
        "/deep": {"fault": "deep_nesting"},
        "/links": {"fault": "many_links"},
        "/blocked": {"fault": "blocked"},
    }
    (root / "site.json").write_text(json.dumps({"routes": routes}), "utf-8")


@pytest.fixture()
def faulty(tmp_path: Path):
    _write_faulty_site(tmp_path)
    with FaultSiteServer(tmp_path) as srv:
        yield srv, srv.base_urls["faulty"]


def test_fault_status_with_times_and_retry_after(faulty):
    srv, base = faulty
    for _ in range(2):
        status, headers, _ = fetch(base + "/flaky", retries=0)
        assert status == 503 and headers["Retry-After"] == "1"
    status, _, body = fetch(base + "/flaky", retries=0)
    assert status == 200 and "bình thường" in body.decode()
    assert fetch(base + "/busy", retries=0)[0] == 429 and fetch(base + "/busy", retries=0)[0] == 429
    assert [r.status for r in srv.requests_for("faulty")] == [503, 503, 200, 429, 429]


def test_fault_timeout(faulty):
    _, base = faulty
    start = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        urllib.request.urlopen(base + "/slow", timeout=1).read()
    assert time.monotonic() - start < 1.8


def test_fault_slow_body_arrives_whole(faulty):
    _, base = faulty
    start = time.monotonic()
    status, _, body = fetch(base + "/drip")
    assert status == 200 and body.endswith(b"</html>")
    assert time.monotonic() - start >= 0.85


def test_fault_reset_and_truncated(faulty):
    _, base = faulty
    with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
        urllib.request.urlopen(base + "/reset", timeout=3).read()
    with urllib.request.urlopen(base + "/cut", timeout=3) as resp:
        declared = int(resp.headers["Content-Length"])
        with pytest.raises(http.client.IncompleteRead) as err:
            resp.read()
    assert len(err.value.partial) < declared


def test_fault_redirect_loops(faulty):
    srv, base = faulty
    for path in ("/loop-a", "/self"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(base + path, timeout=3)
        err.value.close()
        assert err.value.code == 302
    status, headers, _ = fetch(base + "/loop-a", follow=False)
    assert status == 302 and headers["Location"] == base + "/loop-b"
    assert len(srv.requests_for("faulty")) >= 6


def test_fault_generated_bodies(faulty):
    _, base = faulty
    status, headers, body = fetch(base + "/huge", timeout=20)
    assert status == 200 and len(body) == int(headers["Content-Length"]) == 12 * 1024 * 1024
    assert body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")
    status, headers, body = fetch(base + "/pdf")
    assert (
        headers["Content-Type"] == "application/pdf"
        and body.startswith(b"%PDF-1.4")
        and b"%%EOF" in body
    )
    _, _, body = fetch(base + "/deep")
    assert body.count(b"<div>") == 100_000 and body.count(b"</div>") == 100_000
    _, _, body = fetch(base + "/links")
    hrefs = re.findall(rb'href="(/lien-ket/\d+\.html)"', body)
    assert len(hrefs) == 50_000 and fetch(base + hrefs[0].decode())[0] == 404
    status, headers, body = fetch(base + "/blocked")
    assert status == 200 and b"<title>Just a moment...</title>" in body
    assert b"Checking your browser before accessing" in body and b"cf-chl" in body


def test_stop_does_not_wait_for_sleeping_handlers(tmp_path):
    root = tmp_path / "slow"
    root.mkdir()
    (root / "site.json").write_text(
        json.dumps({"routes": {"/": {"fault": "timeout", "body": "x"}}})
    )
    srv = FaultSiteServer(tmp_path).start()
    errors: list[Exception] = []

    def call() -> None:
        try:
            urllib.request.urlopen(srv.base_urls["slow"] + "/", timeout=10).read()
        except Exception as exc:  # the server drops the connection when it stops
            errors.append(exc)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    srv.stop()
    thread.join(5)
    assert time.monotonic() - start < 3 and not thread.is_alive() and errors


def test_resilience_site_recovers_after_transient_errors():
    with FaultSiteServer(SITES_DIR, ["flaky"]) as srv:
        expected = load_expected("flaky")
        first = expected["articles"][0]["path"]
        assert [fetch(srv.url("flaky", first), retries=0)[0] for _ in range(3)] == [503, 503, 200]
        status, _, body = fetch(srv.url("flaky", "/tin-tuc/xac-minh-truy-cap.html"))
        assert status == 200 and b"Just a moment..." in body


def test_the_plain_server_injects_no_faults_but_transient_statuses(tmp_path):
    """`SiteServer` (the demo's) answers 501 to a fault route, except ``status``, which the clean
    sites use; the fault server is the test fixture `FaultSiteServer`."""
    _write_faulty_site(tmp_path)
    with SiteServer(tmp_path) as plain:
        base = plain.base_urls["faulty"]
        for path in ("/reset", "/slow", "/huge", "/blocked", "/loop-a"):
            status, headers, body = fetch(base + path, follow=False, retries=0)
            assert status == 501 and headers.get_content_type() == "text/plain", path
            assert body.decode().count("\n") == 1 and "only in the test server" in body.decode()
        assert [fetch(base + "/flaky", retries=0)[0] for _ in range(3)] == [503, 503, 200]


# ---------------------------------------------------------------------------------------------
# The sites agree with their expected.json


@pytest.mark.parametrize("site", SITES)
def test_expected_articles_are_served(server, site):
    expected = load_expected(site)
    assert expected["name"] and expected["start_paths"] and expected["articles"]
    for art in expected["articles"]:
        status, headers, body = fetch(server.url(site, art["path"]), timeout=10)
        assert status == 200, art["path"]
        text = text_of(body, headers)
        route = json.loads((SITES_DIR / site / "site.json").read_text("utf-8")).get("routes", {})
        if "charset=" in route.get(art["path"], {}).get("content_type", ""):
            text = body.decode("utf-8")  # a deliberately wrong declared charset
        for part in [
            art["title"],
            art["body_starts_with"],
            art["body_ends_with"],
            *art["body_contains"],
        ]:
            assert part in text, (art["path"], part)
        for image in art["images"]:
            assert image["file"] in body.decode(headers.get_content_charset() or "utf-8", "replace")
        for variant in art["other_paths"]:
            status, headers, other = fetch(server.url(site, variant.split("#")[0]))
            assert status == 200 and art["title"] in text_of(other, headers), variant
        for attachment in art["attachments"]:
            status, headers, _ = fetch(server.url(site, attachment["path"]))
            assert (
                status == 200
                and attachment["type"] in headers.get_content_type() + attachment["path"]
            )
    routes = json.loads((SITES_DIR / site / "site.json").read_text("utf-8")).get("routes", {})
    for path in expected["non_articles"]:
        route = routes.get(path, {})
        if route.get("fault"):
            continue  # fault routes have tests of their own
        if 300 <= route.get("status", 200) < 400:  # redirects to internal addresses: not followed
            assert fetch(server.url(site, path), follow=False)[0] == route["status"], path
        else:
            assert fetch(server.url(site, path))[0] == 200, path


@pytest.mark.parametrize("site", SITES)
def test_never_requested_paths_are_disallowed(server, site):
    expected = load_expected(site)
    robots = urllib.robotparser.RobotFileParser()
    status, _, body = fetch(server.url(site, "/robots.txt"))
    robots.parse(body.decode().splitlines() if status == 200 else [])
    for path in expected["never_requested"]:
        assert not robots.can_fetch("pressnews", server.url(site, path)), path
    for art in expected["articles"]:
        assert robots.can_fetch("pressnews", server.url(site, art["path"])), art["path"]


def test_corpus_size_and_seeds():
    seeds = {}
    total = relevant = 0
    for site in SITES:
        articles = load_expected(site)["articles"]
        assert 3 <= len(articles) <= 7, site
        total += len(articles)
        relevant += sum(a["relevant"] for a in articles)
        seeds.update({a["seed"]: (site, a) for a in articles if a["seed"]})
    assert total >= 30 and 0 < relevant < total
    assert sorted(seeds) == [
        f"{n:03d}_{h}.txt"
        for n, h in [
            (0, "e7c6a18c223b6c4e"),
            (1, "4f79e04d280d80a6"),
            (2, "3b0106b04ec5bb76"),
            (3, "e860ab623329d24a"),
            (4, "27d0ec04cab69b18"),
        ]
    ]
    labels_file = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "labels.json"
    if labels_file.is_file():
        for label in json.loads(labels_file.read_text("utf-8")):
            _, art = seeds[label["file"]]
            assert art["title"] == label["title"]
            assert (art["published"] or None) == label["published"] or art["published"][
                :10
            ] == label["published"]
            assert art["authors"] == label["authors"] and art["relevant"] == label["relevant"]


# ---------------------------------------------------------------------------------------------
# A reference crawl: every expected article is reachable by generic means


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if (
            tag == "a"
            and a.get("href")
            or tag == "link"
            and a.get("type") == "application/rss+xml"
            and a.get("href")
        ):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and a.get("type") == "hidden" and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


_POSTBACK = re.compile(r"__doPostBack\('([^']*)','([^']*)'\)")


def _reference_crawl(server: SiteServer, site: str) -> set[str]:
    """ETags of every page reached from the start pages, sitemaps and feeds, obeying robots."""
    base = server.base_urls[site]
    robots = urllib.robotparser.RobotFileParser()
    status, _, body = fetch(base + "/robots.txt")
    lines = body.decode().splitlines() if status == 200 else []
    robots.parse(lines)
    queue: list[tuple[str, bytes | None]] = [
        (base + p, None) for p in load_expected(site)["start_paths"]
    ]
    queue += [
        (line.split(":", 1)[1].strip(), None)
        for line in lines
        if line.lower().startswith("sitemap:")
    ]
    seen: set = set()
    etags: set[str] = set()
    while queue and len(seen) < 400:
        url, data = queue.pop(0)
        url = url.split("#")[0]
        if (url, data) in seen or not url.startswith(base + "/") or not robots.can_fetch("*", url):
            continue
        seen.add((url, data))
        status, headers, body = fetch(url, data)
        if status != 200 or headers["ETag"] in etags:
            continue
        etags.add(headers["ETag"])
        ctype = headers.get_content_type()
        if "xml" in ctype:
            queue += [
                (html.unescape(u), None)
                for u in re.findall(rb"<(?:loc|link)>([^<]+)</", body)
                for u in [u.decode()]
            ]
            continue
        if ctype != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode(headers.get_content_charset() or "utf-8", "replace"))
        for href in parser.links:
            m = _POSTBACK.search(href)
            if m and parser.forms:
                form = parser.forms[0]
                fields = {
                    **form["fields"],
                    "__EVENTTARGET": m.group(1),
                    "__EVENTARGUMENT": m.group(2),
                }
                queue.append((urljoin(url, form["action"]), urlencode(fields).encode()))
            elif not href.startswith(("javascript:", "mailto:")):
                queue.append((urljoin(url, href), None))
    return etags


@pytest.mark.parametrize("site", CRAWLABLE)
def test_reference_crawl_reaches_every_article(server, site):
    server.clear_log()
    reached = _reference_crawl(server, site)
    expected = load_expected(site)
    for art in expected["articles"]:
        _, headers, _ = fetch(server.url(site, art["path"]))
        assert headers["ETag"] in reached, art["path"]
    requested = {r.path_qs for r in server.requests_for(site)}
    assert not requested & set(expected["never_requested"])
