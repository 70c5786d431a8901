"""Bounded disk: ten refreshes of the tiny sample keep the marts folder within a stated bound and stop
growing; `.partial` and never-published releases are removed at the next refresh; `umkm status` shows the
folder's size."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .conftest import Published, refresh, status_json

# Stated bound (docs/security.md): 5 releases + the build file (each ~12 MB for the tiny sample), the Dagster
# history of the newest 5 runs (~3 MB each plus ~3.5 MB each in its index), 5 logs and quality-run folders.
# Before issue 14 the same ten refreshes reached 185 MB, growing ~6 MB a run for ever.
TINY_BOUND_BYTES = 130 * 1024 * 1024
KEEP = 5  # the default --keep-runs
RUNS = 10


def folder_size(folder: Path) -> int:
    return sum(os.lstat(Path(root) / name).st_size for root, _, files in os.walk(folder) for name in files)


def test_ten_refreshes_keep_the_marts_folder_bounded(published_tiny: Published, tmp_path):
    raw = published_tiny.raw
    marts = tmp_path / "marts"
    sizes = []
    for _ in range(RUNS):
        result = refresh(raw, marts)
        assert result.returncode == 0, result.stdout + result.stderr
        sizes.append(folder_size(marts))
    print("marts folder size after each refresh (MB):", [round(s / 2**20, 1) for s in sizes])
    assert max(sizes) <= TINY_BOUND_BYTES, sizes
    # Once the release cap is reached (run 5), the folder no longer grows run after run.
    assert sizes[-1] <= sizes[5] * 1.10, sizes
    releases = sorted((marts / "releases").iterdir())
    assert len(releases) == 5
    assert max(p.stat().st_size for p in releases) <= 1.5 * min(p.stat().st_size for p in releases)
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
