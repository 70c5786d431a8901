"""Resources injected into the assets: where raw files are, where the warehouse is built, which region."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext

from pipelines.warehouse import WarehousePaths, connect_build, refresh_lock

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_MARTS_DIR = "data/marts"
DEFAULT_REGION = "64.71"  # Kota Balikpapan


class WarehouseResource(ConfigurableResource):
    raw_dir: str = DEFAULT_RAW_DIR
    marts_dir: str = DEFAULT_MARTS_DIR
    region_code: str = DEFAULT_REGION

    @classmethod
    def from_env(cls) -> WarehouseResource:
        """For `dagster dev` and the schedule: UMKM_RAW_DIR, UMKM_MARTS_DIR, UMKM_REGION override defaults."""
        return cls(
            raw_dir=os.environ.get("UMKM_RAW_DIR", DEFAULT_RAW_DIR),
            marts_dir=os.environ.get("UMKM_MARTS_DIR", DEFAULT_MARTS_DIR),
            region_code=os.environ.get("UMKM_REGION", DEFAULT_REGION),
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
        two runs must never interleave their steps on the one build file."""
        with refresh_lock(self.paths):
            yield self
