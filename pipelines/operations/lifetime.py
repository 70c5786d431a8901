"""Children that die with the refresh (docs/security.md, "Nothing outlives a refresh").

Every process a refresh starts (dbt through its wrapper, the Data Docs child, the dictionary's dbt child)
calls :func:`die_with_parent` first thing: a Linux parent-death signal, so that a `kill -9` of the refresh
alone leaves nothing running and nothing holding the build file. The child arms it itself, after exec, not in
a ``preexec_fn``: code between fork and exec is unsafe in a process that has threads (the refresh has
Dagster's, the landing's and dbt's progress thread), and an import or a lock there can deadlock on a lock
another thread held at the fork. Its own process group comes from ``Popen(process_group=0)``, which Python
does in C.

Standard library only: the dictionary's dbt child imports this before dbt and nothing else of the package.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Mapping

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# The PID of the process that started the child, set by the one starting it (child_environment).
PARENT_PID = "UMKM_PARENT_PID"


def child_environment(environment: Mapping[str, str]) -> dict[str, str]:
    """The environment for a child this process starts, naming this process as the parent it must outlive."""
    return {**environment, PARENT_PID: str(os.getpid())}


def die_with_parent(parent_pid_variable: str = PARENT_PID) -> None:
    """SIGKILL this process when its parent dies; exit now when the parent named in ``parent_pid_variable``
    is already gone (it died between starting this process and this call: the signal came too late)."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: the child runs without the signal
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    expected = os.environ.get(parent_pid_variable)
    if expected and os.getppid() != int(expected):
        sys.exit("umkm: the refresh that started this process is gone; stopping")
