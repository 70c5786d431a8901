"""The permit sample's profiles and the figures they are calibrated to (``data/profiles.json``): businesses
per scale (Balikpapan: 73,000 registered businesses split by scale shares, domain.md), registrations per year
(Balikpapan fixes 2023 to the published 12,323; the other years share the rest by the OSS-era weights), the
period and the areas each profile covers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pipelines.sample.datafiles import read_json
from pipelines.sample.permits.areas import AREAS, Area

K = TypeVar("K")


@dataclass(frozen=True)
class PermitProfile:
    name: str
    region_code: str  # Kemendagri code the office covers: "64.71" (a kab/kota) or "65" (a province)
    region_title: str  # as export titles spell it
    file_label: str  # region as it appears in file names
    start: dt.date  # first registration date
    end: dt.date  # as-of date: nothing in the exports is later
    areas: tuple[Area, ...]
    outside_areas: tuple[Area, ...]  # neighbours whose businesses leak into the exports
    outside_businesses: int
    scale_counts: Mapping[str, int]  # businesses per scale, including tidak_diketahui (blank, no project)
    blank_scale_share: float  # share of businesses with a known scale whose NIB rows leave the scale blank
    year_weights: Mapping[int, float]
    fixed_year_counts: Mapping[int, int] = field(default_factory=dict)


def allocate(total: int, weights: Mapping[K, float]) -> dict[K, int]:
    """Integer parts proportional to weights that sum exactly to total (largest remainder)."""
    unit = total / sum(weights.values())
    raw = {key: weight * unit for key, weight in weights.items()}
    parts = {key: math.floor(value) for key, value in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - parts[k], reverse=True)[: total - sum(parts.values())]:
        parts[key] += 1
    return parts


def _years(counts: Mapping[str, float]) -> dict[int, float]:
    return {int(year): value for year, value in counts.items()}


def _profile(name: str, raw: dict[str, Any], data: dict[str, Any]) -> PermitProfile:
    """One entry of data/profiles.json: a "businesses" total is split by "scale_shares" (largest remainder);
    year weights may name a shared table; areas name a table of areas.py."""
    weights = raw["year_weights"]
    scale_counts = raw.get("scale_counts") or allocate(raw["businesses"], raw["scale_shares"])
    return PermitProfile(
        name=name,
        region_code=raw["region_code"],
        region_title=raw["region_title"],
        file_label=raw["file_label"],
        start=dt.date.fromisoformat(raw["start"]),
        end=dt.date.fromisoformat(raw["end"]),
        areas=AREAS[raw["areas"]],
        outside_areas=AREAS[raw["outside_areas"]],
        outside_businesses=raw["outside_businesses"],
        scale_counts=scale_counts,
        blank_scale_share=raw["blank_scale_share"],
        year_weights=_years(data[weights] if isinstance(weights, str) else weights),
        fixed_year_counts=_years(raw.get("fixed_year_counts", {})),  # type: ignore[arg-type]
    )


_DATA = read_json(__file__, "profiles.json")
PROFILES: dict[str, PermitProfile] = {
    name: _profile(name, raw, _DATA) for name, raw in _DATA["profiles"].items()
}
