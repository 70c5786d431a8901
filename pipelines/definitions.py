"""The one Dagster code location: `dagster dev -m pipelines.definitions` and `umkm refresh` both use it."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    AssetSpec,
    Definitions,
    define_asset_job,
    in_process_executor,
)

from pipelines.assets.checks import build_expectation_checks
from pipelines.assets.dbt import WarehouseDbtCliResource, warehouse_dbt_models
from pipelines.assets.dbt_translator import PUBLISHED_CATALOG, TABLE_NAME, source_specs
from pipelines.assets.dictionary import data_dictionary
from pipelines.assets.export import period_export
from pipelines.assets.ingest import source_asset
from pipelines.assets.publish import published_warehouse
from pipelines.assets.sensors import failure_alert_sensor, nightly_schedule, raw_files_sensor
from pipelines.dbt_project import DBT_EXECUTABLE, dbt_project
from pipelines.ingest import cooperatives, events, permits
from pipelines.resources import WarehouseResource

REFRESH_JOB = "refresh"

ingest_permits = source_asset(
    "permits", permits.FAMILIES, "OSS RBA exports (NIB list, project list, permit list) from raw/permits/"
)
ingest_cooperatives = source_asset(
    "cooperatives",
    cooperatives.FAMILIES,
    "Cooperative registry updates (pemutakhiran) and health assessments from raw/cooperatives/",
)
ingest_events = source_asset(
    "events", events.FAMILIES, "Event attendance lists, event details and partners from raw/events/"
)


def _published_raw_table(spec: AssetSpec) -> AssetSpec:
    """A landed raw table's storage as analysts find it: warehouse.raw.<family> (like the dbt assets')."""
    table = f"{PUBLISHED_CATALOG}.{'.'.join(spec.key.path)}"
    return spec.merge_attributes(metadata={TABLE_NAME: table})


ingest_permits, ingest_cooperatives, ingest_events = (
    asset.map_asset_specs(_published_raw_table)
    for asset in (ingest_permits, ingest_cooperatives, ingest_events)
)


def build_definitions(warehouse: WarehouseResource) -> Definitions:
    refresh = define_asset_job(
        REFRESH_JOB,
        # Checks too: the gate's checks on raw.ingest_files/ingest_rejects (dbt sources) are not in all().
        selection=AssetSelection.all() | AssetSelection.all_asset_checks(),
        description="Full refresh: ingest, dbt build and tests, publish.",
    )
    ingest_keys = [*ingest_permits.keys, *ingest_cooperatives.keys, *ingest_events.keys]
    return Definitions(
        assets=[
            ingest_permits,
            ingest_cooperatives,
            ingest_events,
            warehouse_dbt_models,
            published_warehouse,
            period_export,
            data_dictionary,
            # raw.ingest_files and raw.ingest_rejects: dbt sources every ingest asset writes into.
            *source_specs(dbt_project.manifest_path, set(ingest_keys)),
        ],
        # Great Expectations suites (expectations/*.json) as blocking asset checks: the quality gate.
        asset_checks=build_expectation_checks(
            [*ingest_keys, *warehouse_dbt_models.keys, *warehouse_dbt_models.dependency_keys], ingest_keys
        ),
        jobs=[refresh],
        # One DuckDB build file takes one writer at a time: steps run one after another, in one process.
        executor=in_process_executor,
        # On by default under dagster-daemon (`umkm serve`): the nightly refresh, new raw files, alerts.
        schedules=[nightly_schedule(refresh, warehouse)],
        sensors=[raw_files_sensor(refresh, warehouse), failure_alert_sensor(refresh, warehouse)],
        resources={
            "warehouse": warehouse,
            "dbt": WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        },
    )


defs = build_definitions(WarehouseResource.from_env())
