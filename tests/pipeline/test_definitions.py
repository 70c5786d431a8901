"""The Dagster code location loads, and holds the assets, checks and schedule the refresh relies on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster import AssetKey

REPO = Path(__file__).resolve().parents[2]


def test_dagster_definitions_validate():
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "DO_NOT_TRACK": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation successful" in result.stdout + result.stderr


def test_lineage_runs_raw_to_staging_to_marts_to_publish():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    staging = AssetKey(["staging", "stg_oss__businesses"])
    assert AssetKey(["raw", "oss_nib"]) in graph.get(staging).parent_keys
    mart = AssetKey(["marts", "msme_businesses"])
    assert mart in graph.materializable_asset_keys
    assert mart in graph.get(AssetKey(["warehouse", "published"])).parent_keys
    assert defs.resolve_job_def("refresh") is not None
    assert [s.name for s in defs.schedules] == ["nightly_refresh"]


def test_dbt_tests_become_asset_checks():
    from pipelines.definitions import defs

    checks = defs.resolve_asset_graph().asset_check_keys
    assert any(check.asset_key == AssetKey(["staging", "stg_oss__businesses"]) for check in checks)


def test_dbt_runs_without_an_in_process_adapter(monkeypatch):
    """dagster-dbt would load dbt's adapter and parse every macro in this process before each dbt command
    (only for column metadata and row counts, unused here): the resource the refresh gets must not."""
    import dbt.adapters.factory

    from pipelines.definitions import defs

    resource = defs.resources["dbt"]
    registered = []
    monkeypatch.setattr(dbt.adapters.factory, "register_adapter", lambda *a, **k: registered.append(a))
    assert resource._initialize_dbt_core_adapter(["build"]) is None
    assert registered == []


def test_dbt_version_is_read_without_starting_dbt(monkeypatch):
    """dagster-dbt runs `dbt --version` (a whole dbt start, ~1.8 s) before each dbt command to learn the
    version: the refresh's resource reads the installed dbt-core's metadata instead, the same answer."""
    from importlib import metadata

    import dagster_dbt.core.resource
    from packaging import version

    from pipelines.definitions import defs

    started = []
    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", lambda *a, **k: started.append(a))
    found = defs.resources["dbt"]._cli_version
    assert started == []
    assert found == version.parse(metadata.version("dbt-core")) and found.major == 1


def test_each_models_not_null_check_has_a_fixed_name():
    """One not_null_columns check per model or seed, named after it (the .yml's `name:`), so that listing
    another required column keeps the asset check and its history instead of starting a new one."""
    from pipelines.definitions import defs

    checks = [c for c in defs.resolve_asset_graph().asset_check_keys if c.name.startswith("not_null_columns")]
    assert len(checks) > 50
    misnamed = sorted(c.name for c in checks if c.name != f"not_null_columns_{c.asset_key.path[-1]}")
    assert misnamed == []
    assert len({check.asset_key for check in checks}) == len(checks)
