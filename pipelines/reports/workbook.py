"""The recap workbook (.xlsx, XlsxWriter): one sheet per report section, its tables stacked with a title,
native number formats (thousands and rupiah as Indonesian Excel shows them), frozen headers, fitted widths,
landscape fit-to-width printing and native Excel charts beside the tables they draw."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipelines.reports.tables import FORMULA_TRIGGERS, NO_DATA, Chart, Report, Section, Table

NUMBER_FORMATS = {
    "count": "#,##0",
    "rupiah": '"Rp "#,##0',
    "decimal": "#,##0.00",
    "share": "0.0%",
    "date": "dd/mm/yyyy",
    "text": "@",
}
MAX_WIDTH = 60
CHART_ROWS = 16  # a chart's height in rows
BRAND = "#1F4E79"


class Formats:
    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": BRAND})
        self.subtitle = book.add_format({"italic": True, "font_color": "#595959"})
        self.table_title = book.add_format({"bold": True, "font_size": 12, "font_color": BRAND})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.no_data = book.add_format({"italic": True, "font_color": "#C00000"})
        self.cells = {
            kind: book.add_format({"num_format": fmt, "border": 1}) for kind, fmt in NUMBER_FORMATS.items()
        }
        # Text that would start a formula: shown and stored as typed, never evaluated (Excel's quote prefix).
        self.quoted = book.add_format({"num_format": "@", "border": 1, "quote_prefix": True})


def write_workbook(report: Report, path: Path) -> Path:
    # No string ever becomes a formula, a URL or a number, whatever it starts with.
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "remove_timezone": True,
    }
    book = xlsxwriter.Workbook(str(path), options)
    book.set_properties(
        {"title": f"Rekap UMKM dan Koperasi {report.region_name} {report.period_label}", "company": "DKUMKM"}
    )
    formats = Formats(book)
    for section in report.sections:
        _write_section(book, book.add_worksheet(section.sheet), section, report, formats)
    book.close()
    return path


def _write_section(
    book: Workbook, sheet: Worksheet, section: Section, report: Report, formats: Formats
) -> None:
    sheet.write_string(0, 0, f"{section.title} - {report.region_name} - {report.period_label}", formats.title)
    sheet.write_string(1, 0, _subtitle(report), formats.subtitle)
    row = 3
    if section.note:
        sheet.write_string(2, 0, section.note, formats.subtitle)
    widths: dict[int, int] = {}
    first_header: int | None = None
    for table in section.tables:
        header_row = row + (2 if table.note else 1)
        first_header = header_row if first_header is None else first_header
        row = _write_table(sheet, table, row, formats, widths)
        if table.chart and table.rows:  # beside its table; the next table starts below the chart
            rows = _insert_chart(book, sheet, table, header_row, len(table.columns) + 1)
            row = max(row, header_row + rows + 1)
    for column, size in widths.items():
        sheet.set_column(column, column, min(MAX_WIDTH, size + 2))
    if first_header is not None:
        sheet.freeze_panes(first_header + 1, 0)
        sheet.repeat_rows(first_header)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # fit to width, as many pages down as needed
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer(f"&L{report.region_name} - {report.period_label}&RHalaman &P dari &N")


def _subtitle(report: Report) -> str:
    return (
        f"Keadaan per {report.period_end:%d/%m/%Y}. Sumber: gudang data UMKM dan Koperasi "
        f"(dibangun {report.built_at}, run {report.run_id})."
    )


def _write_table(sheet: Worksheet, table: Table, row: int, formats: Formats, widths: dict[int, int]) -> int:
    """Title, note, header and rows from `row`; returns the next free row (one blank row after the table)."""
    sheet.write_string(row, 0, table.title, formats.table_title)
    row += 1
    if table.note:
        sheet.write_string(row, 0, table.note, formats.subtitle)
        row += 1
    for index, column in enumerate(table.columns):
        sheet.write_string(row, index, column.label, formats.header)
        widths[index] = max(widths.get(index, 0), min(len(column.label), 24))
    row += 1
    if not table.rows:
        sheet.write_string(row, 0, NO_DATA, formats.no_data)
        return row + 2
    for values in table.listed_rows():
        for index, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            _write_cell(sheet, row, index, value, column.kind, formats)
            widths[index] = max(widths.get(index, 0), _display_width(value, column.kind))
        row += 1
    return row + 1


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any, kind: str, formats: Formats) -> None:
    if value is None:
        sheet.write_blank(row, column, None, formats.cells[kind])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, value, formats.cells["date"])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value, formats.cells["decimal" if kind == "text" else kind])
    else:
        text = str(value)
        style = formats.quoted if text.startswith(FORMULA_TRIGGERS) else formats.cells["text"]
        sheet.write_string(row, column, text, style)


def _display_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "rupiah" and isinstance(value, int | float):
        return len(f"Rp {value:,.0f}")
    if isinstance(value, int | float):
        return len(f"{value:,.0f}") + 1
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


def _insert_chart(book: Workbook, sheet: Worksheet, table: Table, header_row: int, column: int) -> int:
    """A native chart of `table` at (header_row, column); returns its height in rows."""
    chart: Chart = table.chart
    keys = [c.key for c in table.columns]
    first, last = header_row + 1, header_row + len(table.rows)
    category = keys.index(chart.category)
    plot = book.add_chart({"type": chart.kind})
    for value_key in chart.values:
        index = keys.index(value_key)
        plot.add_series(
            {
                "name": [sheet.name, header_row, index],
                "categories": [sheet.name, first, category, last, category],
                "values": [sheet.name, first, index, last, index],
                "data_labels": {"value": True, "num_format": "#,##0"},
            }
        )
    plot.set_title({"name": chart.title, "name_font": {"size": 12}})
    plot.set_legend({"position": "bottom"} if len(chart.values) > 1 else {"none": True})
    # XlsxWriter: a bar chart's y axis is its (vertical) category axis, a column chart's its value axis.
    value_axis = {"num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if chart.kind == "bar":
        # categories top-down in table order, every label shown
        plot.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 8}})
        plot.set_x_axis(value_axis)
    else:
        plot.set_y_axis(value_axis)
    bars = len(table.rows) * len(chart.values)
    rows = max(CHART_ROWS, bars + 6 if chart.kind == "bar" else CHART_ROWS)
    plot.set_size({"width": 640, "height": 20 * rows})
    sheet.insert_chart(header_row, column, plot, {"object_position": 1})
    return rows
