"""Reading an export back: the workbook with openpyxl, the CSVs with the csv module, each table located by
the title and header the report wrote."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl

from pipelines.reports import Export
from pipelines.reports.tables import Table


def workbook_tables(export: Export) -> dict[str, list[list[Any]]]:
    """table key -> its data rows as the workbook holds them."""
    (path,) = [p for p in export.files if p.suffix == ".xlsx"]
    book = openpyxl.load_workbook(path)
    found = {}
    for section in export.report.sections:
        sheet = book[section.sheet]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        for table in section.tables:
            title_row = next(i for i, row in enumerate(rows) if row[0] == table.title)
            header_row = title_row + (2 if table.note else 1)
            assert rows[header_row][: len(table.columns)] == [c.label for c in table.columns]
            body = rows[header_row + 1 : header_row + 1 + len(table.listed_rows())]
            found[table.key] = [row[: len(table.columns)] for row in body]
    return found


def csv_table(export: Export, table: Table, separator: str = ";") -> list[dict[str, str]]:
    path = export.folder / "csv" / f"{table.key}.csv"
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=separator)
        assert reader.fieldnames == [c.key for c in table.columns]
        return list(reader)


def table(export: Export, key: str) -> Table:
    return next(t for t in export.report.tables() if t.key == key)


def by_label(rows: list[list[Any]], width: int) -> dict[Any, tuple]:
    """First `width` columns as the key, the rest as the values."""
    return {tuple(row[:width]) if width > 1 else row[0]: tuple(row[width:]) for row in rows}
