"""The smaller items of issue 14: the loser of a refresh-lock race writes nothing and prints one line; an
unwritable marts folder is one line and exit 2."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

from .conftest import ENV, REPO, WITHOUT_FILE_OVERRIDE, Published, error_lines, needs_setpriv, refresh


def _snapshot(marts) -> dict:
    return {
        str(p.relative_to(marts)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in marts.rglob("*")
        if p.is_file() and p.name != "refresh.lock"
    }


def test_the_loser_of_a_lock_race_writes_nothing_and_prints_one_line(published_tiny: Published, tmp_path):
    work = published_tiny.copy(tmp_path)
    before = _snapshot(work.marts)
    lock = work.marts / "refresh.lock"
    with lock.open("a+") as handle:  # the winner: another refresh holding the folder
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        result = refresh(work.raw, work.marts)
        assert lock.read_text().strip() == str(os.getpid())  # the winner's PID is left alone
    assert result.returncode == 1
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert "another refresh is running" in lines[0] and f"PID {os.getpid()}" in lines[0]
    assert _snapshot(work.marts) == before  # no status.json, log, Dagster run or release written


def test_a_marts_folder_that_is_a_file_is_one_line_and_exit_2(published_tiny: Published, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    result = refresh(published_tiny.raw, blocker / "marts")
    assert result.returncode == 2
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("umkm: cannot write to the marts folder"), result.stderr


@needs_setpriv
def test_an_unwritable_marts_folder_is_one_line_and_exit_2(published_tiny: Published, tmp_path):
    marts = tmp_path / "marts"
    marts.mkdir()
    marts.chmod(0o555)
    result = subprocess.run(
        [
            *WITHOUT_FILE_OVERRIDE,
            sys.executable,
            "-m",
            "pipelines.cli",
            "refresh",
            "--raw-dir",
            str(published_tiny.raw),
            "--marts-dir",
            str(marts),
        ],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    marts.chmod(0o755)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("umkm: cannot write to the marts folder") and "Permission denied" in lines[0]
