"""Ingest throughput at scale: N synthetic OSS project-list rows (CSV) through the real loader.

Run on demand (never in `make test`):  .venv/bin/python benchmarks/ingest_scale.py --rows 1000000
Prints rows, seconds and peak RSS of the load (file generation excluded).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.ingest.loader import SourceLoader
from pipelines.ingest.permits import FAMILIES, OSS_PROJECT


def write_rows(path: Path, rows: int) -> None:
    """A project-list CSV in the messy real style (day-first dates, rupiah text, numeric KBLI)."""
    names = [c.name for c in OSS_PROJECT.standard_order]
    values = {name: "'x'" for name in names}
    values |= {
        "id_proyek": "'P' || i",
        "nib": "lpad(CAST(9120000000000 + i AS VARCHAR), 13, '0')",
        "tanggal_terbit_oss": "strftime(DATE '2018-07-01' + CAST(i % 2000 AS INTEGER), '%d/%m/%Y')",
        "tanggal_pengajuan_proyek": "strftime(DATE '2018-07-01' + CAST(i % 2100 AS INTEGER), '%d/%m/%Y')",
        "kbli": "CAST(['56101', '1111', '47111', '10710'][i % 4 + 1] AS VARCHAR)",
        "jumlah_investasi": "'Rp ' || CAST((i % 900 + 1) * 1000000 AS VARCHAR)",
        "tki": "CAST(i % 7 AS VARCHAR)",
        "kab_kota_usaha": "'KOTA BALIKPAPAN'",
        "kecamatan_usaha": "'Balikpapan Kota'",
        "longitude": "'116.831'",
        "latitude": "'-1.237'",
        "email": "'x@y.id'",
        "nomor_telp": "'08123456789'",
    }
    select = ", ".join(f'{values[n]} AS "{n}"' for n in names)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT {select} FROM range({rows}) t(i)) TO '{path}' (HEADER, DELIMITER ',')")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        (raw / "permits").mkdir(parents=True)
        write_rows(raw / "permits" / "proyek.csv", args.rows)
        started = time.perf_counter()
        with duckdb.connect(str(Path(tmp) / "build.duckdb")) as con:
            reports = SourceLoader(con, raw, "permits", FAMILIES).load_all()
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    loaded = sum(r.rows_loaded for r in reports)
    print(
        f"rows {args.rows:,}  loaded {loaded:,}  seconds {seconds:.1f}  rows/s {args.rows / seconds:,.0f}  "
        f"peak RSS {peak_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main()
