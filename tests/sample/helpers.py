"""Reading the written sample files back for the tests of tests/sample: cells only, never a counting rule
(each test counts the figures with rules of its own)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from python_calamine import CalamineWorkbook


def read_rows(path: Path) -> list[list[object]]:
    """The first sheet of an .xlsx, or a CSV in UTF-8 (BOM or not) or Windows-1252, ';' or ',' separated."""
    if path.suffix == ".xlsx":
        return [list(row) for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
