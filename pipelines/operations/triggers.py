"""When the raw-folder sensor asks for a refresh: files added or changed under the raw folder, once every
file has been still for a while (an export still being copied is not read half-written), and never while
another refresh holds the lock (the sensor waits and asks again)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.warehouse import WarehousePaths

# A file whose size or modification time changed within this many minutes may still be copying.
DEFAULT_SETTLE_MINUTES = 5.0


def raw_snapshot(raw_dir: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (size, mtime in ns) of every file under the raw folder (hidden files skipped)."""
    if not raw_dir.is_dir():
        return {}
    snapshot = {}
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        stat = path.stat()
        snapshot[str(relative)] = (stat.st_size, stat.st_mtime_ns)
    return snapshot


@dataclass(frozen=True)
class Decision:
    run_key: str | None  # a refresh to start (its run key), or None
    cursor: str | None  # the cursor to keep
    reason: str  # one line: why (not) now


def _fingerprint(snapshot: dict[str, tuple[int, int]]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:16]


def decide(
    raw_dir: Path,
    cursor: str | None,
    settle_minutes: float = DEFAULT_SETTLE_MINUTES,
    now: float | None = None,
    lock_holder: str | None = None,
) -> Decision:
    """Compare the raw folder with the cursor (the fingerprint of the files last refreshed for). The cursor
    only moves when a refresh is requested, so a change seen while waiting is never lost."""
    snapshot = raw_snapshot(raw_dir)
    if not snapshot:
        return Decision(None, cursor, f"no files under {raw_dir}")
    fingerprint = _fingerprint(snapshot)
    if fingerprint == cursor:
        return Decision(None, cursor, "no file added or changed since the last refresh request")
    now = time.time() if now is None else now
    settle = settle_minutes * 60
    unsettled = sorted(name for name, (_, mtime) in snapshot.items() if now - mtime / 1e9 < settle)
    if unsettled:
        return Decision(
            None,
            cursor,
            f"{len(unsettled)} file(s) changed within the last {settle_minutes:g} min, maybe still being "
            f"copied ({', '.join(unsettled[:3])}): not read yet",
        )
    if lock_holder:
        return Decision(None, cursor, f"files changed, but {lock_holder}: asking again at the next check")
    return Decision(fingerprint, fingerprint, f"{len(snapshot)} file(s), changed since the last request")


def lock_holder(paths: WarehousePaths) -> str | None:
    """'a refresh is running (PID n)' while someone holds the refresh lock, else None. Reads only."""
    if not paths.lock_file.exists():
        return None
    with paths.lock_file.open("r") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = handle.read().strip()
            return f"a refresh is running ({'PID ' + pid if pid.isdigit() else 'another process'})"
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None
