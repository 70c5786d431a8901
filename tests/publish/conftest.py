"""Publish tests (issue 12, "Opens everywhere"): the release a DuckDB 1.x client opens, its Parquet copies,
and the pointers that rollback and pruning keep right.

The 1.x client lives in its own virtual environment, created here on first use (``pip install 'duckdb<2'``)
and reused afterwards: ~/.cache/umkm-tests/duckdb1, or $UMKM_DUCKDB1_VENV. When it cannot be created the tests
that need it fail: a 1.x client that was never tried proves nothing."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import WarehousePaths

DUCKDB1_VENV = Path(os.environ.get("UMKM_DUCKDB1_VENV", Path.home() / ".cache" / "umkm-tests" / "duckdb1"))
# pytz: the 1.x Python client needs it to hand TIMESTAMPTZ values to Python.
DUCKDB1_REQUIREMENTS = ("duckdb>=1.2,<2", "pytz")

# What the 1.x client runs: every table and view of the given schemas read whole (fetchall decodes every
# value), as JSON {schema.table: {"rows": n, "columns": [...]}}, plus its version and the comments it sees.
READ_EVERYTHING = """
import json, sys
import duckdb
path, schemas = sys.argv[1], sys.argv[2].split(",")
con = duckdb.connect(path, read_only=True)
con.execute("SET enable_progress_bar = false")  # stdout is the JSON
tables = con.execute(
    "SELECT table_schema, table_name FROM information_schema.tables "
    "WHERE table_schema IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1, 2", [schemas]).fetchall()
out = {"version": duckdb.__version__, "tables": {}}
for schema, table in tables:
    cursor = con.execute(f'SELECT * FROM "{schema}"."{table}"')
    rows = cursor.fetchall()
    out["tables"][f"{schema}.{table}"] = {"rows": len(rows), "columns": [d[0] for d in cursor.description]}
out["table_comments"] = con.execute(
    "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() WHERE comment IS NOT NULL "
    "ORDER BY 1").fetchall()
out["column_comments"] = con.execute(
    "SELECT schema_name || '.' || table_name || '.' || column_name, comment FROM duckdb_columns() "
    "WHERE comment IS NOT NULL ORDER BY 1").fetchall()
print(json.dumps(out))
"""


def _python_of(venv: Path) -> Path:
    return venv / "bin" / "python"


def _has_duckdb1(python: Path) -> bool:
    if not python.exists():
        return False
    probe = "import duckdb, pytz, sys; sys.exit(0 if duckdb.__version__.startswith('1.') else 1)"
    return subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def duckdb1_python() -> Path:
    """The Python of a virtual environment holding DuckDB 1.x, created once and reused (a lock keeps two
    test workers from building it at the same time)."""
    python = _python_of(DUCKDB1_VENV)
    if _has_duckdb1(python):
        return python
    DUCKDB1_VENV.parent.mkdir(parents=True, exist_ok=True)
    with (DUCKDB1_VENV.parent / f".{DUCKDB1_VENV.name}.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _has_duckdb1(python):
            return python
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(DUCKDB1_VENV)],
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *DUCKDB1_REQUIREMENTS,
            ],
        ]
        for command in steps:
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
            if result.returncode != 0:
                pytest.fail(
                    f"cannot create the DuckDB 1.x environment {DUCKDB1_VENV} ({' '.join(command)}): "
                    f"{(result.stderr or result.stdout).strip()[-800:]}"
                )
    if not _has_duckdb1(python):
        pytest.fail(f"{DUCKDB1_VENV} was created but does not import DuckDB 1.x")
    return python


def read_with_duckdb1(python: Path, database: Path, schemas: tuple[str, ...]) -> dict:
    """Everything a DuckDB 1.x client reads from ``database`` (READ_EVERYTHING's JSON)."""
    result = subprocess.run(
        [str(python), "-c", READ_EVERYTHING, str(database), ",".join(schemas)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"DuckDB 1.x could not read {database}: {result.stderr.strip()[-1500:]}"
    return json.loads(result.stdout)


# ---- a hand-written build ----------------------------------------------------------------------------------

BUILD_SQL = """
CREATE SCHEMA marts;
CREATE SCHEMA meta;
CREATE TABLE marts.business_counts (
    kecamatan VARCHAR, scale VARCHAR, businesses BIGINT, revenue HUGEINT, share DOUBLE,
    amount DECIMAL(18, 2), first_registered DATE, loaded_at TIMESTAMPTZ, waiting INTERVAL,
    attributes JSON, kbli_codes VARCHAR[]
);
INSERT INTO marts.business_counts VALUES
    ('Balikpapan Kota', 'mikro', 12, 1250000000, 0.5, 12.50, DATE '2024-01-31',
     TIMESTAMPTZ '2024-02-01 08:00:00+08', INTERVAL 3 DAY, '{"a": 1}', ['56101', '47111']),
    ('Balikpapan Utara', 'kecil', 3, 9000000000000000000, NULL, NULL, NULL, NULL, NULL, NULL, []),
    ('Balikpapan''s "quoted"', 'menengah', 0, -5, 1.25, -1.00, DATE '2023-12-01',
     TIMESTAMPTZ '2023-12-01 00:00:00+00', INTERVAL 90 MINUTE, '[]', NULL);
CREATE TABLE marts.empty_mart (id BIGINT, label VARCHAR);
CREATE VIEW marts.business_totals AS SELECT scale, sum(businesses) AS businesses FROM marts.business_counts
    GROUP BY scale;
CREATE TABLE raw.not_a_mart AS SELECT 1 AS x;
COMMENT ON TABLE marts.business_counts IS 'Jumlah usaha per kecamatan dan skala';
COMMENT ON COLUMN marts.business_counts.businesses IS 'Number of businesses (Jumlah usaha)';
COMMENT ON COLUMN marts.business_counts.kecamatan IS 'Kecamatan name as in the Kemendagri code list';
"""


def make_build(marts: Path, run_id: str | None = None) -> WarehousePaths:
    """A build file as a refresh leaves it: marts (with comments and awkward types), a non-mart schema and
    meta.refresh."""
    paths = WarehousePaths(marts)
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_file)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        if not con.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'marts'"
        ).fetchone()[0]:
            con.execute(BUILD_SQL)
        con.execute(
            "CREATE OR REPLACE TABLE meta.refresh AS SELECT ?::VARCHAR AS run_id, "
            "?::TIMESTAMPTZ AS built_at, '64.71' AS region_code, 'raw' AS raw_dir",
            [run_id or uuid.uuid4().hex, dt.datetime.now(dt.UTC)],
        )
    return paths
