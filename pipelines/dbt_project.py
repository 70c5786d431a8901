"""The dbt project beside this package, and its manifest (dagster-dbt needs it before definitions load)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
_SOURCES = ("models", "macros", "seeds", "tests", "snapshots", "dbt_project.yml", "profiles.yml")

# No telemetry: dbt must never call out at run time.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")

# The dbt installed beside this interpreter, whether or not the virtualenv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


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
            ],
            check=True,
            cwd=DBT_PROJECT_DIR,
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
