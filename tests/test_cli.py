"""The CLI over a real crawled database: search output, JSON shape, filters, errors as one line."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from search_cli.main import cli


@pytest.fixture(scope="module")
def db(crawl, tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.db"
    shutil.copy(crawl.db, path)
    return str(path)


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_help_for_every_command():
    for command in (
        "crawl",
        "export",
        "search",
        "reprocess",
        "runs",
        "sources",
        "demo",
        "index",
        "schedule",
    ):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
    assert run("kibana", "import", "--help").exit_code == 0


def test_search_json_contract_fields(db):
    result = run("search", "phát ngôn", "--db", db, "--json")
    assert result.exit_code == 0
    hits = json.loads(result.output)
    assert hits
    for key in (
        "id",
        "url",
        "title",
        "date",
        "published",
        "province",
        "speakers",
        "decrees",
        "score",
    ):
        assert key in hits[0]
    assert all(h["relevant"] for h in hits)


def test_search_without_diacritics_and_db_from_environment(db):
    result = run("search", "nguoi phat ngon", "--json", env={"PRESSNEWS_DB": db})
    assert result.exit_code == 0 and json.loads(result.output)


def test_table_output_highlights_and_counts(db):
    result = run("search", "thông tin đối ngoại", "--db", db)
    assert result.exit_code == 0
    assert "matching article(s)" in result.output
    assert "<mark>" not in result.output  # markers become terminal styling (none when piped)


def test_relevant_only_by_default_says_what_all_adds(db):
    plain = run("search", "hội nghị", "--db", db)
    every = json.loads(
        run("search", "hội nghị", "--db", db, "--all", "--json", "--limit", "100").output
    )
    assert "--all adds" in plain.output
    assert any(not h["relevant"] for h in every)


def test_filters_alone(db):
    hits = json.loads(run("search", "--db", db, "--province", "Ninh Binh", "--json").output)
    assert hits and all(h["province_now"] == "Ninh Bình" for h in hits)
    assert {h["province"] for h in hits} <= {"Hà Nam", "Nam Định", "Ninh Bình"}
    hits = json.loads(run("search", "--db", db, "--speaker", "nguyen van hieu", "--json").output)
    assert any(s["name"] == "Nguyễn Văn Hiếu" for h in hits for s in h["speakers"])
    hits = json.loads(
        run("search", "--db", db, "--decree", "9/2017/ND-CP", "--json", "--all").output
    )
    assert hits and all(any(d.startswith("09/2017") for d in h["decrees"]) for h in hits)


def test_dates_and_sort(db):
    hits = json.loads(
        run(
            "search",
            "--db",
            db,
            "--from",
            "2022",
            "--to",
            "2022-12-31",
            "--json",
            "--all",
            "--limit",
            "100",
        ).output
    )
    assert hits and all("2022-01-01" <= h["date"] <= "2022-12-31" for h in hits)
    hits = json.loads(
        run("search", "tập huấn", "--db", db, "--sort", "date", "--json", "--all").output
    )
    dates = [h["date"] for h in hits]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("query", ['"', "(", "*", " - ", "AND OR", '"unbalanced', "[]{}^:~"])
def test_punctuation_never_errors(db, query):
    assert run("search", query, "--db", db).exit_code == 0


def test_facets(db):
    data = json.loads(run("search", "--db", db, "--facets", "--all", "--json").output)
    assert data["total"] > 0 and data["provinces"] and data["years"]
    text = run("search", "--db", db, "--facets").output
    assert "Provinces:" in text and "Speakers:" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "x", "--province", "Atlantis"], "unknown province"),
        (["search", "x", "--from", "yesterday"], "cannot read the date"),
        (["search", "x", "--db", "/nonexistent/dir/p.db"], "no database at"),
        (["crawl", "--sources", "/nonexistent.toml"], "no such sources file"),
        (["export", "--db", "/nonexistent/p.db"], "no database at"),
    ],
)
def test_errors_are_one_line_and_nonzero(db, args, message):
    if "--db" not in args:
        args = [*args, "--db", db]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([ln for ln in result.output.splitlines() if ln.strip()]) == 1


def test_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("hello" * 1000)
    result = CliRunner().invoke(cli, ["search", "x", "--db", str(bad)])
    assert result.exit_code != 0 and "not a usable pressnews database" in result.output
    assert bad.read_text() == "hello" * 1000  # nothing overwritten


def test_broken_sources_file_names_file_and_key(tmp_path, db):
    bad = tmp_path / "bad.toml"
    bad.write_text('[sources.hanam]\nname = "Hà Nam"\nstart_urls = "not a url"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["crawl", "--db", db, "--sources", str(bad)])
    assert result.exit_code != 0
    assert str(bad) in result.output and "[sources.hanam]" in result.output


def test_export_is_jsonl_of_every_article(db, crawl):
    lines = run("export", "--db", db).output.splitlines()
    assert len(lines) == len(crawl.articles)
    art = json.loads(lines[0])
    for key in (
        "id",
        "url",
        "source",
        "title",
        "body",
        "published",
        "event_date",
        "date",
        "province",
        "province_now",
        "speakers",
        "decrees",
        "relevant",
        "topics",
        "authors",
        "images",
        "attachments",
        "fetched_at",
    ):
        assert key in art


def test_reprocess_rebuilds_every_article_from_raw_pages(db):
    before = {
        json.loads(x)["id"]: json.loads(x) for x in run("export", "--db", db).output.splitlines()
    }
    result = run("reprocess", "--db", db)
    assert result.exit_code == 0 and f"{len(before)} article(s)" in result.output
    after = {
        json.loads(x)["id"]: json.loads(x) for x in run("export", "--db", db).output.splitlines()
    }
    assert after.keys() == before.keys()
    for aid, a in after.items():
        for key in ("title", "body", "province", "speakers", "decrees", "relevant", "published"):
            assert a[key] == before[aid][key], (aid, key)


def test_schedule_prints_cron_and_systemd(db):
    cron = run("schedule", "--db", db, "--every", "6h", "--print-cron").output
    assert cron.startswith("0 */6 * * * ") and "search_cli crawl" in cron
    unit = run("schedule", "--db", db, "--every", "30m", "--print-systemd").output
    assert "OnUnitActiveSec=1800s" in unit and "[Timer]" in unit
    assert CliRunner().invoke(cli, ["schedule", "--every", "soon", "--print-cron"]).exit_code != 0


def test_demo_serves_crawls_and_searches_offline(tmp_path):
    from conftest import run_cli

    db = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(db))
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Serving 8 fixture sites" in out  # seven news sites and the document site
    assert out.count("$ pressnews search") == 6
    assert "Nguyễn Văn Hiếu" in out and "Provinces:" in out
    # the documents: a plan linked to the training that carried it out
    assert "$ pressnews documents --planned-vs-held" in out
    assert "45/KH-UBND (2024-01-15): 3 planned, 3 held" in out
    assert "    held: article " in out
    assert "Traceback" not in result.stderr


def test_index_with_elasticsearch_unreachable_is_one_line(db):
    before = run("export", "--db", db).output
    result = CliRunner().invoke(cli, ["index", "--db", db, "--es", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach Elasticsearch" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert run("export", "--db", db).output == before
