"""`umkm releases` and `umkm rollback`: the kept releases, and pointing the published name at an earlier one.

A rollback is a publish of an already-built release: under the refresh lock, the symlinks (the published
name and published_parquet) are swapped with os.replace (readers with an open connection keep their version)
and a line is appended to the history (``WarehousePaths.history_file``) with the release's headline figures,
so the publish guard of the next refresh compares against what is published now. The rolled-back release
stays published until the next successful refresh (pruning never removes the published release).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipelines.settings import TIMEZONE
from pipelines.warehouse import (
    WarehousePaths,
    connect_read_only,
    read_history,
    refresh_lock,
    swap_pointers,
    table_exists,
)


class RollbackError(RuntimeError):
    """A rollback that cannot be done (nothing earlier kept, an unknown release): nothing changed."""


@dataclass
class Release:
    name: str
    built_at: str | None = None
    run_id: str | None = None
    region_code: str | None = None
    raw_dir: str | None = None
    input_files: int | None = None
    published: bool = False
    current: bool = False
    rolled_back_at: str | None = None
    headline: dict[str, Any] | None = None
    problem: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.problem:
            return f"unreadable ({self.problem})"
        if self.current:
            return "published now" + (f" (rolled back {self.rolled_back_at})" if self.rolled_back_at else "")
        return "published earlier" if self.published else "never published"


def _read_meta(path: Path) -> dict[str, Any]:
    """What a release says about itself: meta.refresh, and how many input files it read."""
    with connect_read_only(path) as con:
        run_id, built_at, region, raw_dir = con.execute(
            "SELECT run_id, built_at, region_code, raw_dir FROM meta.refresh"
        ).fetchone()
        files = None
        if table_exists(con, "raw", "ingest_files"):
            files = con.execute("SELECT count(DISTINCT path) FROM raw.ingest_files").fetchone()[0]
    return {
        "run_id": run_id,
        "built_at": built_at.astimezone(TIMEZONE).isoformat(timespec="seconds"),
        "region_code": region,
        "raw_dir": raw_dir,
        "input_files": files,
    }


def list_releases(paths: WarehousePaths) -> list[Release]:
    """Every kept release, oldest first, with what its file and the history say about it."""
    if not paths.releases_dir.is_dir():
        return []
    current = paths.published.resolve().name if paths.published.exists() else None
    history = read_history(paths)
    releases = []
    for file in sorted(paths.releases_dir.glob("warehouse-*.duckdb")):
        entries = [e for e in history if e.get("release") == file.name]
        release = Release(name=file.name, published=bool(entries), current=file.name == current)
        release.history = entries
        release.headline = next(
            (e["headline"] for e in reversed(entries) if isinstance(e.get("headline"), dict)), None
        )
        if release.current and entries and entries[-1].get("rollback_from"):
            release.rolled_back_at = entries[-1].get("published_at")
        try:
            for key, value in _read_meta(file).items():
                setattr(release, key, value)
        except duckdb.Error as error:  # a release that does not open is listed, never chosen
            release.problem = " ".join(str(error).split())[:120]
        releases.append(release)
    return releases


@dataclass(frozen=True)
class RollbackResult:
    previous: str
    release: str
    changes: list[str]


def _choose(releases: list[Release], to: str | None) -> Release:
    current = next((r for r in releases if r.current), None)
    if to:
        chosen = next((r for r in releases if to in (r.name, r.name.removesuffix(".duckdb"))), None)
        if chosen is None:
            chosen = next((r for r in releases if r.run_id and r.run_id.startswith(to)), None)
        if chosen is None:
            kept = ", ".join(r.name for r in releases) or "none"
            raise RollbackError(f"no kept release {to!r} (kept: {kept}; see `umkm releases`)")
    else:
        # The newest release published before the current one: "back to yesterday's warehouse".
        earlier = [r for r in releases if r.published and current and r.name < current.name]
        if not earlier:
            raise RollbackError("no earlier published release is kept: nothing to roll back to")
        chosen = earlier[-1]
    if chosen.problem:
        raise RollbackError(f"release {chosen.name} does not open ({chosen.problem}): not rolled back")
    if current is not None and chosen.name == current.name:
        raise RollbackError(f"{chosen.name} is already the published release: nothing changed")
    return chosen


def headline_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """'cooperatives 40 -> 50 (+10)' for each headline figure, from the history's figures."""
    if not before or not after:
        return ["headline figures unknown for one of the releases (published before they were recorded)"]
    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if isinstance(old, int) and isinstance(new, int):
            lines.append(f"{name} {old:,} -> {new:,} ({new - old:+,})")
        else:
            lines.append(f"{name} {old} -> {new}")
    return lines


def swap_published(paths: WarehousePaths, release: Path) -> None:
    """Point the published name and published_parquet at ``release`` (each in one rename: readers never see
    a missing file); a release kept from before the Parquet copies leaves no published_parquet."""
    swap_pointers(paths, release)


def rollback(paths: WarehousePaths, to: str | None = None) -> RollbackResult:
    """Publish an earlier kept release (``to``: a release name or run id; default the one before the
    current). Raises RefreshLockedError while a refresh runs, RollbackError when there is nothing to do."""
    with refresh_lock(paths):
        releases = list_releases(paths)
        current = next((r for r in releases if r.current), None)
        chosen = _choose(releases, to)
        target = paths.release_file(chosen.name)
        with connect_read_only(target) as con:  # refuse to publish a file that does not open
            con.execute("SELECT count(*) FROM information_schema.tables").fetchone()
        swap_published(paths, target)
        entry = {
            "release": chosen.name,
            "run_id": chosen.run_id,
            "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "rollback_from": current.name if current else None,
            "headline": chosen.headline,
        }
        with paths.history_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    before = current.headline if current else None
    return RollbackResult(
        previous=current.name if current else "nothing",
        release=chosen.name,
        changes=headline_changes(before, chosen.headline),
    )
