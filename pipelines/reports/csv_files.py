"""One CSV per table: stable snake_case headers, UTF-8 with BOM. The default dialect is the one Indonesian
Excel opens on a double-click (`;` separator, decimal comma); `international` gives `,` and `.`.
Numbers are written plain (no thousands separator) so that any program reads them back exactly."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from pipelines.reports.tables import Report, Table, neutralise

DIALECTS = {"indonesian": (";", ","), "international": (",", ".")}


def write_csvs(report: Report, folder: Path, dialect: str = "indonesian") -> list[Path]:
    separator, decimal = DIALECTS[dialect]
    written = []
    for table in report.tables():
        path = folder / f"{table.key}.csv"
        _write_table(table, path, separator, decimal)
        written.append(path)
    return written


def _write_table(table: Table, path: Path, separator: str, decimal: str) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([column.key for column in table.columns])
        for row in table.rows:
            writer.writerow([format_value(value, decimal) for value in row])


def format_value(value: Any, decimal: str = ",") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal) if value != int(value) else str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))
