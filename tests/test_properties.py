"""Issue 9, property-based: generated queries, dates, `-s` settings, sources files and damaged
databases never end in a traceback. Valid input exits 0; invalid input exits non-zero with one
line on stderr; a bug would exit 70 (a crash report), which fails these tests; the stored
database is byte-identical afterwards, with no file added beside it.

Each property runs EXAMPLES generated inputs (60; the same ones on every run, `derandomize`),
about 400 invocations of the CLI in all, in a few seconds. A deeper, random search:
`PRESSNEWS_PROPERTY_EXAMPLES=2000 pytest tests/test_properties.py`."""

from __future__ import annotations

import json
import os
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from cli_support import assert_clean_success, assert_one_line_error, invoke, make_db, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.crawl_runner import SettingsError, check_settings
from crawler.sources import SourcesError, parse_sources

DEEP = os.environ.get("PRESSNEWS_PROPERTY_EXAMPLES")
EXAMPLES = int(DEEP or 60)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not DEEP,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TEXT = st.characters(blacklist_categories=("Cs",))  # any character a file or argv can hold


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A stored database in a folder of its own (snapshotted), a scratch folder and a cache
    folder for crash reports (there must be none)."""
    root = tmp_path_factory.mktemp("properties")
    (root / "data").mkdir()
    (root / "scratch").mkdir()
    db = make_db(root / "data" / "p.db")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
    yield root, db, snapshot(db.parent)
    mp.undo()
    assert snapshot(db.parent) == snapshot(db.parent)  # still readable
    assert not (root / "cache").exists(), "a crash report was written"


def _untouched(work) -> None:
    root, db, before = work
    assert snapshot(db.parent) == before


# -- queries ---------------------------------------------------------------------------------
WORDS = st.sampled_from(
    ["phát ngôn", "nguoi phat ngon", "kĩ năng", "Hoá", "09/2017/NĐ-CP", "TP.HCM", "đối ngoại"]
)
PUNCT = st.sampled_from(['"', "(", ")", "*", " - ", "AND", "OR", "NOT", ":", "^", "'", "\\", "%"])
QUERY = st.lists(st.one_of(WORDS, PUNCT, st.text(TEXT, max_size=12)), max_size=6).map(" ".join)
PROVINCES = st.sampled_from(["Ninh Binh", "Hà Nam", "TP.HCM", "Đắc Lắc", "Atlantis", "x", "  "])


@SETTINGS
@given(
    query=QUERY,
    province=st.none() | PROVINCES,
    speaker=st.none() | st.text(TEXT, max_size=15),
    decree=st.none() | WORDS | st.text(TEXT, max_size=15),
    extra=st.sampled_from([[], ["--all"], ["--sort", "date"], ["--facets"], ["--csv"]]),
)
def test_any_query_is_answered_or_refused_in_one_line(
    work, query, province, speaker, decree, extra
):
    _, db, _ = work
    args = ["search", "--db", str(db), *extra]
    filters = {"--province": province, "--speaker": speaker, "--decree": decree}
    for option, value in filters.items():
        if value is not None:
            args += [f"{option}={value}"]
    result = invoke(*args, "--", query)
    if province is None and speaker is None and decree is None:
        assert_clean_success(result)  # text alone never fails: punctuation is not syntax
    elif result.exit_code != 0:
        line = assert_one_line_error(result, 1)
        assert any(word in line for word in ("province", "speaker", "document", "decree"))
    else:
        assert_clean_success(result)
    if not extra and result.exit_code == 0:
        json.loads(invoke(*args, "--json", "--", query).stdout)
    _untouched(work)


# -- dates -----------------------------------------------------------------------------------
def _date_forms(d: date) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            f"{d.year:04d}",
            f"{d.year:04d}-{d.month:02d}",
            f"{d.year:04d}-{d.month}",
            d.isoformat(),
            f"{d.day}/{d.month}/{d.year:04d}",
            f"{d.day:02d}.{d.month:02d}.{d.year:04d}",
            f" {d.isoformat()} ",
        ]
    )


VALID_DATE = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).flatmap(_date_forms)
BAD_MONTH = st.builds(
    "{:04d}-{:02d}".format,
    st.integers(1, 9999),
    st.one_of(st.just(0), st.integers(13, 99)),
)
DATE_LIKE = st.text(st.sampled_from("0123456789-/. "), max_size=12)
ANY_DATE = st.one_of(VALID_DATE, BAD_MONTH, DATE_LIKE, st.text(TEXT, max_size=12))

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", re.ASCII)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)


def _is_valid(text: str) -> bool:
    """An oracle written apart from parse_date_bound: is `text` a real year, month or day?"""
    v = text.strip()
    if m := _ISO.fullmatch(v):
        y, mo, d = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    elif m := _DMY.fullmatch(v):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        return False
    try:
        date(y, mo, d)
    except ValueError:
        return False
    return True


@SETTINGS
@given(value=ANY_DATE, option=st.sampled_from(["--from", "--to"]))
def test_a_date_bound_is_a_real_date_or_a_one_line_error(work, value, option):
    _, db, _ = work
    result = invoke("search", "--db", str(db), "--all", "--json", f"{option}={value}")
    if _is_valid(value):
        assert_clean_success(result)
    else:
        line = assert_one_line_error(result, 1)
        assert "date" in line
    _untouched(work)


@SETTINGS
@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    end=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
def test_a_date_range_is_searched_or_refused_when_reversed(work, start, end):
    _, db, _ = work
    result = invoke(
        "search", "--db", str(db), "--all", "--json", "--from", str(start), "--to", str(end)
    )
    if start <= end:
        assert_clean_success(result)
        dates = [h["date"] for h in json.loads(result.stdout)]
        assert all(str(start) <= d <= str(end) for d in dates)
    else:
        assert "is after --to" in assert_one_line_error(result, 1)
    _untouched(work)


# -- -s settings -----------------------------------------------------------------------------
KNOWN = st.sampled_from(
    [
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "PRESSNEWS_WORKERS",
        "CLOSESPIDER_TIMEOUT",
        "CLOSESPIDER_PAGECOUNT",
        "DOWNLOAD_DELAY",
        "DOWNLOAD_TIMEOUT",
        "AUTOTHROTTLE_ENABLED",
        "ROBOTSTXT_OBEY",
        "LOG_LEVEL",
        "RETRY_TIMES",
        "RETRY_HTTP_CODES",
        "ITEM_PIPELINES",
        "USER_AGENT",
        "PRESSNEWS_DB",
        "PRESSNEWS_PROGRESS_INTERVAL",
    ]
)
VALUES = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["true", "False", "0", "1", "yes", "maybe", "debug", "INFO", "NOPE", ""]),
    st.sampled_from(["500,502", "5xx", "{}", "[]", '{"a": 1}', "1e400", "0x10", "1_000"]),
    st.text(TEXT, max_size=10),
)


@SETTINGS
@given(name=KNOWN | st.from_regex(r"[A-Z][A-Z_]{0,15}", fullmatch=True), value=VALUES)
def test_a_setting_of_the_wrong_type_is_refused_before_crawling(work, name, value):
    root, _, _ = work
    try:
        check_settings({name: value})
        valid = True
    except SettingsError as exc:  # any other exception fails the test: a traceback
        valid = False
        assert "\n" not in str(exc) and name in str(exc)
    target = root / "scratch" / "never" / "p.db"
    missing = root / "scratch" / "no-such-sources.toml"
    result = invoke(
        "crawl", "--db", str(target), "--sources", str(missing), "-s", f"{name}={value}"
    )
    line = assert_one_line_error(result, 1)
    # A valid setting gets past the check to the next one (the sources file): nothing crawled.
    assert ("no such sources file" in line) if valid else (f"-s {name}" in line)
    assert not target.parent.exists()


# -- sources files ---------------------------------------------------------------------------
def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch in '"\\' or ord(ch) < 32 or ord(ch) == 127:
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


URL = st.one_of(
    st.sampled_from(["https://a.gov.vn/", "http://127.0.0.1:8080/tin-tuc", "https://b.vn/?p=1"]),
    st.sampled_from(["http://[::1/", "http://a.vn:abc/", "ftp://x", "http://", "https://a b.vn/"]),
    st.builds(
        "https://{}.vn/{}".format,
        st.from_regex(r"[a-z]{1,8}", fullmatch=True),
        st.text(TEXT, max_size=6),
    ),
    st.text(TEXT, max_size=20),
)
REGEX = st.one_of(
    st.sampled_from([r"/tin-tuc/\d+", r"\.html$", r"[?&]page=", "(a|b)+"]),
    st.sampled_from(["a{99999999999}", "(", "[z-a]", "(" * 60 + ")" * 60, "x" * 1001, "(?P<"]),
    st.text(TEXT, max_size=12),
)
ANYTHING = st.one_of(st.text(TEXT, max_size=8), st.integers(-3, 10), st.booleans())
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(st.text(TEXT, max_size=12), st.integers(), st.just("")),
        "start_urls": st.one_of(st.lists(URL, max_size=3), URL, st.integers()),
        "sitemap_urls": st.lists(URL, max_size=2),
        "feed_urls": st.one_of(URL, st.booleans()),
        "allow": st.one_of(st.lists(REGEX, max_size=3), REGEX, st.integers()),
        "deny": st.lists(REGEX, max_size=3),
        "province": ANYTHING,
        "enabled": ANYTHING,
        "max_pages": st.one_of(st.integers(-2, 10**9), st.booleans(), st.text(TEXT, max_size=4)),
        "selectors": st.dictionaries(
            st.sampled_from(["title", "body", "date", "article_links", "colour"]),
            ANYTHING,
            max_size=2,
        ),
        "colour": ANYTHING,
    },
)
GOOD_ENTRY = st.fixed_dictionaries(
    {
        "name": st.text(TEXT, min_size=1, max_size=12).filter(str.strip),
        "start_urls": st.just(["https://a.gov.vn/"]),
    }
)
KEY = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), st.text(TEXT, min_size=1, max_size=6)
)
SOURCES = st.dictionaries(KEY, st.one_of(GOOD_ENTRY, ENTRY), min_size=1, max_size=3)


def _sources_text(sources: dict[str, dict[str, object]]) -> str:
    lines = []
    for key, entry in sources.items():
        lines.append(f"[sources.{_toml(key)}]")
        lines += [f"{_toml(k)} = {_toml(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=st.one_of(SOURCES.map(_sources_text), st.text(TEXT, max_size=60)))
def test_any_sources_file_is_used_or_refused_in_one_line(work, text):
    root, db, _ = work
    path = root / "scratch" / "sources.toml"
    path.write_text(text, encoding="utf-8")
    try:  # the oracle: the library itself, which may raise only SourcesError
        parse_sources(tomllib.loads(text), str(path))
        valid = True
    except (tomllib.TOMLDecodeError, SourcesError):
        valid = False
    result = invoke("sources", "--db", str(db), "--sources", str(path), "--json")
    if valid:
        assert_clean_success(result)
    else:
        assert str(path) in assert_one_line_error(result, 1)
    _untouched(work)


# -- damaged databases -----------------------------------------------------------------------
@SETTINGS
@given(
    flips=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12
    ),
    truncate=st.none() | st.floats(0.05, 1),
    args=st.sampled_from(
        [["search", "phát ngôn"], ["search", "--facets"], ["export"], ["runs"], ["sources"]]
    ),
)
def test_a_damaged_database_is_read_or_refused_in_one_line_and_left_as_it_is(
    work, flips, truncate, args
):
    root, db, _ = work
    data = bytearray(db.read_bytes())
    for where, byte in flips:
        data[int(where * len(data))] = byte
    if truncate is not None:
        data = data[: int(truncate * len(data))]
    damaged = root / "scratch" / "damaged" / "p.db"
    damaged.parent.mkdir(exist_ok=True)
    damaged.write_bytes(bytes(data))
    before = snapshot(damaged.parent)
    result = invoke(*args, "--db", str(damaged))
    if result.exit_code != 0:
        assert_one_line_error(result, 1)
    else:
        assert_clean_success(result)
    assert snapshot(damaged.parent) == before
    _untouched(work)


def test_the_fixture_database_is_sound(work):
    from indexer.store import damage

    _, db, _ = work
    assert damage(Path(db)) is None
