"""The event log every refresh writes to (pipelines/operations/dagster_storage.py): named by DAGSTER_HOME's
dagster.yaml, few SQLite connections per run, files a stock Dagster instance reads, nothing left open on a
deleted run's file."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import AssetCheckResult, DagsterInstance, asset, asset_check, materialize
from sqlalchemy import event
from sqlalchemy.engine import Engine

from pipelines.operations.dagster_storage import ENGINES_KEPT, PooledSqliteEventLogStorage
from pipelines.operations.serve import write_dagster_config
from pipelines.warehouse import WarehousePaths


@asset
def first() -> int:
    return 1


@asset
def second(first: int) -> int:
    return first + 1


@asset_check(asset=second)
def second_is_two(second: int) -> AssetCheckResult:
    return AssetCheckResult(passed=second == 2)


ASSETS = [first, second, second_is_two]


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    paths = WarehousePaths(tmp_path / "marts folder: with spaces")
    write_dagster_config(paths)
    return paths


def _instance(paths: WarehousePaths) -> DagsterInstance:
    return DagsterInstance.from_config(str(paths.dagster_home))


def _run(instance: DagsterInstance) -> str:
    result = materialize(ASSETS, instance=instance)
    assert result.success
    return result.run_id


class _Connects:
    """SQLite connections opened on the event log's files (run shards and index) while counting."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.count = folder, 0

    def __call__(self, dbapi_connection, _record) -> None:
        file = dbapi_connection.execute("PRAGMA database_list").fetchall()[0][2]
        self.count += Path(file).parent == self.folder


def test_dagster_yaml_names_the_pooled_event_log_under_the_marts_folder(paths: WarehousePaths) -> None:
    with _instance(paths) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        assert Path(storage._base_dir) == paths.dagster_event_logs


STOCK_YAML = """\
telemetry:
  enabled: false
event_log_storage:
  module: dagster._core.storage.event_log
  class: SqliteEventLogStorage
  config:
    base_dir: '{folder}'
"""


def _run_counting_connects(instance: DagsterInstance, folder: Path) -> tuple[str, int]:
    connects = _Connects(folder)
    event.listen(Engine, "connect", connects)
    try:
        return _run(instance), connects.count
    finally:
        event.remove(Engine, "connect", connects)


def test_a_run_opens_few_connections_and_a_stock_instance_reads_its_events(
    paths: WarehousePaths, tmp_path: Path
) -> None:
    event_logs = paths.dagster_event_logs
    stock_home = tmp_path / "stock"
    stock_home.mkdir()
    (stock_home / "dagster.yaml").write_text(STOCK_YAML.format(folder=event_logs), encoding="utf-8")
    with DagsterInstance.from_config(str(stock_home)) as stock:
        assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
        _, stock_connects = _run_counting_connects(stock, event_logs)
    with _instance(paths) as instance:
        run_id, pooled_connects = _run_counting_connects(instance, event_logs)
        stored = len(instance.all_logs(run_id))
    assert stored > 20  # step, asset and check events of three steps
    # The stock storage opens a connection per statement: several per event.
    assert pooled_connects * 5 <= stock_connects, (pooled_connects, stock_connects)

    with DagsterInstance.from_config(str(stock_home)) as stock:
        assert len(stock.all_logs(run_id)) == stored
        latest = stock.get_latest_materialization_event(second.key)
        assert latest is not None and latest.run_id == run_id


def test_no_connection_stays_on_a_deleted_run_and_few_stay_open(paths: WarehousePaths) -> None:
    with _instance(paths) as instance:
        storage = instance.event_log_storage
        runs = [_run(instance) for _ in range(ENGINES_KEPT + 2)]
        assert len(storage._engines) <= ENGINES_KEPT
        assert runs[-1] in storage._engines
        instance.delete_run(runs[-1])
        assert runs[-1] not in storage._engines
        # A run stored after a deletion lands in its own, readable shard.
        again = _run(instance)
        assert len(instance.all_logs(again)) > 20
    assert storage._engines == {}  # the instance's dispose closed them all


PRAGMAS = ("journal_mode", "synchronous")


def test_events_are_committed_in_wal_mode_without_an_fsync_each(paths: WarehousePaths) -> None:
    """synchronous=NORMAL on every shard the run wrote (its own and the index): no disk wait per event."""
    with _instance(paths) as instance:
        run_id = _run(instance)
        storage = instance.event_log_storage
        assert run_id in storage._engines and len(storage._engines) >= 2
        for shard, engine in storage._engines.items():
            with engine.connect() as conn:
                pragmas = [conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS]
            assert pragmas == ["wal", 1], (shard, pragmas)  # 1 = NORMAL (FULL, the default, is 2)
