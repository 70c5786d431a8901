"""How much time and memory the quality gate costs at national scale (about 10 million permit rows).

Rerunnable, not part of `make test`:

    .venv/bin/python benchmarks/quality_gate.py --rows 1000000 10000000 --modes sql ge-sql ge-pandas

It writes a synthetic ``raw.oss_permit`` table (same columns as the loader lands, a few planted violations) of
each size into a scratch DuckDB file, then validates it with the real suite
``expectations/raw.oss_permit.json``
three ways, each in a fresh Python process so that peak RSS (``ru_maxrss``) is that run's alone:

- ``sql``: the gate as shipped (pipelines/quality/sql.py): expectations translated to DuckDB SQL, one scan.
- ``ge-sql``: Great Expectations 1.x's SQL datasource through SQLAlchemy + duckdb-engine (needs
  ``pip install duckdb-engine``; three workarounds are applied, see ``_patch_ge_for_duckdb``).
- ``ge-pandas``: the table read into a pandas DataFrame and validated by GE's pandas engine (address space
  capped at QUALITY_GATE_PANDAS_LIMIT_GB, default 16, so that 10M rows end in MemoryError, not the OOM
  killer).

Seconds exclude interpreter start-up but include ``import great_expectations`` where a mode needs it
(reported separately). Results print as a table and as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

SUITE = "raw.oss_permit"
MODES = ("sql", "ge-sql", "ge-pandas")

SYNTHETIC_SQL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE OR REPLACE TABLE raw.oss_permit AS
SELECT
    'f' || (i % 120) AS _file_id,
    'permits/List Izin ' || (i % 120) || '.xlsx' AS _path,
    'Sheet1' AS _sheet,
    i // 120 + 2 AS _row_number,
    'hash' || (i % 120) AS _file_hash,
    NULL::DATE AS _file_date,
    CAST(i // 120 + 1 AS VARCHAR) AS no,
    'I-' || lpad(CAST(i AS VARCHAR), 12, '0') AS id_permohonan_izin,
    'Usaha ' || (i % 997) AS nama_perusahaan,
    CASE WHEN i % 250000 = 7 THEN NULL
         ELSE lpad(CAST((i * 7919) % 9999999999999 AS VARCHAR), 13, '0') END AS nib,
    DATE '2018-01-01' + CAST(i % 2300 AS INTEGER) AS tanggal_terbit_oss,
    'PMDN' AS uraian_status_penanaman_modal,
    'KALIMANTAN TIMUR' AS propinsi,
    'KOTA BALIKPAPAN' AS kab_kota,
    'P-' || (i // 2) AS id_proyek,
    CASE WHEN i % 100000 = 3 THEN 'X' ELSE ['R', 'MR', 'MT', 'T'][i % 4 + 1] END AS kd_resiko,
    lpad(CAST((i * 31) % 99999 AS VARCHAR), 5, '0') AS kbli,
    DATE '2018-01-01' + CAST(i % 2300 AS INTEGER) + 3 AS tgl_izin,
    ['Persyaratan Dasar', 'UMKU', 'Sertifikat Standar', 'Izin'][i % 4 + 1] AS uraian_jenis_perizinan,
    'SPPL' AS nama_dokumen,
    'Pemerintah Daerah' AS uraian_kewenangan,
    'Izin Terbit' AS uraian_status_respon,
    'Kab/Kota' AS kewenangan,
    'Kementerian Perdagangan' AS kl_sektor,
    []::VARCHAR[] AS _unparsed_columns
FROM range(?) AS t(i)
"""


def synthesise(path: Path, rows: int) -> None:
    import duckdb

    if path.exists():
        path.unlink()
    with duckdb.connect(str(path)) as con:
        con.execute(SYNTHETIC_SQL, [rows])
        con.execute("CHECKPOINT")


# ---- the three ways to validate (each runs in its own child process) -----------------------------------


def run_sql(db: Path) -> dict:
    import duckdb

    from pipelines.quality.runner import run_suite
    from pipelines.quality.suites import load_suites

    suite = load_suites(names=[SUITE])[0]
    with duckdb.connect(str(db), read_only=True) as con:
        result = run_suite(con, suite, _parameters())
    return {"failed": [o.expectation.type + ":" + ",".join(o.expectation.columns) for o in result.failed]}


def _parameters() -> dict:
    from pipelines.quality.runner import default_parameters

    return default_parameters()


def _ge_suite(gx, dates_as_timestamps: bool = False):
    """The shipped suite as GE objects. GE's pandas engine cannot compare datetime64 columns with the ISO
    strings the SQL engines accept, so for pandas the date bounds become pandas Timestamps."""
    import pandas as pd
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from pipelines.quality.suites import load_suites

    suite = load_suites(names=[SUITE])[0]
    params = {k: str(v) for k, v in _parameters().items()}

    def bound(value):
        if dates_as_timestamps and isinstance(value, str) and len(value) == 10 and value[4] == "-":
            return pd.Timestamp(value)
        return value

    expectations = [
        ExpectationConfiguration(
            type=e.type, kwargs={k: bound(v) for k, v in e.resolved_kwargs(params).items()}
        ).to_domain_obj()
        for e in suite.expectations
    ]
    return gx.ExpectationSuite(name=SUITE, expectations=expectations)


def _patch_ge_for_duckdb() -> None:
    """GE 1.24 does not know duckdb-engine's dialect. Without these, every metric fails:
    1. results are fetched after GE returns the pooled connection, which discards DuckDB's pending result
       ("list index out of range"): keep one persisted connection, as GE does for sqlite;
    2. GE has no regex expression for the dialect ("Regex is not supported for dialect duckdb").
    (3. table assets ignore schema_name with this dialect: a query asset is used instead.)"""
    import sqlalchemy as sa
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module
    from great_expectations.expectations.metrics.column_map_metrics import (
        column_values_match_regex,
        column_values_not_match_regex,
    )

    class _DuckDialect(str):
        value = "duckdb"

    engine_module._PERSISTED_CONNECTION_DIALECTS = (
        *engine_module._PERSISTED_CONNECTION_DIALECTS,
        _DuckDialect("duckdb"),
    )
    for module in (column_values_match_regex, column_values_not_match_regex):
        original = module.get_dialect_regex_expression

        def patched(column, regex, dialect, positive=True, _original=original):
            expression = _original(column, regex, dialect, positive)
            if expression is None:
                matches = sa.func.regexp_matches(column, sa.literal(regex))
                return matches if positive else sa.not_(matches)
            return expression

        module.get_dialect_regex_expression = patched


def _summarise_ge(result) -> dict:
    return {
        "failed": [
            r.expectation_config.type + ":" + str(r.expectation_config.kwargs.get("column"))
            for r in result.results
            if not r.success
        ]
    }


def run_ge_sql(db: Path) -> dict:
    started = time.perf_counter()
    import great_expectations as gx

    imported = time.perf_counter() - started
    _patch_ge_for_duckdb()
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_sql("warehouse", connection_string=f"duckdb:///{db}")
    asset = source.add_query_asset(SUITE, query=f"SELECT * FROM {SUITE}")
    batch = asset.add_batch_definition_whole_table("all")
    suite = context.suites.add(_ge_suite(gx))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="gate", data=batch, suite=suite)
    )
    result = definition.run(
        result_format={"result_format": "SUMMARY", "unexpected_index_column_names": ["_path", "_row_number"]}
    )
    source.get_execution_engine().close()
    return {**_summarise_ge(result), "import_seconds": round(imported, 2)}


def run_ge_pandas(db: Path) -> dict:
    started = time.perf_counter()
    import duckdb
    import great_expectations as gx

    imported = time.perf_counter() - started
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute(f"SELECT * FROM {SUITE}").df()
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset(SUITE)
        .add_batch_definition_whole_dataframe("all")
    )
    suite = context.suites.add(_ge_suite(gx, dates_as_timestamps=True))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="gate", data=batch, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame}, result_format={"result_format": "SUMMARY"})
    return {**_summarise_ge(result), "import_seconds": round(imported, 2)}


RUNNERS = {"sql": run_sql, "ge-sql": run_ge_sql, "ge-pandas": run_ge_pandas}


def child(mode: str, db: Path) -> None:
    if mode == "ge-pandas":  # fail with MemoryError instead of waking the OOM killer at 10M rows
        limit = int(float(os.environ.get("QUALITY_GATE_PANDAS_LIMIT_GB", "16")) * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    started = time.perf_counter()
    try:
        outcome = RUNNERS[mode](db)
        error = None
    except Exception as exc:  # report, do not hide: a mode that cannot run is a finding
        outcome, error = {}, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(
        json.dumps(
            {
                "mode": mode,
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak_mb),
                "error": error,
                **outcome,
            }
        )
    )
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (duckdb-engine leaves nanobind leak warnings on exit)


def measure(mode: str, db: Path, timeout: int) -> dict:
    command = [sys.executable, __file__, "--child", mode, "--db", str(db)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "error": f"timeout after {timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"mode": mode, "error": (done.stderr.strip().splitlines() or ["no output"])[-1][:200]}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per mode and size (median seconds, max RSS)"
    )
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temp dir)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="quality_gate_"))
    workdir.mkdir(parents=True, exist_ok=True)
    report = []
    for rows in args.rows:
        db = workdir / f"permits_{rows}.duckdb"
        started = time.perf_counter()
        synthesise(db, rows)
        print(
            f"# {rows:,} rows synthesised in {time.perf_counter() - started:.1f} s "
            f"({db.stat().st_size >> 20} MiB)",
            file=sys.stderr,
        )
        for mode in args.modes:
            runs = [measure(mode, db, args.timeout) for _ in range(args.repeat)]
            ok = [r for r in runs if not r.get("error")]
            row = {"rows": rows, "mode": mode, "runs": len(runs)}
            if ok:
                row |= {
                    "seconds": statistics.median(r["seconds"] for r in ok),
                    "peak_rss_mb": max(r["peak_rss_mb"] for r in ok),
                    "import_seconds": ok[0].get("import_seconds"),
                    "failed": ok[0].get("failed"),
                }
            else:
                row["error"] = runs[-1].get("error")
            report.append(row)
            print(
                f"{rows:>11,} {mode:<10} "
                + (
                    f"{row['seconds']:>8.1f} s {row['peak_rss_mb']:>7,} MB"
                    if ok
                    else f"error: {row['error']}"
                ),
                file=sys.stderr,
            )
        db.unlink()
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"{'rows':>11} {'mode':<10} {'seconds':>9} {'peak RSS':>10}  failed expectations")
        for row in report:
            if "error" in row:
                print(f"{row['rows']:>11,} {row['mode']:<10} error: {row['error']}")
            else:
                print(
                    f"{row['rows']:>11,} {row['mode']:<10} {row['seconds']:>9.1f} "
                    f"{row['peak_rss_mb']:>7,} MB  "
                    f"{', '.join(row['failed'] or []) or '-'}"
                )


if __name__ == "__main__":
    main()
