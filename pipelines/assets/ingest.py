"""One Dagster asset per raw source folder: land its export files into raw.<family> tables of the build."""

from collections.abc import Sequence

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from pipelines.ingest.landing import land_source
from pipelines.ingest.loader import FileReport
from pipelines.ingest.spec import Family
from pipelines.progress import step
from pipelines.resources import WarehouseResource

RAW_SCHEMA = "raw"


def raw_key(table: str) -> AssetKey:
    return AssetKey([RAW_SCHEMA, table])


def source_asset(source: str, families: Sequence[Family], description: str):
    @multi_asset(
        name=f"ingest_{source}",
        specs=[
            AssetSpec(
                raw_key(f.name), description=f.description, group_name="raw", kinds={"python", "duckdb"}
            )
            for f in families
        ],
        description=description,
    )
    def _ingest(context: AssetExecutionContext, warehouse: WarehouseResource):
        folder = warehouse.raw_path / source
        with warehouse.connect() as con:
            reports, incremental = land_source(
                con, warehouse.raw_path, source, families, full=warehouse.full_ingest
            )
        if not reports:
            step("ingest %-13s no files in %s: nothing to load", source, folder)
        _log_reports(source, reports, incremental)
        for family in families:
            mine = [r for r in reports if r.family == family.name]
            yield MaterializeResult(
                asset_key=raw_key(family.name),
                metadata={
                    "files": len({r.path for r in mine}),
                    "rows_read": sum(r.rows_read for r in mine),
                    "rows_loaded": sum(r.rows_loaded for r in mine),
                    "rows_rejected": sum(r.rows_rejected for r in mine),
                },
            )

    return _ingest


def _log_reports(source: str, reports: Sequence[FileReport], incremental: bool) -> None:
    files = {r.path for r in reports}
    skipped = [r for r in reports if r.status == "duplicate"]
    reused = {r.path for r in reports if r.reused}
    problems = [r for r in reports if r.status in {"unrecognised", "unreadable", "unsupported"}]
    if reports:
        step(
            "ingest %-13s %d files (%d duplicate, %s), %s rows read, %s loaded, %s rejected",
            source,
            len(files),
            len(skipped),
            f"{len(reused)} unchanged kept from the last landing" if incremental else "full landing",
            f"{sum(r.rows_read for r in reports):,}",
            f"{sum(r.rows_loaded for r in reports):,}",
            f"{sum(r.rows_rejected for r in reports):,}",
        )
    for report in problems:  # one line per file: the traceback, if any, is in the refresh's log file
        message = " ".join((report.message or "").split())
        step("ingest %-13s %s [%s]: %s", source, report.path, report.sheet or "-", message[:300])
