"""Bounded disk: repeated refreshes of the tiny sample keep the marts folder within a stated bound and stop
growing once every kept kind of file is at its cap; `.partial` and never-published releases are removed at the
next refresh; `umkm status` shows the folder's size."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from pipelines.warehouse import RELEASES_KEPT, WarehousePaths, publish

from .conftest import Published, refresh, status_json

# Stated bound (docs/security.md): 5 releases (with their Parquet copies) + the build file (each ~12 MB for
# the tiny sample), the Dagster history of the newest 5 runs (~3 MB each plus ~3.5 MB each in its index),
# 5 logs and quality-run folders.
# Before issue 14 ten refreshes reached 185 MB, growing ~6 MB a run for ever.
TINY_BOUND_BYTES = 130 * 1024 * 1024
# Logs, quality-run folders and Dagster runs kept (--keep-runs, default 5): with 2 their pruning starts at the
# third refresh instead of the sixth. The release cap (RELEASES_KEPT, 5) does not depend on it.
KEEP = 2
RUNS = 4  # refreshes; every cap is reached by the third (index STEADY), the fourth must not grow the folder
STEADY = 2


def folder_size(folder: Path) -> int:
    return sum(os.lstat(Path(root) / name).st_size for root, _, files in os.walk(folder) for name in files)


def fill_release_cap(marts: Path) -> None:
    """Publish the first refresh's build RELEASES_KEPT - 1 more times with the refresh's own publish step (a
    release is a read-only copy of the build file, recorded in the history), so that every refresh after it
    finds the releases at their cap: what four earlier refreshes would have left."""
    for _ in range(RELEASES_KEPT - 1):
        publish(WarehousePaths(marts), uuid.uuid4().hex)


@pytest.fixture(scope="module")
def refreshed_repeatedly(
    published_tiny: Published, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[int]]:
    """RUNS refreshes of the tiny sample into one marts folder with --keep-runs KEEP, the releases at their
    cap from the first one on; (marts folder, its size after each refresh). The first refresh is a copy of
    the session's tiny refresh (the same inputs; with one run of each kind nothing is pruned yet, so
    --keep-runs cannot change it), the other RUNS - 1 run here."""
    work = published_tiny.copy(tmp_path_factory.mktemp("disk"))
    fill_release_cap(work.marts)
    assert len(list((work.marts / "releases").glob("warehouse-*.duckdb"))) == RELEASES_KEPT
    sizes = [folder_size(work.marts)]
    for _ in range(1, RUNS):
        result = refresh(work.raw, work.marts, "--keep-runs", str(KEEP))
        assert result.returncode == 0, result.stdout + result.stderr
        sizes.append(folder_size(work.marts))
    return work.marts, sizes


def test_refreshes_keep_the_marts_folder_bounded(refreshed_repeatedly: tuple[Path, list[int]]):
    marts, sizes = refreshed_repeatedly
    print("marts folder size after each refresh (MB):", [round(s / 2**20, 1) for s in sizes])
    assert max(sizes) <= TINY_BOUND_BYTES, sizes
    releases = sorted((marts / "releases").glob("warehouse-*.duckdb"))
    assert len(releases) == RELEASES_KEPT == 5
    # Each release's folder (its Parquet copies) goes with it: nothing else is kept under releases/.
    folders = sorted(p.name for p in (marts / "releases").iterdir() if p.is_dir())
    assert folders == [r.name.removesuffix(".duckdb") for r in releases]
    assert len(list((marts / "releases").iterdir())) == 2 * RELEASES_KEPT
    smallest = min(p.stat().st_size for p in releases)
    assert max(p.stat().st_size for p in releases) <= 1.5 * smallest
    # Once every cap is reached, the folder no longer grows: a refresh adds less than half a release (one
    # release left unpruned adds a whole one; the logs, quality runs and Dagster runs are counted below).
    assert sizes[-1] - sizes[STEADY] < smallest / 2, sizes
    assert len(list((marts / "logs").glob("refresh-*.log"))) <= KEEP
    assert len(list((marts / "quality" / "runs").iterdir())) <= KEEP + 1  # the kept ones + the last run
    assert len(list((marts / "dagster" / "history" / "runs").glob("*-*-*-*-*.db"))) <= KEEP + 1
    assert status_json(marts)["disk"]["total"] == folder_size(marts)


def test_partial_and_never_published_releases_are_removed_at_the_next_refresh(
    published_tiny: Published, tmp_path
):
    work = published_tiny.copy(tmp_path)
    releases = work.marts / "releases"
    current = work.release
    releases.chmod(0o755)
    partial = releases / "warehouse-29991231T000000Z-deadbeef.partial"
    unpublished = releases / "warehouse-29991231T000001Z-cafebabe.duckdb"
    shutil.copyfile(current, partial)  # a refresh killed during the copy
    shutil.copyfile(current, unpublished)  # ... or after the rename, before the swap
    releases.chmod(0o555)
    result = refresh(tmp_path / "missing", work.marts)  # refused by the guard, but the folder is tidied first
    assert result.returncode == 1
    assert not partial.exists() and not unpublished.exists()
    assert current.exists() and work.release == current
