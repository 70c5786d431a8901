"""The Dagster side of unattended operation (pipelines/operations/ holds the rules): the nightly schedule, the
raw-folder sensor and the run-failure alert. All three are on by default once `dagster-daemon` runs
(`umkm serve`, deploy/); each skips with a readable reason while another refresh holds the lock."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from dagster import (
    DefaultScheduleStatus,
    DefaultSensorStatus,
    JobDefinition,
    RunFailureSensorContext,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    run_failure_sensor,
    schedule,
    sensor,
)

from pipelines.operations.alerts import write_alert
from pipelines.operations.triggers import DEFAULT_SETTLE_MINUTES, decide, lock_holder
from pipelines.resources import WarehouseResource
from pipelines.settings import NIGHTLY_CRON, TIMEZONE_NAME

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

    Job = JobDefinition | UnresolvedAssetJobDefinition

SENSOR_INTERVAL_SECONDS = 60
# Errors Dagster wraps around ours: the readable reason is their cause.
WRAPPERS = {
    "DagsterExecutionStepExecutionError",
    "DagsterResourceFunctionError",
    "DagsterUserCodeExecutionError",
}


def nightly_schedule(job: Job, warehouse: WarehouseResource) -> ScheduleDefinition:
    @schedule(
        name="nightly_refresh",
        job=job,
        cron_schedule=NIGHTLY_CRON,
        execution_timezone=TIMEZONE_NAME,
        default_status=DefaultScheduleStatus.RUNNING,
        description=f"The nightly refresh ({NIGHTLY_CRON}, {TIMEZONE_NAME}; UMKM_SCHEDULE_CRON).",
    )
    def nightly_refresh(context: ScheduleEvaluationContext):
        if holder := lock_holder(warehouse.paths):
            return SkipReason(f"{holder}: tonight's scheduled refresh is skipped")
        return RunRequest(tags={"umkm/trigger": "schedule"})

    return nightly_refresh


def raw_files_sensor(job: Job, warehouse: WarehouseResource) -> SensorDefinition:
    settle = float(os.environ.get("UMKM_SETTLE_MINUTES") or DEFAULT_SETTLE_MINUTES)

    @sensor(
        name="raw_files_changed",
        job=job,
        minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
        default_status=DefaultSensorStatus.RUNNING,
        description=f"A refresh when files under the raw folder are added or changed and have been still "
        f"for {settle:g} min (UMKM_SETTLE_MINUTES).",
    )
    def raw_files_changed(context: SensorEvaluationContext):
        decision = decide(
            warehouse.raw_path, context.cursor, settle, lock_holder=lock_holder(warehouse.paths)
        )
        if decision.run_key is None:
            return SkipReason(decision.reason)
        context.update_cursor(decision.cursor)
        return RunRequest(run_key=decision.run_key, tags={"umkm/trigger": "raw files changed"})

    return raw_files_changed


def failure_reasons(context: RunFailureSensorContext) -> tuple[list[str], list[str]]:
    """(readable reason lines, failed step keys) of a failed run: our error's message, not Dagster's
    wrappers or a traceback."""
    reasons, steps = [], []
    for event in context.get_step_failure_events():
        error = getattr(event.event_specific_data, "error", None)
        while error is not None and error.cause is not None and error.cls_name in WRAPPERS:
            error = error.cause
        message = " ".join((error.message if error else event.message or "").split())
        steps.append(event.step_key or "?")
        if error is not None and error.cls_name == "RefreshLockedError":  # it wrote nothing: say so
            reasons.append(f"skipped, nothing written: {message[:500]}")
        else:
            reasons.append(f"step {event.step_key} failed: {message[:500]}")
    if not reasons:
        reasons.append(" ".join((context.failure_event.message or "run failed").split())[:500])
    return reasons, steps


def failure_alert_sensor(job: Job, warehouse: WarehouseResource) -> SensorDefinition:
    @run_failure_sensor(
        name="refresh_failure_alert",
        monitored_jobs=[job],
        default_status=DefaultSensorStatus.RUNNING,
        description="Writes alerts/<utc>-<run>.json under the marts folder (and calls the webhook or mail "
        "server when configured) for each failed refresh.",
    )
    def refresh_failure_alert(context: RunFailureSensorContext) -> None:
        reasons, steps = failure_reasons(context)
        run_id = context.dagster_run.run_id
        paths = warehouse.paths
        log = f"Dagster run {run_id} (UI: /runs/{run_id}; compute logs {paths.dagster_home / 'storage'})"
        write_alert(paths, run_id, reasons, failed=steps, log=log, source="dagster-daemon")

    return refresh_failure_alert
