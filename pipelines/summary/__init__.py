"""The headline figures (`umkm summary --json`), read from the published warehouse's marts.

One section per subject: msme and data_quality here; each other subject's section lives in its own module of
this package (cooperatives.py, events.py) and is registered in SECTIONS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from pipelines.settings import TIMEZONE
from pipelines.summary import cooperatives, events
from pipelines.warehouse import table_exists

SCALES = ("mikro", "kecil", "menengah", "besar", "tidak_diketahui")
RISK_LEVELS = ("rendah", "menengah_rendah", "menengah_tinggi", "tinggi")

Section = Callable[[duckdb.DuckDBPyConnection], Any]


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    return {str(key): int(value) for key, value in con.execute(sql).fetchall()}


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The first column of the first row; None when the query returns no row (e.g. no permits loaded)."""
    rows = con.execute(sql).fetchall()
    return rows[0][0] if rows else None


def _with_keys(counts: dict[str, int], keys: tuple[str, ...]) -> dict[str, int]:
    """Every expected key present (zero when absent), then any unexpected ones (e.g. tidak_diketahui)."""
    return {**dict.fromkeys(keys, 0), **counts}


def msme_section(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {**_msme_figures(con), **_msme_issue_12_figures(con)}


def _msme_figures(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {
        "businesses": _scalar(con, "SELECT count(*) FROM marts.msme_businesses"),
        "businesses_by_scale": _with_keys(
            _pairs(con, "SELECT scale, count(*) FROM marts.msme_businesses GROUP BY 1 ORDER BY 1"), SCALES
        ),
        "registrations_by_year": _pairs(
            con,
            "SELECT registration_year, sum(new_registrations) FROM marts.msme_registrations_by_period "
            "GROUP BY 1 ORDER BY 1",
        ),
        "registrations_by_month": _pairs(
            con,
            "SELECT registration_month, new_registrations FROM marts.msme_registrations_by_period ORDER BY 1",
        ),
        "businesses_by_named_by": _pairs(
            con, "SELECT named_by, count(*) FROM marts.msme_businesses GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        "permits": _scalar(con, "SELECT count(*) FROM marts.msme_permits"),
        "permits_by_month": _pairs(
            con,
            "SELECT coalesce(issue_month, 'tidak_diketahui'), count(*) FROM marts.msme_permits "
            "GROUP BY 1 ORDER BY 1",
        ),
        "permits_by_kbli_category": _pairs(
            con,
            "SELECT coalesce(kbli_category, 'tidak_diketahui'), count(*) FROM marts.msme_permits "
            "GROUP BY 1 ORDER BY 1",
        ),
        "permits_by_risk": _with_keys(
            _pairs(con, "SELECT risk_level, count(*) FROM marts.msme_permits GROUP BY 1 ORDER BY 1"),
            RISK_LEVELS,
        ),
        # Kept with its meaning (recent registrations, see largest_sector_recent) for existing readers.
        "largest_sector_new": _scalar(
            con,
            "SELECT sector_group FROM marts.msme_sectors WHERE new_businesses > 0 "
            "ORDER BY rank_by_new_businesses, sector_group LIMIT 1",
        ),
    }


def _msme_issue_12_figures(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Issue 12: largest_sector_new under a name that says what "new" means (registered within var
    new_registration_days of the latest registration), and the plain KBLI-category breakdown beside the
    kuliner grouping (msme_sectors), so C in one is not mistaken for C in the other. A release published
    before these marts (a rollback target) lacks them: the keys are then left out, the summary still works."""
    if not table_exists(con, "marts", "msme_kbli_categories"):
        return {}
    return {
        "largest_sector_recent": _scalar(
            con,
            "SELECT sector_group FROM marts.msme_sectors WHERE recent_businesses > 0 "
            "ORDER BY rank_by_recent_businesses, sector_group LIMIT 1",
        ),
        "businesses_by_kbli_category": _pairs(
            con, "SELECT kbli_category, businesses FROM marts.msme_kbli_categories ORDER BY 1"
        ),
        "businesses_by_sector_group": _pairs(
            con, "SELECT sector_group, businesses FROM marts.msme_sectors ORDER BY 1"
        ),
    }


def data_quality_section(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    row = con.execute(
        """SELECT count(DISTINCT path),
                  count(DISTINCT path) FILTER (status = 'ingested'),
                  count(DISTINCT path) FILTER (status = 'duplicate'),
                  coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0)
           FROM raw.ingest_files"""
    ).fetchone()
    keys = (
        "files_seen",
        "files_ingested",
        "files_skipped_duplicate",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
    )
    return {**dict(zip(keys, (int(v) for v in row), strict=True)), **_quality_gate(con)}


def open_gaps_by_type(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Open gaps of marts.data_quality_gaps by type, most first (docs/quality.md); {} before any build."""
    if not table_exists(con, "marts", "data_quality_gaps"):
        return {}
    rows = con.execute(
        "SELECT gap_type, count(*) FROM marts.data_quality_gaps WHERE is_open GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return {gap_type: int(n) for gap_type, n in rows}


def _quality_gate(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The gate's expectations of the published refresh (critical failures never publish, so checks_failed are
    warnings) and the open gaps of marts.data_quality_gaps by type (docs/quality.md)."""
    passed = failed = 0
    if table_exists(con, "meta", "quality_checks"):
        passed, failed = con.execute(
            "SELECT count(*) FILTER (success), count(*) FILTER (NOT success) FROM meta.quality_checks "
            "WHERE run_id = (SELECT run_id FROM meta.refresh)"
        ).fetchone()
    return {
        "checks_passed": int(passed),
        "checks_failed": int(failed),
        "gaps_by_type": open_gaps_by_type(con),
    }


# Later sources add their sections here (cooperatives, events).
SECTIONS: dict[str, Section] = {
    "msme": msme_section,
    "cooperatives": cooperatives.section,
    "events": events.section,
    "data_quality": data_quality_section,
}


def build_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    region_code, built_at = con.execute("SELECT region_code, built_at FROM meta.refresh").fetchone()
    region_name = _scalar(
        con, f"SELECT any_value(nama) FROM reference.wilayah_kemendagri_2025 WHERE kode = '{region_code}'"
    )
    summary: dict[str, Any] = {
        "region_code": region_code,
        "region_name": region_name,
        "built_at": built_at.astimezone(TIMEZONE).isoformat(timespec="seconds"),
    }
    for key, section in SECTIONS.items():
        summary[key] = section(con)
    return summary
