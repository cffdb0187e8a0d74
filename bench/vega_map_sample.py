"""Render check of the Kibana trainings map (Vega) outside Kibana, with Vega 5 in Node.

Writes the map's Vega spec and an Elasticsearch response of the shape its query returns, for
`bench/vega_map_check.js` (needs Node and `npm install vega@5`, the major Kibana 8.x/9.x
bundles, in some scratch directory; it is not a dependency of pressnews):

    python -m bench.vega_map_sample /tmp/vega
    (cd /tmp/vega && npm install vega@5) && node bench/vega_map_check.js \\
        /tmp/vega/spec.json /tmp/vega/resp.json /tmp/vega/map.svg

The script parses and runs the spec (projection, data transforms, scales, marks), prints how
many points each data set has and where the circles land, and writes the SVG.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from indexer.elastic.kibana_events import vega_spec
from vnlang.gazetteer import lookup

SAMPLE = [("Hà Nam", 12, 900), ("Đà Nẵng", 5, 300), ("Khánh Hòa", 3, 0), ("Hà Giang", 1, 50),
          ("Cà Mau", 7, 400)]  # fmt: skip


def bucket(name: str, n: int, people: int) -> dict[str, object]:
    p = lookup(name)
    assert p is not None
    return {
        "key": name,
        "doc_count": n,
        "point": {"location": {"lat": p.lat, "lon": p.lon}, "count": n},
        "people": {"value": people},
    }


def main(out: str) -> None:
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    (d / "spec.json").write_text(json.dumps(vega_spec("pressnews-events"), ensure_ascii=False))
    buckets = [bucket(*row) for row in SAMPLE]
    # a province with trainings but no map point: the map leaves it out
    buckets.append({"key": "?", "doc_count": 2, "point": {"count": 0}, "people": {"value": 0}})
    resp = {"took": 1, "aggregations": {"provinces": {"buckets": buckets}}}
    (d / "resp.json").write_text(json.dumps(resp, ensure_ascii=False))
    print(f"wrote {d / 'spec.json'} and {d / 'resp.json'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vega")
