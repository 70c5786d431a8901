"""Where the sample cooperatives are (Kemendagri 2025 names; kelurahan as exports spell them, loosely).

``data/places.json``: per profile, kab/kota -> kecamatan -> [weight of the kecamatan in the draw, kelurahan];
how exports spell each kab/kota; streets per profile ("{km}" and "{blok}" are filled in).
"""

from __future__ import annotations

from pipelines.sample.datafiles import read_json

_DATA = read_json(__file__, "places.json")
PLACES: dict[str, dict[str, dict[str, tuple[float, list[str]]]]] = _DATA["places"]
KAB_KOTA_SPELLINGS: dict[str, list[str]] = _DATA["kab_kota_spellings"]
STREETS: dict[str, list[str]] = _DATA["streets"]
