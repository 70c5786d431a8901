"""Dagster's SQLite event log with its connections kept open, named in DAGSTER_HOME's dagster.yaml
(pipelines/operations/serve.py, DAGSTER_YAML) for CLI refreshes, `umkm serve` and `make ui` alike.

Dagster's SqliteEventLogStorage creates a SQLAlchemy engine, opens the SQLite file, and disposes of both for
every statement, and again to ask whether a table exists: a refresh stores ~1,300 events (each dbt model and
test is an asset or check event, written to the run's shard and mirrored into the index), ~7,000
connections. Measured on the tiny test sample (2 cores, CPU time of the refresh process, dbt's excluded):
29.3 s with the stock storage, 19.6 s with this one. The files, their schema and every row stay Dagster's
own: a stock instance reads them unchanged (tests/operations/test_dagster_storage.py).

Its connections also commit without an fsync each (SQLite `synchronous=NORMAL`; the files are in WAL mode,
Dagster's own choice). With the stock `FULL`, every event's commit waited for the disk, and on ext4 an fsync
also flushes what other processes wrote meanwhile: during a refresh that is dbt writing the build file. Seen
on the tiny sample: 5.8 s of a 22 s refresh in those commits, ~3.7 ms for each of ~1,550. The price is
durability at a power loss or system crash, not at a killed process: events committed since the last
WAL checkpoint can be lost, in the long-lived webserver and daemon (whose index shard stays open) possibly
those of earlier runs too, while the run list (runs.db, Dagster's own storage, still `FULL`) keeps the runs.
SQLite's WAL keeps each file consistent either way. The warehouse does not depend on these events: its
publish is atomic and fsynced on its own (pipelines/warehouse.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

# Commits reach the OS, not the disk: survives a killed process, not a power loss (module docstring).
SYNCHRONOUS = "NORMAL"


def _commit_without_fsync(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS}")


# The index shard and the runs being written (one at a time here): more would only hold file handles open in
# the long-lived webserver and daemon.
ENGINES_KEPT = 4


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage that keeps one engine (and its pooled connection) per shard for the newest
    ENGINES_KEPT shards, instead of a new engine per statement."""

    def __init__(self, base_dir: str, inst_data: Any = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: Any, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
            )
            event.listen(engine, "connect", _commit_without_fsync)
            self._engines[shard] = engine
            while len(self._engines) > ENGINES_KEPT:
                self._engines.popitem(last=False)[1].dispose()
        self._engines.move_to_end(shard)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        # Asked for every asset event (a new engine and connection each time): a table, once there, stays
        # (Dagster's migrations add tables, never drop them).
        if table_name not in self._tables_found and super().has_table(table_name):
            self._tables_found.add(table_name)
        return table_name in self._tables_found

    def _forget_engine(self, shard: str) -> None:
        with self._db_lock:
            engine = self._engines.pop(shard, None)
            self._initialized_dbs.discard(shard)
        if engine is not None:
            engine.dispose()

    def delete_events(self, run_id: str) -> None:
        # The caller removes the shard's file next (pipelines/resources.py): no connection may stay on it.
        super().delete_events(run_id)
        self._forget_engine(run_id)

    def wipe(self) -> None:
        for shard in list(self._engines):
            self._forget_engine(shard)
        super().wipe()

    def dispose(self) -> None:
        for shard in list(self._engines):
            self._forget_engine(shard)
        super().dispose()
