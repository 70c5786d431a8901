"""Text from source files (business and cooperative names, file names, typed values) that a spreadsheet would
run as a formula is written as text: xlsx cells are strings with Excel's quote prefix, CSV cells get a
leading apostrophe. Numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pipelines.reports.csv_files import write_csvs
from pipelines.reports.tables import Column, Report, Section, Table, neutralise
from pipelines.reports.workbook import write_workbook

HOSTILE = [
    '=HYPERLINK("http://x.invalid","klik")',
    "+62 811 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\tcmd|' /C calc'!A0",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _report() -> Report:
    table = Table(
        key="uji",
        title="Uji",
        columns=[
            Column("nama", "Nama", "text"),
            Column("jumlah", "Jumlah"),
            Column("uang", "Uang", "rupiah"),
        ],
        rows=[(text, -5, -1250000) for text in HOSTILE] + [("Koperasi Biasa", 3, 1000)],
    )
    report = Report(
        "64.71", "Kota Balikpapan", "2024", "Tahun 2024", dt.date(2024, 12, 31), True, "x", "r", "K"
    )
    report.sections = [Section("Uji", "Uji", [table])]
    return report


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert neutralise("Koperasi " + text) == "Koperasi " + text


def test_workbook_writes_hostile_text_as_text(tmp_path: Path) -> None:
    path = write_workbook(_report(), tmp_path / "uji.xlsx")
    sheet = openpyxl.load_workbook(path)["Uji"]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=6) if row[0].value}
    for text in HOSTILE:
        # XlsxWriter stores a CR as Excel's escape _x000D_ (Excel shows a CR; openpyxl leaves the escape)
        name, count, money = cells[text.replace("\r", "_x000D_")]
        assert name.data_type == "s" and name.quotePrefix, text  # a string, shown as typed, never a formula
        assert (count.value, count.data_type, money.value) == (-5, "n", -1250000)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize(("dialect", "separator"), [("indonesian", ";"), ("international", ",")])
def test_csv_writes_hostile_text_with_an_apostrophe(tmp_path: Path, dialect: str, separator: str) -> None:
    (path,) = write_csvs(_report(), tmp_path, dialect)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the encoding right
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=separator))
    assert rows[0] == ["nama", "jumlah", "uang"]
    assert [row[0] for row in rows[1:-1]] == ["'" + text for text in HOSTILE]
    assert rows[1][1:] == ["-5", "-1250000"]  # numbers are not neutralised
    assert rows[-1] == ["Koperasi Biasa", "3", "1000"]
