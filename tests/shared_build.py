"""Session fixtures built once for the whole test session, not once per pytest-xdist worker.

A refreshed sample costs about a minute of CPU; the tests that only read it can then run on both workers at
once (pytest-xdist's "making session-scoped fixtures execute only once" pattern): the first worker that asks
builds it under a file lock in the session's temporary folder, the other waits for the lock and reads back
the same result. Tests that change a warehouse work on copies of it (e.g. `Published.copy`)."""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

# The session fixtures built with `build_once`, and plain views of one (published_tiny, published_ops): any
# worker may run their readers, so tests/conftest.py does not tie those to one worker.
BUILT_ONCE = frozenset(
    {
        "balikpapan_warehouse",
        "kaltara_warehouse",
        "published_tiny_run",
        "published_tiny",
        "published_ops",
        "quality_tiny",
        "event_warehouse",
        "tiny_sample",
        "tiny_warehouse",
    }
)


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """``build(folder)``'s result, computed by one process of the test session: under pytest-xdist the first
    worker to ask builds it into a folder of the session's shared temporary folder while holding a lock, and
    every worker (that one too) gets it back pickled. A build that fails leaves no result, so a worker that
    asks next builds again (in its own folder) and fails the same way: a failure is never hidden."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:  # one process: an ordinary session fixture
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent / "built-once"  # the session's folder, above each worker's
    shared.mkdir(exist_ok=True)
    result_file = shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when build() raises
        if result_file.exists():
            return pickle.loads(result_file.read_bytes())
        folder = shared / f"{name}-{worker}"  # a worker of its own: never a failed attempt's leftovers
        folder.mkdir()
        result = build(folder)
        partial = result_file.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(result))
        partial.replace(result_file)
        return result
