"""Resources injected into the assets: where raw files are, where the warehouse is built, which region, and
the safety settings of a run (publish guard, disk bounds; docs/security.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext

from pipelines.settings import DEFAULT_REGION, region_name
from pipelines.warehouse import (
    WarehousePaths,
    connect_build,
    ensure_build_file,
    free_build_file,
    prune_files,
    refresh_lock,
    remove_unpublished,
)

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_MARTS_DIR = "data/marts"
# Publish guard: a headline figure (businesses, permits, cooperatives) may fall by at most this share against
# the published warehouse unless the operator passes --allow-shrink.
DEFAULT_MAX_SHRINK = 0.5
# Disk bounds: logs, quality-run folders and Dagster runs beyond the newest KEEP_RUNS or older than KEEP_DAYS
# are removed.
DEFAULT_KEEP_RUNS = 5
DEFAULT_KEEP_DAYS = 30.0
# How long a refresh waits for someone else's process (not a leftover of ours) to release the build file.
DEFAULT_BUSY_WAIT_SECONDS = 60.0


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


class WarehouseResource(ConfigurableResource):
    raw_dir: str = DEFAULT_RAW_DIR
    marts_dir: str = DEFAULT_MARTS_DIR
    region_code: str = DEFAULT_REGION
    allow_shrink: bool = False
    max_shrink_share: float = DEFAULT_MAX_SHRINK
    keep_runs: int = DEFAULT_KEEP_RUNS
    keep_days: float = DEFAULT_KEEP_DAYS
    busy_wait_seconds: float = DEFAULT_BUSY_WAIT_SECONDS
    # Re-land every raw file instead of keeping the rows of files landed unchanged by the last refresh
    # (`umkm refresh --full`; pipelines/ingest/landing.py).
    full_ingest: bool = False

    @classmethod
    def from_env(cls) -> WarehouseResource:
        """For `dagster dev` and the schedule: UMKM_RAW_DIR, UMKM_MARTS_DIR, UMKM_REGION, UMKM_MAX_SHRINK,
        UMKM_KEEP_RUNS, UMKM_KEEP_DAYS override defaults. An unknown region is refused here, as the CLI
        refuses it: it would quietly build empty marts."""
        region_name(os.environ.get("UMKM_REGION", DEFAULT_REGION))
        return cls(
            raw_dir=os.environ.get("UMKM_RAW_DIR", DEFAULT_RAW_DIR),
            marts_dir=os.environ.get("UMKM_MARTS_DIR", DEFAULT_MARTS_DIR),
            region_code=os.environ.get("UMKM_REGION", DEFAULT_REGION),
            max_shrink_share=_env_float("UMKM_MAX_SHRINK", DEFAULT_MAX_SHRINK),
            keep_runs=int(_env_float("UMKM_KEEP_RUNS", DEFAULT_KEEP_RUNS)),
            keep_days=_env_float("UMKM_KEEP_DAYS", DEFAULT_KEEP_DAYS),
        )

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve()

    @property
    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.marts_dir).resolve())

    def connect(self) -> duckdb.DuckDBPyConnection:
        return connect_build(self.paths)

    @contextlib.contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[WarehouseResource]:
        """Hold the marts folder's refresh lock for the whole run, however it was started (CLI, UI, schedule):
        two runs must never interleave their steps on the one build file. Under the lock, before any step:
        end a leftover child of an earlier refresh that still holds the build file, tidy the folder, and
        create the build file (in the release storage version) when there is none."""
        region_name(self.region_code)  # a run configured in the UI launchpad is checked like the CLI's
        with refresh_lock(self.paths):
            free_build_file(self.paths, self._say, self.busy_wait_seconds)
            self.tidy(context)
            # Before any step: a run whose first opener is dbt (a selection started from the UI) must find
            # the build file already in the release storage version too.
            ensure_build_file(self.paths)
            yield self

    @staticmethod
    def _say(line: str) -> None:
        from pipelines.progress import step

        step("refresh         %s", line)

    def tidy(self, context: InitResourceContext | None = None) -> None:
        """Disk bounds: unpublished releases, old logs, quality-run folders and Dagster runs."""
        paths = self.paths
        removed = remove_unpublished(paths)
        if removed:
            self._say(f"removed {len(removed)} never-published release file(s): {', '.join(removed)}")
        if paths.logs_dir.is_dir():
            prune_files(list(paths.logs_dir.glob("refresh-*.log")), self.keep_runs, self.keep_days)
        if paths.quality_runs_dir.is_dir():
            runs = [p for p in paths.quality_runs_dir.iterdir() if p.is_dir()]
            prune_files(runs, self.keep_runs, self.keep_days)
        instance = getattr(context, "instance", None) if context is not None else None
        if instance is not None:
            current = getattr(context, "run_id", None)
            try:
                prune_dagster_runs(instance, paths, self.keep_runs, self.keep_days, current)
            except Exception:  # run history is a convenience: never fail a run over it (details in the log)
                logging.getLogger(__name__).warning("could not prune Dagster run history", exc_info=True)


def prune_dagster_runs(
    instance, paths: WarehousePaths, keep: int, keep_days: float, current: str | None
) -> int:
    """Delete finished Dagster runs beyond the newest ``keep`` or older than ``keep_days`` (with their event
    log shard files: Dagster's SQLite storage keeps one file of ~3 MB per run)."""
    from dagster import DagsterRunStatus, RunsFilter

    finished = [
        DagsterRunStatus.SUCCESS,
        DagsterRunStatus.FAILURE,
        DagsterRunStatus.CANCELED,
    ]
    records = instance.get_run_records(filters=RunsFilter(statuses=finished))  # newest first
    others = instance.get_run_records(
        filters=RunsFilter(statuses=[s for s in DagsterRunStatus if s not in finished])
    )
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=keep_days)
    stale = [r for i, r in enumerate(records) if i >= keep or r.create_timestamp < cutoff]
    # A run left "started" by a killed refresh never finishes: it is stale once older than the newest ones.
    stale += [r for r in others[keep:] if r.dagster_run.run_id != current]
    home = paths.dagster_home
    deleted = []
    for record in stale:
        run_id = record.dagster_run.run_id
        if run_id == current:
            continue
        instance.delete_run(run_id)
        deleted.append(run_id)
        for suffix in (".db", ".db-wal", ".db-shm"):
            (paths.dagster_event_logs / f"{run_id}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(home / "storage" / run_id, ignore_errors=True)  # compute logs
    if deleted:
        _compact_history(paths.dagster_event_logs / "index.db", home / "history" / "runs.db", deleted)
    return len(deleted)


def _compact_history(index: Path, runs: Path, deleted: list[str]) -> None:
    """Dagster's delete_run leaves the runs' asset-check evaluations (~0.6 MB a run here) in the index, and
    SQLite files never shrink by themselves: drop those rows and give the pages back to the disk."""
    import sqlite3

    for database in (index, runs):
        if not database.exists():
            continue
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(database, timeout=5)) as db,
        ):
            if database == index:
                with db:
                    db.executemany(
                        "DELETE FROM asset_check_executions WHERE run_id = ?", [(r,) for r in deleted]
                    )
            db.execute("VACUUM")
