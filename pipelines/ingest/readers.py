"""Read .xlsx and .csv exports into rows of text, the way officials' files really arrive.

Every cell becomes text (or None) so that the parsing rules live in one place (parse_macros.sql):
numbers that Excel stored lose nothing more than they already lost, dates become ISO text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES
_DELIMITERS = (";", ",", "\t", "|")
# A CSV cell may hold megabytes (a pasted document, a long description): the csv module's default field limit
# (128 KiB) would make the whole file unreadable. Memory stays bounded by the loader's batches.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Row = list[str | None]
# What a damaged or mislabelled file raises while being read (as opposed to a bug in this code).
READ_ERRORS = (CalamineError, PasswordError, XmlError, ZipError, csv.Error, UnicodeDecodeError, OSError)


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written, detected once per file: what the Python reader and the DuckDB fast path
    (csv_fast.py) both read it with."""

    encoding: str  # "utf-8-sig" or "cp1252"
    delimiter: str
    quote: str = '"'


@dataclass
class Sheet:
    name: str  # sheet name; "" for CSV
    rows: Iterator[Row]  # every row, blank ones included, so row numbers stay true to the file
    path: Path | None = None  # a CSV file itself, for the fast path (csv_fast.py); None for a workbook
    dialect: CsvDialect | None = None  # a CSV's dialect; None for a workbook's sheet


def cell_text(value: object) -> str | None:
    """One spreadsheet cell as text: 1234567890123.0 -> '1234567890123', datetime -> '2024-05-03'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def read_sheets(path: Path) -> Iterator[Sheet]:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        yield from _excel_sheets(path)
    elif suffix in CSV_SUFFIXES:
        dialect = CsvDialect(*detect_csv_dialect(path))
        yield Sheet("", _csv_rows(path, dialect), path, dialect)
    else:
        raise ValueError(f"{path}: unsupported file type {suffix!r}")


def _excel_sheets(path: Path) -> Iterator[Sheet]:
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            # iter_rows already yields an empty row for each unused row above the first used cell,
            # so row numbers match what Excel shows (tests/ingest/test_readers.py pins this).
            rows = ([cell_text(v) for v in row] for row in sheet.iter_rows())
            yield Sheet(name, rows)
    finally:
        workbook.close()


def detect_csv_dialect(path: Path) -> tuple[str, str]:
    """(encoding, delimiter). Indonesian-locale Excel writes ';' and Windows-1252; others UTF-8 and ','.
    The whole file is checked for UTF-8: the first accented name of a large export may sit megabytes in."""
    encoding = "utf-8-sig" if _is_utf8(path) else "cp1252"
    with path.open("rb") as handle:
        head = handle.read(65536)
    text = head.decode(encoding, errors="ignore")
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: counts[d])
    return encoding, delimiter if counts[delimiter] else ","


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(path: Path, dialect: CsvDialect) -> Iterator[Row]:
    with path.open(encoding=dialect.encoding, newline="") as handle:
        for row in csv.reader(handle, delimiter=dialect.delimiter, quotechar=dialect.quote):
            yield [cell if cell.strip() else None for cell in row]
