"""One warehouse for all event tests: the tiny permit sample, a few hand-made permit records and one hand-made
attendance list (the matcher's named cases), and the generator's two events built from the same businesses.
Built once per session, for every pytest-xdist worker (tests/shared_build.py), with the real `umkm refresh`
(Dagster job in-process, dbt build and tests, publish).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines.cli import main
from pipelines.sample.events import EXPO, EventTruth, KnownBusiness, write_event_exports
from pipelines.sample.permits import PermitTruth, write_permit_exports
from tests.shared_build import build_once

HAND_EVENT = "Uji Pencocokan Peserta"
HAND_EVENT_FILE = "Daftar Hadir Uji Pencocokan 2024.xlsx"
HAND_SHEET = "Peserta"

# Hand-made registered businesses: (nib, name as OSS has it, kecamatan, kbli, capital in rupiah).
HAND_BUSINESSES = (
    ("0220009990001", "CV Sinar Kenari Abadi", "Balikpapan Utara", "10792", 150_000_000),
    ("0220009990002", "Toko Bintang Samudera Jaya", "Balikpapan Selatan", "47111", 2_500_000_000),
    ("9120009990003", "UD Dapur Kenari Indah", "Balikpapan Timur", "56101", 80_000_000),
    ("9120009990004", "DAPUR KENARI INDAH", "Balikpapan Barat", "56101", 90_000_000),
    ("0220009990005", "UD. Toko Wijaya Kusumah", "Balikpapan Tengah", "47111", 60_000_000),
    ("8120009990006", "CV TOKO WIJAYA KUSUMAH", "Balikpapan Tengah", "47111", 70_000_000),
    ("0220009990007", "Laundry Kilat Wiraguna", "Balikpapan Selatan", "96200", 40_000_000),
    ("0220009990008", "Makmur Jaya Rahayu Wiraguna", "Balikpapan Kota", "10792", 30_000_000),
)


@dataclass(frozen=True)
class HandRow:
    """One typed row of the hand-made list and what the matcher must answer for it."""

    case: str
    nama_usaha: str
    kecamatan: str | None
    nib: str | int | None  # as typed (a number loses its leading zero)
    group: str
    expected_method: str  # nib | name | none | ambiguous
    expected_nib: str | None
    expected_reason: str | None = None  # event_permit_followup.reason


# fmt: off
HAND_ROWS = tuple(HandRow(*row) for row in (
    # case, nama usaha, kecamatan, NIB as typed, group, expected method, expected NIB, follow-up reason
    ("exact_nib", "Sinar Kenari", "Bpp Utara", 220009990001, "Kel. Uji A", "nib", "0220009990001"),
    ("typo_name", "Toko Bintang Samudra Jaya", "Bpp Selatan", None, "Kel. Uji A", "name", "0220009990002"),
    ("same_name_timur", "Dapur Kenari Indah", "Timur", "belum ada", "Kel. Uji B", "name", "9120009990003"),
    ("same_name_barat", "dapur kenari indah", "Kec. Balikpapan Barat", None, "Kel. Uji B", "name",
     "9120009990004"),
    ("ambiguous_pair", "Toko Wijaya Kusumah", "Balikpapan Tengah", "-", "KEL. UJI B", "ambiguous", None,
     "perlu_tinjauan"),
    ("no_permit", "Keripik Tempe Mbak Sulastri", "Balikpapan Timur", None, "Kel. Uji C", "none", None,
     "belum_ada_nib"),
    ("nib_not_registered", "Pangkas Rambut Gaul Wiraguna", "Balikpapan Kota", "1234567890123", "Kel. Uji C",
     "none", None, "nib_tidak_ditemukan"),
    ("kecamatan_blank", "Toko Bintang Samudera Jaya", None, None, "Kel. Uji C", "none", None,
     "kecamatan_tidak_dikenali"),
    ("kelurahan_typed", "Laundry Kilat Wiraguna", "Sepinggan", None, "Kel. Uji C", "name", "0220009990007"),
    ("word_order", "Jaya Makmur Rahayu Wiraguna", "BPP. KOTA", None, "Kel. Uji C", "name", "0220009990008"),
    # The typo'd business listed a second time, spelled differently: one MSME, two listings.
    ("listed_twice", "TOKO BINTANG SAMUDRA JAYA", "Balikpapan Selatan", None, "Kel. Uji A", "name",
     "0220009990002"),
))
# fmt: on
HAND_FIRST_ROW = 3  # one title row, a blank row, the header on row 3: data from Excel row 4


@dataclass(frozen=True)
class EventWarehouse:
    raw: Path
    marts: Path
    permits: PermitTruth
    events: EventTruth

    @property
    def published(self) -> Path:
        return self.marts / "warehouse.duckdb"

    def query(self, sql: str, params: Sequence | None = None) -> list[tuple]:
        with duckdb.connect(str(self.published), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


def hand_row_number(index: int) -> int:
    return HAND_FIRST_ROW + 1 + index


def write_hand_permits(folder: Path) -> None:
    """A NIB list and a project list in the OSS layouts (the loader recognises them by their headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "Data NIB Tambahan Uji.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["nib", "tanggal_terbit_oss", "nama_perusahaan", "uraian_jenis_perusahaan", "uraian_skala_usaha",
             "kecamatan", "kab_kota"]
        )  # fmt: skip
        for nib, name, kecamatan, _, _ in HAND_BUSINESSES:
            out.writerow([nib, "15/03/2022", name, "Perseorangan", "", kecamatan, "Kota Balikpapan"])
    with (folder / "Daftar Proyek Tambahan Uji.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["id_proyek", "nib", "nama_perusahaan", "tanggal_pengajuan_proyek", "kbli", "jumlah_investasi"]
        )
        for number, (nib, name, _, kbli, capital) in enumerate(HAND_BUSINESSES, start=1):
            out.writerow([f"R-UJI-{number:04d}", nib, name, "16/03/2022", kbli, capital])


def write_hand_event(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(folder / HAND_EVENT_FILE))
    info = workbook.add_worksheet("Info")
    header = ("Nama Kegiatan", "Tanggal Mulai", "Tanggal Selesai", "Tempat", "Penyelenggara")
    for col, value in enumerate(header):
        info.write_string(0, col, value)
    info.write_string(1, 0, HAND_EVENT)
    info.write_datetime(1, 1, dt.datetime(2024, 9, 10), workbook.add_format({"num_format": "dd/mm/yyyy"}))
    info.write_string(1, 3, "Aula DKUMKMP")
    info.write_string(1, 4, "DKUMKMP Kota Balikpapan")
    sheet = workbook.add_worksheet(HAND_SHEET)
    sheet.write_string(0, 0, "DAFTAR HADIR UJI PENCOCOKAN")
    columns = EXPO.participant_header  # the Expo list's layout
    for col, value in enumerate(columns):
        sheet.write_string(HAND_FIRST_ROW - 1, col, value)
    for index, row in enumerate(HAND_ROWS):
        excel_row = hand_row_number(index) - 1  # 0-based for xlsxwriter
        owner, phone = "Ibu Uji", "0812-0000-0000"
        cells = (index + 1, row.nama_usaha, owner, row.group, "Produk uji", phone, row.kecamatan, row.nib)
        for col, value in enumerate(cells):
            if isinstance(value, int):
                sheet.write_number(excel_row, col, value)
            elif value is not None:
                sheet.write_string(excel_row, col, value)
    workbook.close()


def known_businesses(permits: PermitTruth) -> list[KnownBusiness]:
    """What the event generator may draw participants from: every registered business the matcher can find."""
    known = [KnownBusiness(nib, name, kecamatan) for nib, name, kecamatan in permits.registered]
    return known + [KnownBusiness(nib, name, kecamatan) for nib, name, kecamatan, _, _ in HAND_BUSINESSES]


def _build_event_warehouse(root: Path) -> EventWarehouse:
    raw, marts = root / "raw", root / "marts"
    permits = write_permit_exports(raw / "permits", "tiny")
    write_hand_permits(raw / "permits")
    events = write_event_exports(raw / "events", "balikpapan", known_businesses(permits))
    write_hand_event(raw / "events")
    assert main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", "64.71"]) == 0
    return EventWarehouse(raw, marts, permits, events)


@pytest.fixture(scope="session")
def event_warehouse(tmp_path_factory: pytest.TempPathFactory) -> EventWarehouse:
    return build_once(tmp_path_factory, "events", _build_event_warehouse)
