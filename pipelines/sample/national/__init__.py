"""The national-scale synthetic sample (`umkm sample --profile national --scale N`), for benchmarks.

Province Kalimantan Utara (Kemendagri 65: `umkm refresh --region 65`), deterministic for a given scale and
seed. At N=1.0, scaled linearly by N:
- permits/: about 10.5 million permit-family rows in 108 monthly files (permits.py);
- cooperatives/: 150,000 cooperatives over four register updates of 2023-2024 (about 550,000 rows), two xlsx
  and two CSV (cooperatives.py; at least 20 cooperatives at any N);
- events/: one event a month of 2023-2024, 1,000,000 participant rows in 24 workbooks, 40% of them with
  the NIB of a business of permits/ (events.py; at least 3 participants per event).
Generation is vectorised: numpy draws, DuckDB formats and writes CSV; xlsx files go through the sample's
xlsx writer, rows streamed from DuckDB in batches. Each family draws from its own numpy generator (seeded
from the same seed), so adding one never changes another's files.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from pipelines.sample import SOURCES, STAMP
from pipelines.sample.national.cooperatives import write_cooperatives
from pipelines.sample.national.events import write_events
from pipelines.sample.national.permits import write_day, write_permits

REGION = "65"  # Kalimantan Utara: the province whose Kemendagri places permits/data/areas.json holds
SEED = 20261202


def write_national_sample(out_dir: Path, scale: float, seed: int = SEED) -> dict[str, int]:
    """Write permits/, cooperatives/ and events/ under out_dir; returns rows written per family and the
    generator's own cooperative counts (distinct, and active / inactive in each kab/kota's latest update)."""
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
        written |= write_cooperatives(con, out_dir / "cooperatives", scale, seed)
        # After the permits: the participants who give a NIB take it from their businesses table.
        written |= write_events(con, out_dir / "events", scale, seed)
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
