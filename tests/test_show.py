"""`pressnews show ID`: one article in full, by id or URL; read-only; a clear error otherwise."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import make_article

from indexer.model import Speaker
from indexer.store import Store
from search_cli.main import cli


def _store(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.upsert(
            make_article(
                "a1",
                title="Tập huấn kỹ năng phát ngôn",
                speakers=[Speaker("Lê Văn Nghiêm", "Phó Cục trưởng")],
                decrees=["Nghị định 09/2017/NĐ-CP"],
            )
        )
    return path


def test_show_prints_every_field(tmp_path):
    path = _store(tmp_path)
    result = CliRunner().invoke(cli, ["show", "a1", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "Tập huấn kỹ năng phát ngôn" in result.output
    assert "Lê Văn Nghiêm, Phó Cục trưởng" in result.output
    assert "09/2017/NĐ-CP" in result.output


def test_show_by_url_and_json(tmp_path):
    path = _store(tmp_path)
    with Store.open_readonly(path) as store:
        url = store.get("a1")["url"]
    result = CliRunner().invoke(cli, ["show", url, "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["id"] == "a1"


def test_show_unknown_id_is_one_line_error(tmp_path):
    path = _store(tmp_path)
    before = path.stat().st_mtime_ns
    result = CliRunner().invoke(cli, ["show", "nope", "--db", str(path)])
    assert result.exit_code == 1
    assert "no article" in result.output and "Traceback" not in result.output
    assert path.stat().st_mtime_ns == before
