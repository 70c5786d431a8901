"""Run expectation suites against the build warehouse and record what they found.

Results go to three places, each for its reader:
- ``meta.quality_checks`` in the build (so the published warehouse carries its own check results: summary);
- ``WarehousePaths.quality_run_dir(run_id)/<suite>.json`` (Data Docs, ``umkm status``, the failure message);
- the Dagster asset check results (pipelines/assets/checks.py).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipelines.quality.sql import Outcome, Relation, evaluate_suite
from pipelines.quality.suites import Suite
from pipelines.settings import TIMEZONE

CHECKS_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.quality_checks (
    run_id VARCHAR, checked_at TIMESTAMPTZ, suite VARCHAR, relation VARCHAR, expectation_index INTEGER,
    expectation_type VARCHAR, column_name VARCHAR, severity VARCHAR, success BOOLEAN, element_count BIGINT,
    unexpected_count BIGINT, observed_value VARCHAR, first_file VARCHAR, first_row BIGINT,
    first_value VARCHAR, error VARCHAR, rule VARCHAR, notes VARCHAR
)
"""


def default_parameters(now: dt.datetime | None = None) -> dict[str, Any]:
    """Suite parameters available as ``{"$PARAMETER": name}``: today and this_year in WITA, and now."""
    now = now or dt.datetime.now(TIMEZONE)
    return {"today": now.date(), "now": now, "this_year": now.year}


@dataclass
class SuiteResult:
    suite: Suite
    relation: Relation | None
    outcomes: list[Outcome]
    parameters: Mapping[str, Any]
    checked_at: dt.datetime
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def critical_failures(self) -> list[Outcome]:
        return [o for o in self.failed if o.severity == "critical"]

    @property
    def warning_failures(self) -> list[Outcome]:
        return [o for o in self.failed if o.severity == "warning"]

    @property
    def success(self) -> bool:
        return not self.failed

    @property
    def blocking(self) -> bool:
        return bool(self.critical_failures)


def run_suite(con: duckdb.DuckDBPyConnection, suite: Suite, parameters: Mapping[str, Any]) -> SuiteResult:
    started = time.perf_counter()
    checked_at = dt.datetime.now(TIMEZONE)
    relation, outcomes = evaluate_suite(con, suite, parameters)
    return SuiteResult(suite, relation, outcomes, parameters, checked_at, time.perf_counter() - started)


def run_suites(
    con: duckdb.DuckDBPyConnection, suites: Iterable[Suite], parameters: Mapping[str, Any] | None = None
) -> list[SuiteResult]:
    params = parameters or default_parameters()
    return [run_suite(con, suite, params) for suite in suites]


# ---- what staff read when something fails --------------------------------------------------------------


def location(result: SuiteResult, sample: Mapping[str, Any]) -> str:
    """'file permits/NIB Mei 2024.xlsx [Sheet1], row 2' (or the record's key when it has no file)."""
    relation = result.relation
    parts = []
    if relation and relation.file_column and sample.get(relation.file_column) is not None:
        sheet = sample.get(relation.sheet_column) if relation.sheet_column else None
        parts.append(f"file {sample[relation.file_column]}" + (f" [{sheet}]" if sheet else ""))
    if relation and relation.row_column and sample.get(relation.row_column) is not None:
        parts.append(f"row {sample[relation.row_column]}")
    keys = [f"{k}={sample[k]}" for k in result.suite.key_columns if sample.get(k) is not None]
    if keys and not parts:
        parts.append(", ".join(keys))
    return ", ".join(parts) or "(no row: the whole table)"


def failure_lines(result: SuiteResult, outcome: Outcome, limit: int = 5) -> list[str]:
    """One headline per failed expectation, then the first failing rows: file, row, column, value, rule."""
    rule = outcome.expectation.describe(result.parameters)
    columns = ", ".join(outcome.expectation.columns) or "-"
    if outcome.error:
        head = f"{result.suite.name}: column {columns}: rule {rule}: {outcome.error}"
    elif outcome.unexpected_count is not None:
        head = (
            f"{result.suite.name}: column {columns}: rule {rule}: {outcome.unexpected_count:,} of "
            f"{outcome.element_count:,} rows fail"
        )
    else:
        head = f"{result.suite.name}: column {columns}: rule {rule}: observed {_text(outcome.observed_value)}"
    if outcome.expectation.notes:
        head += f" ({outcome.expectation.notes})"
    lines = [head]
    for sample in outcome.samples[:limit]:
        shown = [c for c in outcome.expectation.columns if c in sample]
        values = (
            _text(sample[shown[0]])
            if len(shown) == 1
            else ", ".join(f"{c}={_text(sample.get(c))}" for c in shown)
        )
        if "column" in sample and "problem" in sample:
            values = f"{sample['column']} {sample['problem']}"
        lines.append(
            f"  {location(result, sample)}, column {columns}, value {values or '-'}, rule "
            f"{outcome.expectation.type}"
        )
    if len(outcome.samples) > limit or (outcome.unexpected_count or 0) > len(outcome.samples[:limit]):
        more = (outcome.unexpected_count or len(outcome.samples)) - min(limit, len(outcome.samples))
        if more > 0:
            lines.append(f"  ... and {more:,} more rows")
    return lines


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ---- persistence ---------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def result_to_dict(result: SuiteResult) -> dict[str, Any]:
    return {
        "suite": result.suite.name,
        "relation": result.suite.relation,
        "layer": result.suite.layer,
        "checked_at": result.checked_at.isoformat(),
        "seconds": round(result.seconds, 3),
        "success": result.success,
        "blocking": result.blocking,
        "parameters": _json_value(dict(result.parameters)),
        "file_column": result.relation.file_column if result.relation else None,
        "row_column": result.relation.row_column if result.relation else None,
        "expectations": [
            {
                "type": o.expectation.type,
                "kwargs": _json_value(o.kwargs),
                "severity": o.severity,
                "notes": o.expectation.notes,
                "success": o.success,
                "element_count": o.element_count,
                "missing_count": o.missing_count,
                "unexpected_count": o.unexpected_count,
                "unexpected_percent": o.unexpected_percent,
                "observed_value": _json_value(o.observed_value),
                "samples": _json_value(o.samples),
                "error": o.error,
                "messages": failure_lines(result, o) if not o.success else [],
            }
            for o in result.outcomes
        ],
    }


def write_results(run_dir: Path, results: Sequence[SuiteResult]) -> list[Path]:
    run_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        path = run_dir / f"{result.suite.name}.json"
        path.write_text(json.dumps(result_to_dict(result), indent=1, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def read_results(run_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(run_dir.glob("*.json"))]


def store_results(
    con: duckdb.DuckDBPyConnection, run_id: str, results: Sequence[SuiteResult], fresh: bool = False
) -> None:
    """Replace this run's rows for these suites in meta.quality_checks (the published file carries them).
    ``fresh`` (the first check step of a run) recreates the table, so its columns follow the code."""
    if fresh:
        con.execute("DROP TABLE IF EXISTS meta.quality_checks")
    con.execute(CHECKS_DDL)
    con.execute("DELETE FROM meta.quality_checks WHERE run_id <> ?", [run_id])
    rows = []
    for result in results:
        con.execute("DELETE FROM meta.quality_checks WHERE suite = ?", [result.suite.name])
        for index, o in enumerate(result.outcomes):
            first = o.samples[0] if o.samples else {}
            relation = result.relation
            first_column = o.expectation.columns[0] if o.expectation.columns else None
            rows.append(
                (
                    run_id,
                    result.checked_at,
                    result.suite.name,
                    result.suite.relation,
                    index,
                    o.expectation.type,
                    ", ".join(o.expectation.columns) or None,
                    o.severity,
                    o.success,
                    o.element_count,
                    o.unexpected_count,
                    None if o.observed_value is None else _text(o.observed_value),
                    _text(first[relation.file_column])
                    if relation and relation.file_column in first
                    else None,
                    first.get(relation.row_column) if relation and relation.row_column else None,
                    _text(first[first_column]) if first_column in first else None,
                    o.error,
                    o.expectation.describe(result.parameters),
                    o.expectation.notes,
                )
            )
    if rows:
        con.executemany(f"INSERT INTO meta.quality_checks VALUES ({', '.join(['?'] * 18)})", rows)
