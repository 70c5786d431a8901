"""The published cooperative figures the samples must reproduce (domain.md, calibration table).

``write_cooperative_exports`` checks the truth it computes from the written cells against ``CALIBRATION`` and
refuses to write data that misses it. How the figures are reached (groups of cooperatives by status and RAT
year) is planned in ``data/groups.csv`` and ``data/regions.json``.
"""

from __future__ import annotations

COOP_PROFILES = ("balikpapan", "kaltara")
JENIS_KEYS = ("konsumen", "produsen", "jasa", "simpan_pinjam", "pemasaran", "simpan_pinjam_syariah")
HEALTH_KEYS = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")
UNKNOWN_DISTRICT = "tidak_diketahui"

# Published figures (domain.md, calibration table): the generator refuses to write data that misses them.
CALIBRATION: dict[str, dict[str, object]] = {
    "balikpapan": {
        "registered": 587,
        "active": 440,
        "inactive": 147,
        "rat_last_book_year": 70,
        "active_by_type": {
            "konsumen": 354,
            "produsen": 33,
            "jasa": 19,
            "simpan_pinjam": 15,
            "pemasaran": 14,
            "simpan_pinjam_syariah": 5,
        },
        "active_by_district": {
            "Balikpapan Kota": 143,
            "Balikpapan Selatan": 82,
            "Balikpapan Utara": 76,
            "Balikpapan Tengah": 62,
            "Balikpapan Timur": 40,
            "Balikpapan Barat": 36,
            UNKNOWN_DISTRICT: 1,
        },
        "health_2024": {"sehat": 6, "cukup_sehat": 14, "dalam_pengawasan": 6, "dalam_pengawasan_khusus": 0},
        "health_2023_sehat": 0,
        "digital_reporting": 10,
    },
    "kaltara": {"registered": 713, "active": 461, "inactive": 252},
}
