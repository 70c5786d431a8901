"""Which areas a report breaks figures down by: a kab/kota region (64.71) by kecamatan, a province (65) by
kab/kota. Each returns the SQL expressions (trusted constants, never user text) the queries group by."""

from __future__ import annotations

from dataclasses import dataclass

UNKNOWN_AREA = "Tidak diketahui (celah data)"


@dataclass(frozen=True)
class AreaLayout:
    label: str  # the area column's heading
    key: str  # its CSV column name
    cooperative_name: str  # expression on marts.cooperative_history
    business_name: str  # expression on marts.msme_businesses


KECAMATAN = AreaLayout(
    label="Kecamatan",
    key="kecamatan",
    cooperative_name=f"coalesce(kecamatan_official_name, '{UNKNOWN_AREA}')",
    business_name=f"coalesce(kecamatan_official_name, '{UNKNOWN_AREA}')",
)
KAB_KOTA = AreaLayout(
    label="Kabupaten/Kota",
    key="kabupaten_kota",
    cooperative_name=f"coalesce(regency_official_name, '{UNKNOWN_AREA}')",
    business_name=f"coalesce(regency_official_name, '{UNKNOWN_AREA}')",
)


def layout_for(region_code: str) -> AreaLayout:
    """Kemendagri codes: a province has no dot (65), a kab/kota has one (64.71)."""
    return KECAMATAN if "." in region_code else KAB_KOTA
