"""The "cooperatives" section of `umkm summary --json`, read from the cooperative marts.

Figures are as of each kab/kota's latest registry update (marts.cooperatives); health by assessment year
(marts.cooperative_health_by_year). registered = active + inactive + status_unknown (a typed status that is
not recognised decides nothing; each is a gap status_tidak_dikenali). Shape:
{"registered", "active", "inactive", "status_unknown", "rat_last_book_year", "active_by_type": {jenis: n},
 "active_by_district": {kecamatan name: n, "tidak_diketahui": n}, "health": {"<year>": {category: n}},
 "digital_reporting"}
"""

from __future__ import annotations

from typing import Any

import duckdb

JENIS = ("konsumen", "produsen", "jasa", "simpan_pinjam", "pemasaran", "simpan_pinjam_syariah")
HEALTH_CATEGORIES = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")
UNKNOWN = "tidak_diketahui"

_HEADLINE = """
    SELECT count(*),
           count(*) FILTER (WHERE is_active),
           count(*) FILTER (WHERE NOT is_active),
           count(*) FILTER (WHERE is_active IS NULL),
           count(*) FILTER (WHERE rat_held_last_book_year),
           count(*) FILTER (WHERE reports_digitally)
    FROM marts.cooperatives
"""

# Kecamatan by official name; a name shared by two kab/kota of a province gets its kab/kota appended.
_BY_DISTRICT = f"""
    WITH active AS (SELECT * FROM marts.cooperatives WHERE is_active),
    names AS (
        SELECT kecamatan_official_name AS name, count(DISTINCT kecamatan_code) > 1 AS shared
        FROM active WHERE kecamatan_code IS NOT NULL GROUP BY 1
    )
    SELECT CASE WHEN kecamatan_code IS NULL THEN '{UNKNOWN}'
                WHEN names.shared THEN kecamatan_official_name || ' (' || regency_official_name || ')'
                ELSE kecamatan_official_name END AS district,
           count(*) AS n
    FROM active LEFT JOIN names ON names.name = active.kecamatan_official_name
    GROUP BY 1
    ORDER BY (district = '{UNKNOWN}'), n DESC, district
"""

_HEALTH = """
    SELECT assessment_year, category, cooperatives
    FROM marts.cooperative_health_by_year
    ORDER BY assessment_year, category_order
"""


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    return {str(key): int(n) for key, n in con.execute(sql).fetchall()}


def _with_keys(counts: dict[str, int], keys: tuple[str, ...]) -> dict[str, int]:
    """Every expected key (zero when absent), then any others (tidak_diketahui) only when they occur."""
    return {**dict.fromkeys(keys, 0), **counts}


def _health(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    health: dict[str, dict[str, int]] = {}
    for year, category, n in con.execute(_HEALTH).fetchall():
        year_counts = health.setdefault(str(year), dict.fromkeys(HEALTH_CATEGORIES, 0))
        year_counts[category] = int(n)
    return health


def section(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    registered, active, inactive, unknown, rat_last, digital = (
        int(v) for v in con.execute(_HEADLINE).fetchone()
    )
    by_type = _counts(
        con, "SELECT jenis, count(*) FROM marts.cooperatives WHERE is_active GROUP BY 1 ORDER BY 2 DESC, 1"
    )
    return {
        "registered": registered,
        "active": active,
        "inactive": inactive,
        "status_unknown": unknown,
        "rat_last_book_year": rat_last,
        "active_by_type": _with_keys(by_type, JENIS),
        "active_by_district": _counts(con, _BY_DISTRICT),
        "health": _health(con),
        "digital_reporting": digital,
    }
