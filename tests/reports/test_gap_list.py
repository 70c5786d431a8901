"""The recap's gap section on hand-made gaps: the count per type covers every open gap, and the follow-up list
is cut at settings.REPORT_LISTED_GAPS in the workbook and on the page (critical first, with a note saying
where the rest is) while the CSV keeps every gap. A national refresh has ~100,000 open gaps per million
permit rows: more than a workbook sheet can hold, and most of the export's time."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines import settings
from pipelines.reports.csv_files import write_csvs
from pipelines.reports.html_page import write_html
from pipelines.reports.period import parse_period
from pipelines.reports.queries import gaps, gaps_by_type
from pipelines.reports.tables import Report, Section
from pipelines.reports.workbook import write_workbook

# (gap_type, label, severity, severity label, source label, record, row, is_open)
GAPS = [
    ("kbli_missing", "KBLI kosong", "warning", "Peringatan", "Perizinan (OSS)", "Usaha A", 2, True),
    ("kbli_missing", "KBLI kosong", "warning", "Peringatan", "Perizinan (OSS)", "Usaha B", 3, True),
    ("kbli_missing", "KBLI kosong", "warning", "Peringatan", "Perizinan (OSS)", "Usaha C", 4, True),
    ("nib_malformed", "NIB salah format", "warning", "Peringatan", "Kegiatan", "Peserta 1", 5, True),
    ("nib_conflicting", "NIB bertentangan", "critical", "Kritis", "Perizinan (OSS)", "Usaha D", 9, True),
    (
        "kbli_missing",
        "KBLI kosong",
        "warning",
        "Peringatan",
        "Perizinan (OSS)",
        "Usaha E",
        6,
        False,
    ),  # closed
]
OPEN = 5


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute(
        """CREATE TABLE marts.data_quality_gaps (gap_type VARCHAR, gap_type_label VARCHAR, severity VARCHAR,
            severity_label VARCHAR, source_label VARCHAR, record_label VARCHAR, source_row INTEGER,
            is_open BOOLEAN, message VARCHAR, column_name VARCHAR, value VARCHAR, source_path VARCHAR,
            first_seen TIMESTAMP)"""
    )
    con.executemany(
        "INSERT INTO marts.data_quality_gaps VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'perbaiki', 'kbli', NULL, "
        "'permits/a.csv', TIMESTAMP '2024-07-01 08:00:00')",
        GAPS,
    )
    yield con
    con.close()


def _report(*tables) -> Report:
    report = Report(
        "64.71", "Kota Balikpapan", "2024", "Tahun 2024", dt.date(2024, 12, 31), True, "x", "r", "K"
    )
    report.sections = [Section("Celah Data", "Celah data", list(tables))]
    return report


def test_the_count_per_type_covers_every_open_gap_critical_first(con) -> None:
    table = gaps_by_type(con, parse_period("2024"))
    assert table.rows == [
        ("NIB bertentangan", "Kritis", "Perizinan (OSS)", 1),
        ("KBLI kosong", "Peringatan", "Perizinan (OSS)", 3),
        ("NIB salah format", "Peringatan", "Kegiatan", 1),
    ]


def test_a_list_within_the_cut_is_listed_whole(con, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "REPORT_LISTED_GAPS", OPEN)
    table = gaps(con, parse_period("2024"))
    assert len(table.rows) == len(table.listed_rows()) == OPEN and table.note is None


def test_a_longer_list_is_cut_in_the_workbook_and_the_page_but_whole_in_the_csv(
    con, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(settings, "REPORT_LISTED_GAPS", 3)
    table = gaps(con, parse_period("2024"))
    assert table.note == (
        "Ditampilkan 3 baris pertama dari 5; daftar lengkap ada di celah_data.csv (umkm export --format csv)."
    )
    report = _report(table)

    sheet = openpyxl.load_workbook(write_workbook(report, tmp_path / "rekap.xlsx"))["Celah Data"]
    texts = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert table.note in texts
    listed = [row for row in sheet.iter_rows(values_only=True) if row[7] == "permits/a.csv"]
    assert [(row[0], row[3]) for row in listed] == [
        ("NIB bertentangan", "Usaha D"),  # critical first
        ("KBLI kosong", "Usaha A"),
        ("KBLI kosong", "Usaha B"),
    ]

    (tmp_path / "csv").mkdir()
    (path,) = [p for p in write_csvs(report, tmp_path / "csv", "indonesian") if p.name == "celah_data.csv"]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle, delimiter=";"))) == 1 + OPEN

    page = write_html(report, tmp_path / "rekap.html").read_text(encoding="utf-8")
    assert page.count("<tr><td") == 3 and "Ditampilkan 3 baris pertama dari 5" in page
