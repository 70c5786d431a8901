"""`umkm serve`: dagster-webserver and dagster-daemon on the one code location, with DAGSTER_HOME under the
marts folder (``WarehousePaths.dagster_home``: SQLite storage, telemetry off, one run at a time).

Both run in their own process group and are stopped together: SIGINT or SIGTERM to `umkm serve` sends SIGTERM
to each group, waits, then SIGKILLs what is left (dagster dev once ignored both signals). When either process
dies on its own, the other is stopped too, so systemd or an operator sees the failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pipelines.warehouse import WarehousePaths

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3000
STOP_GRACE_SECONDS = 20.0
CODE_LOCATION = "pipelines.definitions"

# DAGSTER_HOME's config, whoever starts Dagster there (umkm serve, umkm refresh, make ui). The schedule and
# the sensors' runs queue and run one at a time (they share one build file and lock); storage is Dagster's
# SQLite default under DAGSTER_HOME, with the event log's connections kept open
# (pipelines/operations/dagster_storage.py: the same files, a third less CPU per refresh).
DAGSTER_YAML = """\
# Written by pipelines/operations/serve.py (write_dagster_config); `umkm serve` rewrites it at each start.
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
event_log_storage:
  module: pipelines.operations.dagster_storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {event_log_dir}
"""


def dagster_config_text(paths: WarehousePaths) -> str:
    # JSON quoting is valid YAML: a marts folder with spaces or colons in its path stays one string.
    return DAGSTER_YAML.format(event_log_dir=json.dumps(str(paths.dagster_event_logs)))


def write_dagster_config(paths: WarehousePaths) -> None:
    """Write DAGSTER_HOME's dagster.yaml (atomically: a daemon may be reading it)."""
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    partial = paths.dagster_config.with_suffix(".partial")
    partial.write_text(dagster_config_text(paths), encoding="utf-8")
    os.replace(partial, paths.dagster_config)


def prepare_home(paths: WarehousePaths) -> Path:
    """Write DAGSTER_HOME's dagster.yaml and create its SQLite storage; returns DAGSTER_HOME. The storage is
    created here, once: the webserver, the daemon and their code servers starting together on a fresh home
    each run the schema migrations and leave two alembic heads ("more than one head present")."""
    from dagster import DagsterInstance

    write_dagster_config(paths)
    with DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        instance.get_runs(limit=1)  # run storage
        instance.event_log_storage.get_latest_materialization_events([])
        instance.all_instigator_state()  # schedule storage
    return paths.dagster_home


def serve_environment(paths: WarehousePaths, raw_dir: Path, region: str) -> dict[str, str]:
    """What the code location reads (WarehouseResource.from_env), and no telemetry anywhere."""
    return {
        **os.environ,
        "DAGSTER_HOME": str(paths.dagster_home),
        "UMKM_RAW_DIR": str(raw_dir),
        "UMKM_MARTS_DIR": str(paths.marts_dir),
        "UMKM_REGION": region,
        "DO_NOT_TRACK": "1",
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "GX_ANALYTICS_ENABLED": "false",
    }


def _executable(name: str) -> str:
    beside = Path(sys.executable).with_name(name)  # the virtualenv's, whatever PATH says
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def commands(host: str, port: int) -> dict[str, list[str]]:
    return {
        "dagster-webserver": [
            _executable("dagster-webserver"),
            "-h",
            host,
            "-p",
            str(port),
            "-m",
            CODE_LOCATION,
        ],
        "dagster-daemon": [_executable("dagster-daemon"), "run", "-m", CODE_LOCATION],
    }


def stop_groups(processes: dict[str, subprocess.Popen], grace: float) -> None:
    """End each process and every child in its process group (each started with start_new_session): SIGTERM,
    up to ``grace`` seconds, then SIGKILL to the group for whatever is left."""
    for process in processes.values():
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes.values():  # whatever ignored SIGTERM, and any child left in the group
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def serve(
    paths: WarehousePaths,
    raw_dir: Path,
    region: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None] = print,
) -> int:
    """Run both processes until a signal or until one of them ends; returns the exit code."""
    prepare_home(paths)
    paths.logs_dir.mkdir(parents=True, exist_ok=True)
    env = serve_environment(paths, raw_dir, region)
    stopping: list[int] = []

    def on_signal(signum: int, _frame) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    processes: dict[str, subprocess.Popen] = {}
    try:
        with paths.serve_log.open("a", encoding="utf-8") as log:
            for name, command in commands(host, port).items():
                processes[name] = subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
                say(f"umkm serve: {name} started (PID {processes[name].pid})")
            say(f"umkm serve: UI http://{host}:{port}, DAGSTER_HOME {paths.dagster_home}")
            say(f"umkm serve: both processes log to {paths.serve_log}")
            while not stopping and all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        ended = [name for name, p in processes.items() if p.poll() is not None]
        if stopping:
            say(f"umkm serve: {signal.Signals(stopping[0]).name} received, stopping both processes")
        else:
            say(f"umkm serve: {', '.join(ended)} ended on its own, stopping the rest ({paths.serve_log})")
        return 0 if stopping else 1
    finally:
        stop_groups(processes, STOP_GRACE_SECONDS)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        say("umkm serve: stopped")
