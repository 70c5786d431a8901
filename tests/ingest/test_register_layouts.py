"""A cooperative register as an office keeps it, through the loader: merged title rows, a two-row header, a
row of column numbers, the header repeated mid-sheet, page subtotals, totals, notes, a signature block, a
recap sheet beside the data; and the values people type. Each row's fate is counted by hand below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines.ingest.cooperatives import COOP_REGISTRY, FAMILIES
from pipelines.ingest.loader import SourceLoader, detect_layout
from pipelines.ingest.non_data import (
    COLUMN_NUMBERS,
    NOTE_ROW,
    REPEATED_HEADER,
    TOTAL_ROW,
    non_data_reason,
)
from pipelines.ingest.permits import OSS_PERMIT
from tests.coop_exports import REGISTER_LEAD

D = dt.date
PATH = "cooperatives/register_koperasi_2024-07.xlsx"

# Row 4 and 5: two-row header ("Jumlah Anggota" merged over "L" / "P").
TOP = [
    *REGISTER_LEAD,
    "Status",
    "Tahun Buku RAT Terakhir",
    "Tanggal RAT",
    "Jumlah Anggota",
    None,
    "Modal Sendiri",
    "Aset",
]
SUB = [None, None, None, None, None, None, None, None, None, "L", "P", None, None]
NUMBERS = [f"({i})" for i in range(1, 14)]
NBSP = "\u00a0"
# Excel row number -> cells (None = blank row). Data rows hold their expected landing in ROW_FATE.
ROWS = {
    6: NUMBERS,
    7: [
        "1",
        "6471020100000001",
        "KSP Maju",
        "Balikpapan Kota",
        "Kota Balikpapan",
        "KSP",
        "Aktif",
        "TB 2023",
        "12 Mrt 2024",
        "12 orang",
        "1,234",
        "1,2 M",
        "Rp 2,5 Milyar",
    ],
    8: [
        "2",
        f"6471{NBSP}0201{NBSP}0000{NBSP}0002",
        "Kop. Konsumen Sejahtera",
        "Balikpapan Selatan",
        "Kota Bpp",
        "Kop. Konsumen",
        "TDK AKTIF",
        "Th. 2022",
        "Maret 2024",
        "10",
        "5",
        "850 jt",
        "900 jt",
    ],
    9: [
        "3",
        "6471020000000000",
        "Koperasi Ilmiah",
        "Balikpapan Utara",
        "Kota Balikpapan",
        "Jasa",
        "Aktif",
        "2023",
        "2024-03-01",
        "3",
        "4",
        "1000000",
        "2000000",
    ],
    10: ["JUMLAH HAL. 1", None, None, None, None, None, None, None, None, "25", "1.239", None, None],
    11: TOP,
    12: [None, None, None, None, None, None, None, None, None, "L", "P", None, None],
    13: [
        "4",
        "6471020100000004",
        "Koperasi Tanpa Tahun",
        "Balikpapan Barat",
        "Kodya Balikpapan",
        "Produsen",
        "Pasif",
        "belum RAT",
        "Juni",
        "x",
        "2",
        "Rp 1.000.000",
        "-",
    ],
    14: [None] * 13,
    15: ["TOTAL", None, None, None, None, None, None, None, None, "27", "1.241", None, None],
    16: [
        "Sumber: Dinas KUMKM Kota Balikpapan",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ],
    17: [None, None, None, None, None, None, None, None, "Balikpapan, 15 Juli 2024", None, None, None, None],
    18: [None, None, None, None, None, None, None, None, "Kepala Dinas Koperasi", None, None, None, None],
    # the signer's name and NIP under the title: part of the signature block (placeholder, not a real person)
    19: [None, None, None, None, None, None, None, None, "Nama Penandatangan, S.E.", None, None, None, None],
    20: [
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "NIP. 19750101 200001 1 001",
        None,
        None,
        None,
        None,
    ],
    21: [
        None,
        "Nomor belum ada",
        "Koperasi Baru",
        "Balikpapan Timur",
        "Kota Balikpapan",
        "Jasa",
        "Aktif",
        None,
        None,
        None,
        None,
        None,
        None,
    ],
}
SKIPPED = {
    6: COLUMN_NUMBERS,
    10: TOTAL_ROW,
    11: REPEATED_HEADER,
    12: REPEATED_HEADER,  # the L / P row of the repeated two-row header
    15: TOTAL_ROW,
    16: NOTE_ROW,
    17: NOTE_ROW,
    18: NOTE_ROW,
    19: NOTE_ROW,
    20: NOTE_ROW,
}


def _write(raw: Path) -> None:
    path = raw / PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data Koperasi")
    sheet.merge_range(0, 0, 0, 12, "DATA KOPERASI KOTA BALIKPAPAN")
    sheet.merge_range(1, 0, 1, 12, "KEADAAN 15 JULI 2024")
    for col, name in enumerate(TOP[:9] + TOP[11:]):
        sheet.write_string(3, col if col < 9 else col + 2, name)
    sheet.merge_range(3, 9, 3, 10, "Jumlah Anggota")
    for col, name in enumerate(SUB):
        if name:
            sheet.write_string(4, col, name)
    for row, cells in ROWS.items():
        for col, value in enumerate(cells):
            if value is not None:
                sheet.write_string(row - 1, col, value)
    recap = workbook.add_worksheet("Rekap")
    recap.write_row(0, 0, ["Kecamatan", "Aktif", "Tidak Aktif"])
    recap.write_row(1, 0, ["Balikpapan Kota", 1, 0])
    workbook.close()


@pytest.fixture(scope="module")
def con(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    raw = tmp_path_factory.mktemp("register")
    _write(raw)
    connection = duckdb.connect()
    SourceLoader(connection, raw, "cooperatives", FAMILIES).load_all()
    return connection


def test_manifest_reconciles_and_lists_skipped_rows_with_reasons(con):
    rows = con.execute(
        "SELECT sheet, status, header_row, rows_read, rows_loaded, rows_rejected, rows_blank, rows_skipped, "
        "skipped_rows, file_date FROM raw.ingest_files ORDER BY sheet"
    ).fetchall()
    data, recap = rows
    assert recap[:2] == ("Rekap", "skipped")
    sheet, status, header_row, read, loaded, rejected, blank, skipped, skipped_rows, file_date = data
    assert (sheet, status, header_row, file_date) == ("Data Koperasi", "ingested", 4, D(2024, 7, 15))
    # rows 7, 8, 9, 13, 21 are records: 7, 8, 13 land; 9 (truncated number) and 21 (no number) are rejected
    assert (read, loaded, rejected, blank, skipped) == (5, 3, 2, 1, 10)
    assert read == loaded + rejected
    assert {r["row_number"]: r["reason"] for r in skipped_rows} == SKIPPED


def test_only_real_problems_are_rejected(con):
    rejects = con.execute(
        "SELECT row_number, column_name, rule, value FROM raw.ingest_rejects ORDER BY row_number"
    ).fetchall()
    assert rejects == [
        (9, "nomor_induk_koperasi", "nomor_koperasi_terpotong", "6471020000000000"),
        (21, "nomor_induk_koperasi", "koperasi_id_format", "[teks 15 karakter]"),
    ]


LANDED = [  # (Nomor Induk Koperasi, column, value)
    ("6471020100000001", "anggota_laki_laki", 12),  # "12 orang", under the two-row header's "L"
    ("6471020100000001", "anggota_perempuan", 1234),  # "1,234"
    ("6471020100000001", "modal_sendiri", Decimal("1200000000.00")),  # "1,2 M"
    ("6471020100000001", "aset", Decimal("2500000000.00")),  # "Rp 2,5 Milyar"
    ("6471020100000001", "tahun_buku_rat_terakhir", 2023),  # "TB 2023"
    ("6471020100000001", "tanggal_rat", D(2024, 3, 12)),  # "12 Mrt 2024"
    ("6471020100000001", "tanggal_rat_day_unknown", False),
    ("6471020100000001", "jenis_koperasi", "KSP"),  # coded text lands as typed; dbt maps it
    ("6471020100000002", "nomor_induk_koperasi", "6471020100000002"),  # non-breaking spaces
    ("6471020100000002", "tahun_buku_rat_terakhir", 2022),  # "Th. 2022"
    ("6471020100000002", "tanggal_rat", D(2024, 3, 1)),  # "Maret 2024": the day is unknown
    ("6471020100000002", "tanggal_rat_day_unknown", True),
    ("6471020100000002", "modal_sendiri", Decimal("850000000.00")),  # "850 jt"
    ("6471020100000002", "status_koperasi", "TDK AKTIF"),
    ("6471020100000004", "tahun_buku_rat_terakhir", None),  # "belum RAT": kept, unparsed
    ("6471020100000004", "tanggal_rat", None),  # "Juni": no year
    ("6471020100000004", "anggota_laki_laki", None),
    ("6471020100000004", "aset", None),  # "-" is empty, not unparsed
    (
        "6471020100000004",
        "_unparsed_values",
        {
            "tahun_buku_rat_terakhir": "[teks 9 karakter]",
            "tanggal_rat": "[teks 4 karakter]",
            "anggota_laki_laki": "[teks 1 karakter]",
        },
    ),
]


@pytest.mark.parametrize(("number", "column", "expected"), LANDED, ids=[f"{n[-1]}:{c}" for n, c, _ in LANDED])
def test_landed_value(con, number, column, expected):
    rows = con.execute(
        f'SELECT "{column}" FROM raw.coop_registry WHERE nomor_induk_koperasi = ?', [number]
    ).fetchall()
    assert rows == [(expected,)]


# -------------------------------------------------------------------------------- row reasons, table-driven

_PERMIT_KEYS = [1]  # id_permohonan_izin in OSS_PERMIT's standard order
_COOP_KEYS = [1]

NON_DATA = [
    # (case, family, row, expected reason)
    ("column numbers", COOP_REGISTRY, ["(1)", "(2)", "(3)", "(4)"], COLUMN_NUMBERS),
    ("plain column numbers", COOP_REGISTRY, ["1", "2", "3", "4", "5"], COLUMN_NUMBERS),
    ("subtotal", COOP_REGISTRY, ["JUMLAH HAL. 1", None, "25"], TOTAL_ROW),
    ("sub total", COOP_REGISTRY, [None, "SUB TOTAL", None, "25"], TOTAL_ROW),
    ("total", COOP_REGISTRY, ["TOTAL", None, None, "1.241"], TOTAL_ROW),
    ("kecamatan subtotal", COOP_REGISTRY, [None, None, "Jumlah Kecamatan Balikpapan Kota", "25"], TOTAL_ROW),
    ("repeated header", COOP_REGISTRY, TOP, REPEATED_HEADER),
    ("note", COOP_REGISTRY, ["Sumber: Dinas KUMKM"], NOTE_ROW),
    ("keterangan", COOP_REGISTRY, ["Keterangan : data sementara"], NOTE_ROW),
    ("footnote", COOP_REGISTRY, ["*) belum diverifikasi"], NOTE_ROW),
    ("signature place and date", COOP_REGISTRY, [None, "Balikpapan, 15 Juli 2024"], NOTE_ROW),
    ("signature title", COOP_REGISTRY, ["Kepala Dinas Koperasi dan UKM"], NOTE_ROW),
    ("a record with an identity is never skipped", COOP_REGISTRY, ["TOTAL", "6471020100000001"], None),
    ("a record without a number is a record", COOP_REGISTRY, ["5", None, "Koperasi Baru", "Jasa"], None),
    ("a business named Total", OSS_PERMIT, ["1", "I-9", "Total Print", "0101230002777"], None),
    ("a business named Kepala Sapi", OSS_PERMIT, ["1", "I-9", "Kepala Sapi"], None),
    ("one number is no column-number row", COOP_REGISTRY, ["7"], None),
    ("the sub-header row repeated", COOP_REGISTRY, [None] * 9 + ["L", "P"], REPEATED_HEADER),
    (
        "L and P as values of a record",
        COOP_REGISTRY,
        ["5", None, "Kop", None, None, None, None, None, None, "L", "P"],
        None,
    ),
]


@pytest.mark.parametrize(("case", "family", "row", "expected"), NON_DATA, ids=[n[0] for n in NON_DATA])
def test_non_data_reason(case, family, row, expected):
    keys = _COOP_KEYS if family is COOP_REGISTRY else _PERMIT_KEYS
    assert non_data_reason(row, family, keys, SUB) == expected


def test_two_row_header_names_the_sub_columns():
    layout = detect_layout([["Judul"], [], [], TOP, SUB], FAMILIES)
    assert layout is not None
    assert (layout.header_row, layout.data_start) == (3, 5)
    assert layout.columns[9:11] == ["anggota_laki_laki", "anggota_perempuan"]


def test_one_row_header_is_not_joined_with_the_first_record():
    first = ["1", "6471020100000001", "KSP Maju", "Balikpapan Kota", "Kota Balikpapan", "KSP", "Aktif"]
    layout = detect_layout([TOP[:9], first], FAMILIES)
    assert layout is not None
    assert layout.data_start == 1
