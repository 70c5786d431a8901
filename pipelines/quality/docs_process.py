"""The Data Docs child process: the one place that starts it, feeds it, waits for it and runs inside it.

``import great_expectations`` costs several seconds, and importing it in a thread of the refresh process races
with Dagster's own SQLAlchemy imports ("partially initialized module"). So Data Docs are drawn by a child,
``python -m pipelines.quality.docs_process MARTS_DIR RUN_ID``: the raw check step starts it (:func:`start`);
it imports GE while dbt runs, draws the raw suites' pages at once, then waits on stdin. :func:`finish` sends
the layers still to draw (``marts``, from the mart check step) and waits; end of input ends it. ``umkm
refresh`` calls :func:`finish` once more when the run ends, so a run that stopped early still gets its pages.
The pages themselves are drawn by pipelines/quality/data_docs.py (pure rendering, no process handling).

The child dies with the refresh (own process group, parent-death signal) and carries the refresh's marker, so
a later refresh recognises a leftover as its own (pipelines/warehouse.py).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from pipelines.operations.lifetime import child_environment, die_with_parent
from pipelines.quality.gate import record_status, suites_for
from pipelines.quality.runner import read_results
from pipelines.warehouse import WarehousePaths, mark_children

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 300
# The children this process started, by Dagster run id: the raw step starts one, the mart step (same process,
# in-process executor) or the end of `umkm refresh` finishes it.
_CHILDREN: dict[str, subprocess.Popen] = {}
_PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def start(paths: WarehousePaths, run_id: str) -> None:
    """Start the run's Data Docs child: it draws the raw suites' pages now and the mart pages when told."""
    mark_children(paths)
    env = child_environment({**os.environ, "GX_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"})
    paths.docs_dir.mkdir(parents=True, exist_ok=True)
    with (paths.docs_dir / "render.log").open("w") as log_file:  # the child keeps its own handle
        _CHILDREN[run_id] = subprocess.Popen(
            [sys.executable, "-m", __name__, str(paths.marts_dir), run_id],
            stdin=subprocess.PIPE,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=_PROJECT_ROOT,
            process_group=0,
        )
    record_status(paths, run_id, {"data_docs": str(paths.docs_dir / "index.html")})


def started(run_id: str) -> bool:
    return run_id in _CHILDREN


def finish(run_id: str, layers: Sequence[str] = ()) -> None:
    """Tell the run's child which further layers to draw (``marts``), then wait for it; no child, no-op."""
    child = _CHILDREN.pop(run_id, None)
    if child is None:
        return
    try:
        assert child.stdin is not None
        child.stdin.write("".join(f"{layer}\n" for layer in layers))
        child.stdin.close()
        if child.wait(timeout=TIMEOUT_SECONDS) != 0:
            log.warning("Data Docs rendering exited with %s for run %s", child.returncode, run_id)
    except (OSError, subprocess.TimeoutExpired):  # Data Docs are a report: never fail the gate over them
        log.exception("Data Docs rendering failed for run %s", run_id)
        child.kill()


def write_docs(
    paths: WarehousePaths,
    run_id: str,
    pending_layers: Sequence[str] = (),
    rendered: set[str] | None = None,
    fresh: bool = False,
) -> Path:
    """Render Data Docs for the run's results so far; suites of ``pending_layers`` show as not yet checked.
    ``rendered`` limits which suites' pages are (re)drawn; ``fresh`` first removes the previous run's
    pages. Imports great_expectations: runs inside the child."""
    from pipelines.quality.data_docs import write_data_docs

    if fresh:
        for old in (paths.docs_dir / "validations").glob("*.html"):
            old.unlink()
    results = read_results(paths.quality_run_dir(run_id))
    done = {r["suite"] for r in results}
    pending = [s.name for layer in pending_layers for s in suites_for(layer) if s.name not in done]
    return write_data_docs(paths.docs_dir, run_id, results, pending, rendered)


def main(argv: Sequence[str] | None = None) -> int:
    """The child: draw what the raw step checked, then the layers named on stdin."""
    import argparse

    die_with_parent()

    parser = argparse.ArgumentParser(description="Render the gate's Data Docs for one refresh run.")
    parser.add_argument("marts_dir", type=Path)
    parser.add_argument("run_id")
    args = parser.parse_args(argv)
    paths = WarehousePaths(args.marts_dir)
    write_docs(paths, args.run_id, ("marts",), fresh=True)
    for line in sys.stdin:
        if line.strip() == "marts":
            write_docs(paths, args.run_id, (), {s.name for s in suites_for("marts")})
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
