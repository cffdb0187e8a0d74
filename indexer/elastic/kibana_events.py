"""The Kibana objects of the training events (`pressnews-events`): panels that count trainings.

A data view on the events alias, Lens charts (trainings per month, reported attendance per
month, trainings by province, top trainers, top documents taught, format) and a map of
trainings by province, on their own dashboard `pressnews-events-dashboard`.

The map works on a Kibana without internet access. Kibana's Maps app draws its basemap from
the Elastic Maps Service (EMS, on the internet), so the map is a Vega visualization instead:
Vega is bundled with Kibana and renders in the browser with no tile or boundary service. It
projects longitude/latitude itself (Mercator, framed on `vnlang.geography.MAP_FRAME`) and draws,
with no basemap:

* the province points of the gazetteer (grey dots; the outline of the country emerges from
  them),
* the islands of Quần đảo Hoàng Sa (Đà Nẵng) and Quần đảo Trường Sa (Khánh Hòa)
  (`vnlang.geography.ARCHIPELAGOS`, dark diamonds, labelled),
* one circle per province that had trainings, its area proportional to the number of trainings
  (an Elasticsearch `terms` aggregation on `province` with a `geo_centroid` of `location`, the
  province's map point), its number written inside; the tooltip adds the reported attendance.

The query runs with the dashboard's time range (`%timefield%: date`) and filters
(`%context%: true`), like the Lens panels.
"""

from __future__ import annotations

import json
from typing import Any

from vnlang.gazetteer import all_provinces
from vnlang.geography import ARCHIPELAGOS, MAP_FRAME

from .kibana_charts import (
    _count_column,
    _date_column,
    _lens,
    _meta,
    _pie,
    _sum_column,
    _terms_column,
    _xy,
)
from .mapping import DEFAULT_EVENTS_ALIAS

EVENTS_DATA_VIEW_ID = "pressnews-events"
EVENTS_DASHBOARD_ID = "pressnews-events-dashboard"
EVENTS_MAP_ID = "pressnews-vega-events-map"
SEARCH_INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"


def events_data_view(alias: str) -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": EVENTS_DATA_VIEW_ID,
        "attributes": {
            "title": alias,
            "name": "pressnews training events",
            # The event's first day, else its earliest report's date. An event no report dates
            # has none and is left out of time-filtered panels (`year` "undated" counts them).
            "timeFieldName": "date",
            "fieldFormatMap": "{}",
            "runtimeFieldMap": "{}",
            "sourceFilters": "[]",
            "allowNoIndex": True,
        },
        "references": [],
        **_meta("index-pattern"),
    }


def _trainings() -> dict[str, Any]:
    return _count_column("Trainings")


def events_lens() -> list[tuple[dict[str, Any], tuple[int, int, int, int]]]:
    """The Lens charts of the events dashboard and where they go (x, y, w, h)."""

    def lens(obj_id: str, title: str, vis: str, bucket: dict[str, Any], chart: dict[str, Any],
             description: str, metric: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
        return _lens(
            obj_id, title, vis, bucket, chart, description,
            data_view=EVENTS_DATA_VIEW_ID, metric=metric or _trainings(),
        )  # fmt: skip

    return [
        (
            lens(
                "pressnews-lens-events-per-month", "Trainings per month", "lnsXY",
                _date_column("M", "Month"), _xy("bar_stacked"),
                "Training events (one per training, however many articles report it), by the "
                "month of their first day.",
            ),
            (0, 0, 24, 14),
        ),
        (
            lens(
                "pressnews-lens-events-attendance", "People attending per month (reported)",
                "lnsXY", _date_column("M", "Month"), _xy("bar_stacked"),
                "Sum of the attendance the reports give (attendance.value; \"hơn 200\" counts "
                "200). Trainings whose reports give no number add nothing.",
                metric=_sum_column("attendance.value", "People attending"),
            ),
            (24, 0, 24, 14),
        ),
        (
            lens(
                "pressnews-lens-events-provinces", "Trainings by province", "lnsXY",
                _terms_column("province", "Province", 40), _xy("bar_horizontal"),
                "The province of each training, as it was at the training's date.",
            ),
            (24, 14, 24, 26),
        ),
        (
            lens(
                "pressnews-lens-events-trainers", "Top trainers", "lnsXY",
                _terms_column("trainers.name", "Trainer", 20), _xy("bar_horizontal"),
                "People who trained, opened, chaired or presented: trainings each took part in.",
            ),
            (0, 40, 24, 18),
        ),
        (
            lens(
                "pressnews-lens-events-documents", "Top documents taught", "lnsXY",
                _terms_column("decrees", "Document", 20), _xy("bar_horizontal"),
                "Decrees, decisions and laws the trainings' reports cite (canonical form): "
                "trainings per document.",
            ),
            (24, 40, 24, 18),
        ),
        (
            lens(
                "pressnews-lens-events-format", "Format", "lnsPie",
                _terms_column("format", "Format", 3), _pie(),
                "in_person, online or hybrid (a main hall and connection points).",
            ),
            (0, 58, 16, 14),
        ),
        (
            lens(
                "pressnews-lens-events-years", "Trainings by year (undated apart)", "lnsXY",
                _terms_column("year", "Year", 30), _xy("bar_horizontal"),
                "Year of each training; \"undated\" when no report dates it (those are not in "
                "the time-filtered panels).",
            ),
            (16, 58, 32, 14),
        ),
    ]  # fmt: skip


# -- the map (Vega) ---------------------------------------------------------------------------------
LEGEND = "Circle area: trainings in the province · grey dots: provinces · ◆: archipelagos"


def vega_spec(alias: str) -> dict[str, Any]:
    """The Vega specification of the trainings map (see the module docstring)."""
    min_lon, max_lon, min_lat, max_lat = MAP_FRAME
    provinces = sorted(
        (
            {"name": p.name, "lat": p.lat, "lon": p.lon}
            for p in all_provinces()
            if p.gso_code  # the 63 provinces before the 2025 merger: the country's shape
        ),
        key=lambda r: r["name"],
    )
    islands = [
        {"archipelago": f"{a.name} ({a.province})", "lat": lat, "lon": lon}
        for a in ARCHIPELAGOS
        for lat, lon in a.islands
    ]
    # Each name above its islands (clear of them): their mean longitude, a little north.
    labels = [
        {
            "label": f"{a.name} ({a.province})",
            "lat": round(max(lat for lat, _ in a.islands) + 0.25, 2),
            "lon": round(sum(lon for _, lon in a.islands) / len(a.islands), 2),
        }
        for a in ARCHIPELAGOS
    ]
    geopoint = {"type": "geopoint", "projection": "projection", "fields": ["lon", "lat"]}
    return {
        "$schema": "https://vega.github.io/schema/vega/v5.json",
        "description": "Trainings by province, with the province points and the Hoàng Sa and "
        "Trường Sa archipelagos; no basemap, no internet needed.",
        "padding": 5,
        "data": [
            {
                "name": "trainings",
                "url": {
                    "index": alias,
                    "%context%": True,
                    "%timefield%": "date",
                    "body": {
                        "size": 0,
                        "aggs": {
                            "provinces": {
                                "terms": {"field": "province", "size": 200},
                                "aggs": {
                                    "point": {"geo_centroid": {"field": "location"}},
                                    "people": {"sum": {"field": "attendance.value"}},
                                },
                            }
                        },
                    },
                },
                "format": {"property": "aggregations.provinces.buckets"},
                "transform": [
                    {"type": "filter", "expr": "datum.point && datum.point.location"},
                    {
                        "type": "geopoint",
                        "projection": "projection",
                        "fields": ["point.location.lon", "point.location.lat"],
                    },
                ],
            },
            {"name": "provinces", "values": provinces, "transform": [geopoint]},
            {"name": "islands", "values": islands, "transform": [geopoint]},
            {"name": "archipelagos", "values": labels, "transform": [geopoint]},
        ],
        "projections": [
            {
                "name": "projection",
                "type": "mercator",
                "size": {"signal": "[width, height]"},
                "fit": {
                    "type": "Feature",
                    "geometry": {
                        "type": "MultiPoint",
                        "coordinates": [[min_lon, min_lat], [max_lon, max_lat]],
                    },
                },
            }
        ],
        "scales": [
            {
                "name": "area",
                "type": "sqrt",
                "zero": True,
                "domain": {"data": "trainings", "field": "doc_count"},
                "range": [0, 1800],
            }
        ],
        "marks": [
            {
                "type": "symbol",
                "from": {"data": "provinces"},
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "size": {"value": 14},
                        "fill": {"value": "#9aa5b1"},
                        "tooltip": {"field": "name"},
                    }
                },
            },
            {
                "type": "symbol",
                "from": {"data": "islands"},
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "shape": {"value": "diamond"},
                        "size": {"value": 22},
                        "fill": {"value": "#2c3e50"},
                        "tooltip": {"field": "archipelago"},
                    }
                },
            },
            {
                "type": "text",
                "from": {"data": "archipelagos"},
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "align": {"value": "center"},
                        "baseline": {"value": "bottom"},
                        "fontSize": {"value": 10},
                        "fill": {"value": "#2c3e50"},
                        "text": {"field": "label"},
                    }
                },
            },
            {
                "name": "circles",
                "type": "symbol",
                "from": {"data": "trainings"},
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "size": {"scale": "area", "field": "doc_count"},
                        "fill": {"value": "#d6604d"},
                        "fillOpacity": {"value": 0.7},
                        "stroke": {"value": "#7f2704"},
                        "strokeWidth": {"value": 1},
                        "tooltip": {
                            "signal": "{title: datum.key, 'Trainings': datum.doc_count, "
                            "'People attending (reported)': datum.people.value}"
                        },
                    }
                },
            },
            {
                "type": "text",
                "from": {"data": "trainings"},
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "align": {"value": "center"},
                        "baseline": {"value": "middle"},
                        "fontSize": {"value": 10},
                        "fontWeight": {"value": "bold"},
                        "fill": {"value": "#1a1a1a"},
                        "text": {"field": "doc_count"},
                    }
                },
            },
            {
                "type": "text",
                "encode": {
                    "update": {
                        "x": {"value": 0},
                        "y": {"signal": "height"},
                        "baseline": {"value": "bottom"},
                        "fontSize": {"value": 10},
                        "fill": {"value": "#595959"},
                        "text": {"value": LEGEND},
                    }
                },
            },
        ],
    }


def vega_map(alias: str) -> dict[str, Any]:
    """The map as a Kibana `visualization` of type vega (the spec is a JSON string)."""
    title = "Trainings by province (map, works offline)"
    spec = json.dumps(vega_spec(alias), ensure_ascii=False, indent=1)
    vis_state = {"title": title, "type": "vega", "aggs": [], "params": {"spec": spec}}
    search_source = {
        "query": {"query": "", "language": "kuery"},
        "filter": [],
        "indexRefName": SEARCH_INDEX_REF,
    }
    return {
        "type": "visualization",
        "id": EVENTS_MAP_ID,
        "attributes": {
            "title": title,
            "description": "Circle area: trainings in the province (as it was at the training's "
            "date); grey dots: province points; diamonds: the Hoàng Sa and Trường Sa "
            "archipelagos. Drawn by Vega with no basemap, so it needs no Elastic Maps Service.",
            "visState": json.dumps(vis_state, ensure_ascii=False, separators=(",", ":")),
            "uiStateJSON": "{}",
            "version": 1,
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": json.dumps(search_source, separators=(",", ":"))
            },
        },
        "references": [
            {"type": "index-pattern", "id": EVENTS_DATA_VIEW_ID, "name": SEARCH_INDEX_REF}
        ],
        **_meta("visualization"),
    }


def spec_of(visualization: dict[str, Any]) -> dict[str, Any]:
    """The Vega spec inside a saved visualization (for checks and for another prefix)."""
    state = json.loads(visualization["attributes"]["visState"])
    return json.loads(state["params"]["spec"])


def with_spec(visualization: dict[str, Any], spec: dict[str, Any]) -> None:
    """Put a (changed) spec back into a saved visualization, in place."""
    state = json.loads(visualization["attributes"]["visState"])
    state["params"]["spec"] = json.dumps(spec, ensure_ascii=False, indent=1)
    visualization["attributes"]["visState"] = json.dumps(
        state, ensure_ascii=False, separators=(",", ":")
    )


def events_panels(
    alias: str = DEFAULT_EVENTS_ALIAS,
) -> list[tuple[dict[str, Any], tuple[int, int, int, int]]]:
    """Every chart of the events dashboard with its place: the map first, left of the provinces."""
    lens = events_lens()
    return [*lens[:2], (vega_map(alias), (0, 14, 24, 26)), *lens[2:]]
