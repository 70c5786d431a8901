"""Kab/kota, kecamatan and kelurahan the permit sample uses (Kemendagri 2025 names; the tests check them
against wilayah_kemendagri_2025.csv), from ``data/areas.json``: each profile's areas and the neighbours whose
businesses leak into its exports, and the older spellings people still type for some kelurahan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.sample.datafiles import read_json


@dataclass(frozen=True)
class Area:
    """One kab/kota with the kecamatan and kelurahan the sample uses (Kemendagri 2025 names)."""

    code: str
    name: str
    province: str  # as the permit list's "Propinsi" column spells it
    centre: tuple[float, float]  # latitude, longitude
    weight: float
    kecamatan: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Place:
    kab_kota_code: str
    kab_kota: str
    kecamatan: str
    kelurahan: str
    province: str
    centre: tuple[float, float]


def _area(raw: dict[str, Any]) -> Area:
    kecamatan = {name: tuple(kelurahan) for name, kelurahan in raw["kecamatan"].items()}
    return Area(raw["code"], raw["name"], raw["province"], tuple(raw["centre"]), raw["weight"], kecamatan)  # type: ignore[arg-type]


_DATA = read_json(__file__, "areas.json")
BALIKPAPAN = tuple(_area(raw) for raw in _DATA["balikpapan"])
NEAR_BALIKPAPAN = tuple(_area(raw) for raw in _DATA["near_balikpapan"])
KALTARA = tuple(_area(raw) for raw in _DATA["kaltara"])
NEAR_KALTARA = tuple(_area(raw) for raw in _DATA["near_kaltara"])
# The tables a profile names (data/profiles.json "areas" and "outside_areas").
AREAS = {
    "balikpapan": BALIKPAPAN,
    "near_balikpapan": NEAR_BALIKPAPAN,
    "kaltara": KALTARA,
    "near_kaltara": NEAR_KALTARA,
}
# Spellings seen in exports that differ from Kemendagri only by spaces or hyphens.
KELURAHAN_VARIANTS: dict[str, tuple[str, ...]] = {
    name: tuple(variants) for name, variants in _DATA["kelurahan_variants"].items()
}
