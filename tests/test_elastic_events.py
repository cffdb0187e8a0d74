"""The training events in Elasticsearch and Kibana, checked without Elasticsearch or Kibana.

Events are computed for real (`recompute_events` on a small SQLite store) and synced to the
loopback stand-in `FakeElasticsearch` of tests/test_elastic_offline.py (third-party API shapes,
not pressnews code): the template and mapping, the documents sent, the checkpoint (only changed
events sent, only accepted ones marked), deletions of merged or dropped events, `--rebuild`,
`pressnews index` reporting both indices, and every reference in the Kibana saved objects
(data view ids and titles, fields in the events mapping, panel references, the Vega map's index
and fields). Live runs (ES_URL set) are in tests/test_search_contract.py's style below.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import make_article
from test_elastic_offline import FakeElasticsearch

from crawler.events.recompute import recompute_events
from indexer import events as ev_store
from indexer import schema
from indexer.elastic import kibana as kb
from indexer.elastic import kibana_events as ke
from indexer.elastic import mapping as m
from indexer.elastic.client import connect
from indexer.elastic.events_sync import (
    EVENT_DERIVED_FIELDS,
    EVENT_KEYS,
    event_document,
    sync_events,
)
from indexer.model import Speaker
from indexer.store import Store
from search_cli.main import cli
from vnlang.gazetteer import lookup
from vnlang.geography import ARCHIPELAGOS

HOA = Speaker("Trần Xuân Hòa", "Phó Cục trưởng Cục Báo chí, Bộ Thông tin và Truyền thông")
HUNG = Speaker("Ngô Quang Hùng", "Giám đốc Sở Thông tin và Truyền thông")
BODY = "Sáng {d}, Sở Thông tin và Truyền thông tổ chức hội nghị tập huấn kỹ năng phát ngôn."


def training(aid: str, day: str, body: str, speakers: list[Speaker], **kw: Any) -> Any:
    fields: dict[str, Any] = dict(
        title=kw.pop("title", f"Tập huấn kỹ năng phát ngôn {aid}"),
        body=body,
        published=kw.pop("published", day),
        event_date=day,
        date=kw.pop("date", day),
        province="Nghệ An",
        province_now="Nghệ An",
        relevant=True,
        speakers=speakers,
        topics=["phát ngôn"],
        decrees=["09/2017/NĐ-CP"],
    )
    fields.update(kw)
    return make_article(aid, url=f"https://nghean.gov.vn/{aid}", **fields)


@pytest.fixture
def store(tmp_path: Path):
    s = Store.open(tmp_path / "p.db")
    s.upsert(training("a1", "2024-03-21", BODY.format(d="21/3") + " Hơn 200 học viên dự.", [HOA]))  # fmt: skip
    s.upsert(training("b1", "2024-03-22", BODY.format(d="22/3"), [HUNG], title="Lớp học"))
    s.upsert(
        training(
            "h1", "2023-07-11", "Sáng 11/7, tỉnh tổ chức tập huấn trực tuyến cho 80 cán bộ.",
            [HUNG], province="Hà Nam", province_now="Ninh Bình", decrees=[],
        )
    )  # fmt: skip
    recompute_events(s)
    yield s
    s.close()


@pytest.fixture
def fake_es():
    server = FakeElasticsearch()
    yield server
    server.close()


def events_by_first_report(store: Store) -> dict[str, Any]:
    return {e.reports[0].id: e for e in ev_store.iter_events(store)}


# -- mapping and documents ----------------------------------------------------------------------
def test_events_names_template_and_mapping():
    assert m.DEFAULT_EVENTS_ALIAS == "pressnews-events"
    assert m.events_alias_for("trial") == "trial-events"
    assert m.events_alias_beside("trial-articles") == "trial-events"
    names = m.IndexNames(m.DEFAULT_EVENTS_ALIAS)
    t = m.events_index_template(names)
    assert t["index_patterns"] == ["pressnews-events-v*"]  # never matches pressnews-articles-v*
    assert "aliases" not in t["template"]  # a rebuild's version stays out until full
    assert t["template"]["settings"]["analysis"] == m.analysis()
    props = t["template"]["mappings"]["properties"]
    assert t["template"]["mappings"]["dynamic"] is False
    assert props["location"] == {"type": "geo_point"}
    assert props["attendance"]["properties"] == {
        "value": {"type": "integer"},
        "qualifier": {"type": "keyword"},
    }
    for f in ("date", "start", "end"):
        assert props[f]["type"] == "date"
    assert props["trainers"]["properties"]["name"]["type"] == "keyword"
    assert props["decrees"]["type"] == props["province"]["type"] == "keyword"
    assert props["format"] == {"type": "keyword"}
    # Every key of the document is mapped (dynamic: false would silently drop the others).
    assert set(EVENT_KEYS) | set(EVENT_DERIVED_FIELDS) == set(props)


def test_event_documents_from_real_events(store: Store):
    evs = events_by_first_report(store)
    assert set(evs) == {"a1", "b1", "h1"}
    doc = event_document(evs["a1"].to_dict())
    assert doc["id"] == evs["a1"].id and doc["date"] == "2024-03-21" and doc["year"] == "2024"
    assert doc["attendance"] == {"value": 200, "qualifier": "hơn"}
    assert doc["province"] == "Nghệ An"
    p = lookup("Nghệ An")
    assert p is not None and doc["location"] == {"lat": p.lat, "lon": p.lon}
    assert [t["name"] for t in doc["trainers"]] == ["Trần Xuân Hòa"]
    assert doc["trainers"][0]["trainer_id"].startswith("tr-")  # the registry's id
    assert doc["decrees"] == ["09/2017/NĐ-CP"] and doc["decree_keys"] == ["9/2017/nd-cp"]
    assert doc["report_count"] == 1 and doc["reports"][0]["id"] == "a1"
    assert doc["trainer_count"] == 1
    # the province at the training's date (Hà Nam, merged into Ninh Bình in 2025) gives the point
    h = event_document(evs["h1"].to_dict())
    assert h["province"] == "Hà Nam" and h["province_now"] == "Ninh Bình"
    hp = lookup("Hà Nam")
    assert hp is not None and h["location"] == {"lat": hp.lat, "lon": hp.lon}
    assert h["format"] == "online" and h["attendance"] == {"value": 80, "qualifier": ""}
    json.dumps(doc)  # plain JSON


def test_event_document_without_province_date_or_attendance():
    doc = event_document(
        {"id": "ev-x", "title": "t", "start": None, "end": None, "province": None,
         "province_now": None, "reports": [], "trainers": [], "attendance": None}
    )  # fmt: skip
    assert "location" not in doc and doc["date"] is None and doc["year"] == "undated"
    assert doc["attendance"] is None and doc["report_count"] == 0
    dated = event_document(
        {"id": "ev-y", "title": "t", "start": None, "province": "Atlantis",
         "reports": [{"id": "r", "url": "u", "source": "s", "title": "t", "date": "2022-05-06"}]}
    )  # fmt: skip
    assert dated["date"] == "2022-05-06" and "location" not in dated


# -- the checkpoint in the store ----------------------------------------------------------------
def test_migration_adds_the_checkpoint(tmp_path: Path):
    with Store.open(tmp_path / "m.db") as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        cols = {r[1] for r in s.conn.execute("PRAGMA table_info(events)")}
        assert {"seq", "es_seq", "data_hash"} <= cols
        s.conn.execute("SELECT id, seq FROM event_deletions").fetchall()


def test_migration_queues_existing_events(store: Store):
    """A store whose events were computed before the migration sends them all next sync."""
    (number,) = [
        n
        for n, step in enumerate(schema.MIGRATIONS)
        if getattr(step, "__name__", "") == "_events_sync_checkpoint"
    ]
    path = store.path
    with store.transaction():  # back to the schema before the migration
        store.conn.execute("DROP INDEX events_pending")
        for col in ("seq", "es_seq", "data_hash"):
            store.conn.execute(f"ALTER TABLE events DROP COLUMN {col}")
        store.conn.execute("DROP TABLE event_deletions")
        store.conn.execute("DELETE FROM meta WHERE key = 'events_change_seq'")
    store.conn.execute(f"PRAGMA user_version = {number}")
    store.close()
    with Store.open(path) as again:
        pending = ev_store.pending_event_sync(again)
        assert len(pending) == 3 and len({seq for _, seq, _ in pending}) == 3
        ev_store.mark_events_synced(again, [(i, s) for i, s, _ in pending])
        recompute_events(again, full=True)  # hashes were stamped by the migration: no resend
        assert ev_store.count_pending_event_sync(again) == 0


def test_recompute_bumps_seq_only_for_changed_events(store: Store):
    before = {eid: seq for eid, seq, _ in ev_store.pending_event_sync(store)}
    assert len(before) == 3 and all(seq > 0 for seq in before.values())
    ev_store.mark_events_synced(store, list(before.items()))
    assert ev_store.count_pending_event_sync(store) == 0
    recompute_events(store, full=True)  # same articles: same events, nothing to send
    assert ev_store.count_pending_event_sync(store) == 0
    # a new report of the Hà Nam training changes that event only
    store.upsert(
        training(
            "h2", "2023-07-11", "Ngày 11/7, 80 cán bộ dự tập huấn trực tuyến về phát ngôn.",
            [HUNG], province="Hà Nam", province_now="Ninh Bình", decrees=[],
            published="2023-07-12",
        )
    )  # fmt: skip
    recompute_events(store)
    pending = ev_store.pending_event_sync(store)
    assert [e.reports[0].id for _, _, e in pending] == ["h1"]
    assert [r.id for r in pending[0][2].reports] == ["h1", "h2"]


# -- the sync against the stand-in --------------------------------------------------------------
def test_first_sync_creates_the_events_index(store: Store, fake_es: FakeElasticsearch):
    es = connect(fake_es.url)
    rep = sync_events(store, es)
    assert (rep.sent, rep.accepted, rep.failed, rep.to_delete) == (3, 3, [], 0)
    assert rep.index == "pressnews-events-v1" and rep.created
    assert fake_es.aliases_of("pressnews-events") == ["pressnews-events-v1"]
    assert fake_es.templates["pressnews-events"]["index_patterns"] == ["pressnews-events-v*"]
    sent = fake_es.indices["pressnews-events-v1"]["docs"]
    assert set(sent) == {e.id for e in ev_store.iter_events(store)}
    # exactly the documents `event_document` builds, as JSON
    for e in ev_store.iter_events(store):
        assert sent[e.id] == json.loads(json.dumps(event_document(e.to_dict())))
    assert rep.pending == 0
    assert rep.lines()[0] == (
        "3 of 3 training event(s) accepted into pressnews-events-v1 (alias pressnews-events)."
    )
    again = sync_events(store, es)
    assert (again.sent, again.accepted, again.to_delete) == (0, 0, 0)


def test_merged_event_is_deleted_from_the_index(store: Store, fake_es: FakeElasticsearch):
    es = connect(fake_es.url)
    sync_events(store, es)
    first = {k: e.id for k, e in events_by_first_report(store).items()}
    body = "Trong 2 ngày 21 và 22/3, Sở Thông tin và Truyền thông tổ chức tập huấn."
    store.upsert(training("c1", "2024-03-21", body, [HOA, HUNG], published="2024-03-23"))
    recompute_events(store)  # a1's and b1's events merge: b1's id becomes an alias
    merged = events_by_first_report(store)["a1"]
    assert merged.id == first["a1"] and merged.aliases == [first["b1"]]
    assert ev_store.pending_event_deletions(store) == [
        (first["b1"], ev_store.pending_event_deletions(store)[0][1])
    ]
    rep = sync_events(store, es)
    assert (rep.sent, rep.accepted) == (1, 1)  # the survivor, with its new report and alias
    assert (rep.to_delete, rep.deleted, rep.delete_failed) == (1, 1, [])
    docs = fake_es.indices["pressnews-events-v1"]["docs"]
    assert set(docs) == {first["a1"], first["h1"]}
    assert docs[first["a1"]]["aliases"] == [first["b1"]]
    assert ev_store.pending_event_deletions(store) == [] and rep.pending == 0
    deletes = [
        json.loads(raw.decode().splitlines()[0])
        for meth, path, _, raw in fake_es.requests
        if path.endswith("/_bulk") and b'"delete"' in raw
    ]
    assert deletes == [{"delete": {"_index": "pressnews-events-v1", "_id": first["b1"]}}]
    assert any("left the store deleted" in line for line in rep.lines())


def test_dropped_event_is_deleted_even_if_never_indexed(store: Store, fake_es: FakeElasticsearch):
    es = connect(fake_es.url)
    h1 = events_by_first_report(store)["h1"].id
    store.upsert(
        training(
            "h1", "2023-07-11", "Sáng 11/7, tỉnh tổ chức tập huấn trực tuyến cho 80 cán bộ.",
            [HUNG], province="Hà Nam", province_now="Ninh Bình", decrees=[], relevant=False,
        )
    )  # fmt: skip
    recompute_events(store)
    assert h1 not in {e.id for e in ev_store.iter_events(store)}
    rep = sync_events(store, es)
    # Elasticsearch never had it: the delete answers 404, which counts as done.
    assert (rep.sent, rep.to_delete, rep.deleted, rep.delete_failed) == (2, 1, 1, [])
    assert ev_store.count_pending_event_sync(store) == 0


def test_rejected_event_stays_pending(store: Store, fake_es: FakeElasticsearch):
    es = connect(fake_es.url)
    a1 = events_by_first_report(store)["a1"].id
    fake_es.reject[a1] = "failed to parse field [attendance.value]"
    rep = sync_events(store, es)
    assert rep.accepted == 2 and [i for i, _ in rep.failed] == [a1]
    assert [eid for eid, _, _ in ev_store.pending_event_sync(store)] == [a1]
    del fake_es.reject[a1]
    assert sync_events(store, es).accepted == 1
    assert ev_store.count_pending_event_sync(store) == 0


def test_events_rebuild_swaps_the_alias_and_forgets_deletions(
    store: Store, fake_es: FakeElasticsearch
):
    es = connect(fake_es.url)
    sync_events(store, es)
    with store.transaction():
        store.conn.execute("INSERT INTO event_deletions(id, seq) VALUES ('ev-gone', 1)")
    rep = sync_events(store, es, rebuild=True)
    assert rep.rebuilt and rep.index == "pressnews-events-v2" and (rep.sent, rep.accepted) == (3, 3)
    assert fake_es.aliases_of("pressnews-events") == ["pressnews-events-v2"]
    assert rep.left == ["pressnews-events-v1"]  # nothing deleted
    assert ev_store.pending_event_deletions(store) == [] and rep.pending == 0


def test_pressnews_index_syncs_articles_then_events(store: Store, fake_es: FakeElasticsearch):
    db = Path(store.path)
    store.close()
    result = CliRunner().invoke(cli, ["index", "--db", str(db), "--es", fake_es.url])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("3 of 3 article(s) accepted into pressnews-articles-v1")
    assert any(
        ln.startswith("3 of 3 training event(s) accepted into pressnews-events-v1") for ln in lines
    )
    result = CliRunner().invoke(cli, ["index", "--db", str(db), "--es", fake_es.url, "--rebuild"])
    assert result.exit_code == 0, result.output
    assert "pressnews-articles-v2" in result.output and "pressnews-events-v2" in result.output
    env = {"PRESSNEWS_ES_PREFIX": "trial"}
    result = CliRunner().invoke(cli, ["index", "--db", str(db), "--es", fake_es.url], env=env)
    assert result.exit_code == 0, result.output
    assert fake_es.aliases_of("trial-events") == ["trial-events-v1"]


# -- Kibana saved objects ----------------------------------------------------------------------
def _field(props: dict[str, Any], path: str) -> dict[str, Any]:
    node: dict[str, Any] = {"properties": props}
    for part in path.split("."):
        node = node["properties"][part]
    return node


def test_events_saved_objects_references_and_fields():
    objects = kb.load_saved_objects()
    assert kb.check_references(objects) == []
    by_id = {o["id"]: o for o in objects}
    dv = by_id["pressnews-events"]
    assert dv["type"] == "index-pattern" and dv["attributes"]["title"] == "pressnews-events"
    assert dv["attributes"]["timeFieldName"] == "date"
    props = m.event_mappings()["properties"]
    assert _field(props, "date")["type"] == "date"
    dash = by_id["pressnews-events-dashboard"]
    panels = json.loads(dash["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in dash["references"]}
    assert {p["panelRefName"] for p in panels} == set(refs)
    members = [by_id[r["id"]] for r in refs.values()]
    assert {o["type"] for o in members} == {"lens", "visualization"}
    used: dict[str, str] = {}
    for lens in (o for o in members if o["type"] == "lens"):
        # every chart of this dashboard counts events, not articles
        assert [r["id"] for r in lens["references"]] == ["pressnews-events"]
        layers = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
        for layer in layers.values():
            for col in layer["columns"].values():
                if col.get("sourceField") and col["sourceField"] != "___records___":
                    used[col["sourceField"]] = col["operationType"]
    assert {"date", "attendance.value", "trainers.name", "decrees", "province"} <= set(used)
    for f, op in used.items():
        kind = _field(props, f)["type"]
        assert kind in ({"integer"} if op == "sum" else {"keyword", "date"}), (f, kind)
    titles = {o["attributes"]["title"] for o in members}
    assert {"Trainings per month", "Top trainers", "Top documents taught"} <= titles
    # Panels do not overlap on the 48-column grid.
    cells = set()
    for p in panels:
        g = p["gridData"]
        assert g["x"] + g["w"] <= 48
        box = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}  # fmt: skip
        assert not cells & box, p["panelIndex"]
        cells |= box


def test_events_map_is_offline_and_its_query_uses_mapped_fields():
    objects = kb.load_saved_objects()
    vis = next(o for o in objects if o["id"] == ke.EVENTS_MAP_ID)
    state = json.loads(vis["attributes"]["visState"])
    assert state["type"] == "vega"
    spec = ke.spec_of(vis)
    text = json.dumps(spec)
    # no basemap, no tile or map service, nothing fetched from the internet
    assert "kibana" not in spec.get("config", {}) and "http" not in text.replace(
        spec["$schema"], ""
    )
    (es_data,) = [d for d in spec["data"] if isinstance(d.get("url"), dict)]
    url = es_data["url"]
    dv = next(o for o in objects if o["id"] == "pressnews-events")
    assert url["index"] == dv["attributes"]["title"]  # the data view the panel references
    assert vis["references"] == [
        {"type": "index-pattern", "id": "pressnews-events", "name": ke.SEARCH_INDEX_REF}
    ]
    props = m.event_mappings()["properties"]
    assert _field(props, url["%timefield%"])["type"] == "date"
    agg = url["body"]["aggs"]["provinces"]
    assert _field(props, agg["terms"]["field"])["type"] == "keyword"
    assert _field(props, agg["aggs"]["point"]["geo_centroid"]["field"])["type"] == "geo_point"
    assert _field(props, agg["aggs"]["people"]["sum"]["field"])["type"] == "integer"
    # the two archipelagos, with every island of vnlang.geography
    data = {d["name"]: d for d in spec["data"]}
    labels = {v["label"] for v in data["archipelagos"]["values"]}
    assert labels == {"Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)"}
    assert len(data["islands"]["values"]) == sum(len(a.islands) for a in ARCHIPELAGOS)
    lats = [v["lat"] for v in data["islands"]["values"]]
    assert min(lats) < 9 and max(lats) > 16.5  # Trường Sa's south, Hoàng Sa's north
    assert len(data["provinces"]["values"]) == 63
    # every data set a mark draws exists, every scale a mark uses exists
    names = set(data)
    scales = {s["name"] for s in spec["scales"]}
    for mark in spec["marks"]:
        if "from" in mark:
            assert mark["from"]["data"] in names
        size = mark["encode"]["update"].get("size", {})
        if "scale" in size:
            assert size["scale"] in scales


def test_events_map_for_another_prefix():
    objects = kb.load_saved_objects(alias="trial-articles")
    vis = next(o for o in objects if o["id"] == ke.EVENTS_MAP_ID)
    (es_data,) = [d for d in ke.spec_of(vis)["data"] if isinstance(d.get("url"), dict)]
    assert es_data["url"]["index"] == "trial-events"
    assert kb.check_references(objects) == []


# -- live (ES_URL) ------------------------------------------------------------------------------
@pytest.mark.skipif(not os.environ.get("ES_URL"), reason="ES_URL not set: no live Elasticsearch")
def test_live_events_sync_and_aggregations(store: Store):
    es = connect(os.environ["ES_URL"])
    alias = m.events_alias_for(f"pressnews-test-{os.getpid()}")
    try:
        rep = sync_events(store, es, alias=alias)
        assert rep.accepted == 3 and rep.failed == []
        es.indices.refresh(index=alias)
        spec = ke.vega_spec(alias)
        (es_data,) = [d for d in spec["data"] if isinstance(d.get("url"), dict)]
        body = es_data["url"]["body"]
        res = es.search(index=alias, size=0, aggs=body["aggs"])
        buckets = {b["key"]: b for b in res["aggregations"]["provinces"]["buckets"]}
        assert buckets["Nghệ An"]["doc_count"] == 2
        assert buckets["Nghệ An"]["point"]["location"]["lat"] == pytest.approx(
            lookup("Nghệ An").lat,  # type: ignore[union-attr]
            abs=1e-4,
        )
        assert buckets["Hà Nam"]["people"]["value"] == 80
    finally:
        es.indices.delete(index=f"{alias}-v*", allow_no_indices=True)
        es.indices.delete_index_template(name=alias)


# -- a crawl with --es syncs both -----------------------------------------------------------------
def test_crawl_with_es_syncs_articles_and_events(site_server, tmp_path: Path):
    from conftest import FAST, run_cli, write_sources

    fake = FakeElasticsearch()
    try:
        sources = write_sources(site_server, tmp_path / "s.toml", ["sitemaponly"])
        db = tmp_path / "d.db"
        result = run_cli(
            "crawl", "--db", str(db), "--sources", str(sources), "-q", "--es", fake.url, *FAST
        )
        assert result.returncode == 0, result.stderr[-2000:]
        with Store.open_readonly(db) as s:
            n_events = ev_store.count_events(s)
        assert n_events > 0
        assert f"Elasticsearch: {n_events} training event(s) synced, 0 deleted, 0 failed." in (
            result.stdout
        )
        assert len(fake.indices["pressnews-events-v1"]["docs"]) == n_events
        assert fake.indices["pressnews-articles-v1"]["docs"]
    finally:
        fake.close()
