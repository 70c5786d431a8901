"""The files of each profile: name, update date, header layout, style of the cells and what each plants.

``data/files.json`` lists the registry exports of each profile (fields of ``RegistryFile``; a sheet named
"Rekap" or "REKAP KOPERASI" still holds the register: the loader recognises it by its header). Header
layouts (the header cell and the canonical column of each column, in file order) are in
``data/headers.json`` as "Header=canonical" strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pipelines.sample.datafiles import read_json
from pipelines.sample.quirks import COOP_NOTES

Header = tuple[tuple[str, str], ...]  # (header cell, canonical column)


@dataclass(frozen=True)
class Style:
    nik: str  # "number" (xlsx numeric cells) | "text"
    dates: str  # "xlsx" | "csv_id" | "csv_db"
    money: str  # "number" | "rupiah" | "plain"
    upper: bool  # upper-case names and code values (ODS style)
    kab_spellings: tuple[int, ...]  # indexes into places.KAB_KOTA_SPELLINGS[kab]
    status_words: tuple[str, str]  # how aktif / tidak_aktif are written


@dataclass(frozen=True)
class RegistryFile:
    name: str
    update: dt.date
    header: tuple[tuple[str, str], ...]  # (header cell, canonical column)
    style: Style
    sort: str  # "name" | "nik" | "founded"
    title_rows: tuple[str, ...] = ()
    csv: dict[str, str] | None = None  # write_csv keyword arguments; None = xlsx
    sheet: str = "Sheet1"
    invalid: tuple[str | None, ...] = ()  # Nomor Induk Koperasi values of the planted invalid rows
    duplicate: bool = False
    # Values as offices type them (quirks.COOP_*_SPELLINGS, COOP_SPELLING_COUNTS), same class under the rules.
    spellings: bool = False
    # Non-data rows, skipped by the loader (never rejects): a row of column numbers "(1) (2) ... (n)" under
    # the header; printed pages of page_rows records, each closed by "JUMLAH HAL. n", the next one opened by
    # the header again; a grand total; notes under the table; a recap sheet beside the data.
    column_numbers: bool = False
    page_rows: int | None = None
    total_label: str | None = None
    notes: tuple[str, ...] = ()
    recap_sheet: bool = False


HEADERS: dict[str, Header] = {
    name: tuple(tuple(pair.split("=", 1)) for pair in pairs)  # type: ignore[misc]
    for name, pairs in read_json(__file__, "headers.json").items()
}


def _registry_file(spec: dict[str, Any]) -> RegistryFile:
    """One entry of data/files.json: notes are indexes into quirks.COOP_NOTES, the header a HEADERS key."""
    style = spec["style"]
    return RegistryFile(
        **{
            **spec,
            "update": dt.date.fromisoformat(spec["update"]),
            "header": HEADERS[spec["header"]],
            "style": Style(
                **{
                    **style,
                    "kab_spellings": tuple(style["kab_spellings"]),
                    "status_words": tuple(style["status_words"]),
                }
            ),
            "title_rows": tuple(spec.get("title_rows", ())),
            "invalid": tuple(spec.get("invalid", ())),
            "notes": tuple(COOP_NOTES[index] for index in spec.get("notes", ())),
        }
    )


FILES: dict[str, tuple[RegistryFile, ...]] = {
    profile: tuple(_registry_file(spec) for spec in specs)
    for profile, specs in read_json(__file__, "files.json").items()
}


@dataclass(frozen=True)
class HealthFile:
    name: str
    header: Header
    title_rows: tuple[str, ...]
    csv: dict[str, str] | None  # write_csv keyword arguments; None = xlsx
    sheet: str


HEALTH_FILES = {
    2023: HealthFile(
        "penilaian_kesehatan_koperasi_2023.csv",
        HEADERS["health_2023"],
        ("HASIL PENILAIAN KESEHATAN KOPERASI KOTA BALIKPAPAN TAHUN 2023",),
        {"encoding": "utf-8-sig"},
        "",
    ),
    2024: HealthFile(
        "Penilaian Kesehatan Koperasi 2024.xlsx",
        HEADERS["health_2024"],
        ("REKAPITULASI PENILAIAN KESEHATAN KOPERASI KOTA BALIKPAPAN", "TAHUN 2024"),
        None,
        "Penilaian",
    ),
}
