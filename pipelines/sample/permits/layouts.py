"""Header layouts of the three OSS export families (``data/headers_<family>.csv``: one row per column in the
export's order, one column per header style) and the scale labels, plus ``ExportSpec``: one file to write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines.sample.datafiles import read_csv


def _headers(family: str) -> dict[str, tuple[str, ...]]:
    """Header style -> header cells, for one family."""
    rows = read_csv(__file__, f"headers_{family}.csv")
    return {style: tuple(row[style] for row in rows) for style in rows[0]}


NIB_HEADERS = _headers("nib")
PROJECT_HEADERS = _headers("proyek")
PERMIT_HEADERS = _headers("izin")
# fmt: off
SCALE_TEXT = {
    "title": {"mikro": "Usaha Mikro", "kecil": "Usaha Kecil", "menengah": "Usaha Menengah",
              "besar": "Usaha Besar"},
    "upper": {"mikro": "USAHA MIKRO", "kecil": "USAHA KECIL", "menengah": "USAHA MENENGAH",
              "besar": "USAHA BESAR"},
    "short": {"mikro": "Mikro", "kecil": "Kecil", "menengah": "Menengah", "besar": "Besar"},
}
# fmt: on


@dataclass(frozen=True)
class ExportSpec:
    family: str  # "nib", "proyek" or "izin"
    name: str  # file name
    start: dt.date  # rows whose family date (registration, submission, issue) falls in [start, end]
    end: dt.date
    fmt: str = "xlsx"  # "xlsx", "csv" (UTF-8, mixed date styles) or "csv-id" (Indonesian Excel: ';', cp1252)
    header: str | None = "snake"  # a key of the family's headers; None = headerless file
    titled: bool = False
    scale_style: str = "title"
    encoding: str = "utf-8"
    invalid: tuple[str, ...] = ()  # kinds of invalid rows planted here (see invalid.invalid_row)
    text_dates: float = 0.0  # share of xlsx date cells typed as slash text instead
    # Order of slash text dates: "dmy" (Indonesian locale) or "mdy" (a Tableau "Day of ..." download made on
    # a US-locale machine: every text date of the file month-first, issue 8). A "mdy" CSV has no other style.
    date_order: str = "dmy"
    typed_dates: tuple[str, ...] = ()  # date columns that stay xlsx date cells whatever text_dates says
    duplicate_as: str | None = None  # name of a byte-identical copy, as when a file is uploaded twice
