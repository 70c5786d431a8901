"""Place names several samples share (Kemendagri 2025 names)."""

from __future__ import annotations

# Kota Balikpapan's six kecamatan, in the order the generators draw from (the order is part of the seed).
BALIKPAPAN_KECAMATAN = (
    "Balikpapan Timur",
    "Balikpapan Barat",
    "Balikpapan Utara",
    "Balikpapan Tengah",
    "Balikpapan Selatan",
    "Balikpapan Kota",
)
