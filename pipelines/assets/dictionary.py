"""After each successful publish, the data dictionary (pipelines/docs) under marts_dir/dictionary/: the
Indonesian dictionary of every mart column (HTML and Markdown) and the dbt docs site as one offline file.

Like the export, it runs once the warehouse is published: a failed dictionary is reported (progress line,
Dagster log, metadata) and the previous files stay, but the refresh's result stands."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from pipelines.assets.publish import PUBLISHED_KEY
from pipelines.dbt_project import dbt_vars
from pipelines.docs import write_dictionary
from pipelines.progress import step
from pipelines.resources import WarehouseResource

DICTIONARY_KEY = AssetKey(["warehouse", "dictionary"])


@asset(
    key=DICTIONARY_KEY,
    deps=[PUBLISHED_KEY],
    group_name="publish",
    kinds={"html", "markdown"},
    description="The data dictionary under marts_dir/dictionary/: every mart and column with its Indonesian "
    "label, meaning, values and an example query (kamus_data.html, kamus_data.md), and the dbt docs site as "
    "one offline file (dbt_docs.html), from this refresh's dbt manifest. `umkm docs` prints where they are.",
)
def data_dictionary(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths
    try:
        written = write_dictionary(paths, dbt_vars(warehouse.region_code))
    except Exception as error:  # the publish stands whatever went wrong here: report it, do not fail the run
        context.log.error(f"data dictionary failed: {error}")
        step("dictionary      failed: %s", " ".join(str(error).split())[:300])
        return MaterializeResult(metadata={"written": f"failed: {error}"})
    step(
        "dictionary      %d marts, %d columns (%d described, %d labelled) -> %s (%.1f s)",
        written.tables,
        written.columns,
        written.described,
        written.labelled,
        paths.dictionary_dir,
        written.seconds,
    )
    return MaterializeResult(
        metadata={
            "folder": MetadataValue.path(str(paths.dictionary_dir)),
            "dictionary": MetadataValue.path(str(paths.dictionary_html)),
            "dbt_docs": MetadataValue.path(str(paths.dbt_docs_file)),
            "tables": written.tables,
            "columns": written.columns,
            "columns_described": written.described,
            "columns_labelled": written.labelled,
            "seconds": round(written.seconds, 2),
        }
    )
