"""The gate as one call per layer, independent of Dagster (pipelines/assets/checks.py wraps it).

``run_gate(con, paths, run_id, "raw")`` runs after ingest and before dbt; ``"marts"`` after dbt, before
publish. Each stores its results (meta.quality_checks, ``paths.quality_run_dir(run_id)``), updates
``paths.status_file`` (what ``umkm status`` shows) and reports whether a critical expectation failed. Where
those files live is WarehousePaths' business (pipelines/warehouse.py); the newest runs are kept by the
refresh's tidy step (WarehouseResource.tidy).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipelines.quality.runner import (
    SuiteResult,
    default_parameters,
    read_results,
    run_suites,
    store_results,
    write_results,
)
from pipelines.quality.suites import Suite, load_suites
from pipelines.settings import TIMEZONE
from pipelines.summary import open_gaps_by_type
from pipelines.warehouse import WarehousePaths, table_exists

LAYERS = ("raw", "marts")


def suites_for(layer: str, suites: Sequence[Suite] | None = None) -> list[Suite]:
    """'raw' = suites of raw.* tables (checked before dbt); 'marts' = every other schema (after dbt)."""
    every = list(suites) if suites is not None else load_suites()
    return [s for s in every if (s.layer == "raw") == (layer == "raw")]


@dataclass
class GateReport:
    layer: str
    run_id: str
    results: list[SuiteResult]
    gaps_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def blocking(self) -> list[SuiteResult]:
        return [r for r in self.results if r.blocking]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results for o in r.outcomes if o.success)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results for o in r.outcomes if not o.success)


def run_gate(
    con: duckdb.DuckDBPyConnection,
    paths: WarehousePaths,
    run_id: str,
    layer: str,
    *,
    suites: Sequence[Suite] | None = None,
    parameters: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> GateReport:
    """Validate the layer's suites on the open build connection and record the results everywhere."""
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {LAYERS}")
    results = run_suites(con, suites_for(layer, suites), parameters or default_parameters())
    store_results(con, run_id, results, fresh=layer == "raw")
    write_results(paths.quality_run_dir(run_id), results)
    report = GateReport(layer, run_id, results)
    update: dict[str, Any] = {f"checked_{layer}": dt.datetime.now(TIMEZONE).isoformat(timespec="seconds")}
    if layer == "raw":
        update["inputs"] = ingest_inputs(con)
    else:
        report.gaps_by_type = open_gaps_by_type(con)
        update["gaps_by_type"] = report.gaps_by_type
    update["suites"] = {r["suite"]: _suite_status(r) for r in read_results(paths.quality_run_dir(run_id))}
    record_status(paths, run_id, {**(context or {}), **update})
    return report


def _suite_status(result: Mapping[str, Any]) -> dict[str, Any]:
    failed = [e for e in result["expectations"] if not e["success"]]
    return {
        "layer": result["layer"],
        "success": result["success"],
        "blocking": result["blocking"],
        "passed": len(result["expectations"]) - len(failed),
        "failed_critical": sum(1 for e in failed if e["severity"] == "critical"),
        "failed_warning": sum(1 for e in failed if e["severity"] == "warning"),
        "failures": [{"severity": e["severity"], "messages": e["messages"]} for e in failed],
    }


def ingest_inputs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The files this refresh read (raw.ingest_files), for `umkm status`."""
    if not table_exists(con, "raw", "ingest_files"):
        return []
    cursor = con.execute(
        "SELECT source, path, sheet, status, family, file_date, rows_read, rows_loaded, rows_rejected, "
        "rows_skipped, [s.reason FOR s IN skipped_rows] AS skipped_reasons, date_orders "
        "FROM raw.ingest_files ORDER BY source, path, sheet"
    )
    names = [d[0] for d in cursor.description]
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


# ---- status.json ---------------------------------------------------------------------------------------


def read_status(paths: WarehousePaths) -> dict[str, Any]:
    path = paths.status_file
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record_status(paths: WarehousePaths, run_id: str, update: Mapping[str, Any]) -> dict[str, Any]:
    """Merge into the latest refresh's status; a new run id starts a fresh status."""
    status = read_status(paths)
    if status.get("run_id") != run_id:
        status = {"run_id": run_id}
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(status.get(key), dict):
            status[key] = {**status[key], **value}
        else:
            status[key] = value
    path = paths.status_file
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(status, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(partial, path)
    return status


def blocking_messages(paths: WarehousePaths, run_id: str, limit: int = 5) -> list[str]:
    """Every failed critical expectation of the run, with the file, row, column and rule of its first rows."""
    lines: list[str] = []
    for result in read_results(paths.quality_run_dir(run_id)):
        for expectation in result["expectations"]:
            if not expectation["success"] and expectation["severity"] == "critical":
                lines.extend(expectation["messages"][: limit + 1])
    return lines
