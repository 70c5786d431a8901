"""The data-quality gate as Dagster asset checks: each suite in ``expectations/`` checks its table's asset.

Two steps, both blocking (dagster-ge does not support GE 1.x; these are our own checks):
- ``raw_expectations`` runs after ingest, before dbt: a failed critical expectation on a raw table stops dbt
  and the publish (nothing built on a broken file);
- ``mart_expectations`` runs after dbt (staging, marts, data_quality_gaps), before the publish.
A suite whose critical expectation fails yields ERROR (blocks everything downstream: the published warehouse
stays as it was); warnings yield WARN (reported, the run goes on).

GE Data Docs are drawn by a child process that the raw step starts (``import great_expectations`` costs
several seconds: it overlaps with dbt) and the mart step finishes (pipelines/quality/docs_process.py).
"""

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from pipelines.assets.guard import PublishRefusedError, check_inputs
from pipelines.progress import step
from pipelines.quality import docs_process
from pipelines.quality.gate import GateReport, record_status, run_gate
from pipelines.quality.runner import SuiteResult, failure_lines
from pipelines.quality.suites import Suite, load_suites
from pipelines.resources import WarehouseResource

log = logging.getLogger(__name__)

CHECK_NAME = "expectations"
RAW_CHECKS = "raw_expectations"
MART_CHECKS = "mart_expectations"


def suite_asset_key(suite: Suite) -> AssetKey:
    """raw.oss_nib -> raw/oss_nib (ingest); marts.msme_businesses -> marts/msme_businesses (dagster-dbt)."""
    return AssetKey(suite.relation.split("."))


def _metadata(result: SuiteResult, docs: Path) -> dict:
    lines = [line for o in result.failed for line in failure_lines(result, o)]
    return {
        "relation": result.suite.relation,
        "expectations": len(result.outcomes),
        "passed": len(result.outcomes) - len(result.failed),
        "failed_critical": len(result.critical_failures),
        "failed_warning": len(result.warning_failures),
        "failures": MetadataValue.md("\n".join(f"- `{line.strip()}`" for line in lines[:40]) or "none"),
        "seconds": round(result.seconds, 3),
        "data_docs": MetadataValue.path(str(docs / "index.html")),
    }


def _log(layer: str, report: GateReport) -> None:
    critical = sum(len(r.critical_failures) for r in report.results)
    warnings = sum(len(r.warning_failures) for r in report.results)
    step(
        "quality %-6s  %d suites, %d expectations passed, %d critical failed, %d warnings",
        layer,
        len(report.results),
        report.passed,
        critical,
        warnings,
    )
    for result in report.blocking:
        for outcome in result.critical_failures:
            for line in failure_lines(result, outcome, limit=3):
                step("quality %-6s  %s", layer, line)


def expectation_checks(
    name: str, layer: str, suites: Sequence[Suite], after: Sequence[AssetKey] = ()
) -> AssetChecksDefinition:
    """``after``: assets the step must wait for besides the suites' own (every ingest asset, for the raw step:
    raw.ingest_files is written by all of them)."""
    specs = [
        AssetCheckSpec(
            CHECK_NAME,
            asset=suite_asset_key(s),
            blocking=True,
            additional_deps=[k for k in after if k != suite_asset_key(s)],
            description=f"GE suite {s.name} ({len(s.expectations)} expectations, "
            f"{sum(e.severity == 'critical' for e in s.expectations)} critical): "
            f"{s.meta.get('description', '')}",
        )
        for s in suites
    ]

    @multi_asset_check(
        specs=specs,
        name=name,
        description=f"Great Expectations suites of the {layer} layer (expectations/*.json), in DuckDB SQL; "
        "a failed critical expectation blocks the publish.",
    )
    def _check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> Iterable[AssetCheckResult]:
        paths = warehouse.paths
        run_id = context.op_execution_context.run_id
        info = {
            "region_code": warehouse.region_code,
            "raw_dir": str(warehouse.raw_path),
            "marts_dir": str(paths.marts_dir),
        }
        with warehouse.connect() as con:
            if layer == "raw":  # publish guard: nothing recognised to publish -> stop before dbt
                try:
                    check_inputs(con, warehouse.raw_path)
                except PublishRefusedError as refusal:
                    record_status(paths, run_id, {**info, "refused": str(refusal)})
                    raise
            report = run_gate(con, paths, run_id, layer, suites=suites, context=info)
        _log(layer, report)
        if layer == "raw":
            docs_process.start(paths, run_id)
            if report.blocking:  # nothing else will run: finish the docs now
                docs_process.finish(run_id)
        else:
            if not docs_process.started(run_id):  # the raw step ran in another process (re-execution)
                docs_process.start(paths, run_id)
            docs_process.finish(run_id, ["marts"])
        for result in report.results:
            yield AssetCheckResult(
                asset_key=suite_asset_key(result.suite),
                check_name=CHECK_NAME,
                passed=result.success,
                severity=AssetCheckSeverity.ERROR if result.blocking else AssetCheckSeverity.WARN,
                metadata=_metadata(result, paths.docs_dir),
            )

    return _check


def build_expectation_checks(
    asset_keys: Iterable[AssetKey], ingest_keys: Sequence[AssetKey] = ()
) -> list[AssetChecksDefinition]:
    """One raw and one mart check step over every suite whose table is an asset of the code location.
    ``ingest_keys``: the assets the ingest steps materialise (the raw step runs after all of them)."""
    known = set(asset_keys) | set(ingest_keys)
    suites = load_suites()
    unknown = [s.name for s in suites if suite_asset_key(s) not in known]
    if unknown:
        log.warning("suites without a matching asset (not run): %s", ", ".join(unknown))
    raw = [s for s in suites if s.layer == "raw" and suite_asset_key(s) in known]
    marts = [s for s in suites if s.layer != "raw" and suite_asset_key(s) in known]
    checks = []
    if raw:
        checks.append(expectation_checks(RAW_CHECKS, "raw", raw, after=ingest_keys))
    if marts:
        checks.append(expectation_checks(MART_CHECKS, "marts", marts))
    return checks
