"""Progress lines for people running a refresh: each step, rows, seconds. Dagster logs stay for the UI."""

from __future__ import annotations

import logging
import time

log = logging.getLogger("umkm")
_STARTED = time.monotonic()


def restart_clock() -> None:
    global _STARTED
    _STARTED = time.monotonic()


def step(message: str, *args: object) -> None:
    log.info("[%6.1fs] " + message, time.monotonic() - _STARTED, *args)
