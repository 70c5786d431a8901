"""Real OSS exports of one office, hand-written: a month-first NIB list (Tableau "Day of ..." download), a
day-first permit list with two-digit years naming an older business, and an old NIB list whose dates fit both
orders. Through the real refresh; every figure below is counted by hand from the rows in this file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.sample.writers import write_csv, write_xlsx
from pipelines.warehouse import WarehousePaths, connect_published
from tests.oss_exports import NIB_HEADER, PERMIT_HEADER
from tests.oss_exports import PLACE as _PLACE
from tests.pipeline.conftest import refresh, summary

MONTH_FIRST_NIBS = [  # registered: month
    ["1301230001001", "01/13/2023", "Warung Satu", *_PLACE],  # 2023-01
    ["2001230001002", "01/20/2023", "Warung Dua", *_PLACE],  # 2023-01
    ["0502230001003", "02/05/2023", "Warung Tiga", *_PLACE],  # 2023-02 (5 Feb; alone it could be 2 May)
    ["2802230001004", "02/28/2023", "Warung Empat", *_PLACE],  # 2023-02
    ["0103230001005", "03/01/2023", "Warung Lima", *_PLACE],  # 2023-03 (1 Mar; alone it could be 3 Jan)
    ["1503230001006", "03/15/2023", "Warung Enam", *_PLACE],  # 2023-03
    # Kab Kota left blank: placed by the kab/kota the file names for its other rows (a kab_kota_tidak_dikenali
    # gap says so)
    ["0704230001008", "04/07/2023", "Warung Delapan", "Usaha Mikro", "Balikpapan Utara", None],  # 2023-04
]
_KOTA = ["Kalimantan Timur", "Kota Balikpapan", "56101"]
DAY_FIRST_PERMITS = [
    ["1", "I-1", "Warung Satu", "1301230001001", "13/01/23", *_KOTA, "20/01/23"],
    ["2", "I-2", "Warung Lima", "0103230001005", "01/03/23", *_KOTA, "05/03/23"],
    # a business the NIB list does not name: registered 10 December 2022, known from this permit only
    ["3", "I-3", "Katering Tujuh", "1012220001007", "10/12/22", *_KOTA, "02/01/23"],
    ["4", "I-4", "Tanpa NIB", None, None, *_KOTA, "15/02/23"],  # counted, flagged nib_missing
]
# A file whose only Kab Kota is unrecognised: placed by its kecamatan, unique in the region (gap too). Its
# date fits both orders; the NIB prefix (10 May 2023) decides day-first.
UNPLACED_NIBS = [
    ["1005230001009", "10/05/2023", "Toko Sembilan", "Usaha Mikro", "Balikpapan Selatan", "Kab. Bpp X"]
]
OLD_NIBS = [  # 2019 NIBs carry no date in their digits; every date fits both orders: read day-first, flagged
    ["8120012345678", "01/02/2019", "Toko Lama A", *_PLACE],  # 2019-02
    ["9120012345679", "03/04/2019", "Toko Lama B", *_PLACE],  # 2019-04
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("real_dates")
    raw, marts = root / "raw", root / "marts"
    write_xlsx(raw / "permits" / "Daftar NIB Maret 2023.xlsx", NIB_HEADER, MONTH_FIRST_NIBS)
    write_csv(raw / "permits" / "List Izin 2023-03.csv", PERMIT_HEADER, DAY_FIRST_PERMITS, delimiter=";")
    write_csv(raw / "permits" / "nib_2019.csv", NIB_HEADER, OLD_NIBS)
    write_csv(raw / "permits" / "nib_tanpa_kota.csv", NIB_HEADER, UNPLACED_NIBS)
    assert refresh(raw, marts) == 0
    return marts


def _query(marts: Path, sql: str) -> list[tuple]:
    with connect_published(WarehousePaths(marts)) as con:
        return con.execute(sql).fetchall()


def test_no_date_is_rejected(warehouse):
    assert _query(warehouse, "SELECT count(*) FROM raw.ingest_rejects") == [(0,)]


def test_monthly_registrations_follow_each_files_order(warehouse, capsys):
    msme = summary(warehouse, capsys)["msme"]
    assert msme["businesses"] == 11  # 7 + 1 known from a permit only + 2 old + 1 placed by its kecamatan
    assert msme["registrations_by_month"] == {
        "2019-02": 1,
        "2019-04": 1,
        "2022-12": 1,
        "2023-01": 2,
        "2023-02": 2,
        "2023-03": 2,
        "2023-04": 1,
        "2023-05": 1,
    }
    assert msme["permits"] == 4


def test_the_decisions_are_recorded(warehouse):
    rows = _query(
        warehouse,
        """SELECT path, d.column_name, d.date_order, d.evidence, d.certain
           FROM (SELECT path, unnest(date_orders) AS d FROM raw.ingest_files) ORDER BY 1, 2""",
    )
    assert rows == [
        ("permits/Daftar NIB Maret 2023.xlsx", "tanggal_terbit_oss", "mdy", "values+nib_prefix", True),
        ("permits/List Izin 2023-03.csv", "tanggal_terbit_oss", "dmy", "values+nib_prefix", True),
        ("permits/List Izin 2023-03.csv", "tgl_izin", "dmy", "values", True),
        ("permits/nib_2019.csv", "tanggal_terbit_oss", "dmy", "none", False),
        ("permits/nib_tanpa_kota.csv", "tanggal_terbit_oss", "dmy", "nib_prefix", True),
    ]


def test_an_undecidable_column_is_a_gap(warehouse):
    rows = _query(
        warehouse,
        "SELECT source_path, column_name, message FROM marts.data_quality_gaps "
        "WHERE gap_type = 'urutan_tanggal_tidak_pasti' AND is_open",
    )
    assert len(rows) == 1
    path, column, message = rows[0]
    assert (path, column) == ("permits/nib_2019.csv", "tanggal_terbit_oss")
    assert "urutan hari/bulan pada kolom tanggal_terbit_oss tidak dapat dipastikan" in message


def test_a_blank_or_unknown_kab_kota_places_the_business_and_says_so(warehouse):
    rows = _query(
        warehouse,
        """SELECT b.nib, b.regency_code, b.regency_basis, g.value
           FROM marts.msme_businesses AS b
           LEFT JOIN marts.data_quality_gaps AS g
               ON g.record_key = b.nib AND g.gap_type = 'kab_kota_tidak_dikenali'
           WHERE b.regency_basis <> 'kab_kota' ORDER BY 1""",
    )
    assert rows == [
        ("0704230001008", "64.71", "file", "(kosong)"),
        ("1005230001009", "64.71", "kecamatan", "Kab. Bpp X"),
    ]


def test_status_shows_how_the_date_order_was_decided(warehouse, capsys):
    capsys.readouterr()
    assert main(["status", "--marts-dir", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "Date order     5 date columns: bulan-hari 1, hari-bulan 3, hari-bulan (tidak pasti) 1" in out
    assert (
        "bulan-hari permits/Daftar NIB Maret 2023.xlsx [Sheet1] tanggal_terbit_oss (bukti values+nib_prefix"
        in out
    )
    assert "hari-bulan TIDAK PASTI permits/nib_2019.csv tanggal_terbit_oss (bukti none: 0 hari-bulan" in out
