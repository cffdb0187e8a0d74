"""Regenerate vnlang/data/provinces.json from ../shared/reference/vn_provinces.json.

    .venv/bin/python bench/build_gazetteer.py [--reference PATH] [--out PATH]

The project ships the generated file; nothing at run time reads ../shared. The output holds the
63 pre-2025 units (name, type, GSO code, 2025 unit, map point, spelling variants: the reference's
plus the ones below) and the 34 units of 1 July 2025 (name, type, map point of the old unit of
that name, or of the sole predecessor for a new name such as "Huế", plus their variants).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REF = ROOT.parent / "shared" / "reference" / "vn_provinces.json"
DEFAULT_OUT = ROOT / "vnlang" / "data" / "provinces.json"

# Spellings seen in the wild that the reference lacks (tone placement, abbreviations, typos).
EXTRA_VARIANTS: dict[str, list[str]] = {
    "Hà Nội": ["Tp. Hà Nội", "TP.Hà Nội", "TP. HN"],
    "Thanh Hóa": ["Thanh Hoá", "TP. Thanh Hóa"],
    "Hòa Bình": ["Hoà Bình"],
    "Khánh Hòa": ["Khánh Hoà"],
    "Thừa Thiên Huế": [
        "Thừa Thiên-Huế",
        "Thừa Thiên – Huế",
        "TT.Huế",
        "TT. Huế",
        "TT - Huế",
        "TTHuế",
    ],
    "Thành phố Hồ Chí Minh": [
        "Thành phố Hồ Chí Minh",
        "TP.Hồ Chí Minh",
        "Tp. Hồ Chí Minh",
        "Tp Hồ Chí Minh",
        "TP. HCM",
        "Tp HCM",
        "Tp. HCM",
        "HCM",
        "TP.HCM",
        "Sài Gòn",
    ],
    "Bà Rịa - Vũng Tàu": ["BR - VT", "BR–VT", "Bà Rịa – Vũng Tàu", "Bà Rịa-Vũng Tàu"],
    "Đắk Lắk": ["Đắc Lắc", "Đắk Lắc", "Đắc Lắk", "Đăk Lăk", "Đắk Lăk", "Đaklak", "Daklak"],
    "Đắk Nông": ["Đắc Nông", "Đăk Nông", "Đaknông", "Daknong"],
    "Cần Thơ": ["Tp. Cần Thơ", "TP.Cần Thơ", "Tp Cần Thơ"],
    "Đà Nẵng": ["Tp. Đà Nẵng", "TP.Đà Nẵng"],
    "Hải Phòng": ["Tp. Hải Phòng", "TP.Hải Phòng"],
    "Kon Tum": ["Kon Tum", "Kon-Tum"],
    "Bắc Kạn": ["Bắc Cạn"],
    "Long An": ["Long An"],
    "Gia Lai": ["Gia Lai"],
    "An Giang": ["An Giang"],
}

# Variants of the 2025 units that are new names (the old units' own variants cover the rest).
UNIT_VARIANTS: dict[str, list[str]] = {
    "Huế": ["Thành phố Huế", "TP. Huế", "TP Huế", "TP.Huế", "Tp. Huế", "Hue"],
}


def _dedup(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def build(reference: list[dict]) -> dict:
    old = []
    for p in reference:
        variants = _dedup(
            [v for v in p["variants"] + EXTRA_VARIANTS.get(p["name"], []) if v != p["name"]]
        )
        old.append(
            {
                "name": p["name"],
                "type": p["type"],
                "gso_code": p["gso_code"],
                "merged_into_2025": p["merged_into_2025"],
                "lat": round(p["map_point"]["lat"], 5),
                "lon": round(p["map_point"]["lon"], 5),
                "variants": variants,
            }
        )
    by_name = {p["name"]: p for p in old}
    units: dict[str, dict] = {}
    for p in reference:
        unit = p["merged_into_2025"]
        if unit in units:
            continue
        predecessors = [o for o in old if o["merged_into_2025"] == unit]
        anchor = by_name.get(unit) or predecessors[0]
        units[unit] = {
            "name": unit,
            "type": p["merged_into_type"],
            "lat": anchor["lat"],
            "lon": anchor["lon"],
            "predecessors": [o["name"] for o in predecessors],
            "variants": UNIT_VARIANTS.get(unit, []),
        }
    return {
        "generated_by": "bench/build_gazetteer.py from shared/reference/vn_provinces.json",
        "provinces": old,
        "units_2025": sorted(units.values(), key=lambda u: u["name"]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, default=DEFAULT_REF)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not args.reference.exists():
        print(f"reference not found: {args.reference}", file=sys.stderr)
        return 1
    data = build(json.loads(args.reference.read_text(encoding="utf-8")))
    if len(data["provinces"]) != 63 or len(data["units_2025"]) != 34:
        print("unexpected unit counts in the reference", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), indent=None) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out} ({len(data['provinces'])} provinces, {len(data['units_2025'])} units)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
