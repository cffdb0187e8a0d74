"""Focused crawling on small generated portals: request order, budget mode and its backlog,
`pressnews runs` showing what is unfetched, resuming a capped archive walk and an interrupted
`__doPostBack` walk, and politeness per server address."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from conftest import FAST, REPO, export, run_cli

from crawler.middlewares import ServerSlots, server_address

pytestmark = pytest.mark.slow

RELEVANT = "Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí năm {n}"
ORDINARY = "Huyện {n} đẩy mạnh sản xuất vụ đông, mở rộng diện tích rau màu"
BODY = (
    "<p>Ngày 12/3/2024, Ủy ban nhân dân huyện tổ chức hội nghị với sự tham dự của đại diện các "
    "phòng, ban chuyên môn và các xã, thị trấn trên địa bàn.</p>"
    "<p>Tại hội nghị, các đại biểu đã trao đổi, thảo luận nhiều nội dung sát với thực tiễn, "
    "đề xuất giải pháp để thực hiện thắng lợi nhiệm vụ trong thời gian tới.</p>"
    "<p>Phát biểu kết luận, lãnh đạo huyện đề nghị các đơn vị phối hợp chặt chẽ, bảo đảm "
    "tiến độ và chất lượng các công việc được giao.</p>"
)


class MiniPortal:
    """A portal served on 127.0.0.1: `titles` newest first, `per_page` per listing page,
    paged by links (`?page=N`, "Sau") or by an ASP.NET `__doPostBack` pager (`postback`)."""

    def __init__(
        self,
        titles: list[str],
        per_page: int = 5,
        postback: bool = False,
        delay: float = 0.0,
    ) -> None:
        self.titles = titles
        self.per_page = per_page
        self.postback = postback
        self.delay = delay
        self.log: list[str] = []  # "GET /path" or "POST /path Page$N"
        self.pages = (len(titles) + per_page - 1) // per_page
        portal = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def _send(self, body: bytes | None) -> None:
                if portal.delay:
                    time.sleep(portal.delay)
                status = 200 if body is not None else 404
                body = body if body is not None else b"<html><body>404</body></html>"
                self.send_response(status)
                ctype = "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                portal.log.append(f"GET {self.path}")
                self._send(portal.get(self.path))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                arg = (form.get("__EVENTARGUMENT") or [""])[0]
                portal.log.append(f"POST {self.path} {arg}")
                n = int(arg.split("$")[1]) if arg.startswith("Page$") else 1
                self._send(portal.listing(n) if 1 <= n <= portal.pages else None)

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True

    def __enter__(self) -> MiniPortal:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def article_path(self, i: int) -> str:
        return f"/tin-tuc/bai-viet-so-{i}.html"

    def get(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if path in ("/tin-tuc/", "/tin-tuc/list.aspx"):
            return self.listing(1)
        if path.startswith("/tin-tuc/?page="):
            n = int(path.rsplit("=", 1)[1])
            return self.listing(n) if 1 <= n <= self.pages else None
        for i, title in enumerate(self.titles):
            if path == self.article_path(i):
                return self.article(title)
        return None

    def listing(self, n: int) -> bytes:
        items = "".join(
            f'<li><h3><a href="{self.article_path(i)}">{title}</a></h3>'
            f"<p>Tin từ cơ sở, ngày {i % 28 + 1}/3/2024.</p></li>"
            for i, title in enumerate(self.titles)
            if (n - 1) * self.per_page <= i < n * self.per_page
        )
        if self.postback:
            pager = (
                f"<a href=\"javascript:__doPostBack('pager','Page${n + 1}')\">Sau</a>"
                if n < self.pages
                else ""
            )
            form = (
                '<form id="aspnetForm" method="post" action="/tin-tuc/list.aspx">'
                f'<input type="hidden" name="__VIEWSTATE" value="vs{n}">'
                '<input type="hidden" name="__EVENTTARGET" value="">'
                '<input type="hidden" name="__EVENTARGUMENT" value="">'
                f"<ul>{items}</ul><div>{pager}</div></form>"
            )
            main = form
        else:
            pager = f'<a href="/tin-tuc/?page={n + 1}">Sau</a>' if n < self.pages else ""
            main = f"<ul>{items}</ul><div class='pager'>{pager}</div>"
        return (
            '<html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title></head><body>'
            f"<h1>Tin tức - Sự kiện</h1>{main}</body></html>"
        ).encode()

    def article(self, title: str) -> bytes:
        return (
            f'<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="og:type" content="article"></head><body>'
            f"<article><h1>{title}</h1><div class='date'>12/03/2024</div>{BODY}</article>"
            "</body></html>"
        ).encode()

    def take(self) -> list[str]:
        out, self.log = self.log, []
        return out


def sources(tmp: Path, portal: MiniPortal, start: str = "/tin-tuc/", **extra: object) -> Path:
    lines = [
        "[sources.mini]",
        'name = "Mini portal"',
        f'start_urls = ["{portal.base}{start}"]',
        *(f"{k} = {json.dumps(v)}" for k, v in extra.items()),
    ]
    path = tmp / "sources.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def crawl(db: Path, src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    out = run_cli("crawl", "--db", str(db), "--sources", str(src), "-q", *FAST, *args)
    assert out.returncode == 0, out.stderr[-3000:] + out.stdout[-2000:]
    return out


def articles_requested(log: list[str]) -> list[str]:
    return [line.split(" ", 1)[1] for line in log if "/bai-viet-so-" in line]


@pytest.fixture
def portal_factory() -> Iterator[type[MiniPortal]]:
    started: list[MiniPortal] = []

    class Started(MiniPortal):
        def __init__(self, *a: object, **k: object) -> None:
            super().__init__(*a, **k)  # type: ignore[arg-type]
            self.__enter__()
            started.append(self)

    yield Started
    for p in started:
        p.__exit__()


def test_a_relevant_looking_link_is_fetched_before_the_others_on_its_page(tmp_path, portal_factory):
    titles = [ORDINARY.format(n=i) for i in range(10)]
    titles[4] = RELEVANT.format(n=2024)
    portal = portal_factory(titles, per_page=10)
    src = sources(tmp_path, portal)
    crawl(tmp_path / "a.db", src, "-s", "CONCURRENT_REQUESTS=1")
    order = articles_requested(portal.take())
    assert order[0] == portal.article_path(4) and len(order) == 10
    # The order before focused crawling takes them as Scrapy's queue does (last found first).
    crawl(tmp_path / "b.db", src, "-s", "CONCURRENT_REQUESTS=1", "-s", "PRESSNEWS_ORDER=breadth")
    assert articles_requested(portal.take())[0] == portal.article_path(9)


def test_budget_mode_records_what_it_skips_and_later_runs_fetch_it_a_budget_at_a_time(
    tmp_path, portal_factory
):
    titles = [ORDINARY.format(n=i) for i in range(24)]
    titles[5] = RELEVANT.format(n=2023)
    titles[17] = RELEVANT.format(n=2024)
    portal = portal_factory(titles, per_page=8)
    src = sources(tmp_path, portal, focus_sample=0.0, focus_backlog=10)
    db = tmp_path / "p.db"
    crawl(db, src, "--focus")
    first = set(articles_requested(portal.take()))
    assert first == {portal.article_path(5), portal.article_path(17)}
    runs = run_cli("runs", "--db", str(db))
    assert "22 unfetched (22 skipped by budget mode)" in runs.stdout, runs.stdout
    crawl(db, src, "--focus")
    second = set(articles_requested(portal.take())) - first  # stored ones: asked conditionally
    assert len(second) == 10
    data = json.loads(run_cli("runs", "--db", str(db), "--json").stdout)
    assert data[0]["summary"]["unfetched"]["mini"]["skipped"] == 12
    crawl(db, src, "--focus")
    crawl(db, src, "--focus")
    stored = {a["url"].removeprefix(portal.base) for a in export(db)}
    assert stored == {portal.article_path(i) for i in range(24)}
    assert "unfetched" not in run_cli("runs", "--db", str(db), "--limit", "1").stdout


def test_budget_mode_fetches_the_band_at_its_own_share(tmp_path, portal_factory):
    titles = [ORDINARY.format(n=i) for i in range(12)]
    titles[2] = "Khai mạc lớp học tại Trung tâm Chính trị huyện"  # an event, no subject
    titles[7] = "Huyện ủy tổ chức hội nghị"
    titles[9] = RELEVANT.format(n=2024)
    portal = portal_factory(titles, per_page=6)
    band = {portal.article_path(2), portal.article_path(7)}
    src = sources(tmp_path, portal, focus_sample=0.0)
    crawl(tmp_path / "a.db", src, "--focus")  # the band's default share: all of it
    assert set(articles_requested(portal.take())) == {portal.article_path(9), *band}
    crawl(tmp_path / "b.db", src, "--focus", "-s", "PRESSNEWS_FOCUS_BAND_SAMPLE=0")
    assert set(articles_requested(portal.take())) == {portal.article_path(9)}
    # a source's own setting wins over -s
    src = sources(tmp_path, portal, focus_sample=0.0, focus_band_sample=1.0)
    crawl(tmp_path / "c.db", src, "--focus", "-s", "PRESSNEWS_FOCUS_BAND_SAMPLE=0")
    assert set(articles_requested(portal.take())) == {portal.article_path(9), *band}


def test_a_capped_archive_walk_resumes_where_the_cap_stopped_it(tmp_path, portal_factory):
    titles = [ORDINARY.format(n=i) for i in range(40)]
    portal = portal_factory(titles, per_page=4)  # 10 listing pages
    src = sources(tmp_path, portal, max_pages=12)
    db = tmp_path / "c.db"
    crawl(db, src, "-s", "PRESSNEWS_ORDER=breadth")
    first = portal.take()
    walked = {line for line in first if "?page=" in line}
    assert len(walked) < 9
    assert "pending, the archive walk among them" in run_cli("runs", "--db", str(db)).stdout
    for _ in range(8):
        crawl(db, src, "-s", "PRESSNEWS_ORDER=breadth")
        later = {line for line in portal.take() if "?page=" in line}
        assert not later & walked, "a listing page walked before was paged through again"
        walked |= later
        if "unfetched" not in run_cli("runs", "--db", str(db), "--limit", "1").stdout:
            break
    assert len(walked) == 9  # pages 2 to 10, each once
    assert len(export(db)) == 40


def test_an_interrupted_postback_walk_resumes_where_it_was(tmp_path, portal_factory):
    titles = [ORDINARY.format(n=i) for i in range(60)]
    portal = portal_factory(titles, per_page=3, postback=True, delay=0.05)  # 20 pages
    src = sources(tmp_path, portal, start="/tin-tuc/list.aspx")
    db = tmp_path / "k.db"
    args = [sys.executable, "-m", "search_cli", "crawl", "--db", str(db), "--sources", str(src)]
    proc = subprocess.Popen(
        [*args, "-q", *FAST, "-s", "CONCURRENT_REQUESTS=1"],
        cwd=REPO,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while sum(1 for line in portal.log if line.startswith("POST")) < 6:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 143
    before = {line for line in portal.take() if line.startswith("POST")}
    assert 6 <= len(before) < 19
    crawl(db, src)
    after = {line for line in portal.take() if line.startswith("POST")}
    assert not after & before, "the walk started again from the first pages"
    assert len(before | after) == 19  # Page$2 to Page$20
    assert len(export(db)) == 60


def test_host_names_on_one_server_share_one_download_slot():
    class Req:
        def __init__(self, url: str) -> None:
            self.url = url
            self.meta: dict[str, object] = {}

    slots = ServerSlots(enabled=True)
    a, b = Req("http://localhost:8001/a"), Req("http://127.0.0.1:8002/b")
    slots.process_request(a)
    slots.process_request(b)
    assert a.meta["download_slot"] == b.meta["download_slot"] == "127.0.0.1"
    assert server_address("10.1.2.3") == "10.1.2.3"
    off = Req("http://localhost/")
    ServerSlots(enabled=False).process_request(off)
    assert "download_slot" not in off.meta


def test_per_server_politeness_is_on_by_default():
    from crawler.crawl_runner import crawl_settings

    settings = crawl_settings("x.db", None, [])
    assert settings.getbool("PRESSNEWS_SLOT_PER_IP")
    assert "crawler.middlewares.ServerSlots" in settings.getdict("DOWNLOADER_MIDDLEWARES")
