"""WARC 1.1 archives: `crawl --warc DIR` at fetch time, `export --warc FILE` from the store.

The crawl test serves a copy of the WordPress fixture site gzip-compressed, with a redirecting
start page, crawls it with `--warc` (small files, so they rotate), and reads the files back with
warcio: every request the server saw has its request and response records, bodies are the bytes
the server sent (still gzip), the redirect is a 301 record followed by its target, and warcio's
own checker passes every digest. The export tests compare every record with the store.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from cli_support import assert_clean_success, assert_one_line_error, invoke, snapshot
from conftest import FAST, make_article, run_cli
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from crawler.warc import request_headers, response_headers
from indexer.store import RawPage, Store
from indexer.warc import CRAWLER_TRANSFER_ENCODING, REDACTED, parse_fields, warc_date
from indexer.warc_export import ORIGIN
from search_cli.demo.server import SiteServer
from search_cli.demo.sites_config import SITES_DIR

OLD_START = "/tin-tuc-cu/"  # redirects to the site's listing


# -- reading WARC files ------------------------------------------------------------------------
def read_records(path: Path) -> list[dict[str, Any]]:
    """Every record of `path`, parsed by warcio (digests checked: a bad one raises)."""
    out = []
    with open(path, "rb") as f:
        for rec in ArchiveIterator(f, check_digests="raise"):
            head = rec.http_headers
            out.append(
                {
                    "type": rec.rec_type,
                    "headers": dict(rec.rec_headers.headers),
                    "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                    "id": rec.rec_headers.get_header("WARC-Record-ID"),
                    "date": rec.rec_headers.get_header("WARC-Date"),
                    "status": int(head.get_statuscode()) if rec.rec_type == "response" else None,
                    "statusline": head.statusline if head else None,
                    "protocol": head.protocol if head else None,
                    "http": list(head.headers) if head else [],
                    "body": rec.raw_stream.read(),  # the payload as stored, not decoded
                }
            )
    return out


def warcio_check(*files: Path) -> subprocess.CompletedProcess[str]:
    """`warcio check -v FILE...`: the library's own checker, in a process of its own."""
    code = "import sys; from warcio.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, "check", "-v", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def round_trip(path: Path) -> None:
    """Each record, read and written again by warcio, reads back identical."""
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=True)
    originals = []
    with open(path, "rb") as f:
        for rec in ArchiveIterator(f):
            body = rec.raw_stream.read()
            originals.append((rec.rec_headers.headers[:], body))
            rec.raw_stream = BytesIO(body)
            writer.write_record(rec)
    buf.seek(0)
    again = [(r.rec_headers.headers[:], r.raw_stream.read()) for r in ArchiveIterator(buf)]
    assert len(again) == len(originals)
    for (h1, b1), (h2, b2) in zip(originals, again, strict=True):
        assert b1 == b2
        assert dict(h1) == dict(h2)


# -- a crawl with --warc -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def warc_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("warc")
    sites = tmp / "sites"
    shutil.copytree(SITES_DIR / "wordpress", sites / "wordpress")
    config_file = sites / "wordpress" / "site.json"
    config = json.loads(config_file.read_text("utf-8"))
    config["gzip"] = True
    config["redirects"][OLD_START] = "/category/tin-tuc/"
    config_file.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    with SiteServer(sites, ["wordpress"]) as server:
        base = server.base_urls["wordpress"]
        sources = tmp / "sources.toml"
        sources.write_text(
            f'[sources.wordpress]\nname = "WordPress"\nstart_urls = ["{base}{OLD_START}"]\n',
            "utf-8",
        )
        db, folder = tmp / "w.db", tmp / "warc"
        server.clear_log()
        result = run_cli(
            "crawl",
            "--db",
            str(db),
            "--sources",
            str(sources),
            "-q",
            "--warc",
            str(folder),
            "-s",
            "PRESSNEWS_WARC_MAX_SIZE=40000",
            *FAST,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        served = list(server.requests)
        files = sorted(folder.iterdir())
        # what the server sends for each URL (it is deterministic), asked the way Scrapy asks
        sent: dict[str, bytes] = {}
        for rec in (r for f in files for r in read_records(f)):
            if rec["type"] == "response" and rec["status"] == 200:
                req = urllib.request.Request(rec["uri"], headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(req, timeout=10) as answer:  # noqa: S310 - loopback
                    sent[rec["uri"]] = answer.read()
    return {"result": result, "files": files, "served": served, "db": db, "sent": sent}


def all_records(crawl: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for f in crawl["files"] for r in read_records(f)]


@pytest.mark.slow
def test_crawl_warc_files_are_complete_rotated_and_pass_warcio_check(warc_crawl):
    files = warc_crawl["files"]
    assert len(files) >= 2, files  # rotated at 40,000 bytes
    assert all(f.name.startswith("pressnews-") and f.name.endswith(".warc.gz") for f in files)
    for f in files:
        records = read_records(f)
        assert records[0]["type"] == "warcinfo"
        assert records[0]["headers"]["WARC-Filename"] == f.name
        info = parse_fields(records[0]["body"])
        assert info["format"] == "WARC File Format 1.1"
        assert info["pressnews-origin"] == "captured at fetch time"
        assert [r["type"] for r in records[1:]].count("warcinfo") == 0
    checked = warcio_check(*files)
    assert checked.returncode == 0, checked.stdout
    assert "failed" not in checked.stdout
    total = sum(len(read_records(f)) for f in files)
    assert checked.stdout.count("digest pass") == total
    assert f"in {len(files)} file(s)" in warc_crawl["result"].stdout


@pytest.mark.slow
def test_every_request_the_server_saw_has_a_request_and_a_response_record(warc_crawl):
    records = all_records(warc_crawl)
    assert all(r["headers"].get("WARC-Type") for r in records)
    with open(warc_crawl["files"][0], "rb") as f:
        assert f.read(2) == b"\x1f\x8b"  # gzip, one member per record
    requests = [r for r in records if r["type"] == "request"]
    responses = {r["id"]: r for r in records if r["type"] == "response"}
    # warcio reads a request line as protocol = the method, statusline = "PATH HTTP/1.1"
    seen = Counter((r["protocol"], r["statusline"].split(" ")[0]) for r in requests)
    served = Counter((r.method, r.path_qs) for r in warc_crawl["served"])
    assert seen == served
    assert len(requests) == len(responses) == len(warc_crawl["served"])
    paths = {p for _, p in served}
    assert "/robots.txt" in paths and OLD_START in paths  # robots.txt is a fetch too
    for req in requests:
        resp = responses[req["headers"]["WARC-Concurrent-To"]]
        assert resp["uri"] == req["uri"] and resp["date"] == req["date"]
        assert resp["protocol"] == "HTTP/1.1"
        assert resp["headers"]["WARC-IP-Address"] == "127.0.0.1"
        http = dict(req["http"])
        assert http["Host"] == req["uri"].split("/")[2]
        assert http["User-Agent"].startswith("pressnews/")
        assert "gzip" in http["Accept-Encoding"]
        assert req["headers"]["WARC-Date"].endswith("Z")


@pytest.mark.slow
def test_bodies_are_the_bytes_the_server_sent_still_compressed(warc_crawl):
    records = all_records(warc_crawl)
    ok = [r for r in records if r["type"] == "response" and r["status"] == 200]
    assert len(ok) >= 8
    for rec in ok:
        headers = dict(rec["http"])
        assert headers["Content-Encoding"] == "gzip", rec["uri"]
        assert rec["body"][:2] == b"\x1f\x8b", rec["uri"]
        assert rec["body"] == warc_crawl["sent"][rec["uri"]], rec["uri"]
        assert int(headers["Content-Length"]) == len(rec["body"])
        assert "Server" in headers and "Date" in headers and "Etag" in headers


@pytest.mark.slow
def test_a_redirect_is_its_own_record_then_its_target(warc_crawl):
    records = [r for r in all_records(warc_crawl) if r["type"] == "response"]
    uris = [r["uri"] for r in records]
    first = next(i for i, u in enumerate(uris) if u.endswith(OLD_START))
    hop = records[first]
    assert hop["status"] == 301 and hop["statusline"] == "301 Moved Permanently"
    target = dict(hop["http"])["Location"]
    assert target.endswith("/category/tin-tuc/")
    assert target in uris[first + 1 :]
    assert records[uris.index(target)]["status"] == 200


@pytest.mark.slow
def test_the_store_holds_what_the_warc_files_hold(warc_crawl):
    """Each stored raw page is, decoded, the body of a response the crawl archived."""
    bodies = {
        r["uri"]: gzip.decompress(r["body"])
        for r in all_records(warc_crawl)
        if r["type"] == "response" and r["status"] == 200
    }
    with Store.open_readonly(warc_crawl["db"]) as store:
        raws = [raw for _, raw in store.iter_raw()]
        assert len(raws) == store.count() >= 6  # every article of the fixture site, each raw page
    for raw in raws:
        assert raw is not None
        assert bodies[raw.url] == raw.body


@pytest.mark.slow
def test_export_of_a_crawled_store_passes_warcio_check(warc_crawl, tmp_path):
    out = tmp_path / "store.warc.gz"
    result = run_cli("export", "--db", str(warc_crawl["db"]), "--warc", str(out))
    assert result.returncode == 0, result.stderr
    assert warcio_check(out).returncode == 0
    compare_with_store(out, warc_crawl["db"])
    round_trip(warc_crawl["files"][0])


# -- export --warc -----------------------------------------------------------------------------
PAGES = {
    "a1": RawPage(
        "https://hanam.gov.vn/tap-huan",
        200,
        {"content-type": "text/html; charset=utf-8", "etag": '"abc"', "date": "Tue, 02 Jan 2024"},
        "<html><body>Tập huấn kỹ năng phát ngôn</body></html>".encode(),
        "2024-01-02T03:04:05+00:00",
        "x1",
    ),
    "a2": RawPage(
        "https://langson.gov.vn/tintuc.asp?id=7",
        200,
        {"content-type": "text/html; charset=windows-1258"},
        "<p>Ha\u0300 No\u0323i</p>".encode("windows-1258", "replace") + bytes(range(256)),
        "2024-03-01T10:00:00.250000+07:00",
        "x1",
    ),
    "b1": RawPage("https://other.vn/b", 203, {}, b"", "2024-05-05T00:00:00+00:00", "x2"),
}


@pytest.fixture
def warc_db(tmp_path) -> Path:
    db = tmp_path / "db" / "p.db"
    db.parent.mkdir()
    with Store.open(db) as store:
        for aid, raw in PAGES.items():
            source = "hanam" if aid.startswith("a") else "other"
            store.upsert(make_article(aid, url=raw.url, source=source), raw)
        store.upsert(make_article("no-raw", source="hanam"))  # an article without a raw page
    return db


def compare_with_store(path: Path, db: Path, source: str | None = None) -> list[dict[str, Any]]:
    """Every record of the exported `path` against the store at `db`, record for record."""
    records = read_records(path)
    with Store.open_readonly(db) as store:
        articles = store.count()
        stored = [(a, raw) for a, raw in store.iter_raw() if source in (None, a["source"])]
    info = records[0]
    assert info["type"] == "warcinfo"
    fields = parse_fields(info["body"])
    assert fields["pressnews-origin"] == ORIGIN
    assert fields["pressnews-store"] == str(db.resolve())
    assert fields["pressnews-articles"] == str(articles)
    assert fields["pressnews-raw-pages"] == str(len(stored))
    assert info["headers"]["WARC-Filename"] == path.name
    rest = records[1:]
    assert len(rest) == 2 * len(stored)
    for (article, raw), response, meta in zip(stored, rest[0::2], rest[1::2], strict=True):
        assert raw is not None
        assert response["type"] == "response" and meta["type"] == "metadata"
        assert response["uri"] == raw.url == meta["uri"]
        assert response["date"] == warc_date(raw.fetched_at) == meta["date"]
        assert response["status"] == raw.status
        assert response["http"] == list(raw.headers.items())
        assert response["body"] == raw.body
        assert meta["headers"]["WARC-Refers-To"] == response["id"]
        facts = parse_fields(meta["body"])
        assert facts["pressnews-article-id"] == article["id"]
        assert facts["pressnews-article-url"] == article["url"]
        assert facts["pressnews-source"] == article["source"]
        assert facts["pressnews-fetched-at"] == raw.fetched_at
        assert facts["pressnews-extractor-version"] == raw.extractor_version
    return records


def test_export_warc_compares_record_for_record_with_the_store(warc_db, tmp_path):
    out = tmp_path / "p.warc.gz"
    before = snapshot(warc_db.parent)
    result = invoke("export", "--db", str(warc_db), "--warc", str(out))
    assert_clean_success(result)
    assert snapshot(warc_db.parent) == before  # read-only
    assert result.stdout.startswith(f"Wrote {out}: 3 raw page(s) of 4 article(s), 7 records")
    records = compare_with_store(out, warc_db)
    assert [r["uri"] for r in records[1::2]] == [p.url for p in PAGES.values()]
    assert records[3]["date"] == "2024-03-01T03:00:00.250000Z"  # UTC, microseconds kept
    assert records[5]["statusline"] == "203 Non-Authoritative Information"
    check = warcio_check(out)
    assert check.returncode == 0 and check.stdout.count("digest pass") == 7, check.stdout
    round_trip(out)
    assert list(tmp_path.glob(".p.warc.gz*")) == []  # no partial file left behind


def test_export_warc_of_one_source_and_uncompressed(warc_db, tmp_path):
    out = tmp_path / "hanam.warc"
    assert_clean_success(
        invoke("export", "--db", str(warc_db), "--warc", str(out), "--source", "hanam")
    )
    assert out.read_bytes().startswith(b"WARC/1.1\r\n")
    compare_with_store(out, warc_db, source="hanam")
    assert warcio_check(out).returncode == 0


def test_export_warc_refuses_an_existing_file_without_force(warc_db, tmp_path):
    out = tmp_path / "p.warc.gz"
    out.write_bytes(b"keep me")
    line = assert_one_line_error(invoke("export", "--db", str(warc_db), "--warc", str(out)), 1)
    assert "exists" in line and "--force" in line
    assert out.read_bytes() == b"keep me"
    assert_clean_success(invoke("export", "--db", str(warc_db), "--warc", str(out), "--force"))
    compare_with_store(out, warc_db)


@pytest.mark.parametrize(
    "target, extra, message",
    [
        ("{tmp}", [], "is a folder"),
        ("{tmp}/missing/p.warc.gz", [], "does not exist"),
        ("{db}", ["--force"], "is the database itself"),
        ("", [], "is empty"),
    ],
)
def test_export_warc_errors_are_one_line(warc_db, tmp_path, target, extra, message):
    before = snapshot(tmp_path)
    target = target.format(tmp=tmp_path, db=warc_db)
    result = invoke("export", "--db", str(warc_db), "--warc", target, *extra)
    assert message in assert_one_line_error(result, 1)
    assert snapshot(tmp_path) == before


def test_export_warc_with_another_export_is_one_line(warc_db, tmp_path):
    for other in (["--corrections"], ["--events"], ["--evidence"]):
        result = invoke("export", "--db", str(warc_db), "--warc", str(tmp_path / "p.warc"), *other)
        assert "choose one" in result.output or "does not go with" in result.output
        assert result.exit_code == 1  # conflicting options: one line, exit 1 (README)
    assert not (tmp_path / "p.warc").exists()


def test_export_force_without_warc_and_a_missing_store_are_errors(tmp_path):
    assert "--warc" in assert_one_line_error(invoke("export", "--force"), 1)
    out = tmp_path / "p.warc.gz"
    missing = tmp_path / "none.db"
    assert_one_line_error(invoke("export", "--db", str(missing), "--warc", str(out)), 1)
    assert list(tmp_path.iterdir()) == []


def test_export_warc_leaves_out_an_unreadable_raw_page_and_says_so(warc_db, tmp_path):
    with sqlite3.connect(warc_db) as conn:
        conn.execute("UPDATE raw_pages SET body = x'00ff' WHERE article_id = 'a2'")
    conn.close()
    out = tmp_path / "p.warc.gz"
    result = invoke("export", "--db", str(warc_db), "--warc", str(out))
    line = assert_one_line_error(result, 1)
    assert "1 stored raw page(s) unreadable" in line and "a2" in line
    uris = [r["uri"] for r in read_records(out) if r["type"] == "response"]
    assert uris == [PAGES["a1"].url, PAGES["b1"].url]


def test_default_export_is_still_json_lines(warc_db):
    result = invoke("export", "--db", str(warc_db))
    assert_clean_success(result)
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a1", "a2", "b1", "no-raw"]


# -- crawl --warc errors and the middleware's header handling ------------------------------------
def _sources(tmp_path: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text('[sources.a]\nname = "A"\nstart_urls = ["https://example.vn/"]\n', "utf-8")
    return path


@pytest.mark.parametrize(
    "how", [["--warc", "{file}"], ["--warc", "{file}/sub"], ["-s", "PRESSNEWS_WARC_DIR={file}"]]
)
def test_crawl_with_an_unwritable_warc_dir_stops_before_anything(tmp_path, how):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = tmp_path / "new" / "p.db"
    args = [a.format(file=blocker) for a in how]
    result = invoke("crawl", "--db", str(target), "--sources", str(_sources(tmp_path)), *args)
    line = assert_one_line_error(result, 1)
    assert "--warc" in line and str(blocker) in line
    assert not target.parent.exists()  # no database made, nothing fetched


def test_crawl_warc_max_size_must_be_positive(tmp_path):
    target = tmp_path / "new" / "p.db"
    result = invoke("crawl", "--db", str(target), "-s", "PRESSNEWS_WARC_MAX_SIZE=0")
    assert "at least 1" in assert_one_line_error(result, 1)


def test_response_headers_keep_every_value_and_rename_transfer_encoding():
    from scrapy.http import Headers

    headers = Headers(
        [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Transfer-Encoding", "chunked")]
    )
    assert response_headers(headers) == [
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        (CRAWLER_TRANSFER_ENCODING, "chunked"),
    ]


def test_request_headers_add_host_and_remove_credentials():
    from scrapy.http import Headers

    headers = Headers({"Authorization": "Basic eDp5", "Accept": "text/html"})
    got = request_headers("https://user:pw@example.vn:8443/a?b=1", headers)
    assert got == [
        ("Host", "example.vn:8443"),
        ("Authorization", REDACTED),
        ("Accept", "text/html"),
    ]


def test_request_headers_of_a_post_say_its_length():
    from scrapy.http import Headers

    headers = Headers({"Content-Type": "application/x-www-form-urlencoded"})
    got = request_headers("http://example.vn/a", headers, 12)
    assert got[-1] == ("Content-Length", "12") and got[0] == ("Host", "example.vn")
