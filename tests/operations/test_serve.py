"""`umkm serve` (issue 11): dagster-webserver and dagster-daemon under DAGSTER_HOME in the marts folder; the
daemon runs a due schedule tick and the failure sensor alerts; SIGTERM and SIGINT stop both,
leaving nothing."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.operations.conftest import free_port
from tests.safety.conftest import ENV, REPO

STARTUP_TIMEOUT = 300


def _start(marts: Path, raw: Path, port: int, **env: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipelines.cli", "serve", "--marts-dir", str(marts)]
    return subprocess.Popen(
        [*command, "--raw-dir", str(raw), "--port", str(port)],
        cwd=REPO,
        env={**ENV, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(predicate, timeout: float, what: str, serve: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        assert serve.poll() is None, f"umkm serve ended early while waiting for {what}"
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def _answers(port: int) -> bool:
    with (
        contextlib.suppress(OSError),
        urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5) as response,
    ):
        return response.status == 200
    return False


def _live_members(group: int) -> list[int]:
    """PIDs in process group ``group`` that still run (a zombie waiting for init to reap it runs nothing)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


def _group_gone(group: int, wait: float = 15.0) -> bool:
    deadline = time.monotonic() + wait  # SIGKILLed members take a moment to die under load
    while _live_members(group):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _stop_and_check(serve: subprocess.Popen, signum: int) -> str:
    serve.send_signal(signum)
    output, _ = serve.communicate(timeout=60)
    pids = [int(p) for p in re.findall(r"started \(PID (\d+)\)", output)]
    assert len(pids) == 2, output
    assert serve.returncode == 0, output
    assert f"{signal.Signals(signum).name} received, stopping both processes" in output
    for pid in pids:  # each process group (webserver, daemon and the code servers they started) is gone
        assert _group_gone(pid), f"process group {pid} outlived umkm serve"
    return output


@pytest.mark.slow
def test_the_daemon_runs_a_due_schedule_tick_alerts_and_stops_on_sigterm(tmp_path):
    raw, marts = tmp_path / "raw", tmp_path / "marts"
    (raw / "permits").mkdir(parents=True)
    (raw / "permits" / "notes.csv").write_text("apa,ini\n1,2\n", encoding="utf-8")  # unrecognised
    port = free_port()
    # A schedule due every minute; the raw-folder sensor kept quiet (the file counts as still copying).
    serve = _start(marts, raw, port, UMKM_SCHEDULE_CRON="* * * * *", UMKM_SETTLE_MINUTES="600")
    try:
        _wait_for(lambda: _answers(port), STARTUP_TIMEOUT, "the webserver", serve)
        assert "enabled: false" in (marts / "dagster" / "dagster.yaml").read_text()
        alerts = marts / "alerts"
        _wait_for(lambda: any(alerts.glob("*.json")), STARTUP_TIMEOUT, "the failed run's alert", serve)
    finally:
        if serve.poll() is None:
            output = _stop_and_check(serve, signal.SIGTERM)
    alert = json.loads(next(alerts.glob("*.json")).read_text(encoding="utf-8"))
    assert alert["source"] == "dagster-daemon"
    assert any("refused" in reason or "recognised" in reason for reason in alert["reasons"]), alert
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(marts / "dagster")) as instance:
        run = instance.get_run_by_id(alert["run_id"])
    assert run.tags.get("dagster/schedule_name") == "nightly_refresh", output


@pytest.mark.slow
def test_sigint_stops_both(tmp_path):
    port = free_port()
    serve = _start(tmp_path / "marts", tmp_path / "raw", port)
    try:
        _wait_for(lambda: _answers(port), STARTUP_TIMEOUT, "the webserver", serve)
    finally:
        if serve.poll() is None:
            _stop_and_check(serve, signal.SIGINT)
