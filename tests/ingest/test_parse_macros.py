"""The parsing rules of parse_macros.sql, a table per macro: what officials type, and what it must become."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

from pipelines.ingest.macros import register_macros

D = dt.date


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    register_macros(connection)
    yield connection
    connection.close()


def apply(con: duckdb.DuckDBPyConnection, macro: str, value: object) -> object:
    return con.execute(f"SELECT {macro}(?::VARCHAR)", [value]).fetchone()[0]


# ---------------------------------------------------------------------------------------------- dates

DATES = [
    ("45123", D(2023, 7, 16)),  # Excel serial day number from an unformatted cell
    ("45123.0", D(2023, 7, 16)),
    ("2024-07-26", D(2024, 7, 26)),  # ISO, as xlsx date cells land
    ("2024-07-26 10:00:00", D(2024, 7, 26)),
    ("2024-07-26T10:00:00", D(2024, 7, 26)),
    ("2024-07-26 10:00:00.123", D(2024, 7, 26)),
    ("26/07/2024", D(2024, 7, 26)),  # day first, always
    ("05/07/2024", D(2024, 7, 5)),  # never read as 7 May
    ("26/07/2024 10:00", D(2024, 7, 26)),
    ("26.07.2024", D(2024, 7, 26)),
    ("26/07/24", D(2024, 7, 26)),
    ("26/07/49", D(2049, 7, 26)),  # below the 50 pivot: 20yy
    ("26/07/50", D(1950, 7, 26)),  # at the pivot: 19yy
    ("26/07/99", D(1999, 7, 26)),
    ("5-7-2024", D(2024, 7, 5)),  # d-m-yyyy
    ("26 Juli 2024", D(2024, 7, 26)),
    ("26 JULI 2024", D(2024, 7, 26)),
    ("5 Agt 2024", D(2024, 8, 5)),
    ("5 Agt. 2024", D(2024, 8, 5)),
    ("05-Agu-2024", D(2024, 8, 5)),
    ("Jumat, 26 Juli 2024", D(2024, 7, 26)),
    ("Sabtu,27 Juli 2024", D(2024, 7, 27)),
    ("July 26, 2024", D(2024, 7, 26)),  # Tableau "Day of ..." export
    ("1 Peb 2020", D(2020, 2, 1)),  # old spelling Pebruari
    ("3 Nop 2021", D(2021, 11, 3)),  # old spelling Nopember
    ("17 Agustus 1945", D(1945, 8, 17)),
    ("29/02/2024", D(2024, 2, 29)),  # leap day exists
    ("  26/07/2024  ", D(2024, 7, 26)),
    # impossible dates are rejected, not rolled over into the next month
    ("31/02/2023", None),
    ("29/02/2023", None),
    ("32/01/2024", None),
    ("13/13/2024", None),
    ("00/01/2024", None),
    ("2024-02-30", None),
    ("31 Juni 2024", None),
    # junk
    ("26 Foo 2024", None),
    ("-", None),
    ("belum", None),
    ("", None),
    (None, None),
    ("2024", None),
    ("123456", None),  # six digits: not an Excel serial of this era
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_parse_date(con, text, expected):
    assert apply(con, "umkm_parse_date", text) == expected


# ---------------------------------------------------------------------------------------------- NIB

NIBS = [
    ("1234567890123", "1234567890123"),
    ("0220000261345", "0220000261345"),
    ("220000261345", "0220000261345"),  # 12 digits: one leading zero lost
    ("20000261345", "0020000261345"),  # 11
    ("0000261345", "0000000261345"),  # 10
    ("1234567890", "0001234567890"),
    ("1234 5678 90123", "1234567890123"),  # spaces typed for readability
    (" 1234567890123 ", "1234567890123"),
    ("'0220000261345", "0220000261345"),  # apostrophe typed to keep Excel from eating the zero
    ("`0220000261345", "0220000261345"),
    ("1234567890123.0", "1234567890123"),  # a number cell written out by software
    ("220000261345.0", "0220000261345"),
    ("9,12E+12", None),  # scientific notation: digits are gone for good
    ("9.12E+12", None),
    ("9.12e12", None),
    ("12345678901AB", None),
    ("NIB-1234567890", None),
    ("123456789", None),  # 9 digits: too short to be a NIB that lost zeros
    ("12345678901234", None),  # 14 digits
    ("1234567890123.5", None),
    ("", None),
    ("-", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), NIBS)
def test_parse_nib(con, text, expected):
    assert apply(con, "umkm_parse_nib", text) == expected


# ---------------------------------------------------------------------------------------------- KBLI

KBLIS = [
    ("56101", "56101"),
    ("01111", "01111"),
    ("1111", "01111"),  # division 01 lost its leading zero
    ("5610", "05610"),
    ("56101.0", "56101"),
    ("1111.0", "01111"),
    (" 56101 ", "56101"),
    ("'01111", "01111"),
    ("561", None),  # golongan, not a kelompok
    ("56", None),
    ("561011", None),
    ("I56101", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), KBLIS)
def test_parse_kbli(con, text, expected):
    assert apply(con, "umkm_parse_kbli", text) == expected


# ---------------------------------------------------------------------------------------------- rupiah

RUPIAH = [
    ("Rp 1.250.000.000", Decimal("1250000000.00")),
    ("Rp1.250.000.000,50", Decimal("1250000000.50")),
    ("Rp. 1.250.000", Decimal("1250000.00")),
    ("IDR 5.000.000", Decimal("5000000.00")),
    ("1.250.000,-", Decimal("1250000.00")),
    ("Rp 1.250.000,-", Decimal("1250000.00")),
    ("(1.000)", Decimal("-1000.00")),  # accounting negative
    ("(Rp 1.000)", Decimal("-1000.00")),
    ("-500", Decimal("-500.00")),
    ("-Rp 1.000", Decimal("-1000.00")),
    ("1,250,000", Decimal("1250000.00")),  # English thousands commas
    ("1,250,000.75", Decimal("1250000.75")),
    ("12,5", Decimal("12.50")),  # comma decimal
    ("1.250", Decimal("1250.00")),  # single dot + exactly three digits: thousands
    ("1.5", Decimal("1.50")),  # other single dots: decimals written by software
    ("1250000000", Decimal("1250000000.00")),
    ("1250000000.0", Decimal("1250000000.00")),
    ("1.5e9", Decimal("1500000000.00")),
    ("1,5E+9", None),  # comma scientific is not a number
    ("0", Decimal("0.00")),
    ("abc", None),
    ("Rp -", None),
    ("1.25.000", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), RUPIAH)
def test_parse_rupiah(con, text, expected):
    assert apply(con, "umkm_parse_rupiah", text) == expected


def test_parse_rupiah_lands_as_decimal_20_2(con):
    assert con.execute("SELECT typeof(umkm_parse_rupiah('Rp 1.250.000'))").fetchone()[0] == "DECIMAL(20,2)"


# ---------------------------------------------------------------------------------------------- numbers

INTEGERS = [
    ("12", 12),
    ("12.0", 12),
    ("-3", -3),
    ("1.234", 1234),  # thousands dot
    ("1.234.567", 1234567),
    ("1,234,567", 1234567),
    (" 1 234 ", 1234),
    ("1e3", 1000),
    ("12.5", None),
    ("12,5", None),
    ("5.0001", None),  # not whole, however close
    ("12 orang", None),
    ("abc", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), INTEGERS)
def test_parse_integer(con, text, expected):
    assert apply(con, "umkm_parse_integer", text) == expected


DECIMALS = [
    ("12", 12.0),
    ("12,5", 12.5),
    ("12.5", 12.5),
    ("-0,75", -0.75),
    ("1.234.567,89", 1234567.89),
    ("1,234,567.89", 1234567.89),
    ("116.8312345", 116.8312345),  # a longitude keeps its digits
    ("-1,2376543", -1.2376543),
    ("5.0001", 5.0001),
    ("116.831", 116.831),  # one dot and three digits is still a decimal point for a measure
    ("-1.237", -1.237),
    ("1.250.000", 1250000.0),  # several dot groups are thousands
    ("1e3", 1000.0),
    ("abc", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), DECIMALS)
def test_parse_decimal(con, text, expected):
    result = apply(con, "umkm_parse_decimal", text)
    assert result == (None if expected is None else pytest.approx(expected, abs=1e-9))


# ---------------------------------------------------------------------------------------------- text

CLEAN_TEXT = [
    ("  Balikpapan   Kota ", "Balikpapan Kota"),
    ("Jl. Sudirman\nNo. 5", "Jl. Sudirman No. 5"),
    ("x", "x"),
    ("0", "0"),
    ("-", None),
    ("--", None),
    ("N/A", None),
    ("#N/A", None),
    ("null", None),
    ("None", None),
    ("nan", None),
    ("", None),
    (" \t\n", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), CLEAN_TEXT)
def test_clean_text(con, text, expected):
    assert apply(con, "umkm_clean_text", text) == expected


# ---------------------------------------------------------------------------------------------- personal data

PHONES = [
    ("081234567890", True),
    ("0812-3456-7890", True),
    ("0812 3456 7890", True),
    ("+6281234567890", True),
    ("6281234567890", True),
    ("(0542) 123456", True),  # Balikpapan landline
    ("0812345", False),  # too short
    ("0812345678901234", False),  # too long
    ("12345678", False),  # no 0 / 62 prefix
    ("abc", False),
    ("", None),  # empty: not invalid, just absent
    ("-", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_valid_phone(con, text, expected):
    assert apply(con, "umkm_valid_phone", text) is expected


EMAILS = [
    ("usaha@gmail.com", True),
    ("dkumkmp.bpp@balikpapan.go.id", True),
    (" usaha@gmail.com ", True),
    ("usaha.gmail.com", False),
    ("usaha@gmail", False),
    ("usaha @gmail.com", False),
    ("a@b@c.com", False),
    ("", None),
    ("-", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_valid_email(con, text, expected):
    assert apply(con, "umkm_valid_email", text) is expected


NIKS = [
    ("6471012345670001", True),
    ("6471 0123 4567 0001", True),
    ("'6471012345670001", True),
    ("6471012345670001.0", True),
    ("647101234567000", False),  # 15 digits
    ("64710123456700012", False),  # 17 digits
    ("6.47101E+15", False),
    ("abcd012345670001", False),
    ("", None),
    ("-", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), NIKS)
def test_valid_nik(con, text, expected):
    assert apply(con, "umkm_valid_nik", text) is expected
