"""Every dbt seed, model and test as Dagster assets and asset checks (dagster-dbt), in the build."""

import json
import os
import sys

from dagster import AssetExecutionContext, AssetMaterialization, Output
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.dbt_project import built_relations, dbt_project, ensure_manifest
from pipelines.progress import step
from pipelines.resources import WarehouseResource
from pipelines.warehouse import drop_orphan_relations, guarded_executable, mark_children

ensure_manifest()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # dbt runs as a subprocess; profiles.yml reads the build file's path from this variable.
    os.environ["UMKM_WAREHOUSE_PATH"] = str(warehouse.paths.build_file)
    # dagster-dbt starts dbt with a plain Popen: run it through a wrapper that dies with this process (own
    # process group + parent-death signal), so a killed refresh never leaves dbt holding the build file.
    mark_children(warehouse.paths)
    wrapper = guarded_executable(warehouse.paths, dbt.dbt_executable, sys.executable)
    dbt = dbt.model_copy(update={"dbt_executable": str(wrapper)})
    dbt_vars = json.dumps({"region_code": warehouse.region_code})
    step("dbt build       region %s", warehouse.region_code)
    built = 0
    for event in dbt.cli(["build", "--vars", dbt_vars], context=context).stream():
        if isinstance(event, Output | AssetMaterialization):
            built += 1
        yield event
    step("dbt build       %d seeds and models built, tests passed", built)
    with warehouse.connect() as con:
        dropped = drop_orphan_relations(con, built_relations(dbt_project.manifest_path))
    if dropped:
        step(
            "dbt build       dropped %d relation(s) no model builds any more: %s",
            len(dropped),
            ", ".join(dropped),
        )
