"""One source's landing into the build file: incremental by default, full on request or when it must be.

The build file (build/warehouse.duckdb) persists between refreshes, so its raw.* tables are the previous
landing. They are reused only when they were written by this same landing code (meta.ingest_landing names
the version of the code, DuckDB and the spreadsheet reader that wrote them); otherwise, or with `--full`, the
source is dropped and every file lands again. Whatever the mode, raw.* ends up equal to a full landing of
the same files (tests/ingest/test_incremental.py compares them table by table).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import duckdb

from pipelines.ingest.loader import FileReport, SourceLoader
from pipelines.ingest.spec import Family
from pipelines.warehouse import table_exists

STATE_DDL = """
CREATE TABLE IF NOT EXISTS meta.ingest_landing (source VARCHAR, landing_version VARCHAR, landed_at TIMESTAMP)
"""
_CODE_DIR = Path(__file__).parent


def landing_version() -> str:
    """A digest of everything that decides what a file lands as: the ingest package's code and parse macros,
    and the versions of DuckDB and the spreadsheet reader. Any change means a full landing."""
    digest = hashlib.sha256()
    for path in sorted([*_CODE_DIR.glob("*.py"), *_CODE_DIR.glob("*.sql")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(duckdb.__version__.encode())
    digest.update(metadata.version("python-calamine").encode())
    return digest.hexdigest()


def clear_source(con: duckdb.DuckDBPyConnection, source: str, families: Sequence[Family]) -> None:
    """A full landing re-lands a source from all its files: drop what the previous run landed for it."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for family in families:
        con.execute(f"DROP TABLE IF EXISTS raw.{family.name}")
    for table in ("ingest_files", "ingest_rejects"):
        if table_exists(con, "raw", table):
            con.execute(f"DELETE FROM raw.{table} WHERE source = ?", [source])


def land_source(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    source: str,
    families: Sequence[Family],
    *,
    full: bool = False,
) -> tuple[list[FileReport], bool]:
    """Land ``source``'s folder; returns its reports and whether the landing was incremental."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(STATE_DDL)
    version = landing_version()
    previous = con.execute(
        "SELECT landing_version FROM meta.ingest_landing WHERE source = ?", [source]
    ).fetchall()
    incremental = not full and previous == [(version,)]
    # Forgotten until the landing ends: a refresh cut short in the middle leads to a full landing next time
    # rather than to trusting tables it left half-cleared.
    con.execute("DELETE FROM meta.ingest_landing WHERE source = ?", [source])
    if not incremental:
        clear_source(con, source, families)
    reports = SourceLoader(con, raw_dir, source, families).load_all(reuse=incremental)
    con.execute("INSERT INTO meta.ingest_landing VALUES (?, ?, now())", [source, version])
    return reports, incremental
