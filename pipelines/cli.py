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

from pipelines.resources import DEFAULT_MARTS_DIR, DEFAULT_RAW_DIR, DEFAULT_REGION
from pipelines.warehouse import WarehouseNotPublishedError, WarehousePaths, connect_published

REFERENCE_REGIONS = (
    Path(__file__).resolve().parent.parent / "dbt_project/seeds/reference/wilayah_kemendagri_2025.csv"
)
DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (WarehouseNotPublishedError, ValueError, duckdb.Error) as error:
        print(f"umkm: {error}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="umkm", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    refresh = commands.add_parser(
        "refresh", help="ingest raw exports, build, check and publish the warehouse"
    )
    refresh.add_argument("--raw-dir", default=DEFAULT_RAW_DIR, type=Path)
    refresh.add_argument("--marts-dir", default=DEFAULT_MARTS_DIR, type=Path)
    refresh.add_argument("--region", default=DEFAULT_REGION, help="Kemendagri kab/kota or province code")
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
    return parser


def region_name(code: str) -> str:
    """The Kemendagri name of a province or kab/kota code; ValueError for anything else."""
    with REFERENCE_REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kode"] == code and row["tingkat"] in {"provinsi", "kab_kota"}:
                return row["nama"]
    raise ValueError(f"region {code!r} is not a Kemendagri province or kab/kota code (e.g. 64.71, 65)")


def _progress_logging() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("umkm")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _dagster_instance(paths: WarehousePaths):
    from dagster import DagsterInstance

    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    config = paths.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    return DagsterInstance.from_config(str(paths.dagster_home))


def run_refresh(args: argparse.Namespace) -> int:
    name = region_name(args.region)
    _progress_logging()
    from pipelines import progress

    progress.restart_clock()
    progress.step("refresh         %s (%s), raw %s", name, args.region, args.raw_dir.resolve())
    from pipelines.definitions import REFRESH_JOB, build_definitions
    from pipelines.resources import WarehouseResource

    warehouse = WarehouseResource(
        raw_dir=str(args.raw_dir.resolve()), marts_dir=str(args.marts_dir.resolve()), region_code=args.region
    )
    paths = warehouse.paths
    log_file = paths.marts_dir / "logs" / f"refresh-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    progress.step("log             %s", log_file)
    started_at = dt.datetime.now(dt.UTC)
    # dagster-dbt echoes every dbt log line to stdout: keep those in the log file, show progress lines only.
    # The run holds the refresh lock itself (WarehouseResource.yield_for_execution), as UI runs do.
    with (
        _dagster_instance(paths) as instance,
        log_file.open("w") as log_handle,
        contextlib.redirect_stdout(log_handle),
    ):
        job = build_definitions(warehouse).resolve_job_def(REFRESH_JOB)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
    from pipelines.quality.status import finish_refresh

    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    # The quality gate's failed critical expectations: file, row, column and rule of the first bad rows.
    gate_lines = finish_refresh(
        paths.marts_dir, result.run_id, started_at, result.success, failed_steps, log_file
    )
    if not result.success:
        for line in gate_lines:
            print(f"umkm: critical check failed: {line}", file=sys.stderr)
        for event in result.all_events:
            if event.is_failure and event.step_key and event.event_specific_data is not None:
                error = getattr(event.event_specific_data, "error", None)
                detail = error.message.strip() if error else event.message
                print(f"umkm: step {event.step_key} failed: {detail}", file=sys.stderr)
        print(
            f"umkm: refresh failed; the published warehouse {paths.published} is unchanged "
            f"(details: {log_file})",
            file=sys.stderr,
        )
        return 1
    progress.step("done            warehouse: %s", paths.published)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from pipelines.quality.status import print_status

    print_status(args.marts_dir.resolve(), sys.stdout, as_json=args.json)
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


if __name__ == "__main__":
    os.environ.setdefault("DO_NOT_TRACK", "1")
    sys.exit(main())
