"""Reading cells as text: typed xlsx cells, CSV dialects from Indonesian Excel, true row numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from pipelines.ingest.readers import cell_text, detect_csv_dialect, read_sheets
from pipelines.sample.writers import write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (" Balikpapan ", " Balikpapan "),  # text is kept as typed; trimming is the macros' job
        ("0220000261345", "0220000261345"),  # a text cell keeps its leading zero
        (1234567890123.0, "1234567890123"),  # a number cell: no ".0", no scientific notation
        (9120101740584.0, "9120101740584"),
        (1111.0, "1111"),
        (0.0, "0"),
        (-500.0, "-500"),
        (116.8312345, "116.8312345"),
        (-1.25, "-1.25"),
        (42, "42"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.datetime(2024, 7, 26, 10, 30), "2024-07-26"),
        (dt.datetime(2024, 7, 26), "2024-07-26"),
        (dt.date(2024, 7, 26), "2024-07-26"),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


HEADER = ["nib", "nama_perusahaan", "jumlah_investasi"]
ROWS = [["0220000261345", "Warung Makan Café Ibu", "1.250.000,50"], ["1234567890123", "Toko Jaya", "Rp 500"]]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected"),
    [
        ("utf-8", ",", ("utf-8-sig", ",")),
        ("cp1252", ";", ("cp1252", ";")),  # Indonesian-locale Excel "CSV"
        ("utf-8-sig", ";", ("utf-8-sig", ";")),  # Excel "CSV UTF-8" with a BOM
        ("utf-8", "\t", ("utf-8-sig", "\t")),
        ("utf-8", "|", ("utf-8-sig", "|")),
    ],
)
def test_detect_csv_dialect(tmp_path: Path, encoding, delimiter, expected):
    path = tmp_path / "export.csv"
    write_csv(path, HEADER, ROWS, delimiter=delimiter, encoding=encoding)
    assert detect_csv_dialect(path) == expected
    rows = list(next(read_sheets(path)).rows)
    assert rows[0] == HEADER  # no BOM glued to the first header
    assert rows[1:] == ROWS  # accents and the decimal comma survive


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # the only non-ASCII byte is in the last few bytes of a small file: still Windows-1252
        (b"nib;kecamatan\r\n0220000261345;Balikpapan Kota\r\n1234567890123;Caf\xe9\r\n", ("cp1252", ";")),
        (b"nib;nama\r\n1234567890123;\xe9", ("cp1252", ";")),
        # a UTF-8 two-byte character at the very end is UTF-8
        ("nib;nama\r\n1234567890123;Café".encode(), ("utf-8-sig", ";")),
        (b"", ("utf-8-sig", ",")),  # empty file: defaults
        (b"nib\r\n1234567890123\r\n", ("utf-8-sig", ",")),  # one column: no delimiter seen
    ],
    ids=["cp1252-tail", "cp1252-last-byte", "utf8-tail", "empty", "one-column"],
)
def test_detect_csv_dialect_edges(tmp_path: Path, content: bytes, expected):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert detect_csv_dialect(path) == expected
    list(next(read_sheets(path)).rows)  # and the file reads without a decoding error


def test_detect_csv_dialect_utf8_cut_at_the_sniffing_boundary(tmp_path: Path):
    """A multi-byte character split by the 64 KiB sniffing window does not make a UTF-8 file Windows-1252."""
    header = b"nib;nama\r\n"
    filler = b"1234567890123;Toko Jaya\r\n" * (65536 // 25)
    filler = filler[: 65535 - len(header) - len(b"1234567890123;Caf")]
    filler = filler[: filler.rfind(b"\n") + 1]
    last = b"1234567890123;" + b"x" * (65535 - len(header) - len(filler) - 14) + "é\r\n".encode()
    body = header + filler + last + b"1234567890123;Toko Jaya\r\n" * 10
    assert body[65535:65537] == "é".encode()  # the window ends between the two bytes of "é"
    path = tmp_path / "big.csv"
    path.write_bytes(body)
    assert detect_csv_dialect(path) == ("utf-8-sig", ";")


def _xlsx_with_cells(path: Path, cells: dict[tuple[int, int], object]) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    for (row, col), value in cells.items():
        sheet.write(row, col, value)
    workbook.close()


@pytest.mark.parametrize(
    ("header_at", "data_at"),
    [((0, 0), (1, 0)), ((4, 0), (5, 0)), ((4, 2), (5, 2)), ((9, 1), (12, 1))],
    ids=["A1", "A5", "C5", "B10-gap"],
)
def test_xlsx_row_numbers_match_excel(tmp_path: Path, header_at, data_at):
    """Row index + 1 is the row number Excel shows, however far down the used area starts."""
    path = tmp_path / "sheet.xlsx"
    row, col = header_at
    _xlsx_with_cells(path, {header_at: "nib", (row, col + 1): "nama", data_at: 1234567890123})
    (sheet,) = list(read_sheets(path))
    rows = list(sheet.rows)
    assert sheet.name == "Data"
    numbered = {i + 1: [c for c in row if c is not None] for i, row in enumerate(rows) if any(row)}
    assert numbered == {header_at[0] + 1: ["nib", "nama"], data_at[0] + 1: ["1234567890123"]}


def test_xlsx_title_rows_keep_excel_row_numbers(tmp_path: Path):
    """write_xlsx: title on row 1, blank row 2, header row 3, data from row 4, typed cells as text."""
    path = tmp_path / "nib.xlsx"
    write_xlsx(
        path,
        ["nib", "tanggal_terbit_oss", "kbli"],
        [[220000261345, dt.date(2024, 7, 26), 1111], ["'0220000261345", "26 Juli 2024", "01111"]],
        title_rows=["DAFTAR NIB KOTA BALIKPAPAN"],
    )
    rows = [[c for c in r if c is not None] for r in next(read_sheets(path)).rows]
    assert rows == [
        ["DAFTAR NIB KOTA BALIKPAPAN"],
        [],
        ["nib", "tanggal_terbit_oss", "kbli"],
        ["220000261345", "2024-07-26", "1111"],  # number cells lost the zero; date cell is ISO
        ["'0220000261345", "26 Juli 2024", "01111"],
    ]


def test_xlsx_every_sheet_is_read(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Data").write(2, 0, "nib")
    workbook.add_worksheet("Kosong")
    workbook.add_worksheet("Catatan").write(0, 0, "Sumber: OSS")
    workbook.close()
    sheets = {s.name: [r for r in s.rows] for s in read_sheets(path)}
    assert list(sheets) == ["Data", "Kosong", "Catatan"]
    assert [i for i, r in enumerate(sheets["Data"]) if any(r)] == [2]
    assert not any(any(r) for r in sheets["Kosong"])
    assert sheets["Catatan"] == [["Sumber: OSS"]]


def test_unsupported_suffix(tmp_path: Path):
    path = tmp_path / "laporan.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValueError, match="unsupported"):
        list(read_sheets(path))
