"""The Elasticsearch/Kibana side, checked without Elasticsearch or Kibana.

What runs here: the index template and analysis settings as data, `to_document`, the bulk
actions, the sync checkpoint (only pending articles pushed, only accepted ones marked, rejected
ones retried), the rebuild's alias swap, one-line errors for unreachable servers, the saved
objects' ids and references, and the Kibana import request.

`FakeElasticsearch` and `FakeKibana` below are small loopback HTTP stand-ins for the third-party
servers, NOT pressnews code: they answer only the endpoints the sync and the import call
(`/`, `_index_template`, `_alias`, index create/exists/get/_mapping, `_bulk` with index and
delete actions, `_aliases`, `/api/saved_objects/_import`) with the response shapes documented
by Elastic, and record the
requests so the tests can look at what pressnews sent. They do not analyse text or search: the
search semantics are checked against a real cluster by tests/test_search_contract.py (ES_URL).
"""

from __future__ import annotations

import fnmatch
import json
import re
import socket
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from indexer.elastic import kibana as kb
from indexer.elastic import mapping as m
from indexer.elastic.client import ElasticUnavailable, connect
from indexer.elastic.search import TIER, score_from_es
from indexer.elastic.sync import SyncReport, bulk_actions, sync, to_document
from indexer.model import Article, Speaker
from search_cli.common import Environment
from vnlang.text import fold


# -- loopback stand-ins -----------------------------------------------------------------------------
class _Server:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _ESHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self) -> None:
        fake: FakeElasticsearch = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        fake.requests.append((self.command, path, self.headers, raw))
        accept = self.headers.get("Accept", "")
        if fake.major == 8 and "compatible-with=9" in accept:
            reason = f"Accept version must be either version 8 or 7, but found 9. Accept={accept}"
            err = {
                "type": "media_type_header_exception",
                "reason": "Invalid media-type value on headers [Accept, Content-Type]",
            }
            self._send(
                400,
                {
                    "error": {
                        "root_cause": [err],
                        **err,
                        "caused_by": {"type": "status_exception", "reason": reason},
                    },
                    "status": 400,
                },
            )
            return
        status, body = fake.route(self.command, path, query, raw)
        self._send(status, body)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle


class FakeElasticsearch(_Server):
    """Stand-in for an Elasticsearch server (see the module docstring)."""

    def __init__(self, major: int = 8) -> None:
        self.major = major
        self.templates: dict[str, Any] = {}
        self.indices: dict[str, dict[str, Any]] = {}  # name -> {"aliases": set, "docs": {id: src}}
        self.requests: list[tuple[str, str, Any, bytes]] = []
        self.reject: dict[str, str] = {}  # article id -> reason (HTTP 400 for that document)
        self.throttle_once: set[str] = set()  # article ids answered 429 the first time
        self.down = False
        super().__init__(_ESHandler)

    def _missing(self, what: str) -> tuple[int, Any]:
        return 404, {
            "error": {
                "root_cause": [
                    {"type": "index_not_found_exception", "reason": f"no such index [{what}]"}
                ],
                "type": "index_not_found_exception",
                "reason": f"no such index [{what}]",
            },
            "status": 404,
        }

    def aliases_of(self, alias: str) -> list[str]:
        return sorted(n for n, i in self.indices.items() if alias in i["aliases"])

    def route(self, method: str, path: str, query: str, raw: bytes) -> tuple[int, Any]:
        parts = [p for p in path.split("/") if p]
        if not parts:
            return 200, {
                "name": "fake",
                "cluster_name": "fake",
                "version": {"number": f"{self.major}.19.0"},
                "tagline": "You Know, for Search",
            }
        if parts[0] == "_index_template" and method == "PUT":
            self.templates[parts[1]] = json.loads(raw)
            return 200, {"acknowledged": True}
        if parts[0] == "_alias" and method == "GET":
            found = self.aliases_of(parts[1])
            if not found:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, {n: {"aliases": {parts[1]: {}}} for n in found}
        if parts[0] == "_aliases" and method == "POST":
            actions = json.loads(raw)["actions"]
            for a in actions:  # all or nothing is not needed for these tests: they all apply
                ((kind, spec),) = a.items()
                if kind == "remove":
                    self.indices[spec["index"]]["aliases"].discard(spec["alias"])
                elif kind == "add":
                    self.indices[spec["index"]]["aliases"].add(spec["alias"])
            return 200, {"acknowledged": True}
        if parts[0] == "_bulk":
            return 200, self._bulk(raw)
        name = parts[0]
        if len(parts) == 1 and method == "HEAD":
            known = name in self.indices or any(name in i["aliases"] for i in self.indices.values())
            return (200 if known else 404), None
        if len(parts) == 1 and method == "PUT":
            body = json.loads(raw) if raw else {}
            self.indices[name] = {"aliases": set(body.get("aliases", {})), "docs": {}}
            if "mappings" in body:  # an index created with its own mappings (documents)
                self.indices[name]["mappings"] = body["mappings"]
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
        if len(parts) == 1 and method == "GET":
            found = {
                n: {"aliases": {a: {} for a in i["aliases"]}}
                for n, i in self.indices.items()
                if fnmatch.fnmatch(n, name)
            }
            if not found and "*" not in name:
                return self._missing(name)
            return 200, found
        if len(parts) == 1 and method == "DELETE":
            if name not in self.indices:
                return self._missing(name)
            del self.indices[name]
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_mapping":
            if name not in self.indices:
                return self._missing(name)
            if "mappings" in self.indices[name]:
                return 200, {name: {"mappings": self.indices[name]["mappings"]}}
            # The mapping the index got from the template matching its name (as Elasticsearch
            # applies composable templates at creation).
            meta = next(
                (
                    t["template"]["mappings"]["_meta"]
                    for t in self.templates.values()
                    if any(fnmatch.fnmatch(name, p) for p in t["index_patterns"])
                ),
                {"pressnews_mapping_version": m.MAPPING_VERSION},
            )
            return 200, {name: {"mappings": {"_meta": meta}}}
        return 400, {"error": f"fake: unsupported {method} {path}", "status": 400}

    def _bulk(self, raw: bytes) -> dict[str, Any]:
        lines = [json.loads(x) for x in raw.decode().splitlines() if x.strip()]
        items = []
        pairs: list[tuple[dict[str, Any], Any]] = []
        while lines:  # a delete has no source line
            action = lines.pop(0)
            pairs.append((action, None if "delete" in action else lines.pop(0)))
        for action, source in pairs:
            ((op, meta),) = action.items()
            doc_id, index = meta["_id"], meta["_index"]
            if op == "delete" and doc_id not in self.throttle_once:
                docs = self.indices.get(index, {"docs": {}})["docs"]
                found = docs.pop(doc_id, None) is not None
                items.append(
                    {
                        op: {
                            "_index": index,
                            "_id": doc_id,
                            "status": 200 if found else 404,
                            "result": "deleted" if found else "not_found",
                        }
                    }
                )
            elif doc_id in self.throttle_once:
                self.throttle_once.discard(doc_id)
                items.append(
                    {
                        op: {
                            "_index": index,
                            "_id": doc_id,
                            "status": 429,
                            "error": {
                                "type": "es_rejected_execution_exception",
                                "reason": "rejected execution",
                            },
                        }
                    }
                )
            elif doc_id in self.reject:
                items.append(
                    {
                        op: {
                            "_index": index,
                            "_id": doc_id,
                            "status": 400,
                            "error": {
                                "type": "document_parsing_exception",
                                "reason": self.reject[doc_id],
                            },
                        }
                    }
                )
            else:
                self.indices.setdefault(index, {"aliases": set(), "docs": {}})["docs"][doc_id] = (
                    source
                )
                items.append(
                    {op: {"_index": index, "_id": doc_id, "status": 201, "result": "created"}}
                )
        return {
            "took": 1,
            "errors": any(next(iter(i.values()))["status"] >= 300 for i in items),
            "items": items,
        }

    def bulk_ids(self) -> list[list[str]]:
        """The document ids of each `_bulk` request, in order."""
        out = []
        for _method, path, _, raw in self.requests:
            if path.endswith("/_bulk"):
                lines = [json.loads(x) for x in raw.decode().splitlines() if x.strip()]
                ids, n = [], 0
                while n < len(lines):
                    ids.append(next(iter(lines[n].values()))["_id"])
                    n += 1 if "delete" in lines[n] else 2
                out.append(ids)
        return out


class _KibanaHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        fake: FakeKibana = self.server.owner  # type: ignore[attr-defined]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fake.requests.append((self.path, self.headers, raw))
        path = self.path.partition("?")[0]
        if not path.endswith("/api/saved_objects/_import"):
            status, body = 404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"}
        elif "kbn-xsrf" not in {k.lower() for k in self.headers}:
            status, body = (
                400,
                {
                    "statusCode": 400,
                    "error": "Bad Request",
                    "message": "Request must contain a kbn-xsrf header.",
                },
            )
        else:
            m_ = re.search(
                rb'filename="([^"]+)"\r\nContent-Type: [^\r]+\r\n\r\n(.*)\r\n--', raw, re.S
            )
            objs = (
                [json.loads(x) for x in m_.group(2).decode().splitlines() if x.strip()]
                if m_
                else []
            )
            status = 200
            body = {
                "success": bool(objs),
                "successCount": len(objs),
                "successResults": [{"type": o["type"], "id": o["id"]} for o in objs],
            }
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeKibana(_Server):
    """Stand-in for Kibana's saved-objects import endpoint (see the module docstring)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, Any, bytes]] = []
        super().__init__(_KibanaHandler)


@pytest.fixture
def fake_es():
    server = FakeElasticsearch()
    yield server
    server.close()


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# -- sample data ------------------------------------------------------------------------------------
def sample_article(i: int = 1, **kw: Any) -> Article:
    base = dict(
        id=f"art{i}",
        url=f"https://example.gov.vn/tin/{i}.html",
        source="hanam-stttt",
        title=f"Tập huấn kỹ năng phát ngôn số {i} cho cán bộ tỉnh Hà Nam",
        body=(
            f"Bài {i}: sáng nay Sở Thông tin và Truyền thông Hà Nam tổ chức lớp tập huấn số {i} "
            f"về công tác phát ngôn và cung cấp thông tin cho báo chí theo Nghị định 09/2017/NĐ-CP. "
            f"Đợt {i * 7} có {i * 13} học viên tham dự tại hội trường {i}."
        ),
        published=f"2021-04-{i:02d}",
        date=f"2021-04-{i:02d}",
        province="Hà Nam",
        province_now="Ninh Bình",
        speakers=[Speaker("Nguyễn Văn Hiếu", "Phó Cục trưởng Cục Báo chí")],
        decrees=["09/2017/NĐ-CP", "Luật Báo chí 2016"],
        relevant=True,
        topics=["phát ngôn"],
        fetched_at="2024-01-02T03:04:05+00:00",
    )
    base.update(kw)
    return Article(**base)


# -- mapping and template ---------------------------------------------------------------------------
def test_names_derive_from_one_prefix(monkeypatch):
    assert m.DEFAULT_ALIAS == "pressnews-articles"
    names = m.IndexNames(m.DEFAULT_ALIAS)
    assert names.version(1) == "pressnews-articles-v1"
    assert names.pattern == "pressnews-articles-v*"
    assert names.version_of("pressnews-articles-v12") == 12
    assert names.version_of("pressnews-articles") is None
    assert m.alias_for("trial") == "trial-articles"
    assert m.alias_for() == "pressnews-articles"
    # the CLI reads $PRESSNEWS_ES_PREFIX once, at the edge
    assert Environment.read({"PRESSNEWS_ES_PREFIX": "other"}).es_alias() == "other-articles"


def test_template_is_composable_and_complete():
    names = m.IndexNames("pressnews-articles")
    kw = m.index_template(names)
    assert kw["name"] == "pressnews-articles" and kw["index_patterns"] == ["pressnews-articles-v*"]
    # Above the built-in logs/metrics templates (priority 100), which do not overlap anyway.
    assert kw["priority"] > 100
    tpl = kw["template"]
    assert "aliases" not in tpl  # a rebuild's new version joins the alias only when full
    props = tpl["mappings"]["properties"]
    for field in (
        "id", "url", "source", "title", "body", "extra", "published", "event_date", "date",
        "fetched_at", "province", "province_now", "location", "speakers", "speakers_key",
        "decrees", "decree_keys", "relevant", "topics", "duplicate_of",
    ):  # fmt: skip
        assert field in props, field
    assert props["location"]["type"] == "geo_point"
    assert props["date"]["type"] == "date" and "ignore_malformed" not in props["date"]
    assert props["published"]["ignore_malformed"] is True
    for field in (
        "province",
        "province_now",
        "source",
        "topics",
        "decrees",
        "decree_keys",
        "duplicate_of",
        "id",
    ):
        assert props[field]["type"] == "keyword", field
    for field in ("title", "body"):
        assert props[field]["analyzer"] == "vn_exact"
        assert props[field]["fields"]["folded"]["analyzer"] == "vn_folded"
    assert props["speakers"]["properties"]["name"]["type"] == "keyword"
    assert props["speakers"]["properties"]["name"]["fields"]["folded"]["analyzer"] == "vn_folded"
    assert props["speakers_key"]["analyzer"] == "vn_key"
    assert tpl["mappings"]["dynamic"] is False
    assert tpl["settings"]["number_of_shards"] == 1
    body = m.as_request_body(names)
    assert body["_meta"]["managed_by"] == "pressnews" and "name" not in body


def test_analyzers():
    a = m.analysis()
    folded = a["analyzer"]["vn_folded"]
    assert folded["tokenizer"] == "standard"
    assert folded["filter"] == ["lowercase", "vn_ascii_fold", "vn_final_y"]
    assert folded["char_filter"] == ["vn_punct"]
    assert a["filter"]["vn_ascii_fold"] == {"type": "asciifolding", "preserve_original": True}
    assert a["filter"]["vn_final_y"]["pattern"] == m.FINAL_Y_PATTERN
    assert a["analyzer"]["vn_exact"]["filter"] == ["lowercase"]
    assert a["analyzer"]["vn_key"]["tokenizer"] == "whitespace"


def _emulate_vn_folded(text: str) -> set[str]:
    """Python stand-in for the vn_folded chain, to compare its i/y rule with `fold`.

    Punctuation -> space, split, lowercase, strip marks (Lucene's ASCIIFoldingFilter maps đ to d
    and the Vietnamese letters to their base letters the same way), then FINAL_Y_PATTERN with
    Java's `$1` written as Python's `\\1`.
    """
    text = re.sub(r"[^\w\s]|_", " ", text)
    out: set[str] = set()
    for tok in text.lower().split():
        base = unicodedata.normalize("NFD", tok.replace("đ", "d"))
        base = "".join(c for c in base if not unicodedata.combining(c))
        out.add(tok)  # preserve_original
        out.add(re.sub(m.FINAL_Y_PATTERN, m.FINAL_Y_REPLACEMENT.replace("$", "\\"), base))
    return out


@pytest.mark.parametrize(
    "text",
    ["kỹ năng", "kĩ năng", "Lý Sơn", "lí do", "Mỹ Tho", "quy định", "qui chế", "Thủy", "thuỵ",
     "Đắk Lắk", "người phát ngôn", "TP.HCM", "09/2017/NĐ-CP", "Sỹ quan", "Hy vọng", "tuy nhiên"],
)  # fmt: skip
def test_final_y_rule_matches_fold(text):
    # Every word of the folded query is a token of the indexed text.
    assert set(re.findall(r"\w+", fold(text))) <= _emulate_vn_folded(text)


# -- documents and actions --------------------------------------------------------------------------
def test_to_document():
    art = sample_article(3).to_dict()
    before = json.dumps(art, sort_keys=True)
    doc = to_document(art)
    assert json.dumps(art, sort_keys=True) == before  # pure
    assert doc["id"] == "art3" and doc["title"] == art["title"] and doc["body"] == art["body"]
    assert doc["date"] == "2021-04-03"
    assert doc["relevant"] is True
    assert doc["speakers"] == [{"name": "Nguyễn Văn Hiếu", "role": "Phó Cục trưởng Cục Báo chí"}]
    assert doc["speakers_key"] == ["nguyen van hieu"]
    assert doc["decree_keys"] == ["9/2017/nd-cp", "luat bao chi 2016"]
    assert doc["location"] == {
        "lat": pytest.approx(20.58352),
        "lon": pytest.approx(105.92, abs=0.5),
    }
    assert (
        "nguyen van hieu" in doc["extra"]
        and "ha nam" in doc["extra"]
        and "ninh binh" in doc["extra"]
    )
    assert set(m.DERIVED_FIELDS) <= set(doc)


def test_to_document_never_dates_by_the_crawl_and_tolerates_gaps():
    art = Article(
        id="x", url="u", source="s", title="t", body="b", fetched_at="2024-05-06T07:08:09Z"
    ).to_dict()
    doc = to_document(art)
    assert doc["date"] is None and doc["year"] == "undated"
    assert "location" not in doc and doc["speakers_key"] == [] and doc["decree_keys"] == []
    art2 = dict(art, published="2020-02-03T10:00:00+07:00", date=None)
    assert to_document(art2)["date"] == "2020-02-03" and to_document(art2)["year"] == "2020"
    art3 = dict(art, province="Nowhere")
    assert "location" not in to_document(art3)


def test_bulk_actions_are_idempotent():
    arts = [sample_article(i).to_dict() for i in (1, 2, 3)]
    first = list(bulk_actions(arts, "pressnews-articles-v1"))
    second = list(bulk_actions(arts, "pressnews-articles-v1"))
    assert first == second
    assert [a["_id"] for a in first] == ["art1", "art2", "art3"]
    assert {a["_op_type"] for a in first} == {"index"}  # index = create or overwrite
    assert {a["_index"] for a in first} == {"pressnews-articles-v1"}


def test_score_scale():
    assert score_from_es(2 * TIER + TIER + 3.0) == pytest.approx(3 + 3 / 4)
    assert score_from_es(0.5) == pytest.approx(0.5 / 1.5)
    assert score_from_es(None) == 0.0


# -- sync against the stand-in ----------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    from indexer.store import Store

    with Store.open(tmp_path / "s.db") as s:
        for i in (1, 2, 3):
            s.upsert(sample_article(i))
        yield s


def test_first_sync_creates_index_and_pushes_everything(store, fake_es):
    es = connect(fake_es.url)
    rep = sync(store, es)
    assert isinstance(rep, SyncReport)
    assert (rep.sent, rep.accepted, rep.failed) == (3, 3, [])
    assert rep.index == "pressnews-articles-v1" and rep.created
    assert fake_es.aliases_of("pressnews-articles") == ["pressnews-articles-v1"]
    assert "pressnews-articles" in fake_es.templates
    assert fake_es.templates["pressnews-articles"]["index_patterns"] == ["pressnews-articles-v*"]
    assert set(fake_es.indices["pressnews-articles-v1"]["docs"]) == {"art1", "art2", "art3"}
    assert store.count_pending_sync() == 0 and rep.pending == 0
    # The 9.x client talked to an "8.x" server by asking for 8.x-compatible responses.
    bulk = [r for r in fake_es.requests if r[1].endswith("/_bulk")][0]
    assert "compatible-with=8" in bulk[2].get("Content-Type", "")


def test_only_pending_articles_are_pushed(store, fake_es):
    es = connect(fake_es.url)
    sync(store, es)
    again = sync(store, es)
    assert (again.sent, again.accepted) == (0, 0)
    store.upsert(sample_article(2, title="Một tiêu đề mới hoàn toàn khác về hội nghị báo chí"))
    third = sync(store, es)
    assert (third.sent, third.accepted, third.index) == (1, 1, "pressnews-articles-v1")
    assert fake_es.bulk_ids()[-1] == ["art2"]
    assert not third.created


def test_rejected_documents_stay_pending_and_are_retried(store, fake_es):
    es = connect(fake_es.url)
    fake_es.reject["art2"] = "failed to parse field [published]"
    rep = sync(store, es)
    assert rep.accepted == 2 and [aid for aid, _ in rep.failed] == ["art2"]
    assert "document_parsing_exception" in rep.failed[0][1] and "\n" not in rep.failed[0][1]
    assert store.count_pending_sync() == 1
    assert [aid for aid, _, _ in store.pending_sync()] == ["art2"]
    del fake_es.reject["art2"]
    rep2 = sync(store, es)
    assert (rep2.sent, rep2.accepted, rep2.failed) == (1, 1, [])
    assert store.count_pending_sync() == 0


def test_throttled_documents_are_retried_with_backoff(store, fake_es):
    es = connect(fake_es.url)
    fake_es.throttle_once.add("art1")
    rep = sync(store, es, max_retries=2, initial_backoff=0.01)
    assert (rep.accepted, rep.failed) == (3, [])
    assert fake_es.bulk_ids() == [["art1", "art2", "art3"], ["art1"]]  # only the 429 one again


def test_rebuild_swaps_the_alias_atomically_and_deletes_nothing(store, fake_es):
    es = connect(fake_es.url)
    sync(store, es)
    rep = sync(store, es, rebuild=True)
    assert rep.rebuilt and rep.index == "pressnews-articles-v2"
    assert (rep.sent, rep.accepted) == (3, 3)
    assert rep.previous == ["pressnews-articles-v1"] and rep.left == ["pressnews-articles-v1"]
    assert fake_es.aliases_of("pressnews-articles") == ["pressnews-articles-v2"]
    swaps = [json.loads(raw) for meth, path, _, raw in fake_es.requests if path == "/_aliases"]
    assert swaps == [
        {"actions": [
            {"remove": {"index": "pressnews-articles-v1", "alias": "pressnews-articles"}},
            {"add": {"index": "pressnews-articles-v2", "alias": "pressnews-articles"}},
        ]}
    ]  # fmt: skip
    # The new version was created outside the alias and filled before the swap.
    create = [
        json.loads(raw or b"{}")
        for meth, path, _, raw in fake_es.requests
        if meth == "PUT" and path == "/pressnews-articles-v2"
    ]
    assert create == [{}]
    assert "pressnews-articles-v1" in fake_es.indices  # nothing deleted
    assert store.count_pending_sync() == 0
    assert any("DELETE /pressnews-articles-v1" in w for w in rep.warnings)


def test_custom_prefix(store, fake_es):
    es = connect(fake_es.url)
    rep = sync(store, es, alias=m.alias_for("trial"))
    assert rep.index == "trial-articles-v1"
    assert fake_es.aliases_of("trial-articles") == ["trial-articles-v1"]


def test_sync_with_elasticsearch_down_leaves_the_store_untouched(store):
    from elasticsearch import Elasticsearch

    client = Elasticsearch(f"http://127.0.0.1:{closed_port()}", max_retries=0)
    with pytest.raises(ElasticUnavailable) as err:
        sync(store, client)
    assert "\n" not in str(err.value) and "cannot reach Elasticsearch" in str(err.value)
    assert store.count_pending_sync() == 3


# -- connecting -------------------------------------------------------------------------------------
def test_connect_to_closed_port_is_one_line():
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(ElasticUnavailable) as err:
        connect(url)
    msg = str(err.value)
    assert "\n" not in msg and "Traceback" not in msg and url in msg


@pytest.mark.parametrize("url", ["localhost:9200", "ftp://x", ""])
def test_connect_rejects_bad_urls(url):
    with pytest.raises(ElasticUnavailable) as err:
        connect(url or "not a url")
    assert "\n" not in str(err.value)


def test_the_cli_passes_the_environment_credentials(fake_es, tmp_path):
    """ES_URL and ES_API_KEY are read by the CLI (the edge) and reach the client."""
    from click.testing import CliRunner

    from indexer.store import Store
    from search_cli.main import cli

    db = tmp_path / "a.db"
    Store.open(db).close()
    env = {"ES_URL": fake_es.url, "ES_API_KEY": "c2VjcmV0"}
    CliRunner().invoke(cli, ["index", "--db", str(db)], env=env)
    assert fake_es.requests[0][2].get("Authorization") == "ApiKey c2VjcmV0"


def test_connect_to_a_9x_server_keeps_the_client_default():
    server = FakeElasticsearch(major=9)
    try:
        connect(server.url)
        assert "compatible-with=9" in server.requests[-1][2].get("Accept", "")
    finally:
        server.close()


def test_missing_ca_file_is_one_line():
    with pytest.raises(ElasticUnavailable) as err:
        connect("https://127.0.0.1:9200", ca_certs="/nonexistent/ca.crt")
    assert "CA certificate file not found" in str(err.value)


# -- Kibana saved objects ---------------------------------------------------------------------------
def test_ndjson_is_the_generated_objects():
    assert kb.NDJSON.read_text(encoding="utf-8") == kb.to_ndjson(kb.build_saved_objects())


def test_saved_objects_ids_and_references_resolve():
    objects = kb.load_saved_objects()
    assert kb.check_references(objects) == []
    by_type: dict[str, list[dict[str, Any]]] = {}
    for o in objects:
        by_type.setdefault(o["type"], []).append(o)
        assert o["id"].startswith("pressnews-")
        assert o.get("typeMigrationVersion") and o.get("coreMigrationVersion")
    dv = next(o for o in by_type["index-pattern"] if o["id"] == "pressnews-articles")
    docs_view = next(
        o
        for o in by_type["index-pattern"]
        if o["id"] != dv["id"] and "documents" in o["attributes"]["title"]
    )
    assert docs_view["attributes"]["title"] == "pressnews-documents"
    # every article has first_seen; `date` is missing for undated ones (counted by `year`)
    assert dv["attributes"]["timeFieldName"] == "first_seen"
    assert dv["attributes"]["title"] == "pressnews-articles"
    dash = next(o for o in by_type["dashboard"] if o["id"] == "pressnews-dashboard")
    panel_types = {r["type"] for r in dash["references"]}
    assert panel_types == {"lens", "map"}
    articles_lens = [o for o in by_type["lens"] if o["references"][0]["id"] == "pressnews-articles"]
    assert {r["id"] for r in dash["references"]} == {
        o["id"] for o in articles_lens + by_type["map"]
    }
    # Every field a chart or the map uses exists in the mapping, with an aggregatable type.
    props = m.mappings()["properties"]

    def field_type(path: str) -> str:
        node: dict[str, Any] = {"properties": props}
        for part in path.split("."):
            node = node["properties"][part]
        return node["type"]

    used = set()
    for lens in articles_lens:
        for layer in lens["attributes"]["state"]["datasourceStates"]["formBased"][
            "layers"
        ].values():
            for col in layer["columns"].values():
                if col.get("sourceField") and col["sourceField"] != "___records___":
                    used.add(col["sourceField"])
    assert {"date", "province", "speakers.name", "decrees", "relevant", "topics", "source"} <= used
    for f in used:
        assert field_type(f) in {"keyword", "date", "boolean"}, f
    (map_obj,) = by_type["map"]
    layers = json.loads(map_obj["attributes"]["layerListJSON"])
    geo = [
        ly["sourceDescriptor"]["geoField"] for ly in layers if "geoField" in ly["sourceDescriptor"]
    ]
    assert geo == ["location"] and field_type("location") == "geo_point"


def test_saved_objects_for_another_prefix():
    objects = kb.load_saved_objects(alias="trial-articles")
    titles = {o["id"]: o["attributes"]["title"] for o in objects if o["type"] == "index-pattern"}
    assert titles["pressnews-articles"] == "trial-articles"
    assert titles["pressnews-events"] == "trial-events"
    assert "trial-documents" in titles.values()


def test_kibana_import_request():
    server = FakeKibana()
    try:
        result = kb.import_saved_objects(
            server.url, space="team", username="elastic", password="pw"
        )
    finally:
        server.close()
    assert result["success"] is True and result["successCount"] == len(kb.load_saved_objects())
    path, headers, raw = server.requests[0]
    assert path == "/s/team/api/saved_objects/_import?overwrite=true"
    assert headers.get("kbn-xsrf") == "true"
    assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert headers["Authorization"].startswith("Basic ")
    assert b'name="file"; filename="pressnews.ndjson"' in raw
    assert "pressnews-dashboard" in kb.summarize(result)


def test_kibana_unreachable_is_one_line():
    with pytest.raises(ElasticUnavailable) as err:  # KibanaUnavailable is an ElasticUnavailable
        kb.import_saved_objects(f"http://127.0.0.1:{closed_port()}")
    msg = str(err.value)
    assert isinstance(err.value, kb.KibanaUnavailable)
    assert "\n" not in msg and msg.startswith("cannot reach Kibana")
