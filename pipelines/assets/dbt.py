"""Every dbt seed, model and test as Dagster assets and asset checks (dagster-dbt), in the build."""

import os
import sys
import threading
import time
from collections.abc import Sequence
from functools import cached_property
from importlib import metadata

from dagster import AssetExecutionContext, AssetMaterialization, Output
from dagster_dbt import DbtCliResource, dbt_assets
from packaging import version

from pipelines.assets.dbt_translator import WarehouseTranslator
from pipelines.dbt_project import (
    built_relations,
    dbt_environment,
    dbt_project,
    dbt_vars,
    ensure_manifest,
    seed_partial_parse,
)
from pipelines.docs import dbt_docs
from pipelines.progress import step
from pipelines.resources import WarehouseResource
from pipelines.warehouse import drop_orphan_relations, guarded_executable, mark_children

ensure_manifest()

# dbt is silent for a minute or more on real data: a line at least this often says how far it got.
PROGRESS_EVERY_SECONDS = 3.0


class DbtProgress:
    """Models done / total and the slowest so far, printed from a timer thread: dbt's events only arrive
    when a model finishes, and one slow model would otherwise leave the terminal silent."""

    def __init__(self, total: int, every: float = PROGRESS_EVERY_SECONDS) -> None:
        self.total, self.every, self.built = total, every, 0
        self.slowest: tuple[float, str] = (0.0, "")
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._report, name="dbt-progress", daemon=True)

    def __enter__(self) -> "DbtProgress":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def done(self, event: Output | AssetMaterialization) -> None:
        now = time.monotonic()
        seconds = _duration(event) or now - self._last
        self._last, self.built = now, self.built + 1
        name = event.asset_key.path[-1] if getattr(event, "asset_key", None) else event.output_name
        self.slowest = max(self.slowest, (seconds, name))

    def _report(self) -> None:
        while not self._stop.wait(self.every):
            seconds, name = self.slowest
            slowest = f", slowest so far {name} {seconds:.1f}s" if name else ""
            step("dbt build       %d / %d seeds and models done%s", self.built, self.total, slowest)


def _duration(event: Output | AssetMaterialization) -> float | None:
    """dagster-dbt's 'Execution Duration' metadata (seconds), when the event carries it."""
    value = (event.metadata or {}).get("Execution Duration")
    value = getattr(value, "value", value)
    return float(value) if isinstance(value, int | float) else None


class WarehouseDbtCliResource(DbtCliResource):
    """DbtCliResource without the in-process dbt adapter dagster-dbt builds before every dbt command: it
    parses the project's macros (~3 s CPU a refresh) only for fetch_column_metadata and fetch_row_counts,
    which this project does not use (dbt's own subprocess does all the work)."""

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        """The installed dbt-core's version, from its package metadata. dagster-dbt asks the executable
        (`dbt --version`, a second dbt process: ~1.8 s CPU before every refresh's dbt build); the executable
        is this environment's own dbt (pipelines.dbt_project.DBT_EXECUTABLE), so the answer is the same."""
        return version.parse(metadata.version("dbt-core"))


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=WarehouseTranslator()
)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # dbt runs as a subprocess, in the build folder (the wrapper below changes into it); profiles.yml reads
    # the build file's name from UMKM_WAREHOUSE_PATH (pipelines/dbt_project.py says why it is relative).
    os.environ.update(dbt_environment())
    # dagster-dbt starts dbt with a plain Popen: run it through a wrapper that dies with this process (own
    # process group + parent-death signal), so a killed refresh never leaves dbt holding the build file.
    mark_children(warehouse.paths)
    wrapper = guarded_executable(warehouse.paths, dbt.dbt_executable, sys.executable)
    dbt = dbt.model_copy(update={"dbt_executable": str(wrapper)})
    step("dbt build       region %s", warehouse.region_code)
    # The artifacts go to one folder per marts folder (not a new dbt_project/target/<run> each time): the
    # data dictionary after the publish reads this build's manifest from there, and the next refresh reuses
    # the build's partial_parse.msgpack (same build file in profiles.yml, same vars): dbt's start and parse
    # take ~2 s instead of ~15 s for a full parse on a loaded 2-core machine. No dbt.log beside them: dbt's
    # output is in the refresh's log already, and the file would grow by megabytes every refresh.
    target = warehouse.paths.dbt_target_dir
    seed_partial_parse(target)
    command = ["build", "--vars", dbt_vars(warehouse.region_code), "--log-level-file", "none"]
    with DbtProgress(total=len(context.selected_asset_keys)) as progress:
        for event in dbt.cli(command, context=context, target_path=target).stream():
            if isinstance(event, Output | AssetMaterialization):
                progress.done(event)
            yield event
    step("dbt build       %d seeds and models built, tests passed", progress.built)
    # The data dictionary's `dbt docs generate` comes after the publish: its process starts now, so that
    # importing dbt overlaps with the mart checks and the publish instead of adding to the refresh.
    dbt_docs.start_early(warehouse.paths)
    with warehouse.connect() as con:
        dropped = drop_orphan_relations(con, built_relations(dbt_project.manifest_path))
    if dropped:
        step(
            "dbt build       dropped %d relation(s) no model builds any more: %s",
            len(dropped),
            ", ".join(dropped),
        )
