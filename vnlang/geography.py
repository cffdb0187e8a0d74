"""Map facts for drawing Vietnam: the two archipelagos, which every map of trainings shows.

The province points come from the gazetteer (shared reference data); the archipelagos are not
provinces of their own but districts of Đà Nẵng (Hoàng Sa) and Khánh Hòa (Trường Sa), so they
are listed here with approximate island positions, enough for a schematic map.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Archipelago:
    name: str
    province: str  # the province it belongs to
    lat: float  # a label point near the group's centre
    lon: float
    islands: tuple[tuple[float, float], ...]  # (lat, lon) of a few islands, for the marks


ARCHIPELAGOS: tuple[Archipelago, ...] = (
    Archipelago(
        "Quần đảo Hoàng Sa",
        "Đà Nẵng",
        16.5,
        111.9,
        ((16.83, 112.34), (16.53, 111.61), (16.45, 111.71), (16.97, 112.26), (16.67, 111.79)),
    ),
    Archipelago(
        "Quần đảo Trường Sa",
        "Khánh Hòa",
        9.8,
        114.3,
        (
            (8.64, 111.92),
            (10.38, 114.36),
            (11.05, 114.28),
            (9.88, 114.33),
            (10.19, 114.37),
            (8.85, 112.84),
            (9.30, 113.73),
            (10.72, 115.80),
        ),
    ),
)

# The frame of a map of Vietnam with both archipelagos: (min_lon, max_lon, min_lat, max_lat).
MAP_FRAME = (101.8, 117.0, 8.0, 23.6)
