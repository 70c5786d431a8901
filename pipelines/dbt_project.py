"""The dbt project beside this package, and its manifest (dagster-dbt needs it before definitions load)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.settings import DEFAULT_REGION, DUCKDB_MEMORY_LIMIT
from pipelines.warehouse import BUILD_FILE_NAME

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
_SOURCES = ("models", "macros", "seeds", "tests", "snapshots", "dbt_project.yml", "profiles.yml")

# No telemetry: dbt must never call out at run time.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")

# The dbt installed beside this interpreter, whether or not the virtualenv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

# The refresh runs dbt in the build folder (pipelines/warehouse.py: the dbt wrapper and the docs step change
# into it) and names the build file relatively, so the profile, and with it the state dbt checks before
# reusing a partial parse, is the same in every marts folder: a marts folder's first refresh starts from the
# project's own partial parse (written by ensure_manifest) instead of parsing the whole project (~8 s CPU
# instead of ~3.5 s on 2 cores). The project's own parse is made for the default region (dbt reparses
# everything when --vars differ).
PARTIAL_PARSE = "partial_parse.msgpack"


def dbt_vars(region_code: str) -> str:
    """The --vars of every dbt command of a refresh: the same vars let a later command (the dictionary's
    `dbt docs generate`) reuse the build's partial parse instead of parsing the project again."""
    return json.dumps({"region_code": region_code})


def dbt_environment() -> dict[str, str]:
    """What a refresh's dbt commands run with, besides the working folder: the build file by its name and
    DuckDB's memory limit (settings.DUCKDB_MEMORY_LIMIT)."""
    return {
        "UMKM_WAREHOUSE_PATH": BUILD_FILE_NAME,
        "UMKM_DUCKDB_MEMORY_LIMIT": DUCKDB_MEMORY_LIMIT,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }


def seed_partial_parse(target: Path) -> bool:
    """Start a dbt target folder that has no partial parse from the project's own; dbt checks it (files,
    vars, profile, version) and reparses what differs. Returns whether it copied."""
    source = dbt_project.manifest_path.with_name(PARTIAL_PARSE)
    if (target / PARTIAL_PARSE).exists() or not source.exists():
        return False
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target / PARTIAL_PARSE)
    return True


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in _SOURCES:
        path = DBT_PROJECT_DIR / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project's files (about 5 s)."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        subprocess.run(
            [
                DBT_EXECUTABLE,
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--vars",
                dbt_vars(DEFAULT_REGION),
            ],
            check=True,
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, **dbt_environment()},
        )
    return manifest


def built_relations(manifest: Path) -> set[tuple[str, str]]:
    """(schema, name) of every table or view the project builds: its models and seeds."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return {
        (node["schema"], node.get("alias") or node["name"])
        for node in nodes
        if node["resource_type"] in {"model", "seed", "snapshot"}
    }
