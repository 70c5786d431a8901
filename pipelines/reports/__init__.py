"""`umkm export`: the recap an official sends upward (province, ministry, briefings), from the published
warehouse only (read-only), as a workbook, CSVs and one offline HTML page per period.

period.py (2024 | 2024-Q2 | 2024-07), layout.py (kecamatan or kab/kota rows), queries.py (each table as SQL on
the marts), tables.py (what every format renders; formula-injection guard), workbook.py, csv_files.py,
html_page.py + charts.py (inline SVG)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.reports.csv_files import DIALECTS, write_csvs
from pipelines.reports.html_page import write_html
from pipelines.reports.period import Period, period_of
from pipelines.reports.queries import build_report, data_dates
from pipelines.reports.tables import Report
from pipelines.reports.workbook import write_workbook
from pipelines.warehouse import WarehousePaths, connect_published

FORMATS = ("xlsx", "csv", "html")

__all__ = ["DIALECTS", "FORMATS", "Export", "current_period", "export_period", "parse_formats"]


@dataclass
class Export:
    report: Report
    folder: Path
    files: list[Path]


def parse_formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(f"--format {text!r}: choose from {', '.join(FORMATS)} (comma-separated)")
    return chosen


def base_name(report: Report) -> str:
    region = re.sub(r"[^0-9A-Za-z]+", "", report.region_code)
    return f"rekap_umkm_koperasi_{region}_{report.period_code}"


def export_period(
    paths: WarehousePaths,
    period: Period,
    formats: tuple[str, ...] = FORMATS,
    out: Path | None = None,
    dialect: str = "indonesian",
    connect: Callable[[WarehousePaths], duckdb.DuckDBPyConnection] = connect_published,
) -> Export:
    """Write the chosen formats for `period` into `out` (default marts_dir/exports/<period>/). `connect`: the
    read-only opener (the asset passes connect_published_internal: it runs in the refresh's process)."""
    with connect(paths) as con:
        report = build_report(con, period)
    folder = out or paths.exports_dir / period.code
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    if "xlsx" in formats:
        files.append(write_workbook(report, folder / f"{base_name(report)}.xlsx"))
    if "csv" in formats:
        csv_folder = folder / "csv"
        csv_folder.mkdir(exist_ok=True)
        files += write_csvs(report, csv_folder, dialect)
    if "html" in formats:
        files.append(write_html(report, folder / f"{base_name(report)}.html"))
    return Export(report, folder, files)


def current_period(
    paths: WarehousePaths, connect: Callable[[WarehousePaths], duckdb.DuckDBPyConnection] = connect_published
) -> Period | None:
    """The year of the newest data in the published warehouse (the asset's period): for an office that
    refreshes regularly this is the current year; for the bundled sample, 2024."""
    with connect(paths) as con:
        _, last = data_dates(con)
    return period_of(last) if last else None
