"""What every export format renders: a report is a list of sections, a section a list of tables, a table its
columns (stable snake_case key for CSV, Indonesian label for people, kind for formatting) and its rows.

The figures come from SQL on the marts (queries.py); the workbook, the CSVs and the HTML page only render
them, so the three formats show the same numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pipelines.indonesian import thousands

Kind = Literal["text", "count", "rupiah", "share", "decimal", "date"]

# Spreadsheet programs run a cell starting with one of these as a formula (or DDE): text from source files
# (cooperative and business names, file names, typed values) is written with a leading apostrophe instead.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NO_DATA = "Tidak ada data untuk periode ini."


def neutralise(text: str) -> str:
    """Text that a spreadsheet shows as typed and never evaluates (OWASP CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


@dataclass(frozen=True)
class Column:
    key: str  # snake_case, stable: the CSV header
    label: str  # Indonesian heading
    kind: Kind = "count"


@dataclass
class Table:
    key: str  # the CSV file name (without .csv) and the HTML table's data-table
    title: str
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    note: str | None = None  # shown under the title (what a row means, where a figure comes from)
    chart: Chart | None = None
    # The workbook and the HTML page list at most this many rows (the first ones); the CSV has every row.
    listed: int | None = None

    def listed_rows(self) -> list[tuple[Any, ...]]:
        return self.rows if self.listed is None else self.rows[: self.listed]

    def column(self, key: str) -> list[Any]:
        index = [column.key for column in self.columns].index(key)
        return [row[index] for row in self.rows]


def listed_note(listed: int, total: int, csv_key: str) -> str:
    """What a cut table says under its title, in the workbook and on the page."""
    return (
        f"Ditampilkan {thousands(listed)} baris pertama dari {thousands(total)}; daftar lengkap ada di "
        f"{csv_key}.csv (umkm export --format csv)."
    )


@dataclass(frozen=True)
class Chart:
    """A bar chart of this table: one category column, one or more value columns (stacked side by side)."""

    title: str
    category: str
    values: tuple[str, ...]
    kind: Literal["bar", "column"] = "bar"  # bar: horizontal (long labels), column: vertical (months)


@dataclass
class Section:
    sheet: str  # workbook sheet name (Indonesian, <= 31 characters)
    title: str
    tables: list[Table]
    note: str | None = None


@dataclass
class Report:
    region_code: str
    region_name: str
    period_code: str
    period_label: str
    period_end: dt.date
    has_data: bool
    built_at: str
    run_id: str
    area_label: str  # "Kecamatan" for a kab/kota, "Kabupaten/Kota" for a province
    sections: list[Section] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]
