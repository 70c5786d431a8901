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
import traceback
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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:
        # `umkm query ... | head`, `umkm status | head`: the reader has all it wanted. Point stdout at
        # /dev/null so the interpreter's final flush does not raise again (Python docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
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
    refresh.add_argument(
        "--full",
        action="store_true",
        help="re-land every raw file; by default a file landed unchanged (same SHA-256) by the last refresh "
        "keeps its rows and is not read again",
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

    releases = commands.add_parser(
        "releases", help="the kept releases: build time, run, inputs, outcome (which one is published)"
    )
    releases.add_argument("--json", action="store_true", help="print JSON")
    releases.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    releases.set_defaults(handler=run_releases)

    rollback = commands.add_parser(
        "rollback", help="publish an earlier kept release again (until the next successful refresh)"
    )
    rollback.add_argument(
        "--to", metavar="RELEASE", help="release name or run id (default: the one published before)"
    )
    rollback.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    rollback.set_defaults(handler=run_rollback)

    serve = commands.add_parser(
        "serve", help="dagster-webserver + dagster-daemon: the nightly schedule, the sensors, the UI"
    )
    serve.add_argument("--raw-dir", default=DEFAULT_RAW_DIR, type=Path)
    serve.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    serve.add_argument("--region", default=DEFAULT_REGION, help="Kemendagri kab/kota or province code")
    serve.add_argument("--host", default=os.environ.get("UMKM_HOST") or "127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("UMKM_PORT") or 3000))
    serve.add_argument(
        "--prepare-only",
        action="store_true",
        help="only write DAGSTER_HOME's dagster.yaml and print DAGSTER_HOME (for the systemd units)",
    )
    serve.set_defaults(handler=run_serve)

    docs = commands.add_parser(
        "docs", help="where the data dictionary (every mart column explained) and the dbt docs site are"
    )
    docs.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    docs.set_defaults(handler=run_docs)

    sample = commands.add_parser("sample", help="write the bundled synthetic sample exports")
    sample.add_argument("--profile", default="balikpapan")
    sample.add_argument("--out", required=True, type=Path)
    sample.add_argument(
        "--scale",
        type=float,
        default=None,
        help="profile national only: 1.0 = about 10.5 million permit-family rows, 150,000 cooperatives and "
        "1 million event participants (refresh with --region 65)",
    )
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


def _progress_logging(log_file: Path | None = None) -> None:
    """Progress lines to the terminal and, from the run's first line, to its log file."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handlers: list[logging.Handler] = [handler]
    if log_file is not None:
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        handlers.append(to_file)
    logger = logging.getLogger("umkm")
    for old in logger.handlers:
        old.close()
    logger.handlers[:] = handlers
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
        (paths.dagster_event_logs / f"{run_id}{suffix}").unlink(missing_ok=True)


def _dagster_instance(paths: WarehousePaths):
    from dagster import DagsterInstance

    from pipelines.operations.serve import dagster_config_text, write_dagster_config

    # Written when missing or left by an older version (the same text `umkm serve` writes).
    if not paths.dagster_config.exists() or paths.dagster_config.read_text() != dagster_config_text(paths):
        write_dagster_config(paths)
    return DagsterInstance.from_config(str(paths.dagster_home))


def run_refresh(args: argparse.Namespace) -> int:
    name = region_name(args.region)
    if not 0 < args.max_shrink <= 1:
        raise ValueError(f"--max-shrink must be a share between 0 and 1, not {args.max_shrink}")
    paths = WarehousePaths(args.marts_dir.resolve())
    # Before anything is written: a folder we cannot write, or another refresh holding it, is one line.
    if problem := _check_writable(paths.marts_dir):
        print(f"umkm: {problem}", file=sys.stderr)
        return 2
    if held := _lock_held(paths):
        print(f"umkm: {held}", file=sys.stderr)
        return 1
    started_at = dt.datetime.now(dt.UTC)
    log_file = paths.log_file(started_at)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    _progress_logging(log_file)
    from pipelines import progress

    progress.restart_clock()
    progress.step("refresh         %s (%s), raw %s", name, args.region, args.raw_dir.resolve())
    progress.step("log             %s", log_file)
    try:
        return _refresh(args, paths, started_at, log_file)
    except Exception as error:  # anything Dagster did not catch: one line here, the traceback in the log
        with log_file.open("a", encoding="utf-8") as handle:
            traceback.print_exc(file=handle)
        reason = f"refresh failed: {type(error).__name__}: {one_line(str(error))[:300]}"
        _report_failure(paths, None, [reason, _unchanged(paths, log_file)], [], log_file)
        return 1


def _unchanged(paths: WarehousePaths, log_file: Path) -> str:
    return f"refresh failed; the published warehouse {paths.published} is unchanged (details: {log_file})"


def _report_failure(
    paths: WarehousePaths, run_id: str | None, lines: list[str], failed: list[str], log_file: Path
) -> None:
    """The readable failure lines on stderr (nothing else reaches the terminal; the last one says where the
    details are), then the alert file (`umkm status` shows it)."""
    from pipelines.operations.alerts import write_alert

    for line in lines:
        print(f"umkm: {line}", file=sys.stderr)
    try:
        write_alert(paths, run_id or "no-run", lines[:-1] or lines, failed=failed, log=str(log_file))
    except OSError as error:  # a full disk must not hide the failure itself
        print(f"umkm: could not write the alert file: {error}", file=sys.stderr)


def _refresh(args: argparse.Namespace, paths: WarehousePaths, started_at: dt.datetime, log_file: Path) -> int:
    from pipelines import progress
    from pipelines.definitions import REFRESH_JOB, build_definitions
    from pipelines.resources import WarehouseResource

    warehouse = WarehouseResource(
        raw_dir=str(args.raw_dir.resolve()),
        marts_dir=str(paths.marts_dir),
        region_code=args.region,
        allow_shrink=args.allow_shrink,
        max_shrink_share=args.max_shrink,
        keep_runs=args.keep_runs,
        keep_days=args.keep_days,
        busy_wait_seconds=float(os.environ.get("UMKM_BUSY_WAIT_SECONDS") or DEFAULT_BUSY_WAIT_SECONDS),
        full_ingest=args.full,
    )
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
    busy = [m for _, cls, m in errors if cls == "BuildFileBusyError"]
    # One line for a refusal or a busy build file (docs/security.md), else each reason, then where to look.
    if refusals:
        lines = [
            f"refused to publish: {one_line(_strip_class(refusals[0]))} "
            f"(the published warehouse is unchanged; log {log_file})"
        ]
    elif busy:
        lines = [one_line(_strip_class(busy[0]))]
    else:
        lines = [f"critical check failed: {line}" for line in gate_lines]
        lines += [f"step {step} failed: {message}" for step, _, message in errors if step]
        lines.append(_unchanged(paths, log_file))
    _report_failure(paths, result.run_id, lines, failed_steps, log_file)
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
        sys.stdout.flush()  # a closed pipe raises here, inside main(), not at interpreter exit
    return 0


def run_releases(args: argparse.Namespace) -> int:
    from pipelines.operations.releases import list_releases

    paths = WarehousePaths(args.marts_dir.resolve())
    releases = list_releases(paths)
    if args.json:
        rows = [{**vars(r), "outcome": r.outcome} for r in releases]
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return 0
    if not releases:
        print(f"No release kept under {paths.releases_dir} yet: run `umkm refresh`.")
        return 0
    print(f"  {'release':<42} {'built (WITA)':<25} {'run':<8}  {'region':<6} {'files':>5}  outcome")
    for r in releases:
        files = "?" if r.input_files is None else str(r.input_files)
        print(
            f"{'*' if r.current else ' '} {r.name:<42} {r.built_at or '?':<25} {(r.run_id or '?')[:8]:<8}  "
            f"{r.region_code or '?':<6} {files:>5}  {r.outcome}"
        )
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    from pipelines.operations.releases import RollbackError, rollback
    from pipelines.warehouse import RefreshLockedError

    paths = WarehousePaths(args.marts_dir.resolve())
    try:
        result = rollback(paths, args.to)
    except (RollbackError, RefreshLockedError) as error:
        print(f"umkm: rollback not done: {one_line(str(error))}", file=sys.stderr)
        return 1
    print(f"rolled back: {paths.published} now -> {result.release} (was {result.previous})")
    for line in result.changes:
        print(f"  {line}")
    print("It stays published until the next successful refresh (`umkm releases` lists what is kept).")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from pipelines.operations.serve import prepare_home, serve

    region_name(args.region)
    paths = WarehousePaths(args.marts_dir.resolve())
    if args.prepare_only:
        print(prepare_home(paths))
        return 0
    return serve(paths, args.raw_dir.resolve(), args.region, args.host, args.port)


def run_docs(args: argparse.Namespace) -> int:
    from pipelines.docs import dictionary_files

    paths = WarehousePaths(args.marts_dir.resolve())
    files = dictionary_files(paths)
    missing = [f for f in files if not f.exists()]
    if len(missing) == len(files):
        print(
            f"umkm: no data dictionary under {paths.dictionary_dir} yet: it is written by each successful "
            "`umkm refresh`",
            file=sys.stderr,
        )
        return 1
    for path, what in files.items():
        state = "" if path.exists() else "  (missing: the last refresh could not write it)"
        print(f"{path}  {what}{state}")
    return 1 if missing else 0


def run_sample(args: argparse.Namespace) -> int:
    from pipelines.sample import write_sample

    if args.profile == "national":
        from pipelines.sample.national import write_national_sample

        written = write_national_sample(args.out, 1.0 if args.scale is None else args.scale)
        print(f"sample 'national' (scale {args.scale or 1.0}) written to {args.out.resolve()}: {written}")
        return 0
    if args.scale is not None:
        print("--scale only applies to --profile national", file=sys.stderr)
        return 2
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
