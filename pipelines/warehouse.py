"""Where the warehouse lives on disk, and how a gated build becomes what analysts open.

marts_dir/
  build/warehouse.duckdb     the private working copy each refresh writes into (ingest + dbt)
  releases/warehouse-<utc>-<run>.duckdb   read-only published versions (the newest few kept for rollback)
  warehouse.duckdb           symlink to the current release: what `umkm query` and analysts open, read-only
  refresh.lock               held while a refresh runs, so two refreshes never interleave

Publishing copies the checkpointed build to a new release file and swaps the symlink with os.replace: a reader
with an open connection keeps its version, a new connection sees the new one, nobody is ever blocked, and a
failed refresh leaves the published warehouse exactly as it was (see ../shared/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLISHED_NAME = "warehouse.duckdb"
RELEASES_KEPT = 5


class WarehouseNotPublishedError(RuntimeError):
    pass


@dataclass(frozen=True)
class WarehousePaths:
    marts_dir: Path

    @property
    def build_dir(self) -> Path:
        return self.marts_dir / "build"

    @property
    def build_file(self) -> Path:
        return self.build_dir / "warehouse.duckdb"

    @property
    def releases_dir(self) -> Path:
        return self.marts_dir / "releases"

    @property
    def published(self) -> Path:
        return self.marts_dir / PUBLISHED_NAME

    @property
    def lock_file(self) -> Path:
        return self.marts_dir / "refresh.lock"

    @property
    def dagster_home(self) -> Path:
        return self.marts_dir / "dagster"


def connect_build(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(paths.build_file))


def connect_published(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """Read-only: analysts never take a write lock, and never leave a WAL beside a release."""
    if not paths.published.exists():
        raise WarehouseNotPublishedError(
            f"no published warehouse at {paths.published}: run `umkm refresh` (or `make run`) first"
        )
    return duckdb.connect(str(paths.published), read_only=True)


@contextmanager
def refresh_lock(paths: WarehousePaths) -> Iterator[None]:
    paths.marts_dir.mkdir(parents=True, exist_ok=True)
    with paths.lock_file.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise RuntimeError(f"another refresh is running ({paths.lock_file} is locked)") from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(paths: WarehousePaths, run_id: str) -> Path:
    """Copy the checkpointed build into a new read-only release and point the published name at it."""
    with duckdb.connect(str(paths.build_file)) as con:
        con.execute("CHECKPOINT")
    wal = paths.build_file.with_name(paths.build_file.name + ".wal")
    if wal.exists():
        raise RuntimeError(
            f"{wal} still exists after CHECKPOINT; refusing to publish a build with pending writes"
        )
    paths.releases_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    release = paths.releases_dir / f"warehouse-{stamp}-{run_id[:8]}.duckdb"
    partial = release.with_suffix(".partial")
    shutil.copyfile(paths.build_file, partial)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.chmod(0o444)
    os.replace(partial, release)
    with duckdb.connect(str(release), read_only=True) as con:  # refuse to publish a file that does not open
        con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
    link = paths.marts_dir / f".{PUBLISHED_NAME}.next"
    link.unlink(missing_ok=True)
    link.symlink_to(release.relative_to(paths.marts_dir))
    os.replace(link, paths.published)
    prune_releases(paths)
    return release


def prune_releases(paths: WarehousePaths, keep: int = RELEASES_KEPT) -> None:
    current = paths.published.resolve()
    releases = sorted(paths.releases_dir.glob("warehouse-*.duckdb"))
    for old in releases[:-keep]:
        if old.resolve() != current:
            old.unlink()
