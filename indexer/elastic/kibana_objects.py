"""The pressnews Kibana saved objects: the dashboard and `kibana/pressnews.ndjson`.

`build_saved_objects()` lays the charts of `kibana_charts` out on one dashboard whose panels name
their saved object through `panelRefName`/`references`; `to_ndjson()` writes them as
`kibana/pressnews.ndjson` (run `python -m indexer.elastic.kibana` to rewrite it; a test checks
they agree); `load_saved_objects()` reads that file back and `check_references()` checks it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .documents import DATA_VIEW_ID as DOCUMENTS_DATA_VIEW_ID
from .documents import data_view as documents_data_view
from .documents import documents_index
from .kibana_charts import (
    DATA_VIEW_ID,
    _data_view,
    _date_column,
    _lens,
    _map,
    _meta,
    _pie,
    _terms_column,
    _xy,
)
from .kibana_events import (
    EVENTS_DASHBOARD_ID,
    EVENTS_DATA_VIEW_ID,
    EVENTS_MAP_ID,
    events_data_view,
    events_panels,
    spec_of,
    with_spec,
)
from .mapping import DEFAULT_ALIAS, events_alias_beside

NDJSON = Path(__file__).with_name("kibana") / "pressnews.ndjson"
DASHBOARD_ID = "pressnews-dashboard"


def _panels() -> list[tuple[dict[str, Any], tuple[int, int, int, int]]]:
    lens = [
        (
            _lens(
                "pressnews-lens-over-time", "Articles over time", "lnsXY", _date_column(),
                _xy("bar_stacked"), "Articles per period of their date.",
            ),
            (0, 0, 48, 12),
        ),
        (
            _lens(
                "pressnews-lens-provinces", "Articles by province", "lnsXY",
                _terms_column("province", "Province", 40), _xy("bar_horizontal"),
                "The province each article is about, as it was at the article's date.",
            ),
            (24, 12, 24, 24),
        ),
        (
            _lens(
                "pressnews-lens-speakers", "Top speakers", "lnsXY",
                _terms_column("speakers.name", "Speaker", 20), _xy("bar_horizontal"),
                "People who spoke, opened, concluded, presented or trained.",
            ),
            (0, 36, 24, 18),
        ),
        (
            _lens(
                "pressnews-lens-documents", "Top documents cited", "lnsXY",
                _terms_column("decrees", "Document", 20), _xy("bar_horizontal"),
                "Decrees, decisions and laws cited (canonical form).",
            ),
            (24, 36, 24, 18),
        ),
        (
            _lens(
                "pressnews-lens-relevance", "Relevant to spokesperson training", "lnsPie",
                _terms_column("relevant", "Relevant", 2, data_type="boolean"), _pie(),
                "Share of stored articles judged relevant (docs/interfaces.md `relevant`).",
            ),
            (0, 54, 16, 15),
        ),
        (
            _lens(
                "pressnews-lens-topics", "Topics", "lnsXY",
                _terms_column("topics", "Topic", 15), _xy("bar_horizontal"),
                "Topics found in the articles.",
            ),
            (16, 54, 16, 15),
        ),
        (
            _lens(
                "pressnews-lens-sources", "Sources", "lnsXY",
                _terms_column("source", "Source", 25), _xy("bar_horizontal"),
                "Articles per crawled site (source key).",
            ),
            (32, 54, 16, 15),
        ),
        (
            _lens(
                "pressnews-lens-years", "Articles by year (undated apart)", "lnsXY",
                _terms_column("year", "Year", 30), _xy("bar_horizontal"),
                "Year of each article's date; \"undated\" when the page gives no date.",
            ),
            (0, 69, 48, 12),
        ),
    ]  # fmt: skip
    return lens


ARTICLES_TITLE = "pressnews: spokesperson training news"
ARTICLES_DESCRIPTION = (
    "Articles crawled by pressnews: over time, by province (map and chart), "
    "speakers, documents cited, relevance, topics and sources."
)


def _dashboard(
    panel_objects: list[tuple[dict[str, Any], tuple[int, int, int, int]]],
    *,
    dash_id: str = DASHBOARD_ID,
    title: str = ARTICLES_TITLE,
    description: str = ARTICLES_DESCRIPTION,
) -> dict[str, Any]:
    panels = []
    references = []
    for n, (obj, (x, y, w, h)) in enumerate(panel_objects):
        index = f"p{n}"
        ref = f"panel_{index}"
        panels.append(
            {
                "version": "8.9.0",
                "type": obj["type"],
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": index},
                "panelIndex": index,
                "embeddableConfig": {"enhancements": {}},
                "panelRefName": ref,
            }
        )
        references.append({"type": obj["type"], "id": obj["id"], "name": ref})
    return {
        "type": "dashboard",
        "id": dash_id,
        "attributes": {
            "title": title,
            "description": description,
            "panelsJSON": json.dumps(panels, separators=(",", ":")),
            "optionsJSON": json.dumps(
                {
                    "useMargins": True,
                    "syncColors": False,
                    "syncCursor": True,
                    "syncTooltips": False,
                    "hidePanelTitles": False,
                },
                separators=(",", ":"),
            ),
            "timeRestore": True,
            "timeFrom": "now-15y",
            "timeTo": "now",
            "refreshInterval": {"pause": True, "value": 60000},
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": json.dumps(
                    {"query": {"query": "", "language": "kuery"}, "filter": []},
                    separators=(",", ":"),
                )
            },
        },
        "references": references,
        **_meta("dashboard"),
    }


EVENTS_TITLE = "pressnews: spokesperson trainings"
EVENTS_DESCRIPTION = (
    "Training events (one per training, however many articles report it): per month, "
    "attendance, map by province (works offline), trainers, documents taught, format."
)


def build_saved_objects(alias: str = DEFAULT_ALIAS) -> list[dict[str, Any]]:
    """Every saved object, referenced objects first: the articles' data view, charts, map and
    dashboard, then the events' (`kibana_events`)."""
    lens = _panels()
    map_obj = _map(alias)
    layout = [lens[0], (map_obj, (0, 12, 24, 24)), *lens[1:]]
    events_alias = events_alias_beside(alias)
    events = events_panels(events_alias)
    documents_view = {**documents_data_view(alias), **_meta("index-pattern")}
    return [
        _data_view(alias),
        *(o for o, _ in lens),
        map_obj,
        _dashboard(layout),
        events_data_view(events_alias),
        *(o for o, _ in events),
        _dashboard(
            events,
            dash_id=EVENTS_DASHBOARD_ID,
            title=EVENTS_TITLE,
            description=EVENTS_DESCRIPTION,
        ),
        documents_view,
    ]


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objects)


def load_saved_objects(alias: str | None = None, path: Path = NDJSON) -> list[dict[str, Any]]:
    """The shipped objects; with another alias (prefix), the data view points at it."""
    objects = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if alias and alias != DEFAULT_ALIAS:
        events_alias = events_alias_beside(alias)
        titles = {
            DATA_VIEW_ID: alias,
            EVENTS_DATA_VIEW_ID: events_alias,
            DOCUMENTS_DATA_VIEW_ID: documents_index(alias),
        }
        for o in objects:
            if o["type"] == "index-pattern" and o["id"] in titles:
                o["attributes"]["title"] = titles[o["id"]]
            elif o["type"] == "visualization" and o["id"] == EVENTS_MAP_ID:
                spec = spec_of(o)
                for data in spec["data"]:
                    if isinstance(data.get("url"), dict):
                        data["url"]["index"] = events_alias
                with_spec(o, spec)
    return objects


def check_references(objects: list[dict[str, Any]]) -> list[str]:
    """Problems with ids and references (empty when every reference resolves)."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for o in objects:
        key = (o["type"], o["id"])
        if key in seen:
            problems.append(f"duplicate object {key}")
        seen.add(key)
    for o in objects:
        names = [r["name"] for r in o.get("references", [])]
        if len(names) != len(set(names)):
            problems.append(f"{o['id']}: duplicate reference names")
        for r in o.get("references", []):
            if (r["type"], r["id"]) not in seen:
                problems.append(
                    f"{o['id']}: reference {r['name']} -> {r['type']}/{r['id']} missing"
                )
        attrs = o["attributes"]
        wanted: set[str] = set()
        if o["type"] == "dashboard":
            wanted = {p["panelRefName"] for p in json.loads(attrs["panelsJSON"])}
        elif o["type"] == "lens":
            layers = attrs["state"]["datasourceStates"]["formBased"]["layers"]
            wanted = {f"indexpattern-datasource-layer-{lid}" for lid in layers}
        elif o["type"] == "visualization":
            source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
            if source.get("indexRefName"):
                wanted.add(source["indexRefName"])
        elif o["type"] == "map":
            for layer in json.loads(attrs["layerListJSON"]):
                ref = (layer.get("sourceDescriptor") or {}).get("indexPatternRefName")
                if ref:
                    wanted.add(ref)
        missing = wanted - set(names)
        if missing:
            problems.append(f"{o['id']}: unresolved {sorted(missing)}")
    return problems


def main() -> None:  # pragma: no cover - maintenance helper
    NDJSON.parent.mkdir(parents=True, exist_ok=True)
    NDJSON.write_text(to_ndjson(build_saved_objects()), encoding="utf-8")
    print(f"wrote {NDJSON}")


if __name__ == "__main__":  # pragma: no cover
    main()
