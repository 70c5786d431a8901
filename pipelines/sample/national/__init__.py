"""The national-scale synthetic sample (`umkm sample --profile national --scale N`), for benchmarks.

Province Kalimantan Utara (Kemendagri 65: `umkm refresh --region 65`), deterministic for a given scale and
seed. At N=1.0 about 10.5 million permit-family rows in 108 monthly files (permits.py). Generation is
vectorised: numpy draws, DuckDB formats and writes CSV; xlsx months go through the sample's xlsx writer.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from pipelines.sample import SOURCES, STAMP
from pipelines.sample.national.permits import write_day, write_permits

REGION = "65"  # Kalimantan Utara: the province whose Kemendagri places permits/data/areas.json holds
SEED = 20261202


def write_national_sample(out_dir: Path, scale: float, seed: int = SEED) -> dict[str, int]:
    """Write permits/ under out_dir; returns rows written per family."""
    if not 0 < scale <= 10:
        raise ValueError(f"--scale must be in (0, 10], got {scale}")
    # The same guard as the other profiles: never replace folders `umkm sample` did not write.
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = [s for s in SOURCES if (out_dir / s).exists()]
    if existing and not (out_dir / STAMP).exists():
        raise ValueError(
            f"{out_dir} already holds {', '.join(existing)} that `umkm sample` did not write; "
            "choose an empty --out folder"
        )
    for source in SOURCES:
        shutil.rmtree(out_dir / source, ignore_errors=True)
    con = duckdb.connect()
    try:
        written = write_permits(con, out_dir / "permits", scale, seed)
    finally:
        con.close()
    (out_dir / STAMP).write_text(f"profile=national scale={scale}\n")
    return written


def write_national_day(out_dir: Path, scale: float, day: dt.date, seed: int = SEED) -> int:
    """One day's new permit exports (about 0.1% of the sample's rows) into out_dir/permits; returns rows."""
    con = duckdb.connect()
    try:
        return write_day(con, out_dir / "permits", scale, seed, day)
    finally:
        con.close()
