"""Nothing outlives a refresh: a kill -9 of the refresh process alone (not its group) during `dbt build`
leaves no dbt or Data Docs child running, and the next refresh succeeds; a leftover of an earlier refresh
holding the build file is named and ended; someone else's process holding it is named, waited for, never
killed. The messy refresh also reads an unreadable file (one line, traceback only in the log) and a CSV with
a 5 MB cell."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from .conftest import ENV, REPO, Published, error_lines, refresh


def lock_holders(path: Path) -> set[int]:
    """PIDs holding a lock on ``path`` (DuckDB locks its database file), from /proc/locks."""
    st = path.stat()
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[1] != "->" and fields[5] == device:
            holders.add(int(fields[4]))
    return holders


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def hold_build_file(build: Path, marker: str | None) -> subprocess.Popen:
    """A process holding the build file open read-write, like a dbt left running by a killed refresh
    (``marker``: the environment our refresh children carry) or an analyst's session (no marker)."""
    env = {**ENV}
    env.pop("UMKM_REFRESH_MARTS_DIR", None)
    if marker:
        env["UMKM_REFRESH_MARTS_DIR"] = marker
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "time.sleep(600)",
            str(build),
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert holder.stdout.readline().strip() == "ready"
    return holder


def kill_9_during_dbt_build(work: Published, out: Path) -> list[int]:
    """Start a refresh of ``work`` as its own process and kill -9 it alone (not its group) once dbt is
    building and holds the build file; returns those of its children (dbt, the Data Docs child) alive 15 s
    later."""
    build = work.marts / "build" / "warehouse.duckdb"
    with out.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipelines.cli",
                "refresh",
                "--raw-dir",
                str(work.raw),
                "--marts-dir",
                str(work.marts),
            ],
            cwd=REPO,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 300
        dbt = set()
        while time.monotonic() < deadline and proc.poll() is None:
            kids = children_of(proc.pid)
            dbt = {k for k in kids if b"dbt" in Path(f"/proc/{k}/cmdline").read_bytes()} if kids else set()
            if dbt and dbt & lock_holders(build):  # dbt is building and holds the build file
                break
            time.sleep(0.2)
        assert dbt, "dbt never started"
        children = children_of(proc.pid)  # dbt and the Data Docs child
        os.kill(proc.pid, signal.SIGKILL)  # the refresh process alone, not its group
        proc.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(alive(c) for c in children):
            time.sleep(0.2)
        survivors = [c for c in children if alive(c)]
    finally:
        for child in children_of(proc.pid):
            os.kill(child, signal.SIGKILL)
    for pid in survivors:  # clean up before the test fails
        os.kill(pid, signal.SIGKILL)
    return survivors


@pytest.fixture(scope="module")
def messy_refresh(published_tiny: Published, tmp_path_factory: pytest.TempPathFactory):
    """A published copy whose refresh was killed with kill -9 during dbt build, then the next refresh over it:
    a leftover of an earlier refresh still holds the build file, and an unreadable workbook and a CSV with one
    5 MB cell are among the exports. (The refresh after the kill is this messy one: one refresh less.)"""
    root = tmp_path_factory.mktemp("messy")
    work = published_tiny.copy(root)
    build = work.marts / "build" / "warehouse.duckdb"
    survivors = kill_9_during_dbt_build(work, root / "killed.out")
    holders_after_kill = lock_holders(build)
    permits = work.raw / "permits"
    (permits / "rusak.xlsx").write_bytes(b"PK\x03\x04 not really a workbook " * 100)
    header = (
        "No.,Id Permohonan Izin,Nama Perusahaan,Nib,Day of Tanggal Terbit Oss,Uraian Status Penanaman Modal,"
        "Propinsi,Kab Kota,Id Proyek,Kd Resiko,Kbli,Day of Tgl Izin,Uraian Jenis Perizinan,Nama Dokumen,"
        "Uraian Kewenangan,Uraian Status Respon,Kewenangan,kl_sektor"
    )
    row = (
        "1,I-20240105130448999999,CV Dokumen Panjang,2812220089717,28/12/2022,PMDN,KALIMANTAN TIMUR,"
        f"Kota Balikpapan,R-20221228093827000275,R,10794,05/01/24,UMKU,{'x' * 5_000_000},"
        "Pemerintah Daerah Kabupaten/Kota,Terbit,Bupati/Walikota,PERINDUSTRIAN"
    )
    (permits / "List Izin Dokumen Panjang.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    leftover = hold_build_file(build, str(work.marts))
    try:
        result = refresh(work.raw, work.marts)
        leftover_alive = leftover.poll() is None
    finally:
        leftover.kill()
        leftover.wait()
    return work, result, leftover.pid, leftover_alive, survivors, holders_after_kill


def test_kill_9_of_the_refresh_alone_during_dbt_build_leaves_nothing_running(messy_refresh):
    _, again, _, _, survivors, holders_after_kill = messy_refresh
    assert survivors == [], f"left running after kill -9 of the refresh: {survivors}"
    assert not holders_after_kill
    assert again.returncode == 0, again.stdout + again.stderr  # the next refresh succeeds


def test_a_leftover_holding_the_build_file_is_named_and_ended(messy_refresh):
    _, result, pid, leftover_alive, _, _ = messy_refresh
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"PID {pid}" in result.stdout and "left over from an earlier refresh" in result.stdout
    assert not leftover_alive


def test_an_unreadable_file_is_one_line_with_the_traceback_in_the_log(messy_refresh):
    work, result, *_ = messy_refresh
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    mentions = [line for line in output.splitlines() if "rusak.xlsx" in line]
    assert len(mentions) == 1, output
    # This refresh's own log (the newest: the killed refresh and the first one left theirs too).
    log = max((work.marts / "logs").glob("refresh-*.log")).read_text(errors="replace")
    assert "Traceback" in log and "rusak.xlsx" in log


def test_a_csv_with_a_5_mb_cell_is_read(messy_refresh):
    work, *_ = messy_refresh
    with duckdb.connect(str(work.marts / "warehouse.duckdb"), read_only=True) as con:
        status, rows_read, loaded, rejected = con.execute(
            "SELECT status, rows_read, rows_loaded, rows_rejected FROM raw.ingest_files "
            "WHERE path LIKE '%Dokumen Panjang.csv'"
        ).fetchone()
    assert (status, rows_read, loaded + rejected) == ("ingested", 1, 1)


def test_someone_elses_process_holding_the_build_file_is_named_not_killed(
    published_tiny: Published, tmp_path
):
    work = published_tiny.copy(tmp_path)
    holder = hold_build_file(work.marts / "build" / "warehouse.duckdb", None)
    try:
        result = refresh(work.raw, work.marts, env={"UMKM_BUSY_WAIT_SECONDS": "2"})
        assert holder.poll() is None, "an analyst's process was killed"
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1, result.stdout + result.stderr
    lines = error_lines(result)
    assert len(lines) == 1 and f"PID {holder.pid}" in lines[0], result.stderr


# A child of a refresh (the Data Docs and dictionary children start like this): its own process group, the
# parent's PID in its environment, die_with_parent() first thing.
_CHILD = (
    "import time; from pipelines.operations.lifetime import die_with_parent; die_with_parent(); "
    "print('armed', flush=True); time.sleep(120)"
)
_STARTER = (
    "import subprocess, sys, os; from pipelines.operations.lifetime import child_environment; "
    f"child = subprocess.Popen([sys.executable, '-c', {_CHILD!r}], stdout=subprocess.PIPE, text=True, "
    "process_group=0, env=child_environment(os.environ)); "
    "assert child.stdout.readline() == 'armed\\n'; print(child.pid, flush=True); child.wait()"
)


def test_a_child_that_armed_itself_dies_with_its_parent_killed_alone():
    starter = subprocess.Popen([sys.executable, "-c", _STARTER], stdout=subprocess.PIPE, text=True, cwd=REPO)
    child = int(starter.stdout.readline())
    try:
        assert alive(child) and os.getpgid(child) == child  # its own group: a kill of the parent's spares it
        os.kill(starter.pid, signal.SIGKILL)
        starter.wait()
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child)
    finally:
        starter.kill()
        if alive(child):
            os.kill(child, signal.SIGKILL)


def test_a_child_whose_parent_is_already_gone_stops_before_doing_anything():
    """The parent died between starting the child and the child arming the signal: the child sees another
    parent than the one named in its environment and exits instead of running on."""
    env = {**os.environ, "UMKM_PARENT_PID": str(os.getpid() + 1_000_000)}  # not this process: gone
    result = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, cwd=REPO, timeout=60
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "the refresh that started this process is gone" in result.stderr
