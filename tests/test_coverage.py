"""Coverage: the records a run leaves per source, the province × year matrix, `is_covered`, the
note of a search that finds nothing, and `pressnews coverage`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from cli_support import assert_one_line_error, invoke, snapshot
from conftest import make_article

from crawler.bookkeeping import finish_run, record_coverage, start_run
from indexer import coverage as cov
from indexer.query import QueryError
from indexer.store import Store

THIS_YEAR = datetime.now(UTC).year


def _run(store: Store, stats: dict, provinces: dict, reason: str = "finished") -> dict:
    run = start_run(store)
    finish_run(store, run, stats, list(provinces), reason)
    return record_coverage(store, run, stats, provinces, reason)


def _store(path) -> Store:
    store = Store.open(path)
    # hanam: walked to its end; its oldest article is from 2019
    for n, date in enumerate(["2019-03-02", "2021-06-01", "2023-09-23"]):
        store.upsert(
            make_article(f"hn{n}", source="hanam", date=date, province="Hà Nam", relevant=True)
        )
    # thanhhoa: stopped by max_pages; it reached back to 2022-05-10 only
    for n, date in enumerate(["2022-05-10", "2024-01-15"]):
        store.upsert(make_article(f"th{n}", source="thanhhoa", date=date, province="Thanh Hóa"))
    walked = _run(
        store,
        {
            "pressnews/hanam/pages": 40,
            "pressnews/hanam/listing_depth": 6,
            "pressnews/hanam/oldest": "2019-03-02",
            "pressnews/hanam/newest": "2023-09-23",
            "pressnews/thanhhoa/pages": 25,
            "pressnews/thanhhoa/cap_reached": 1,
            "pressnews/thanhhoa/errors/timeout": 2,
            "pressnews/thanhhoa/listing_depth": 3,
            "pressnews/national/pages": 10,
        },
        {"hanam": "Hà Nam", "thanhhoa": "Thanh Hóa", "national": None},
    )
    assert walked == {"hanam": True, "thanhhoa": False, "national": True}
    return store


@pytest.fixture
def store(tmp_path):
    s = _store(tmp_path / "c.db")
    yield s
    s.close()


def test_a_run_records_what_it_reached_per_source(store):
    rows = {
        r["source"]: dict(r) for r in store.conn.execute("SELECT * FROM source_coverage").fetchall()
    }
    assert rows["hanam"] | {"run_id": 0} == {
        "run_id": 0,
        "source": "hanam",
        "province": "Hà Nam",
        "pages": 40,
        "failed": 0,
        "listing_depth": 6,
        "walked_to_end": 1,
        "stopped": "",
        "oldest": "2019-03-02",
        "newest": "2023-09-23",
    }
    assert rows["thanhhoa"]["walked_to_end"] == 0
    assert rows["thanhhoa"]["stopped"] == "max_pages reached"
    assert rows["thanhhoa"]["failed"] == 2


@pytest.mark.parametrize(
    "stats, reason, stopped",
    [
        ({"pressnews/s/pages": 3, "pressnews/s/listing_failed": 1}, "finished", "listing pages failed"),
        ({"pressnews/s/pages": 3, "pressnews/s/listing_not_modified": 4}, "finished", "incremental: listing pages not modified, not read again"),
        ({"pressnews/s/pages": 3, "pressnews/s/nav_depth_capped": 1}, "finished", "navigation depth limit"),
        ({"pressnews/s/pages": 3}, "shutdown", "interrupted"),
        ({}, "finished", "nothing fetched"),
    ],
)  # fmt: skip
def test_why_a_walk_did_not_reach_the_end(tmp_path, stats, reason, stopped):
    with Store.open(tmp_path / "w.db") as s:
        assert _run(s, stats, {"s": None}, reason) == {"s": False}
        assert s.conn.execute("SELECT stopped FROM source_coverage").fetchone()[0] == stopped


def test_sources_summarise_every_run(store):
    _run(
        store,
        {"pressnews/hanam/pages": 5, "pressnews/hanam/listing_not_modified": 3},
        {"hanam": "Hà Nam"},
    )
    srcs = {s.source: s for s in cov.sources(store, {"quangngai": "Quảng Ngãi", "hanam": "Hà Nam"})}
    hanam = srcs["hanam"]
    assert (hanam.runs, hanam.pages, hanam.listing_depth) == (2, 45, 6)
    assert hanam.walked_to_end and hanam.walked_on  # an earlier run walked it to its end
    assert hanam.stopped.startswith("incremental")  # the latest did not
    assert (hanam.oldest, hanam.newest, hanam.articles) == ("2019-03-02", "2023-09-23", 3)
    assert hanam.in_registry
    never = srcs["quangngai"]
    assert never.runs == 0 and never.province == "Quảng Ngãi" and never.in_registry
    assert srcs["national"].province is None and srcs["national"].units() == set()


def test_the_matrix(store):
    cells = {
        (c.province, c.year): c
        for c in cov.coverage(
            store, years=range(2018, THIS_YEAR + 1), registry={"quangngai": "Quảng Ngãi"}
        )
    }
    # walked to its end: covered from its oldest year on; before that, outside its archive
    assert cells[("Hà Nam", 2019)].status == "covered"
    assert cells[("Hà Nam", 2019)].sources == ["hanam"]
    assert cells[("Hà Nam", 2019)].articles == 1
    assert cells[("Hà Nam", THIS_YEAR)].status == "covered"
    assert cells[("Hà Nam", 2018)].status == "none"
    assert cells[("Hà Nam", 2018)].oldest == "2019-03-02"
    # partly walked: the oldest year reached is partial, earlier years are a gap
    assert cells[("Thanh Hóa", 2023)].status == "covered"
    assert cells[("Thanh Hóa", 2022)].status == "partial"
    assert cells[("Thanh Hóa", 2021)].status == "gap"
    assert (
        cells[("Thanh Hóa", 2021)].gaps == ["thanhhoa"] and cells[("Thanh Hóa", 2021)].sources == []
    )
    # in the registry, never crawled: a gap every year
    assert cells[("Quảng Ngãi", 2023)].status == "gap"
    # a province no source names; the national source covers none
    assert cells[("Hà Giang", 2023)].status == "no source"
    assert cells[("Hà Giang", 2023)].sources == [] and cells[("Hà Giang", 2023)].gaps == []
    assert len({p for p, _ in cells}) == 63


def test_a_2025_unit_asks_for_the_units_merged_into_it(store):
    cells = cov.coverage(store, "Ninh Bình", [2023])
    assert {c.province: c.status for c in cells} == {
        "Hà Nam": "covered",
        "Nam Định": "no source",
        "Ninh Bình": "no source",
    }
    with pytest.raises(QueryError):
        cov.coverage(store, "Atlantis", [2023])


def test_is_covered(store):
    assert cov.is_covered(store, "Hà Nam", 2021)
    assert cov.is_covered(store, "ha nam", 2023)
    assert not cov.is_covered(store, "Hà Nam", 2018)
    assert not cov.is_covered(store, "Thanh Hóa", 2022)  # partly walked
    assert cov.is_covered(store, "Thanh Hóa", 2023)
    assert not cov.is_covered(store, "Ninh Bình", 2023)  # Nam Định and Ninh Bình have no source
    assert cov.is_covered(store, "Hà Nam", 2023)


def test_the_note_of_a_search_that_found_nothing(store):
    note = cov.empty_result_note
    assert note(store, None, None, None) is None
    assert (
        note(store, "Hà Nam", "2021-01-01", "2022-12-31") == "no article found in covered sources"
    )
    assert note(store, "Hà Nam", "2017-01-01", "2020-12-31") == (
        "no article found in covered sources; Hà Nam 2017–2018: not covered by any source; "
        "see `pressnews coverage`"
    )
    assert note(store, "Thanh Hóa", "2020-01-01", "2022-12-31") == (
        "Thanh Hóa 2020–2022: not covered by any source (partly walked: Thanh Hóa 2022); "
        "see `pressnews coverage`"
    )
    assert note(store, "Hà Giang", "2023-01-01", None).startswith(
        f"Hà Giang 2023–{THIS_YEAR}: not covered by any source"
    )
    assert note(store, None, "2023-01-01", "2023-12-31") == (
        "no article found in covered sources; only 2 of 63 provinces are covered for 2023; "
        "see `pressnews coverage`"
    )


def test_coverage_command(tmp_path):
    _store(tmp_path / "c.db").close()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[sources.hanam]\nname = "Sở TT&TT Hà Nam"\nstart_urls = ["https://hanam.gov.vn/"]\n'
        'province = "Hà Nam"\n'
        '[sources.quangngai]\nname = "Sở TT&TT Quảng Ngãi"\n'
        'start_urls = ["https://quangngai.gov.vn/"]\nprovince = "Quảng Ngãi"\n',
        encoding="utf-8",
    )
    base = ["--db", str(tmp_path / "c.db"), "--sources", str(sources)]
    before = snapshot(tmp_path)
    text = invoke("coverage", *base, "--from", "2018", "--to", "2024")
    assert text.exit_code == 0, text.output
    assert "no: max_pages reached" in text.output and "never crawled" in text.output
    lines = {line.split("  ")[0]: line for line in text.output.splitlines()}
    assert lines["Hà Nam"].split()[2:9] == ["--", "██", "██", "██", "██", "██", "██"]
    assert lines["Thanh Hóa"].split()[2:9] == ["··", "··", "··", "··", "▌▌", "██", "██"]
    assert "No source at all (60):" in text.output
    data = json.loads(invoke("coverage", *base, "--province", "Hà Nam", "--json").output)
    assert data["years"] == list(range(2019, THIS_YEAR + 1))
    assert {c["province"] for c in data["cells"]} == {"Hà Nam"}
    assert {s["source"] for s in data["sources"]} == {"hanam", "thanhhoa", "national", "quangngai"}
    rows = list(
        csv.DictReader(
            io.StringIO(
                invoke("coverage", *base, "--csv", "--from", "2022", "--to", "2022").output.lstrip(
                    "\ufeff"
                )
            )
        )
    )
    assert {
        "province": "Thanh Hóa",
        "year": "2022",
        "status": "partial",
        "sources": "thanhhoa",
        "gaps": "",
        "articles": "1",
        "oldest": "2022-05-10",
    } in rows
    assert len(rows) == 63
    assert_one_line_error(invoke("coverage", *base, "--province", "Atlantis"), 1)
    assert_one_line_error(invoke("coverage", *base, "--json", "--csv"), 1)
    assert_one_line_error(invoke("coverage", *base, "--from", "2024", "--to", "2020"), 1)
    assert snapshot(tmp_path) == before  # read-only
    missing = tmp_path / "none" / "x.db"
    assert_one_line_error(invoke("coverage", "--db", str(missing)), 1)
    assert not missing.parent.exists()


def test_search_says_what_was_not_looked_at(tmp_path):
    _store(tmp_path / "c.db").close()
    db = ["--db", str(tmp_path / "c.db")]
    result = invoke("search", "zzzz", "--province", "Hà Nam", "--from", "2021", "--to", "2021", *db)
    assert result.exit_code == 0
    assert result.stderr == "no article found in covered sources\n"
    result = invoke("search", "--province", "Hà Giang", *db)
    assert result.exit_code == 0 and "Hà Giang 2019–" in result.stderr
    assert "not covered by any source" in result.stderr and len(result.stderr.splitlines()) == 1
    # a search without province or dates, and machine output, stay as they were
    assert invoke("search", "zzzz", *db).stderr == ""
    assert invoke("search", "zzzz", "--province", "Hà Giang", "--json", *db).stderr == ""
