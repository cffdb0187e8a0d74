"""The data view and the charts of the pressnews dashboard: Lens visualizations and the map.

Formats follow what Kibana itself exports: Lens by-reference objects with a `formBased`
datasource (Lens migration 8.6.0 renamed `indexpattern` to `formBased`), and a map with an
`ES_GEO_GRID` clusters layer whose data view is referenced as `layer_N_source_index_pattern`.
`typeMigrationVersion` (see `_meta`) says which format each object is in, so Kibana migrates
them forward on import (8.9+ and 9.x). `kibana_objects` puts them on the dashboard.
"""

from __future__ import annotations

import json
from typing import Any

DATA_VIEW_ID = "pressnews-articles"
CORE_MIGRATION_VERSION = "8.8.0"
TYPE_VERSIONS = {
    "index-pattern": "8.0.0",
    "lens": "8.9.0",
    "map": "8.4.0",
    "dashboard": "8.9.0",
    "visualization": "8.0.0",
}


def _meta(obj_type: str) -> dict[str, Any]:
    return {
        "coreMigrationVersion": CORE_MIGRATION_VERSION,
        "typeMigrationVersion": TYPE_VERSIONS[obj_type],
        "managed": False,
    }


def _data_view(alias: str) -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": DATA_VIEW_ID,
        "attributes": {
            "title": alias,
            "name": "pressnews articles",
            "timeFieldName": "first_seen",  # every article has one; `date` may be missing
            "fieldFormatMap": "{}",
            "runtimeFieldMap": "{}",
            "sourceFilters": "[]",
            "allowNoIndex": True,
        },
        "references": [],
        **_meta("index-pattern"),
    }


def _count_column(label: str = "Articles") -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": "number",
        "operationType": "count",
        "isBucketed": False,
        "scale": "ratio",
        "sourceField": "___records___",
        "params": {"emptyAsNull": True},
    }


def _terms_column(field: str, label: str, size: int, data_type: str = "string") -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": data_type,
        "operationType": "terms",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": "count"},
            "orderDirection": "desc",
            "otherBucket": False,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
            "include": [],
            "exclude": [],
            "includeIsRegex": False,
            "excludeIsRegex": False,
        },
    }


def _date_column(interval: str = "auto", label: str = "Date") -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": "date",
        "operationType": "date_histogram",
        "sourceField": "date",
        "isBucketed": True,
        "scale": "interval",
        "params": {"interval": interval, "includeEmptyRows": True, "dropPartials": False},
    }


def _sum_column(field: str, label: str) -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": "number",
        "operationType": "sum",
        "isBucketed": False,
        "scale": "ratio",
        "sourceField": field,
        "params": {"emptyAsNull": True},
    }


def _lens(
    obj_id: str,
    title: str,
    vis_type: str,
    bucket: dict[str, Any],
    visualization: dict[str, Any],
    description: str,
    *,
    data_view: str = DATA_VIEW_ID,
    metric: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A by-reference Lens chart: one bucket column and one metric (`count`: a count of the
    data view's documents unless `metric` says otherwise)."""
    layer = "layer1"
    return {
        "type": "lens",
        "id": obj_id,
        "attributes": {
            "title": title,
            "description": description,
            "visualizationType": vis_type,
            "state": {
                "datasourceStates": {
                    "formBased": {
                        "layers": {
                            layer: {
                                "columns": {"bucket": bucket, "count": metric or _count_column()},
                                "columnOrder": ["bucket", "count"],
                                "incompleteColumns": {},
                            }
                        }
                    }
                },
                "visualization": visualization,
                "query": {"query": "", "language": "kuery"},
                "filters": [],
                "adHocDataViews": {},
                "internalReferences": [],
            },
        },
        "references": [
            {
                "type": "index-pattern",
                "id": data_view,
                "name": f"indexpattern-datasource-layer-{layer}",
            }
        ],
        **_meta("lens"),
    }


def _xy(series: str) -> dict[str, Any]:
    return {
        "legend": {"isVisible": False, "position": "right"},
        "valueLabels": "hide",
        "preferredSeriesType": series,
        "layers": [
            {
                "layerId": "layer1",
                "layerType": "data",
                "seriesType": series,
                "xAccessor": "bucket",
                "accessors": ["count"],
            }
        ],
    }


def _pie() -> dict[str, Any]:
    return {
        "shape": "donut",
        "layers": [
            {
                "layerId": "layer1",
                "layerType": "data",
                "primaryGroups": ["bucket"],
                "metrics": ["count"],
                "numberDisplay": "percent",
                "categoryDisplay": "default",
                "legendDisplay": "default",
                "nestedLegend": False,
            }
        ],
    }


def _map(alias: str) -> dict[str, Any]:
    layers = [
        {
            "id": "basemap",
            "type": "EMS_VECTOR_TILE",
            "alpha": 1,
            "visible": True,
            "minZoom": 0,
            "maxZoom": 24,
            "includeInFitToBounds": True,
            "locale": "autoselect",
            "sourceDescriptor": {
                "type": "EMS_TMS",
                "isAutoSelect": True,
                "lightModeDefault": "road_map_desaturated",
            },
            "style": {"type": "EMS_VECTOR_TILE", "color": ""},
        },
        {
            "id": "articles",
            "type": "GEOJSON_VECTOR",
            "label": "Articles by province",
            "alpha": 0.8,
            "visible": True,
            "minZoom": 0,
            "maxZoom": 24,
            "includeInFitToBounds": True,
            "sourceDescriptor": {
                "type": "ES_GEO_GRID",
                "id": "articles-grid",
                "geoField": "location",
                "requestType": "point",
                "resolution": "COARSE",
                "metrics": [{"type": "count"}],
                "applyGlobalQuery": True,
                "applyGlobalTime": True,
                "applyForceRefresh": True,
                "indexPatternRefName": "layer_1_source_index_pattern",
            },
            "style": {
                "type": "VECTOR",
                "properties": {
                    "fillColor": {
                        "type": "DYNAMIC",
                        "options": {
                            "color": "Yellow to Red",
                            "colorCategory": "palette_0",
                            "field": {"name": "doc_count", "origin": "source"},
                            "type": "ORDINAL",
                            "fieldMetaOptions": {"isEnabled": True, "sigma": 3},
                        },
                    },
                    "lineColor": {"type": "STATIC", "options": {"color": "#3d3d3d"}},
                    "iconSize": {
                        "type": "DYNAMIC",
                        "options": {
                            "minSize": 7,
                            "maxSize": 24,
                            "field": {"name": "doc_count", "origin": "source"},
                            "fieldMetaOptions": {"isEnabled": True, "sigma": 3},
                        },
                    },
                    "labelText": {
                        "type": "DYNAMIC",
                        "options": {"field": {"name": "doc_count", "origin": "source"}},
                    },
                },
            },
            "joins": [],
            "disableTooltips": False,
        },
    ]
    state = {
        "zoom": 4.8,
        "center": {"lon": 106.5, "lat": 16.0},
        "timeFilters": {"from": "now-15y", "to": "now"},
        "refreshConfig": {"isPaused": True, "interval": 0},
        "query": {"query": "", "language": "kuery"},
        "filters": [],
        "settings": {"autoFitToDataBounds": False, "initialLocation": "LAST_SAVED_LOCATION"},
    }
    return {
        "type": "map",
        "id": "pressnews-map-provinces",
        "attributes": {
            "title": "pressnews: articles on the map (province points)",
            "description": "Articles counted at their province's map point (field location).",
            "layerListJSON": json.dumps(layers, separators=(",", ":")),
            "mapStateJSON": json.dumps(state, separators=(",", ":")),
            "uiStateJSON": json.dumps({"isLayerTOCOpen": True, "openTOCDetails": []}),
        },
        "references": [
            {"type": "index-pattern", "id": DATA_VIEW_ID, "name": "layer_1_source_index_pattern"}
        ],
        **_meta("map"),
    }
