"""After each successful publish, the current period's recap (pipelines/reports): workbook, CSVs and HTML page
in marts_dir/exports/<year>/, so the office finds this year's recap without running `umkm export`.

The warehouse is already published when this runs: a failed export is reported (progress line, Dagster log,
metadata) but does not fail the refresh, whose result stands."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from pipelines.assets.publish import PUBLISHED_KEY
from pipelines.progress import step
from pipelines.reports import current_period, export_period
from pipelines.resources import WarehouseResource
from pipelines.warehouse import connect_published_internal

EXPORT_KEY = AssetKey(["warehouse", "export"])


@asset(
    key=EXPORT_KEY,
    deps=[PUBLISHED_KEY],
    group_name="publish",
    kinds={"xlsx", "csv", "html"},
    description="The current year's recap for officials (workbook, CSVs, offline HTML page) under "
    "marts_dir/exports/<year>/, written from the published warehouse.",
)
def period_export(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths
    try:
        period = current_period(paths, connect_published_internal)
        if period is None:
            step("export          no dated data in the published warehouse: nothing to export")
            return MaterializeResult(metadata={"exported": "nothing: no dated data"})
        written = export_period(paths, period, connect=connect_published_internal)
    except Exception as error:  # the publish stands whatever went wrong here: report it, do not fail the run
        context.log.error(f"export failed: {error}")
        step("export          failed: %s", " ".join(str(error).split()))
        return MaterializeResult(metadata={"exported": f"failed: {error}"})
    step("export          %s -> %s (%d files)", period.code, written.folder, len(written.files))
    return MaterializeResult(
        metadata={"period": period.code, "folder": str(written.folder), "files": len(written.files)}
    )
