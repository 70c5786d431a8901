"""Write sample exports the way the real systems do: .xlsx with typed cells, or CSV from Indonesian Excel."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

Cell = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class SheetSpec:
    name: str
    header: Sequence[str] | None
    rows: Iterable[Sequence[Cell]]
    title_rows: Sequence[str] = ()


def write_xlsx(
    path: Path,
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Cell]],
    *,
    title_rows: Sequence[str] = (),
    sheet_name: str = "Sheet1",
) -> None:
    """One sheet; dates become real Excel date cells, numbers numeric cells (so leading zeros are lost)."""
    write_workbook(path, [SheetSpec(sheet_name, header, rows, title_rows)])


STREAM_BATCH_ROWS = 10_000  # rows fetched at a time from DuckDB for a streamed workbook: memory stays bounded


def query_rows(result: duckdb.DuckDBPyConnection) -> Iterator[tuple[Cell, ...]]:
    """The rows of an executed query, fetched STREAM_BATCH_ROWS at a time: a SheetSpec's rows for a
    workbook of any size (write_workbook streams them to disk)."""
    while batch := result.fetchmany(STREAM_BATCH_ROWS):
        yield from batch


def write_workbook(path: Path, sheets: Sequence[SheetSpec]) -> None:
    """Several sheets, each laid out as officials do: title rows, a blank line, the header, the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # constant_memory streams rows to disk; fixed creation time keeps the bytes reproducible.
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"created": dt.datetime(2024, 1, 1)})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for spec in sheets:
        _write_sheet(workbook.add_worksheet(spec.name), spec, date_format)
    workbook.close()


def _write_sheet(sheet: Worksheet, spec: SheetSpec, date_format: Format) -> None:
    row_index = 0
    for title in spec.title_rows:
        sheet.write_string(row_index, 0, title)
        row_index += 1
    if spec.title_rows:
        row_index += 1  # the blank line officials leave under a title
    if spec.header is not None:
        for col, name in enumerate(spec.header):
            sheet.write_string(row_index, col, name)
        row_index += 1
    for row in spec.rows:
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                value = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
                sheet.write_datetime(row_index, col, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, str(value))
        row_index += 1


def write_csv(
    path: Path,
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Cell]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    title_rows: Sequence[str] = (),
) -> None:
    """Indonesian-locale Excel saves ';'-separated Windows-1252: pass delimiter=';', encoding='cp1252'."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="", errors="replace") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        for title in title_rows:
            writer.writerow([title])
        if title_rows:
            writer.writerow([])
        if header is not None:
            writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else _csv_text(value) for value in row])


def _csv_text(value: Cell) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
