"""`umkm`: refresh the warehouse, read its headline figures, query it, write the bundled sample."""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

import duckdb

from pipelines.resources import (
    DEFAULT_BUSY_WAIT_SECONDS,
    DEFAULT_KEEP_DAYS,
    DEFAULT_KEEP_RUNS,
    DEFAULT_MARTS_DIR,
    DEFAULT_MAX_SHRINK,
    DEFAULT_RAW_DIR,
)
from pipelines.settings import DEFAULT_REGION, region_name
from pipelines.warehouse import (
    WarehouseNotPublishedError,
    WarehousePaths,
    connect_published,
)

DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except duckdb.Error as error:
        print(f"umkm: {_duckdb_message(error)}", file=sys.stderr)
        return 2
    except (WarehouseNotPublishedError, ValueError) as error:
        print(f"umkm: {one_line(str(error))}", file=sys.stderr)
        return 2


def one_line(text: str) -> str:
    return " ".join(text.split())


def _duckdb_message(error: duckdb.Error) -> str:
    """DuckDB's message on one line (its first line, without the SQL excerpt), and why it was refused."""
    first = one_line(str(error).split("\n\n", 1)[0])
    lowered = first.lower()
    if any(
        phrase in lowered
        for phrase in (
            "disabled by configuration",
            "disabled through configuration",
            "configuration has been locked",
            "already attached",
            "read-only",
            "read only",
        )
    ):
        return (
            f"refused: {first} (the published warehouse is read-only: no writes, ATTACH, COPY TO, "
            "file readers, INSTALL/LOAD or settings)"
        )
    return first


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="umkm", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    refresh = commands.add_parser(
        "refresh", help="ingest raw exports, build, check and publish the warehouse"
    )
    refresh.add_argument("--raw-dir", default=DEFAULT_RAW_DIR, type=Path)
    refresh.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    refresh.add_argument("--region", default=DEFAULT_REGION, help="Kemendagri kab/kota or province code")
    refresh.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even when a headline figure (businesses, permits, cooperatives) falls by more than "
        "--max-shrink against the published warehouse; the decision is recorded in meta.refresh",
    )
    refresh.add_argument(
        "--max-shrink",
        type=float,
        default=float(os.environ.get("UMKM_MAX_SHRINK") or DEFAULT_MAX_SHRINK),
        help=f"largest allowed fall of a headline figure, as a share (default {DEFAULT_MAX_SHRINK})",
    )
    refresh.add_argument(
        "--keep-runs",
        type=int,
        default=int(os.environ.get("UMKM_KEEP_RUNS") or DEFAULT_KEEP_RUNS),
        help=f"logs, quality-run folders and Dagster runs kept (default {DEFAULT_KEEP_RUNS})",
    )
    refresh.add_argument(
        "--keep-days",
        type=float,
        default=float(os.environ.get("UMKM_KEEP_DAYS") or DEFAULT_KEEP_DAYS),
        help=f"... and none older than this many days (default {DEFAULT_KEEP_DAYS:g})",
    )
    refresh.set_defaults(handler=run_refresh)

    summary = commands.add_parser("summary", help="headline figures of the published warehouse")
    summary.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
    summary.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    summary.set_defaults(handler=run_summary)

    query = commands.add_parser("query", help="run read-only SQL on the published warehouse, print CSV")
    query.add_argument("sql")
    query.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    query.set_defaults(handler=run_query)

    status = commands.add_parser(
        "status", help="the last refresh: inputs, check results, gaps, what is published"
    )
    status.add_argument("--json", action="store_true", help="print JSON")
    status.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    status.set_defaults(handler=run_status)

    sample = commands.add_parser("sample", help="write the bundled synthetic sample exports")
    sample.add_argument("--profile", default="balikpapan")
    sample.add_argument("--out", required=True, type=Path)
    sample.set_defaults(handler=run_sample)
    export = commands.add_parser(
        "export", help="write the period's recap (workbook, CSVs, HTML page) from the published warehouse"
    )
    export.add_argument(
        "--period", required=True, help="a year (2024), a quarter (2024-Q2) or a month (2024-07)"
    )
    export.add_argument(
        "--format", default="xlsx,csv,html", help="comma-separated: xlsx, csv, html (default all)"
    )
    export.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    export.add_argument("--out", type=Path, help="output folder (default <marts dir>/exports/<period>/)")
    export.add_argument(
        "--csv-dialect",
        choices=("indonesian", "international"),
        default="indonesian",
        help="indonesian: ';' and decimal comma (Excel in Indonesian); international: ',' and '.'",
    )
    export.set_defaults(handler=run_export)
    return parser


def _progress_logging() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("umkm")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


@contextlib.contextmanager
def _file_logging(log_file: Path):
    """Our modules' warnings and tracebacks (the loader's log.exception for an unreadable file) go to the
    refresh's log file only: the terminal gets one progress line per file (pipelines/assets/ingest.py)."""
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("pipelines")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.handlers[:], level, logger.propagate = saved[0], saved[1], saved[2]
        logger.setLevel(level)
        handler.close()


def _check_writable(marts_dir: Path) -> str | None:
    """None when the marts folder can be written, else why not (one line)."""
    try:
        marts_dir.mkdir(parents=True, exist_ok=True)
        probe = marts_dir / f".write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        return f"cannot write to the marts folder {marts_dir}: {error.strerror or error}"
    return None


def _lock_held(paths: WarehousePaths) -> str | None:
    """Whether another refresh holds the marts folder, checked without writing anything."""
    import fcntl

    if not paths.lock_file.exists():
        return None
    try:
        with paths.lock_file.open("r") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = handle.read().strip()
                who = f"PID {pid}" if pid.isdigit() else "another process"
                return f"another refresh is running ({who} holds {paths.lock_file}); nothing was written"
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return None
    return None


def _failure_errors(result) -> list[tuple[str | None, str, str]]:
    """(step, error class, message) of each failure event of a run."""
    errors = []
    for event in result.all_events:
        if event.is_failure and event.event_specific_data is not None:
            error = getattr(event.event_specific_data, "error", None)
            while (
                error is not None
                and error.cause is not None
                and error.cls_name
                in {
                    "DagsterExecutionStepExecutionError",
                    "DagsterResourceFunctionError",
                    "DagsterUserCodeExecutionError",
                }
            ):
                error = error.cause
            errors.append(
                (
                    event.step_key,
                    error.cls_name if error else "",
                    (error.message.strip() if error else event.message) or "",
                )
            )
    return errors


def _strip_class(message: str) -> str:
    """'pipelines.x.PublishRefusedError: text' -> 'text'."""
    head, sep, rest = message.partition(": ")
    return rest if sep and head.rsplit(".", 1)[-1].endswith("Error") else message


def _forget_run(instance, paths: WarehousePaths, run_id: str) -> None:
    with contextlib.suppress(Exception):
        instance.delete_run(run_id)
    for suffix in (".db", ".db-wal", ".db-shm"):
        (paths.dagster_home / "history" / "runs" / f"{run_id}{suffix}").unlink(missing_ok=True)


def _dagster_instance(paths: WarehousePaths):
    from dagster import DagsterInstance

    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    config = paths.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return DagsterInstance.from_config(str(paths.dagster_home))


def run_refresh(args: argparse.Namespace) -> int:
    name = region_name(args.region)
    if not 0 < args.max_shrink <= 1:
        raise ValueError(f"--max-shrink must be a share between 0 and 1, not {args.max_shrink}")
    marts_dir = args.marts_dir.resolve()
    paths = WarehousePaths(marts_dir)
    # Before anything is written: a folder we cannot write, or another refresh holding it, is one line.
    if problem := _check_writable(marts_dir):
        print(f"umkm: {problem}", file=sys.stderr)
        return 2
    if held := _lock_held(paths):
        print(f"umkm: {held}", file=sys.stderr)
        return 1
    _progress_logging()
    from pipelines import progress

    progress.restart_clock()
    progress.step("refresh         %s (%s), raw %s", name, args.region, args.raw_dir.resolve())
    from pipelines.definitions import REFRESH_JOB, build_definitions
    from pipelines.resources import WarehouseResource

    warehouse = WarehouseResource(
        raw_dir=str(args.raw_dir.resolve()),
        marts_dir=str(marts_dir),
        region_code=args.region,
        allow_shrink=args.allow_shrink,
        max_shrink_share=args.max_shrink,
        keep_runs=args.keep_runs,
        keep_days=args.keep_days,
        busy_wait_seconds=float(os.environ.get("UMKM_BUSY_WAIT_SECONDS") or DEFAULT_BUSY_WAIT_SECONDS),
    )
    started_at = dt.datetime.now(dt.UTC)
    log_file = paths.log_file(started_at)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    progress.step("log             %s", log_file)
    # dagster-dbt echoes every dbt log line to stdout and Dagster's console logger writes errors with their
    # tracebacks to stderr: both go to the log file; the terminal shows progress lines and one line per error.
    # The run holds the refresh lock itself (WarehouseResource.yield_for_execution), as UI runs do.
    with (
        _dagster_instance(paths) as instance,
        log_file.open("a", buffering=1) as log_handle,
        contextlib.redirect_stdout(log_handle),
        contextlib.redirect_stderr(log_handle),
        _file_logging(log_file),
    ):
        job = build_definitions(warehouse).resolve_job_def(REFRESH_JOB)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
        errors = _failure_errors(result)
        if any(cls == "RefreshLockedError" for _, cls, _ in errors):  # lost the race after the probe
            _forget_run(instance, paths, result.run_id)
    if any(cls == "RefreshLockedError" for _, cls, _ in errors):
        log_file.unlink(missing_ok=True)
        message = next(m for _, cls, m in errors if cls == "RefreshLockedError")
        print(f"umkm: {one_line(_strip_class(message))}", file=sys.stderr)
        return 1
    from pipelines.quality.status import finish_refresh

    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    # The quality gate's failed critical expectations: file, row, column and rule of the first bad rows.
    gate_lines = finish_refresh(paths, result.run_id, started_at, result.success, failed_steps, log_file)
    if result.success:
        progress.step("done            warehouse: %s", paths.published)
        return 0
    refusals = [m for _, cls, m in errors if cls == "PublishRefusedError"]
    if refusals:
        print(
            f"umkm: refused to publish: {one_line(_strip_class(refusals[0]))} "
            f"(the published warehouse is unchanged; log {log_file})",
            file=sys.stderr,
        )
        return 1
    busy = [m for _, cls, m in errors if cls == "BuildFileBusyError"]
    if busy:
        print(f"umkm: {one_line(_strip_class(busy[0]))}", file=sys.stderr)
        return 1
    for line in gate_lines:
        print(f"umkm: critical check failed: {line}", file=sys.stderr)
    for step_key, _, message in errors:
        if step_key:
            print(f"umkm: step {step_key} failed: {message}", file=sys.stderr)
    print(
        f"umkm: refresh failed; the published warehouse {paths.published} is unchanged (details: {log_file})",
        file=sys.stderr,
    )
    return 1


def run_status(args: argparse.Namespace) -> int:
    from pipelines.quality.status import print_status

    print_status(WarehousePaths(args.marts_dir.resolve()), sys.stdout, as_json=args.json)
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from pipelines.summary import build_summary

    with connect_published(WarehousePaths(args.marts_dir.resolve())) as con:
        print(json.dumps(build_summary(con), indent=2, ensure_ascii=False))
    return 0


def run_query(args: argparse.Namespace) -> int:
    with connect_published(WarehousePaths(args.marts_dir.resolve())) as con:
        cursor = con.execute(args.sql)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([column[0] for column in cursor.description])
        while rows := cursor.fetchmany(10_000):
            writer.writerows(rows)
    return 0


def run_sample(args: argparse.Namespace) -> int:
    from pipelines.sample import write_sample

    write_sample(args.profile, args.out)
    print(f"sample {args.profile!r} written to {args.out.resolve()}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from pipelines.reports import export_period, parse_formats
    from pipelines.reports.period import parse_period

    period, formats = parse_period(args.period), parse_formats(args.format)
    paths = WarehousePaths(args.marts_dir.resolve())
    written = export_period(
        paths, period, formats, args.out.resolve() if args.out else None, args.csv_dialect
    )
    if not written.report.has_data:
        print(f"umkm export: no data for period {period.code} (the files say so)", file=sys.stderr)
    print(f"exports for {period.code} ({len(written.files)} files) in {written.folder}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DO_NOT_TRACK", "1")
    sys.exit(main())
