"""Helpers for the CLI error and property tests: a small stored database, file snapshots and
the shape of a one-line error."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner, Result
from conftest import make_article

from crawler.bookkeeping import finish_run, start_run
from indexer.model import Speaker
from indexer.store import Store
from search_cli.main import cli

ARTICLES = [
    make_article(
        "hn1",
        url="https://hanam.gov.vn/tap-huan-phat-ngon",
        source="hanam-stttt",
        title="Tập huấn kỹ năng phát ngôn và cung cấp thông tin cho báo chí",
        body="Sở Thông tin và Truyền thông Hà Nam tổ chức tập huấn kỹ năng phát ngôn. " * 8,
        published="2022-09-23",
        date="2022-09-23",
        province="Hà Nam",
        province_now="Ninh Bình",
        speakers=[Speaker("Nguyễn Văn Hiếu", "Giám đốc Sở")],
        decrees=["09/2017/NĐ-CP"],
        relevant=True,
        fetched_at="2024-01-02T00:00:00+00:00",
    ),
    make_article(
        "th1",
        url="https://thanhhoa.gov.vn/thong-tin-doi-ngoai",
        source="thanhhoa-portal",
        title="Hội nghị thông tin đối ngoại năm 2023",
        body="Thanh Hóa tổ chức hội nghị thông tin đối ngoại và xử lý khủng hoảng truyền thông. "
        * 8,
        published="2023-05-10",
        date="2023-05-10",
        province="Thanh Hóa",
        province_now="Thanh Hóa",
        relevant=True,
        fetched_at="2024-01-02T00:00:00+00:00",
    ),
    make_article(
        "x1",
        url="https://hanam.gov.vn/tin-khac",
        source="hanam-stttt",
        title="Tin hoạt động khác",
        body="Một bài viết không liên quan đến phát ngôn. " * 8,
        fetched_at="2024-01-02T00:00:00+00:00",
    ),
]


def make_db(path: Path) -> Path:
    """A small pressnews database: three articles and one recorded run."""
    with Store.open(path) as store:
        for article in ARTICLES:
            store.upsert(article)
        run = start_run(store)
        stats = {"pressnews/hanam-stttt/pages": 5, "pressnews/hanam-stttt/articles_new": 2}
        finish_run(store, run, stats, ["hanam-stttt"], "finished")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative name -> sha256): equal snapshots, untouched files."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, prog_name="pressnews")


def assert_one_line_error(result: Result, exit_code: int | None = None) -> str:
    """A clean failure: non-zero (not the crash status 70), one line on stderr, no traceback."""
    assert result.exit_code != 0, result.output
    assert result.exit_code != 70, result.stderr
    if exit_code is not None:
        assert result.exit_code == exit_code, (result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0]


def assert_clean_success(result: Result) -> None:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
