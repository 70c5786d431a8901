"""Two refreshes started together on one marts folder (issue 11): one publishes, the other writes nothing and
says so in one line; and the same inputs refreshed again give identical marts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.safety.conftest import ENV, REPO, Published

# Columns that record when, not what: when a gap was first / last seen.
VOLATILE = {"data_quality_gaps": ("first_seen", "last_seen", "resolved_at")}


def _start_refresh(raw: Path, marts: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "refresh", "--raw-dir", str(raw), "--marts-dir", str(marts)],
        cwd=REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _mart_rows(release: Path) -> dict[str, set[tuple]]:
    with duckdb.connect(str(release), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        rows = {}
        for table in tables:
            exclude = VOLATILE.get(table)
            columns = f"* EXCLUDE ({', '.join(exclude)})" if exclude else "*"
            rows[table] = con.execute(f"SELECT {columns} FROM marts.{table}").fetchall()
    return {table: sorted(map(repr, r)) for table, r in rows.items()}


@pytest.mark.slow  # one more tiny refresh (about 60 s; longer on a loaded machine)
def test_two_refreshes_started_together(published_ops: tuple[Published, str], tmp_path: Path) -> None:
    published, _ = published_ops
    marts = tmp_path / "marts"
    shutil.copytree(published.marts, marts, symlinks=True)
    before = _mart_rows(published.release)

    first, second = _start_refresh(published.raw, marts), _start_refresh(published.raw, marts)
    results = [(p.wait(timeout=900), *p.communicate()) for p in (first, second)]

    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], [(c, err[-2000:]) for c, _, err in results]
    loser_err = next(err for code, _, err in results if code == 1)
    lines = [line for line in loser_err.splitlines() if line.strip()]
    assert len(lines) == 1 and "another refresh is running" in lines[0] and "nothing was written" in lines[0]
    assert not list(marts.rglob("*.partial"))
    after = _mart_rows((marts / "warehouse.duckdb").resolve())
    assert (marts / "warehouse.duckdb").resolve() != published.release.resolve()  # a new release
    assert after == before  # the same inputs give identical marts
