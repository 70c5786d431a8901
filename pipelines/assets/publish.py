"""Publish the gated build: only reached when every upstream asset and blocking check succeeded."""

import datetime as dt

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from pipelines.assets.dbt import warehouse_dbt_models
from pipelines.progress import step
from pipelines.resources import WarehouseResource
from pipelines.warehouse import publish

PUBLISHED_KEY = AssetKey(["warehouse", "published"])

META_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE OR REPLACE TABLE meta.refresh AS
SELECT ?::VARCHAR AS run_id, ?::TIMESTAMPTZ AS built_at, ?::VARCHAR AS region_code, ?::VARCHAR AS raw_dir
"""


@asset(
    key=PUBLISHED_KEY,
    deps=list(warehouse_dbt_models.keys),
    group_name="publish",
    kinds={"duckdb"},
    description="The read-only warehouse analysts open (marts_dir/warehouse.duckdb), swapped in atomically.",
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    built_at = dt.datetime.now(dt.UTC)
    with warehouse.connect() as con:
        con.execute(META_DDL, [context.run_id, built_at, warehouse.region_code, str(warehouse.raw_path)])
    release = publish(warehouse.paths, context.run_id)
    step("publish         %s -> %s", warehouse.paths.published, release.name)
    return MaterializeResult(metadata={"release": str(release), "built_at": built_at.isoformat()})
