"""`pressnews events`, `trainers`, `show` for events and trainers, `export --events/--trainers/
--xlsx`: output formats, search semantics, read-only, one-line errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_article
from openpyxl import load_workbook

from crawler.events.recompute import recompute_events
from indexer.events import iter_events, iter_trainers
from indexer.model import Speaker
from indexer.store import Store
from search_cli.main import cli

HOA = Speaker("Trần Xuân Hòa", "Phó Cục trưởng Cục Thông tin đối ngoại")


def _article(aid: str, day: str, body: str, **kw: object) -> object:
    fields: dict[str, object] = dict(
        title=f"Tập huấn kỹ năng phát ngôn ({aid})",
        body=body,
        published=day,
        event_date=day,
        date=day,
        province="Hà Nam",
        province_now="Ninh Bình",
        relevant=True,
        speakers=[HOA],
        topics=["phát ngôn"],
        decrees=["09/2017/NĐ-CP"],
    )
    fields.update(kw)
    return make_article(aid, url=f"https://hanam.gov.vn/{aid}", **fields)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    with Store.open(path) as store:
        store.upsert(_article("a1", "2024-06-12", "Sáng 12/6, Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn trực tuyến cho hơn 200 học viên."))  # fmt: skip
        store.upsert(_article("a2", "2024-06-12", "Ngày 12/6, hội nghị tập huấn kỹ năng phát ngôn đã diễn ra với 200 đại biểu.", published="2024-06-14", date="2024-06-14", source="baohanam"))  # fmt: skip
        store.upsert(_article("n1", "2023-03-02", "Sáng 2/3, tỉnh Nam Định tổ chức tập huấn cho 80 cán bộ.", province="Nam Định", speakers=[Speaker("Lê Văn Nghiêm", "Giám đốc Sở Tư pháp")], decrees=[]))  # fmt: skip
        recompute_events(store)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_events_table_newest_first(db: Path) -> None:
    code, out = run("events", "--db", str(db))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["date", "province", "attended", "format"]
    assert lines[2].startswith("2024-06-12  Hà Nam")
    assert "online" in lines[2] and "Trần Xuân Hòa" in lines[2] and "  2  " in lines[2]
    assert lines[3].startswith("2023-03-02  Nam Định")
    assert "2 training(s)" in out


def test_events_filters_with_search_semantics(db: Path) -> None:
    code, out = run("events", "ky nang phat ngon", "--province", "ninh binh", "--json", "--db", str(db))  # fmt: skip
    assert code == 0, out
    events = json.loads(out)
    assert [e["province"] for e in events] == ["Hà Nam", "Nam Định"]
    one = events[0]
    assert one["attendance"] == {"value": 200, "qualifier": ""}
    assert one["format"] == "online"
    assert [r["id"] for r in one["reports"]] == ["a1", "a2"]
    assert json.loads(run("events", "--speaker", "xuan hoa", "--json", "--db", str(db))[1])[0]["id"] == one["id"]  # fmt: skip
    assert json.loads(run("events", "--decree", "9/2017/ND-CP", "--json", "--db", str(db))[1])[0]["id"] == one["id"]  # fmt: skip
    assert json.loads(run("events", "--from", "2024", "--json", "--db", str(db))[1])[0]["id"] == one["id"]  # fmt: skip
    assert run("events", "--province", "Hà Nam", "--to", "2023", "--db", str(db))[1].startswith("No matching")  # fmt: skip


def test_events_csv_starts_with_bom(db: Path) -> None:
    code, out = run("events", "--csv", "--db", str(db))
    assert code == 0
    assert out.startswith("\ufeffid,date,start,end,province")
    assert "Hà Nam" in out


def test_trainers_list_and_org(db: Path) -> None:
    code, out = run("trainers", "--db", str(db))
    assert code == 0, out
    assert "Trần Xuân Hòa" in out and "Lê Văn Nghiêm" in out
    code, out = run("trainers", "--org", "Cục Thông tin đối ngoại", "--json", "--db", str(db))
    people = json.loads(out)
    assert [p["name"] for p in people] == ["Trần Xuân Hòa"]
    assert people[0]["provinces"] == ["Hà Nam"] and people[0]["trainings"] == 1
    assert run("trainers", "--csv", "--db", str(db))[1].startswith("\ufeffid,name,trainings")


def test_show_event_trainer_and_alias(db: Path) -> None:
    with Store.open(db) as store:
        event = next(iter_events(store))
        trainer = next(iter_trainers(store))
        store.conn.execute(
            "INSERT INTO event_aliases(alias, event_id, created) VALUES ('ev-old', ?, 'x')",
            (event.id,),
        )
    code, out = run("show", event.id, "--db", str(db))
    assert code == 0, out
    assert "training event" in out and "https://hanam.gov.vn/a2" in out and "hơn 200" not in out
    code, out = run("show", "ev-old", "--db", str(db))
    assert code == 0 and f"(ev-old was merged into {event.id})" in out
    code, out = run("show", trainer.id, "--json", "--db", str(db))
    assert code == 0 and json.loads(out)["id"] == trainer.id
    code, out = run("show", "a1", "--db", str(db))  # articles first, as before
    assert code == 0 and "url:" in out


def test_export_events_trainers_jsonl(db: Path) -> None:
    code, out = run("export", "--events", "--db", str(db))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert {r["province"] for r in rows} == {"Hà Nam", "Nam Định"}
    code, out = run("export", "--trainers", "--db", str(db))
    assert {json.loads(line)["name"] for line in out.splitlines()} == {"Trần Xuân Hòa", "Lê Văn Nghiêm"}  # fmt: skip


def test_export_xlsx(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "báo cáo.xlsx"
    code, out = run("export", "--xlsx", str(target), "--db", str(db))
    assert code == 0, out
    wb = load_workbook(target)
    assert wb.sheetnames == ["events", "trainers", "articles"]
    ev = wb["events"]
    header = [c.value for c in ev[1]]
    row = {h: c for h, c in zip(header, ev[2], strict=True)}
    assert row["province"].value == "Hà Nam"
    assert row["date"].value.date() == date(2024, 6, 12)  # a real date
    assert row["first_report_url"].hyperlink.target == "https://hanam.gov.vn/a1"
    art = wb["articles"]
    header = [c.value for c in art[1]]
    titles = [r[header.index("title")].value for r in art.iter_rows(min_row=2)]
    assert "Tập huấn kỹ năng phát ngôn (a1)" in titles


def test_read_only_and_errors(db: Path, tmp_path: Path) -> None:
    before = db.stat().st_mtime_ns
    for args in (
        ["events", "--from", "2024-13"],
        ["events", "--province", "Atlantis"],
        ["events", "--json", "--csv"],
        ["trainers", "--from", "2025", "--to", "2024"],
        ["export", "--xlsx", str(tmp_path / "missing" / "x.xlsx")],
        ["show", "ev-nope"],
    ):
        code, out = run(*args, "--db", str(db))
        assert code == 1, (args, out)
        assert out.startswith("Error: ") and len(out.strip().splitlines()) == 1, out
    code, out = run("export", "--events", "--trainers", "--db", str(db))
    assert code == 1 and "choose one" in out  # options that exclude each other (README)
    assert db.stat().st_mtime_ns == before
    code, out = run("events", "--db", str(tmp_path / "none.db"))
    assert code == 1 and not (tmp_path / "none.db").exists()


# -- after a real crawl of the fixture sites ------------------------------------------------------
def test_crawl_groups_the_fixture_trainings(crawl) -> None:
    """The crawl ends by computing events: the three trainings the fixture sites report twice,
    in different words, are one event each; every relevant article is in exactly one event."""
    code, out = run("events", "--json", "--db", str(crawl.db))
    assert code == 0, out
    events = json.loads(out)
    relevant = {a["id"] for a in crawl.articles if a["relevant"]}
    reported = [r["id"] for e in events for r in e["reports"]]
    assert sorted(reported) == sorted(relevant)
    twice = {(e["province"], e["start"]): e for e in events if len(e["reports"]) == 2}
    assert set(twice) == {
        ("Quảng Ngãi", "2023-09-22"),
        ("Kon Tum", "2023-06-19"),
        ("Đắk Lắk", "2023-06-09"),
    }
    assert twice[("Kon Tum", "2023-06-19")]["attendance"] == {"value": 150, "qualifier": "hơn"}
    assert twice[("Đắk Lắk", "2023-06-09")]["format"] == "hybrid"
    assert any(e["format"] == "online" for e in events)
    # Reprocessing (a copy: the session crawl is shared) keeps every event id.
    copy = crawl.db.parent / "reprocess.db"
    with Store.open(crawl.db) as store:
        store.conn.execute(f"VACUUM INTO '{copy}'")
    code, out = run("reprocess", "--db", str(copy))
    assert code == 0 and "training event(s)" in out, out
    again = json.loads(run("events", "--json", "--db", str(copy))[1])
    assert sorted(e["id"] for e in again) == sorted(e["id"] for e in events)
