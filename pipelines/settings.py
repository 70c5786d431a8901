"""The warehouse's settings that several layers read: the offices' time zone, the default region and what a
region code may be. One home for each: `resources.py` (Dagster), `cli.py` and dbt (`--vars`) read them."""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

# WITA, the offices' local time: "today" for date rules, the time stamps officials read, the nightly schedule.
TIMEZONE_NAME = "Asia/Makassar"
TIMEZONE = ZoneInfo(TIMEZONE_NAME)
# The nightly refresh, in that time zone: 01:00, after the night's exports usually land (UMKM_SCHEDULE_CRON).
NIGHTLY_CRON = os.environ.get("UMKM_SCHEDULE_CRON") or "0 1 * * *"

# DuckDB's memory limit in each process that works on the build file: the refresh process (landing, checks,
# publish) and its dbt child, which can hold memory at the same time. Past it DuckDB spills to a temporary
# folder beside the build file instead of growing: what keeps a national-scale refresh (10 million permit
# rows) inside an ordinary machine (docs/scale.md has the figures). Two processes x 1.5 GB plus Python stay
# under 4 GB. UMKM_DUCKDB_MEMORY_LIMIT overrides it in DuckDB's syntax ("3GB", "50%"); a larger limit trades
# memory for less spilling on a big machine.
DUCKDB_MEMORY_LIMIT = os.environ.get("UMKM_DUCKDB_MEMORY_LIMIT") or "1536MB"

# Export files the landing reads at the same time, each on its own DuckDB connection
# (pipelines/ingest/loader.py says why two suit 2 cores). What lands does not depend on it; memory does, a
# little: the connections share DuckDB's memory limit above, and each file being read holds one batch of rows
# in Python. UMKM_LANDING_FILES_AT_ONCE=1 lands one file at a time.
LANDING_FILES_AT_ONCE = max(1, int(os.environ.get("UMKM_LANDING_FILES_AT_ONCE") or 2))

# Open data-quality gaps the recap workbook and HTML page list (critical first); the CSV celah_data.csv and
# marts.data_quality_gaps have every one, and the recap's count per gap type covers all of them. A national
# refresh has ~100,000 open gaps per million permit rows: a workbook sheet stops at 1,048,576 rows, a page of
# every gap weighs hundreds of MB, and writing them cells one by one took 10 of the 14 s the export took at
# N=0.1 (docs/scale.md, eleventh run). UMKM_REPORT_LISTED_GAPS raises or lowers the cut.
REPORT_LISTED_GAPS = max(1, int(os.environ.get("UMKM_REPORT_LISTED_GAPS") or 10_000))

# Publishing rebuilds the build file compactly (COPY FROM DATABASE) when more than this share of its blocks
# are free. A release is a byte copy of the build file, free blocks included, and every refresh rebuilds each
# dbt model, leaving roughly the old models' blocks free (29-32% of the file at N=0.1), so at 0.25 nearly
# every publish compacts: ~10 s of a ~53 s incremental refresh at N=0.1, 181 s of 665 s at N=1.0. At 0.5 no
# publish compacted in three successive incremental refreshes at N=0.1 (publish step 10 -> 2 s), but each
# release then carried 12-37% free blocks (142-201 MB against 121 MB compact) and the tiny sample's marts
# folder outgrew its stated bound (docs/security.md). The default keeps the disk promise;
# UMKM_COMPACT_FREE_SHARE trades disk for publish time (0 compacts at every publish, 1 never; docs/scale.md
# has the figures).
COMPACT_FREE_SHARE = float(os.environ.get("UMKM_COMPACT_FREE_SHARE") or 0.25)

# Kemendagri code of the region a run covers when none is given: Kota Balikpapan (the bundled sample).
DEFAULT_REGION = "64.71"

REFERENCE_REGIONS = (
    Path(__file__).resolve().parent.parent / "dbt_project/seeds/reference/wilayah_kemendagri_2025.csv"
)


@cache
def _region_names() -> dict[str, str]:
    with REFERENCE_REGIONS.open(encoding="utf-8") as handle:
        return {
            row["kode"]: row["nama"]
            for row in csv.DictReader(handle)
            if row["tingkat"] in {"provinsi", "kab_kota"}
        }


def region_name(code: str) -> str:
    """The Kemendagri name of a province or kab/kota code; ValueError for anything else (a run for an unknown
    code would quietly build empty marts)."""
    try:
        return _region_names()[code]
    except KeyError:
        raise ValueError(
            f"region {code!r} is not a Kemendagri province or kab/kota code (e.g. 64.71, 65)"
        ) from None
