"""Small hand-made cooperative exports, one cooperative per rule case (pipelines/sample/writers.py).

Two registry updates of Kota Balikpapan (31 January 2024: ';' Windows-1252 CSV with a Kab/Kota column and
a title row; 15 July 2024: xlsx WITHOUT a Kab/Kota column, so its rows belong to the configured kab/kota)
and one health-assessment CSV (comma decimals) with band-edge means and legacy labels. Both updates close
book year 2023, so with N = 3 a blank status is active iff the RAT book year is >= 2021.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.sample.writers import Cell, write_csv, write_xlsx
from tests.coop_exports import HEALTH_HEADER, REGISTER_FIGURES

JANUARY = dt.date(2024, 1, 31)
JULY = dt.date(2024, 7, 15)


def _number(serial: int, regency: str = "6471") -> str:
    return f"{regency}{serial:012d}"


EDGE = _number(1)  # blank status, Tahun Buku RAT 2021 = 2023 - 3 + 1: active (rat_3_years)
BEFORE_EDGE = _number(2)  # blank status, 2020: inactive
DATE_ONLY = _number(3)  # blank status, Tanggal RAT 15/03/2022 only: book year 2021, active
DATE_ONLY_OLD = _number(4)  # blank status, Tanggal RAT 30/06/2021 only: book year 2020, inactive
NO_RAT = _number(5)  # blank status, neither RAT column: inactive (no_rat_recorded)
LAST_BOOK_YEAR = _number(6)  # blank status, 2023: active, RAT held for the last book year
REGISTER_ACTIVE = _number(7)  # "Aktif" without any RAT: active (register); reports digitally in July
REGISTER_INACTIVE = _number(8)  # "Tidak Aktif" with RAT 2023: inactive (register), RAT held
REACTIVATES = _number(9)  # January "Tidak Aktif" (RAT 2019), July "Aktif" (RAT 2023)
MISSING = _number(10)  # January only
MOVES = _number(11)  # Balikpapan Tengah in January, Balikpapan Kota in July
CHANGES_JENIS = _number(12)  # Jasa in January, Konsumen in July
BECOMES_INACTIVE = _number(13)  # "Aktif" in January, "Non Aktif" in July
GAP = _number(14)  # active, kecamatan "Balikpapan Baru" (a housing estate, not a kecamatan): data gap
NEW = _number(15)  # July only, "Tidak Aktif"
OUT_OF_REGION = _number(16, "6472")  # January, Kota Samarinda: not in region 64.71
ASSESSED_ONLY = _number(99)  # in the health file, in no register: the configured kab/kota


@dataclass(frozen=True)
class Coop:
    number: str
    kecamatan: str | None
    jenis: str
    status: str | None
    rat_year: int | None = None
    rat_date: dt.date | None = None
    kab_kota: str = "Kota Balikpapan"
    digital: str | None = None
    members: tuple[int, int] = (20, 15)
    aset: str = "Rp 150.000.000"

    @property
    def name(self) -> str:
        return f"Koperasi Uji {self.number[-3:]}"


_BOTH = (
    Coop(EDGE, "Balikpapan Kota", "Konsumen", None, rat_year=2021),
    Coop(BEFORE_EDGE, "Balikpapan Kota", "Konsumen", None, rat_year=2020),
    Coop(DATE_ONLY, "Kec. Balikpapan Selatan", "Produsen", None, rat_date=dt.date(2022, 3, 15)),
    Coop(DATE_ONLY_OLD, "BALIKPAPAN SELATAN", "Produsen", None, rat_date=dt.date(2021, 6, 30)),
    Coop(NO_RAT, "Balikpapan Utara", "Jasa", None),
    Coop(LAST_BOOK_YEAR, "Balikpapan Utara", "Simpan Pinjam", None, rat_year=2023),
    Coop(REGISTER_ACTIVE, "Balikpapan Timur", "Pemasaran", "Aktif"),
    Coop(REGISTER_INACTIVE, "Balikpapan Barat", "KSPPS", "Tidak Aktif", rat_year=2023),
    Coop(GAP, "Balikpapan Baru", "Konsumen", "Aktif", rat_year=2022),
)
JANUARY_ROWS: tuple[Coop, ...] = (
    *_BOTH,
    Coop(REACTIVATES, "Balikpapan Kota", "Konsumen", "Tidak Aktif", rat_year=2019, kab_kota="BALIKPAPAN"),
    Coop(MISSING, "Balikpapan Kota", "Konsumen", "Aktif", rat_year=2022),
    Coop(MOVES, "Balikpapan Tengah", "Konsumen", "Aktif", rat_year=2022),
    Coop(CHANGES_JENIS, "Balikpapan Tengah", "Jasa", "Aktif", rat_year=2022),
    Coop(BECOMES_INACTIVE, "Balikpapan Timur", "Konsumen", "Aktif", rat_year=2022),
    Coop(OUT_OF_REGION, "Samarinda Ulu", "Konsumen", "Aktif", rat_year=2023, kab_kota="Kota Samarinda"),
)
JULY_ROWS: tuple[Coop, ...] = (
    *(replace(c, digital="Ya") if c.number == REGISTER_ACTIVE else c for c in _BOTH),
    _BOTH[0],  # the same cooperative twice in one update counts once
    Coop(REACTIVATES, "Balikpapan Kota", "Konsumen", "Aktif", rat_year=2023),
    Coop(MOVES, "Kec. Balikpapan Kota", "Konsumen", "Aktif", rat_year=2023),
    Coop(CHANGES_JENIS, "Balikpapan Tengah", "Koperasi Konsumen", "Aktif", rat_year=2023),
    Coop(BECOMES_INACTIVE, "Balikpapan Timur", "Konsumen", "Non Aktif", rat_year=2022),
    Coop(NEW, "Balikpapan Barat", "Konsumen", "Tidak Aktif"),
)
# Expected per update, in region 64.71 (the rules of docs/cooperatives.md applied by hand).
ACTIVE_IN_JANUARY = {
    EDGE,
    DATE_ONLY,
    LAST_BOOK_YEAR,
    REGISTER_ACTIVE,
    GAP,
    MISSING,
    MOVES,
    CHANGES_JENIS,
    BECOMES_INACTIVE,
}
ACTIVE_IN_JULY = {EDGE, DATE_ONLY, LAST_BOOK_YEAR, REGISTER_ACTIVE, GAP, REACTIVATES, MOVES, CHANGES_JENIS}

_REGISTRY_HEADER = (
    "No",
    "Nomor Induk Koperasi",
    "Nama Koperasi",
    "Kab/Kota",
    "Kecamatan",
    "Bentuk Koperasi",
    "Jenis Koperasi",
    "Kelompok Koperasi",
    *REGISTER_FIGURES,
)


def _registry_row(index: int, coop: Coop, with_kab_kota: bool) -> list[Cell]:
    row: list[Cell] = [
        index,
        coop.number,
        coop.name,
        coop.kab_kota,
        coop.kecamatan,
        "Primer",
        coop.jenis,
        "KSU",
        coop.rat_year,
        coop.rat_date,
        coop.members[0],
        coop.members[1],
        "Rp 25.000.000",
        coop.aset,
        coop.status,
        coop.digital,
    ]
    return row if with_kab_kota else row[:3] + row[4:]


# (number, year, (tata kelola, profil risiko, kinerja keuangan, permodalan), predikat as written, expected)
HEALTH_ROWS: tuple[tuple[str, int, tuple[float, float, float, float], str | None, str], ...] = (
    (EDGE, 2024, (80, 80, 80, 80), None, "sehat"),  # mean 80.0: the Sehat lower bound
    (DATE_ONLY, 2024, (80, 80, 80, 79.5), None, "cukup_sehat"),  # 79.875
    (LAST_BOOK_YEAR, 2024, (66, 66, 66, 66), None, "cukup_sehat"),  # 66.0
    (REGISTER_ACTIVE, 2024, (66, 66, 66, 65.5), None, "dalam_pengawasan"),  # 65.875
    (GAP, 2024, (51, 51, 51, 51), None, "dalam_pengawasan"),  # 51.0
    (MOVES, 2024, (51, 51, 51, 50.5), None, "dalam_pengawasan_khusus"),  # 50.875
    (CHANGES_JENIS, 2024, (90, 90, 90, 90), "Cukup Sehat", "cukup_sehat"),  # recorded wins over the scores
    (ASSESSED_ONLY, 2024, (85, 85, 85, 85), "SEHAT", "sehat"),
    (EDGE, 2023, (90, 90, 90, 90), "Kurang Sehat", "dalam_pengawasan"),  # legacy five-class labels
    (DATE_ONLY, 2023, (40, 40, 40, 40), "Tidak Sehat", "dalam_pengawasan_khusus"),
    (LAST_BOOK_YEAR, 2023, (20, 20, 20, 20), "SANGAT TIDAK SEHAT", "dalam_pengawasan_khusus"),
    (REGISTER_ACTIVE, 2023, (70, 70, 70, 70), "Sehat", "sehat"),
)


def _score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")  # "79,50" as Indonesian-locale exports write it


def write_rule_exports(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(
        out_dir / "Data Koperasi Januari 2024.csv",
        _REGISTRY_HEADER,
        [_registry_row(i, c, True) for i, c in enumerate(JANUARY_ROWS, start=1)],
        delimiter=";",
        encoding="cp1252",
        title_rows=("DATA KOPERASI KOTA BALIKPAPAN", "Data per 31 Januari 2024"),
    )
    write_xlsx(
        out_dir / "data_koperasi_2024-07-15.xlsx",
        [h for h in _REGISTRY_HEADER if h != "Kab/Kota"],
        [_registry_row(i, c, False) for i, c in enumerate(JULY_ROWS, start=1)],
        title_rows=("DATA KOPERASI KOTA BALIKPAPAN KEADAAN 15 JULI 2024",),
        sheet_name="Data Koperasi",
    )
    write_csv(
        out_dir / "penilaian_kesehatan_uji.csv",
        HEALTH_HEADER,
        [
            [i, number, f"Koperasi Uji {number[-3:]}", year, *(_score(s) for s in scores), predikat]
            for i, (number, year, scores, predikat, _) in enumerate(HEALTH_ROWS, start=1)
        ],
    )
