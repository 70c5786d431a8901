"""`umkm releases` and `umkm rollback` (issue 11): atomic, under the refresh lock, the headline changes said;
the rolled-back release stays published until the next successful refresh, whose guard compares with it."""

from __future__ import annotations

import fcntl
import json
import shutil

import duckdb
import pytest

from pipelines.operations.releases import RollbackError, list_releases, rollback
from pipelines.warehouse import WarehousePaths
from tests.safety.conftest import Published, refresh, umkm


def _plant_newer_release(published: Published, cooperatives: int) -> str:
    """A newer published release (a copy of the current one) whose recorded headline differs."""
    paths = WarehousePaths(published.marts)
    current = published.release
    newer = current.with_name(current.name.replace("warehouse-", "warehouse-29991231T000000Z-"))
    paths.releases_dir.chmod(0o755)
    shutil.copyfile(current, newer)
    paths.releases_dir.chmod(0o555)
    entry = json.loads(paths.history_file.read_text(encoding="utf-8").splitlines()[-1])
    entry |= {"release": newer.name, "headline": {**entry["headline"], "cooperatives": cooperatives}}
    with paths.history_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
    (published.marts / "warehouse.duckdb").unlink()
    (published.marts / "warehouse.duckdb").symlink_to(newer.relative_to(published.marts))
    return newer.name


@pytest.mark.slow  # a real refresh after the rollback (about 60 s; 180 s on a loaded machine)
def test_rollback_then_refresh(published_ops, tmp_path):
    published = published_ops[0].copy(tmp_path)
    original = published.release.name
    newer = _plant_newer_release(published, cooperatives=40)

    listed = umkm("releases", "--marts-dir", str(published.marts))
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if "warehouse-" in line]
    assert len(rows) == 2 and rows[-1].startswith("* ") and "published now" in rows[-1]
    assert "64.71" in rows[0] and "published earlier" in rows[0]

    # While a refresh holds the lock, nothing changes.
    with (published.marts / "refresh.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held = umkm("rollback", "--marts-dir", str(published.marts))
    assert held.returncode == 1 and "rollback not done: another refresh is running" in held.stderr
    assert published.release.name == newer

    result = umkm("rollback", "--marts-dir", str(published.marts))
    assert result.returncode == 0, result.stderr
    assert published.release.name == original
    assert "cooperatives 40 -> 50 (+10)" in result.stdout
    assert "rolled back" in umkm("releases", "--marts-dir", str(published.marts)).stdout
    query = umkm("query", "--marts-dir", str(published.marts), "SELECT count(*) AS n FROM marts.cooperatives")
    assert query.stdout.splitlines() == ["n", "50"]

    # The next refresh compares with what is published (50, not 40) and replaces the rolled-back release;
    # a reader holding the rolled-back file open across it keeps reading it.
    with duckdb.connect(str(published.marts / "warehouse.duckdb"), read_only=True) as reader:
        after = refresh(published.raw, published.marts)
        assert reader.execute("SELECT count(*) FROM marts.cooperatives").fetchone() == (50,)
    assert after.returncode == 0, after.stdout + after.stderr
    assert published.release.name not in {original, newer}
    history = WarehousePaths(published.marts).history_file.read_text(encoding="utf-8").splitlines()
    assert json.loads(history[-2])["rollback_from"] == newer


def test_rollback_refuses_what_it_cannot_do(published_ops, tmp_path):
    published = published_ops[0].copy(tmp_path)
    paths = WarehousePaths(published.marts)
    before = published.release.name
    with pytest.raises(RollbackError, match="no earlier published release"):
        rollback(paths)
    with pytest.raises(RollbackError, match="no kept release 'nope'"):
        rollback(paths, "nope")
    with pytest.raises(RollbackError, match="already the published release"):
        rollback(paths, before)
    assert published.release.name == before
    assert [r.current for r in list_releases(paths)] == [True]
