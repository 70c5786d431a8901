"""Publish the gated build: only reached when every upstream asset and blocking check succeeded, and only when
the publish guard agrees (pipelines/assets/guard.py): something in the region, no headline figure fallen by
more than the allowed share against the published warehouse unless the operator allowed it."""

import datetime as dt
import json

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from pipelines.assets.dbt import warehouse_dbt_models
from pipelines.assets.guard import (
    PublishRefusedError,
    check_region,
    check_shrink,
    compare_with_published,
    headline_figures,
)
from pipelines.progress import step
from pipelines.quality.gate import record_status
from pipelines.resources import WarehouseResource
from pipelines.settings import region_name
from pipelines.warehouse import connect_published_internal, publish, read_history

PUBLISHED_KEY = AssetKey(["warehouse", "published"])

META_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE OR REPLACE TABLE meta.refresh AS
SELECT ?::VARCHAR AS run_id, ?::TIMESTAMPTZ AS built_at, ?::VARCHAR AS region_code, ?::VARCHAR AS raw_dir,
    ?::BOOLEAN AS allow_shrink, ?::DOUBLE AS max_shrink_share, ?::VARCHAR AS shrink_decision,
    ?::JSON AS headline_before, ?::JSON AS headline_after
"""


def _published_figures(warehouse: WarehouseResource) -> dict | None:
    """The published warehouse's headline figures: recorded at its publish (published.jsonl), else read."""
    paths = warehouse.paths
    if not paths.published.exists():
        return None
    current = paths.published.resolve().name
    for entry in reversed(read_history(paths)):
        if entry.get("release") == current and isinstance(entry.get("headline"), dict):
            return entry["headline"]
    with connect_published_internal(paths) as con:
        return headline_figures(con)


@asset(
    key=PUBLISHED_KEY,
    deps=list(warehouse_dbt_models.keys),
    group_name="publish",
    kinds={"duckdb"},
    description="The read-only warehouse analysts open (marts_dir/warehouse.duckdb, readable by DuckDB 1.x "
    "clients too) and every mart as Parquet (marts_dir/published_parquet/), swapped in atomically when the "
    "publish guard agrees.",
)
def published_warehouse(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    built_at = dt.datetime.now(dt.UTC)
    with warehouse.connect() as con:
        after = headline_figures(con)
        decision = compare_with_published(after, _published_figures(warehouse), warehouse.max_shrink_share)
        try:
            check_region(con, warehouse.region_code, region_name(warehouse.region_code), after)
            check_shrink(decision, warehouse.max_shrink_share, warehouse.allow_shrink)
        except PublishRefusedError as refusal:
            record_status(warehouse.paths, context.run.run_id, {"refused": str(refusal)})
            raise
        shrink = f"published on purpose with --allow-shrink: {decision.text}" if decision.drops else None
        con.execute(
            META_DDL,
            [
                context.run.run_id,
                built_at,
                warehouse.region_code,
                str(warehouse.raw_path),
                warehouse.allow_shrink,
                warehouse.max_shrink_share,
                shrink,
                json.dumps(decision.before),
                json.dumps(after),
            ],
        )
    if shrink:
        step("publish         %s", shrink)
    release = publish(
        warehouse.paths,
        context.run.run_id,
        {"allow_shrink": warehouse.allow_shrink, "shrink_decision": shrink, "headline": after},
    )
    step("publish         %s -> %s", warehouse.paths.published, release.name)
    parquet = warehouse.paths.release_parquet_dir(release.name)
    step(
        "publish         %s -> %s",
        warehouse.paths.published_parquet,
        parquet.relative_to(warehouse.paths.marts_dir),
    )
    return MaterializeResult(
        metadata={
            "release": str(release),
            "parquet": str(parquet),
            "built_at": built_at.isoformat(),
            "shrink_decision": shrink or "none",
        }
    )
