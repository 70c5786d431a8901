"""`umkm status` and the end of `umkm refresh`: what the last refresh read, checked, found and published.

Sources: the status file (``WarehousePaths.status_file``, written by the gate's check steps and by the CLI
when a refresh ends) and the published warehouse's ``meta.refresh`` (what analysts open now). Nothing here
opens the build file, so status works while a refresh is running.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from pipelines.operations.alerts import last_alert
from pipelines.quality import docs_process
from pipelines.quality.gate import blocking_messages, read_status, record_status
from pipelines.settings import TIMEZONE
from pipelines.summary import open_gaps_by_type
from pipelines.warehouse import WarehousePaths, connect_published_internal, folder_size


def finish_refresh(
    paths: WarehousePaths,
    run_id: str | None,
    started_at: dt.datetime,
    success: bool,
    failed_steps: list[str],
    log_file: Path,
) -> list[str]:
    """Record the refresh's outcome and return the gate's blocking messages (file, row, column, rule)."""
    if run_id is None:
        return []
    docs_process.finish(run_id)
    from pipelines.docs import dbt_docs  # dbt's project settings: not for `umkm status`'s own start-up

    dbt_docs.stop_early(paths)  # the dictionary's dbt child, when the refresh stopped before using it
    record_status(
        paths,
        run_id,
        {
            "refresh": {
                "started_at": started_at.astimezone(TIMEZONE).isoformat(timespec="seconds"),
                "finished_at": dt.datetime.now(TIMEZONE).isoformat(timespec="seconds"),
                "success": success,
                "failed_steps": failed_steps,
                "log": str(log_file),
                "published": str(paths.published.resolve()) if success and paths.published.exists() else None,
            }
        },
    )
    return [] if success else blocking_messages(paths, run_id)


def published_info(paths: WarehousePaths) -> dict[str, Any] | None:
    if not paths.published.exists():
        return None
    with connect_published_internal(paths) as con:
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'meta' AND table_name = 'refresh'"
            ).fetchall()
        }
        shrink = "shrink_decision" if "shrink_decision" in columns else "NULL"
        run_id, built_at, region, decision = con.execute(
            f"SELECT run_id, built_at, region_code, {shrink} FROM meta.refresh"
        ).fetchone()
    return {
        "release": paths.published.resolve().name,
        "run_id": run_id,
        "region_code": region,
        "built_at": built_at.astimezone(TIMEZONE).isoformat(timespec="seconds"),
        "shrink_decision": decision,
    }


def refresh_running(paths: WarehousePaths) -> bool:
    """True while `umkm refresh` holds the refresh lock."""
    lock = paths.lock_file
    if not lock.exists():
        return False
    with lock.open() as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _outcome(paths: WarehousePaths, status: dict[str, Any], published: dict[str, Any] | None) -> str:
    if refresh_running(paths):
        return "running"
    if published and published["run_id"] == status.get("run_id"):
        return "published"
    if status.get("refused"):
        return "refused (not published)"
    if status.get("refresh", {}).get("success") is False or any(
        s["blocking"] for s in status.get("suites", {}).values()
    ):
        return "failed (not published)"
    return "not published" if status else "no refresh yet"


def published_gaps(paths: WarehousePaths) -> dict[str, int]:
    if not paths.published.exists():
        return {}
    with connect_published_internal(paths) as con:
        return open_gaps_by_type(con)


def build_status(paths: WarehousePaths) -> dict[str, Any]:
    status = read_status(paths)
    published = published_info(paths)
    suites = status.get("suites", {})
    refresh = status.get("refresh", {})
    outcome = _outcome(paths, status, published)
    inputs = status.get("inputs", [])
    return {
        "last_refresh": {
            "run_id": status.get("run_id"),
            "started_at": refresh.get("started_at") or status.get("checked_raw"),
            "finished_at": refresh.get("finished_at") or status.get("checked_marts"),
            "region_code": status.get("region_code"),
            "raw_dir": status.get("raw_dir"),
            "outcome": outcome,
            "failed_steps": refresh.get("failed_steps", []),
            "refused": status.get("refused"),
            "log": refresh.get("log"),
        },
        "inputs": {
            "files": len({(i["source"], i["path"]) for i in inputs}),
            "by_status": dict(Counter(status for _, status in {(i["path"], i["status"]) for i in inputs})),
            "rows_read": sum(i["rows_read"] or 0 for i in inputs),
            "rows_loaded": sum(i["rows_loaded"] or 0 for i in inputs),
            "rows_rejected": sum(i["rows_rejected"] or 0 for i in inputs),
            "list": inputs,
        },
        "checks": {
            "suites": len(suites),
            "expectations_passed": sum(s["passed"] for s in suites.values()),
            "failed_critical": sum(s["failed_critical"] for s in suites.values()),
            "failed_warning": sum(s["failed_warning"] for s in suites.values()),
            "suites_detail": suites,
            "data_docs": status.get("data_docs"),
        },
        # The refresh's own gaps when it got past dbt, else those of the published warehouse.
        "gaps_from": "last refresh" if "gaps_by_type" in status else "published warehouse",
        "gaps_by_type": status["gaps_by_type"] if "gaps_by_type" in status else published_gaps(paths),
        "published": published,
        "disk": disk_usage(paths),
        "last_alert": last_alert(paths),
    }


_ORDER_LABEL = {"dmy": "hari-bulan", "mdy": "bulan-hari"}


def _skipped_lines(inputs: list[dict[str, Any]]) -> list[str]:
    """Rows the loader recognised as not records (column numbers, repeated headers, totals, notes)."""
    reasons = Counter(r for item in inputs for r in item.get("skipped_reasons") or [])
    if not reasons:
        return []
    detail = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
    return [f"Skipped rows   {sum(reasons.values()):,} not records ({detail})"]


def _date_order_lines(inputs: list[dict[str, Any]]) -> list[str]:
    """How the day/month order of numeric dates was decided (docs: README, ingestion): a count, then each
    column read month-first or not decided for certain."""
    decisions = [(item, d) for item in inputs for d in item.get("date_orders") or []]
    if not decisions:
        return []
    counts = Counter(
        _ORDER_LABEL.get(d["date_order"], d["date_order"]) + ("" if d["certain"] else " (tidak pasti)")
        for _, d in decisions
    )
    lines = [
        f"Date order     {len(decisions)} date columns: "
        + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    ]
    for item, d in decisions:
        if d["date_order"] != "dmy" or not d["certain"]:
            sheet = f" [{item['sheet']}]" if item.get("sheet") else ""
            lines.append(
                f"                 {_ORDER_LABEL.get(d['date_order'], d['date_order'])}"
                f"{'' if d['certain'] else ' TIDAK PASTI'} {item['path']}{sheet} {d['column_name']} "
                f"(bukti {d['evidence']}: {d['day_first_rows']} hari-bulan, "
                f"{d['month_first_rows']} bulan-hari, {d['ambiguous_rows']} keduanya)"
            )
    return lines


def disk_usage(paths: WarehousePaths) -> dict[str, int]:
    """Bytes under the marts folder, in all and by part (docs/security.md: disk bounds)."""
    parts = {
        "total": paths.marts_dir,
        "releases": paths.releases_dir,
        "build": paths.build_dir,
        "dagster": paths.dagster_home,
        "logs": paths.logs_dir,
        "quality": paths.quality_dir,
    }
    return {name: folder_size(folder) if folder.is_dir() else 0 for name, folder in parts.items()}


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


def print_status(paths: WarehousePaths, out: TextIO, as_json: bool = False) -> None:
    status = build_status(paths)
    if as_json:
        print(json.dumps(status, indent=2, ensure_ascii=False, default=str), file=out)
        return
    last, inputs, checks = status["last_refresh"], status["inputs"], status["checks"]
    write = lambda text="": print(text, file=out)  # noqa: E731
    if alert := status["last_alert"]:
        reason = alert["reasons"][0] if alert.get("reasons") else "no reason recorded"
        write(f"Last alert     {alert['at']} run {alert['run_id'][:8]}: {reason} ({alert['file']})")
    if not last["run_id"]:
        write(f"No refresh recorded under {paths.marts_dir} yet: run `umkm refresh`.")
        if status["disk"]["total"]:
            write(f"Disk           marts folder {human_size(status['disk']['total'])}")
        return
    write(
        f"Last refresh   {last['started_at'] or '?'} -> {last['finished_at'] or '?'} "
        f"(run {last['run_id'][:8]}), region {last['region_code']}: {last['outcome']}"
    )
    write(
        f"Inputs         {inputs['files']} files from {last['raw_dir']} "
        f"({', '.join(f'{n} {k}' for k, n in sorted(inputs['by_status'].items()))}); "
        f"rows read {inputs['rows_read']:,}, loaded {inputs['rows_loaded']:,}, "
        f"rejected {inputs['rows_rejected']:,}"
    )
    for item in inputs["list"]:
        if item["status"] != "ingested":
            sheet = f" [{item['sheet']}]" if item.get("sheet") else ""
            write(f"                 {item['status']:<12} {item['path']}{sheet}")
    for line in _skipped_lines(inputs["list"]) + _date_order_lines(inputs["list"]):
        write(line)
    write(
        f"Checks         {checks['suites']} suites: {checks['expectations_passed']} expectations passed, "
        f"{checks['failed_critical']} critical failed, {checks['failed_warning']} warnings"
    )
    for _, suite in sorted(checks["suites_detail"].items()):
        for failure in suite["failures"]:
            if failure["severity"] == "critical":
                for line in failure["messages"][:4]:
                    write(f"  CRITICAL     {line}")
    warned = [n for n, s in sorted(checks["suites_detail"].items()) if s["failed_warning"]]
    if warned:
        write(f"  warnings in  {', '.join(warned)}")
    if checks["data_docs"]:
        write(f"Data Docs      {checks['data_docs']}")
    gaps = status["gaps_by_type"]
    write(
        f"Gaps (open)    {sum(gaps.values()):,}"
        + ("" if status["gaps_from"] == "last refresh" else " (in the published warehouse)")
        + (": " + ", ".join(f"{k} {v:,}" for k, v in gaps.items()) if gaps else "")
    )
    published = status["published"]
    if published is None:
        write("Published      nothing yet")
    else:
        same = published["run_id"] == last["run_id"]
        write(
            f"Published      {published['release']} built {published['built_at']} "
            f"(run {published['run_id'][:8]})"
            + ("" if same else ": from an earlier refresh, the last one was not published")
        )
    if last["refused"]:
        write(f"Refused        {last['refused']}")
    elif last["failed_steps"]:
        write(f"Failed steps   {', '.join(last['failed_steps'])} (log: {last['log']})")
    if published and published.get("shrink_decision"):
        write(f"Shrink         {published['shrink_decision']}")
    disk = status["disk"]
    write(
        f"Disk           marts folder {human_size(disk['total'])} (releases {human_size(disk['releases'])}, "
        f"build {human_size(disk['build'])}, Dagster {human_size(disk['dagster'])}, logs "
        f"{human_size(disk['logs'])}, quality {human_size(disk['quality'])})"
    )
