"""Run `dbt build` on a selection into a given DuckDB file, for tests that skip the Dagster refresh."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pipelines.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR


def dbt_build(database: Path, selection: str, dbt_vars: dict[str, object], work: Path) -> None:
    """Build `selection` (with its dbt tests) into `database`; fails the test with dbt's output tail."""
    result = run_dbt_build(database, selection, dbt_vars, work)
    assert result.returncode == 0, result.stdout[-4000:]


def run_dbt_build(
    database: Path, selection: str, dbt_vars: dict[str, object], work: Path
) -> subprocess.CompletedProcess[str]:
    """`dbt build` of `selection` into `database`, whatever its outcome (compiled SQL under work/target)."""
    return subprocess.run(
        [
            DBT_EXECUTABLE,
            "build",
            "--select",
            selection,
            "--vars",
            json.dumps(dbt_vars),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            # Its own target and logs: never the manifest the Dagster code location reads.
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "UMKM_WAREHOUSE_PATH": str(database), "DO_NOT_TRACK": "1"},
    )
