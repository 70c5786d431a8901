"""The one Dagster code location: `dagster dev -m pipelines.definitions` and `umkm refresh` both use it."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, ScheduleDefinition, define_asset_job, in_process_executor
from dagster_dbt import DbtCliResource

from pipelines.assets.dbt import warehouse_dbt_models
from pipelines.assets.ingest import source_asset
from pipelines.assets.publish import published_warehouse
from pipelines.dbt_project import DBT_EXECUTABLE, dbt_project
from pipelines.ingest import cooperatives, events, permits
from pipelines.resources import WarehouseResource
from pipelines.summary import TIMEZONE

REFRESH_JOB = "refresh"

ingest_permits = source_asset(
    "permits", permits.FAMILIES, "OSS RBA exports (NIB list, project list, permit list) from raw/permits/"
)
ingest_cooperatives = source_asset(
    "cooperatives", cooperatives.FAMILIES,
    "Cooperative registry updates (pemutakhiran) and health assessments from raw/cooperatives/",
)
ingest_events = source_asset(
    "events", events.FAMILIES, "Event attendance lists, event details and partners from raw/events/"
)


def build_definitions(warehouse: WarehouseResource) -> Definitions:
    refresh = define_asset_job(REFRESH_JOB, selection=AssetSelection.all(),
                               description="Full refresh: ingest, dbt build and tests, publish.")
    nightly = ScheduleDefinition(name="nightly_refresh", job=refresh, cron_schedule="0 2 * * *",
                                 execution_timezone=TIMEZONE)
    return Definitions(
        assets=[ingest_permits, ingest_cooperatives, ingest_events, warehouse_dbt_models, published_warehouse],
        jobs=[refresh],
        # One DuckDB build file takes one writer at a time: steps run one after another, in one process.
        executor=in_process_executor,
        schedules=[nightly],
        resources={
            "warehouse": warehouse,
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        },
    )


defs = build_definitions(WarehouseResource.from_env())
