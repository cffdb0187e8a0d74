"""Issue 9: every expected bad input is one line on stderr and a non-zero exit, never a
traceback; a bug is a crash report and exit 70; read-only commands leave every file as it was;
usage errors are one line with a hint; cron lines are exact or refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from cli_support import (
    assert_clean_success,
    assert_one_line_error,
    invoke,
    make_db,
    snapshot,
)

from indexer.schema import SCHEMA_VERSION


@pytest.fixture(autouse=True)
def _cache_home(tmp_path, monkeypatch):
    """Crash reports of these tests go to a temporary cache folder, never ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def db(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return make_db(folder / "p.db")


def _sources(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text('[sources.a]\nname = "A"\n' + body, encoding="utf-8")
    return path


# -- sources files ---------------------------------------------------------------------------
DEEP = "(" * 1000 + "a" + ")" * 1000
NESTED_100 = "(" * 100 + "a" + ")" * 100  # short, but deeper than any URL pattern needs


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ('start_urls = ["https://a.vn/"]\nallow = ["a{99999999999}"]\n', "allow", "regex"),
        (f'start_urls = ["https://a.vn/"]\ndeny = ["{DEEP}"]\n', "deny", "regex"),
        (f'start_urls = ["https://a.vn/"]\ndeny = ["{NESTED_100}"]\n', "deny", "nests"),
        ('start_urls = ["https://a.vn/"]\ndeny = ["("]\n', "deny", "bad regex"),
        ('start_urls = ["http://[::1/"]\n', "start_urls", "not a valid URL"),
        ('start_urls = ["https://a.vn:port/"]\n', "start_urls", "not a valid URL"),
        ('start_urls = ["https://a.vn/"]\nsitemap_urls = ["http://[::1"]\n', "sitemap_urls", "URL"),
        ('start_urls = ["https://a.vn/a b"]\n', "start_urls", "spaces"),
        ('start_urls = ["https://a.vn/"]\nenabled = "no"\n', "enabled", "true or false"),
        ('start_urls = ["https://a.vn/"]\nmax_pages = true\n', "max_pages", "positive integer"),
        ('start_urls = ["https://a.vn/"]\nselectors = { title = 1 }\n', "selectors", "string"),
    ],
)
@pytest.mark.parametrize("command", ["sources", "crawl"])
def test_bad_sources_file_is_one_line_naming_file_and_key(
    tmp_path, db, body, key, problem, command
):
    sources = _sources(tmp_path, body)
    before = snapshot(db.parent)
    result = invoke(command, "--db", str(db), "--sources", str(sources))
    line = assert_one_line_error(result, 1)
    assert str(sources) in line and "[sources.a]" in line and f"'{key}" in line
    assert problem in line
    assert snapshot(db.parent) == before


def test_crawl_with_a_bad_sources_file_creates_no_database(tmp_path):
    sources = _sources(tmp_path, 'start_urls = ["http://[::1/"]\n')
    target = tmp_path / "new" / "p.db"
    assert_one_line_error(invoke("crawl", "--db", str(target), "--sources", str(sources)), 1)
    assert not target.parent.exists()


def test_sources_files_nested_too_deep_or_named_empty_are_one_line(tmp_path, db):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000, encoding="utf-8")
    line = assert_one_line_error(invoke("sources", "--db", str(db), "--sources", str(deep)), 1)
    assert str(deep) in line and "nested too deep" in line
    line = assert_one_line_error(invoke("crawl", "--db", str(db), "--sources", ""), 1)
    assert "sources file path is empty" in line


def test_a_control_character_in_a_key_stays_on_one_line(tmp_path, db):
    sources = tmp_path / "cr.toml"
    sources.write_text('[sources."a\\rb"]\nname = "A"\n', encoding="utf-8")  # TOML: a CR
    line = assert_one_line_error(invoke("sources", "--db", str(db), "--sources", str(sources)), 1)
    assert "'a\\rb'" in line


# -- search options --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "0000-05"], "year must be"),
        (["--to", "2022-13"], "month must be 1 to 12"),
        (["--to", "2022-00"], "month must be 1 to 12"),
        (["--from", "2022-13"], "month must be 1 to 12"),
        (["--from", "0000"], "year must be"),
        (["--to", "31/2/2022"], "not a valid date"),
        (["--to", ""], "cannot read the date"),
        (["--from", "2023", "--to", "2022-06"], "is after --to"),
        (["--from", "2022-09-24", "--to", "23/9/2022"], "is after --to"),
        (["--province", ""], "--province is empty"),
        (["--province", "   "], "--province is empty"),
        (["--province-exact"], "--province-exact needs --province"),
        (["--json", "--csv"], "choose one"),
        (["--facets", "--csv"], "--facets"),
        (["--speaker", ""], "--speaker"),
    ],
)
def test_bad_search_options_are_one_line(db, args, message):
    before = snapshot(db.parent)
    result = invoke("search", "phát ngôn", "--db", str(db), *args)
    assert message in assert_one_line_error(result, 1)
    assert snapshot(db.parent) == before


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "9999-12"],  # December 9999: the last month a date can name, not an overflow
        ["--from", "9999-12"],
        ["--from", "0001-01", "--to", "9999-12-31"],
        ["--from", "2022-09", "--to", "2022-09"],
        ["--from", "23/9/2022", "--to", "2022-09-23"],
    ],
)
def test_extreme_but_valid_dates_are_searched(db, args):
    assert_clean_success(invoke("search", "--db", str(db), "--json", "--all", *args))


@pytest.mark.parametrize(
    "command",
    [
        ["search", "x"],
        ["export"],
        ["runs"],
        ["sources"],
        ["reprocess"],
        ["crawl"],
        ["schedule", "--print-cron"],
        ["demo"],
    ],
)
def test_empty_db_option_is_an_error(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    result = invoke(*command, "--db", "")
    assert "--db is empty" in assert_one_line_error(result, 1)
    assert (
        sorted(p.name for p in tmp_path.iterdir()) == ["cache"]
        or not (tmp_path / "data-home").exists()
    )


# -- crawl settings and URLs -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("CONCURRENT_REQUESTS=abc", "whole number"),
        ("CONCURRENT_REQUESTS=0", "at least 1"),
        ("PRESSNEWS_WORKERS=abc", "whole number"),
        ("PRESSNEWS_WORKERS=-1", "from 0 to 64"),
        ("CLOSESPIDER_TIMEOUT=abc", "number of seconds"),
        ("DOWNLOAD_DELAY=-1", "number of seconds"),
        ("DOWNLOAD_TIMEOUT=inf", "number of seconds"),
        ("LOG_LEVEL=NOPE", "CRITICAL, ERROR, WARNING, INFO, DEBUG"),
        ("ROBOTSTXT_OBEY=maybe", "true or false"),
        ("RETRY_HTTP_CODES=5xx", "whole numbers"),
        ("ITEM_PIPELINES=[]", "JSON object"),
        ("PRESSNEWS_DB=/tmp/elsewhere.db", "use --db"),
        ("novalue", "NAME=VALUE"),
    ],
)
def test_bad_settings_are_refused_before_crawling(tmp_path, setting, message):
    target = tmp_path / "new" / "p.db"
    result = invoke("crawl", "--db", str(target), "-s", setting)
    assert message in assert_one_line_error(result)
    assert not target.parent.exists()  # nothing created, nothing fetched


def test_valid_settings_are_converted_to_their_types():
    from crawler.crawl_runner import check_settings

    assert check_settings(
        {
            "CONCURRENT_REQUESTS": "8",
            "CLOSESPIDER_TIMEOUT": "2.5",
            "DOWNLOAD_DELAY": "0",
            "AUTOTHROTTLE_ENABLED": "false",
            "LOG_LEVEL": "debug",
            "RETRY_HTTP_CODES": "500,502",
            "USER_AGENT": "me",
            "SOME_EXTENSION_SETTING": "x",
        }
    ) == {
        "CONCURRENT_REQUESTS": 8,
        "CLOSESPIDER_TIMEOUT": 2.5,
        "DOWNLOAD_DELAY": 0.0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "DEBUG",
        "RETRY_HTTP_CODES": [500, 502],
        "USER_AGENT": "me",
        "SOME_EXTENSION_SETTING": "x",
    }


@pytest.mark.parametrize(
    "args",
    [
        ["crawl", "--es", "http://[::1"],
        ["crawl", "--es", "localhost:9200"],
        ["crawl", "--es", "http://127.0.0.1:abc"],
        ["index", "--es", "http://[::1"],
        ["kibana", "import", "--kibana", "http://[::1"],
        ["kibana", "import", "--kibana", "http://127.0.0.1:99999999"],
        ["kibana", "import", "--kibana", "ftp://kibana"],
    ],
)
def test_malformed_urls_are_refused_before_anything(tmp_path, args):
    target = tmp_path / "new" / "p.db"
    db_args = [] if args[0] == "kibana" else ["--db", str(target)]
    result = invoke(*args, *db_args)
    assert "URL" in assert_one_line_error(result)
    assert not target.parent.exists()


def test_malformed_es_url_for_an_es_search_is_one_line(db):
    result = invoke("search", "x", "--db", str(db), "--backend", "es", "--es", "http://[::1")
    assert "not a valid URL" in assert_one_line_error(result, 1)


def test_kibana_url_credentials_become_basic_auth_and_stay_secret():
    import base64

    from test_elastic_offline import FakeKibana, closed_port

    server = FakeKibana()
    try:
        url = server.url.replace("http://", "http://elastic:s3cret@")
        result = invoke("kibana", "import", "--kibana", url)
    finally:
        server.close()
    assert_clean_success(result)
    _, headers, _ = server.requests[0]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"elastic:s3cret").decode()
    result = invoke(
        "kibana", "import", "--kibana", f"http://elastic:s3cret@127.0.0.1:{closed_port()}"
    )
    line = assert_one_line_error(result, 1)
    assert "cannot reach Kibana" in line and "s3cret" not in line


# -- unexpected errors -----------------------------------------------------------------------
def test_an_unexpected_error_writes_a_crash_report_and_exits_70(db, tmp_path, monkeypatch):
    from indexer.sqlite_search import SqliteSearch

    def boom(self, query):
        raise RuntimeError("simulated bug at https://user:pw-in-trace@example.invalid/")

    monkeypatch.setattr(SqliteSearch, "search", boom)  # the one test that patches: a fake bug
    cache = tmp_path / "cache"
    result = invoke(
        "search",
        "phát ngôn",
        "--db",
        str(db),
        "--es",
        "https://elastic:hunter2@es.example.invalid:9200",
        "--password",
        "letmein",
        "--api-key=c2VjcmV0",
    )
    assert result.exit_code == 70
    assert "Traceback" not in result.output
    [line] = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert "RuntimeError" in line and "bug" in line
    [report] = list((cache / "pressnews").glob("crash-*.txt"))
    assert str(report) in line
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: simulated bug" in text
    assert "pressnews: 0." in text or "pressnews: unknown" in text
    assert "command: pressnews search" in text and "--db" in text
    assert "https://***@es.example.invalid:9200" in text
    for secret in ("hunter2", "letmein", "c2VjcmV0", "pw-in-trace"):
        assert secret not in text


def test_an_expected_error_writes_no_crash_report(tmp_path):
    result = invoke("search", "x", "--db", str(tmp_path / "missing.db"))
    assert_one_line_error(result, 1)
    assert not (tmp_path / "cache").exists()


# -- read-only commands ----------------------------------------------------------------------
READERS = [
    ["search", "phát ngôn"],
    ["search", "--facets", "--json"],
    ["search", "--province", "Ninh Binh", "--csv"],
    ["export"],
    ["runs"],
    ["runs", "--json"],
    ["sources"],
    ["sources", "--json"],
]


@pytest.mark.parametrize("args", READERS)
def test_readers_leave_the_database_byte_identical(db, args):
    before = snapshot(db.parent)
    assert_clean_success(invoke(*args, "--db", str(db)))
    assert snapshot(db.parent) == before  # same bytes, and no -wal, -shm or other new file


@pytest.mark.parametrize("args", READERS)
def test_readers_never_switch_the_journal_mode(db, args):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = snapshot(db.parent)
    assert_clean_success(invoke(*args, "--db", str(db)))
    assert snapshot(db.parent) == before


@pytest.mark.parametrize("args", READERS)
def test_readers_on_a_missing_path_create_nothing(tmp_path, args):
    target = tmp_path / "nowhere" / "p.db"
    result = invoke(*args, "--db", str(target))
    line = assert_one_line_error(result, 1)
    assert f"no database at {target}; run `pressnews crawl` first" in line
    assert not target.parent.exists()


@pytest.mark.parametrize("args", [*READERS, ["reprocess"], ["crawl"]])
def test_a_sqlite_file_of_another_program_is_refused_untouched(tmp_path, args):
    other = tmp_path / "data" / "other.sqlite"
    other.parent.mkdir()
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()
    before = snapshot(other.parent)
    line = assert_one_line_error(invoke(*args, "--db", str(other)), 1)
    assert "not a pressnews" in line
    assert snapshot(other.parent) == before


@pytest.mark.parametrize("args", READERS)
def test_readers_on_an_empty_file_refuse_it_untouched(tmp_path, args):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    line = assert_one_line_error(invoke(*args, "--db", str(empty)), 1)
    assert "not a pressnews database" in line
    assert empty.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_readers_do_not_migrate_an_older_schema_and_writers_do(db):
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    before = snapshot(db.parent)
    for args in READERS:
        line = assert_one_line_error(invoke(*args, "--db", str(db)), 1)
        assert "older than this pressnews" in line and "pressnews reprocess" in line
    assert snapshot(db.parent) == before
    assert_clean_success(invoke("reprocess", "--db", str(db)))
    assert_clean_success(invoke("search", "phát ngôn", "--db", str(db)))


def test_a_damaged_document_is_reported_as_damage_not_as_a_bug(db, tmp_path):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE article_docs SET data = '{not json' WHERE rowid = 2")
    conn.commit()
    conn.close()
    before = snapshot(db.parent)
    line = assert_one_line_error(invoke("export", "--db", str(db)), 1)
    assert "is damaged" in line and "article_docs" in line and "not valid JSON" in line
    assert snapshot(db.parent) == before
    assert not (tmp_path / "cache").exists()  # damage is the user's problem: no crash report


def test_a_crawled_database_is_sound(crawl):
    from indexer.store import damage

    assert damage(crawl.db) is None


def test_readers_on_a_folder_are_one_line(tmp_path):
    line = assert_one_line_error(invoke("export", "--db", str(tmp_path)), 1)
    assert "is a folder" in line


def test_search_with_es_backend_and_no_database_creates_none(tmp_path):
    from test_elastic_offline import closed_port

    target = tmp_path / "nowhere" / "p.db"
    es = f"http://127.0.0.1:{closed_port()}"
    result = invoke("search", "x", "--db", str(target), "--backend", "es", "--es", es)
    assert "cannot reach Elasticsearch" in assert_one_line_error(result, 1)
    assert not target.parent.exists()


# -- usage errors ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["search", "--bogus"], "No such option", "pressnews search --help"),
        (["nope"], "No such command", "pressnews --help"),
        (["--bogus"], "No such option", "pressnews --help"),
        (["search", "--db"], "requires an argument", "--help"),
        (["kibana", "import"], "Missing option '--kibana'", "pressnews kibana import --help"),
        (["search", "--limit", "0"], "--limit", "pressnews search --help"),
        (["search", "--sort", "oldest"], "--sort", "pressnews search --help"),
        (["runs", "extra-argument"], "unexpected extra argument", "pressnews runs --help"),
        (["crawl", "-s", "=1"], "NAME=VALUE", "pressnews crawl --help"),
    ],
)
def test_usage_errors_are_one_line_with_a_hint(args, message, hint):
    result = invoke(*args)
    line = assert_one_line_error(result, 2)
    assert message in line and hint in line
    assert "Usage:" not in result.output


def test_help_is_still_help():
    result = invoke("search", "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


# -- cron lines ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("every", "nearest"),
    [("90m", "1h or 2h"), ("45m", "30m or 1h"), ("7d", "1d"), ("30h", "1d"), ("7m", "6m or 10m")],
)
def test_cron_refuses_intervals_it_cannot_repeat_exactly(tmp_path, every, nearest):
    result = invoke("schedule", "--db", str(tmp_path / "p.db"), "--every", every, "--print-cron")
    line = assert_one_line_error(result, 2)
    assert f"every {every}" in line and f"--every {nearest}" in line and "--print-systemd" in line
    assert not (tmp_path / "p.db").exists()


def _cron_field_matches(field: str, value: int) -> bool:
    if field == "*":
        return True
    if field.startswith("*/"):
        return value % int(field[2:]) == 0
    return value == int(field)


def _fire_times(fields: list[str], days: int = 3) -> list[int]:
    """Minutes (from a day's midnight) at which a crontab line with these fields runs."""
    minute, hour, dom, month, dow = fields
    assert (dom, month, dow) == ("*", "*", "*")
    return [
        t
        for t in range(days * 24 * 60)
        if _cron_field_matches(minute, t % 60) and _cron_field_matches(hour, t // 60 % 24)
    ]


@pytest.mark.parametrize(
    ("every", "fields", "minutes"),
    [
        ("30m", "*/30 * * * *", 30),
        ("15m", "*/15 * * * *", 15),
        ("1h", "0 */1 * * *", 60),
        ("60m", "0 */1 * * *", 60),
        ("6h", "0 */6 * * *", 360),
        ("12h", "0 */12 * * *", 720),
        ("1d", "0 0 * * *", 1440),
        ("24h", "0 0 * * *", 1440),
    ],
)
def test_cron_lines_for_exact_intervals(tmp_path, every, fields, minutes):
    db = tmp_path / "p.db"
    result = invoke("schedule", "--db", str(db), "--every", every, "--print-cron")
    assert_clean_success(result)
    line = result.stdout.strip()
    assert line.startswith(fields + " ") and "search_cli crawl" in line
    assert line.endswith(f">> {db}.log 2>&1")
    times = _fire_times(line.split()[:5])
    assert {b - a for a, b in zip(times, times[1:], strict=False)} == {minutes}
    assert not db.exists()


def test_reprocess_reports_unreadable_raw_pages_and_processes_the_rest(tmp_path):
    """A raw page that does not decompress is reported by id; the other articles are processed."""
    import sqlite3

    from click.testing import CliRunner

    from indexer.model import Article
    from indexer.store import RawPage, Store
    from search_cli.main import cli

    db = tmp_path / "r.db"
    page = (
        "<html><head><title>Tập huấn phát ngôn</title></head><body><h1>Tập huấn phát ngôn</h1>"
        "<p>Sáng 5/3/2024, Sở Văn hóa tỉnh tổ chức lớp tập huấn kỹ năng phát ngôn cho cán bộ.</p>"
        "</body></html>"
    ).encode()
    with Store.open(db) as store:
        for aid in ("good", "bad"):
            art = Article(
                id=aid,
                url=f"https://x.vn/{aid}",
                source="x",
                title="Tập huấn phát ngôn",
                body="Sáng 5/3/2024, Sở tổ chức lớp.",
                fetched_at="2024-03-05T00:00:00+00:00",
            )
            raw = RawPage(
                art.url,
                200,
                {"content-type": "text/html; charset=utf-8"},
                page,
                art.fetched_at,
                "0",
            )
            store.upsert(art, raw)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE raw_pages SET body = x'00ff00ff' WHERE article_id = 'bad'")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(db)])
    assert result.exit_code == 1
    assert "1 stored raw page(s) unreadable" in result.output and "bad" in result.output
    assert "Traceback" not in result.output
    assert "2 article(s)" in result.output  # both seen; the good one processed
