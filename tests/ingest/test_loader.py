"""SourceLoader end to end on a small permits folder: layouts, duplicates, rejects, provenance, PII."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from pipelines import settings
from pipelines.ingest import loader as loader_module
from pipelines.ingest.loader import FileReport, SourceLoader, file_date
from pipelines.ingest.macros import register_macros
from pipelines.ingest.permits import FAMILIES
from pipelines.sample.writers import write_csv, write_xlsx
from tests.oss_exports import PERMIT_LIST_HEADER

D = dt.date

# --------------------------------------------------------------------------------------------- the raw folder

NIB_XLSX = "permits/nib_2023.xlsx"
NIB_COPY = "permits/nib_2023 (1).xlsx"
NIB_CSV = "permits/nib_tanpa_judul_2024-03.csv"
PROJECT_CSV = "permits/proyek.csv"
PERMIT_XLSX = "permits/registry_2024-07-15.xlsx"

# Personal data in the fixture files: none of it may land anywhere.
PII_VALUES = (
    "sri.warung@gmail.com",
    "maju@jaya.co.id",
    "ani.kue",
    "kopi@enak.id",
    "081234567890",
    "0812-9876-5432",
    "+6281234567890",
    "+62 899",
    "Sri Wahyuni",
    "Ani Lestari",
    "Joko Widodo",
)

# NIB list, header variant under a two-line title block: title rows 1-2, blank row 3, header row 4, data 5-13.
NIB_TITLE = ["DAFTAR NIB KOTA BALIKPAPAN", "Periode: 1 Januari 2023 s.d. 31 Desember 2023"]
NIB_HEADER = [
    "Nomor Induk Berusaha",
    "Day of Tanggal Terbit Oss",
    "Nama Usaha",
    "Status PM",
    "Jenis Perusahaan",
    "Skala Usaha",
    "Alamat",
    "Kelurahan/Desa",
    "Kec",
    "Kabupaten/Kota",
    "E-mail",
    "No. HP",
]
_PLACE = [
    "PMDN",
    "Perseorangan",
    "Usaha Mikro",
    "Jl. Sudirman No. 5",
    "Klandasan Ilir",
    "Balikpapan Kota",
    "Kota Balikpapan",
]
NIB_ROWS = [
    [220000261345, D(2023, 3, 14), "Warung Bu Sri", *_PLACE, "sri.warung@gmail.com", "081234567890"],  # row 5
    ["1234567890123", "26/07/23", "CV Maju Jaya", *_PLACE, "maju@jaya.co.id", "0812-9876-5432"],  # row 6
    ["'0220000261346", "26 Juli 2023", "Toko Kue Ani", *_PLACE, "ani.kue", "+62 899"],  # row 7
    [None] * 12,  # row 8: blank
    [None, "01/08/2023", "Tanpa NIB", *_PLACE, None, None],  # row 9: blank NIB
    ["9,12E+12", "02/08/2023", "NIB Ilmiah", *_PLACE, None, None],  # row 10: scientific NIB
    ["1234567890124", "31/02/2023", "Tanggal Mustahil", *_PLACE, None, None],  # row 11: impossible date, kept
    [301230002777, "Jumat, 3 Nop 2023", "Bengkel Las", *_PLACE, None, None],  # row 12: NIB lost its zero
    ["2307230001234", "45123", "Serial Excel", *_PLACE, None, None],  # row 13
]

# NIB list, no header, Windows-1252 ';' as Indonesian-locale Excel saves it; CSV line numbers.
NIB_CSV_ROWS = [
    ["0302240001222", "05-Agu-2024", "Kopi Énak", *_PLACE, "kopi@enak.id", None],  # line 1: no phone
    ["302240001223", "1 Peb 2020", "Bengkel Jaya", *_PLACE, None, "+6281234567890"],  # line 2
    [None] * 12,  # line 3: blank
    ["0302240001224", "13/13/2024", "Salah Bulan", *_PLACE, None, None],  # line 4: impossible date, kept
    ["3,3E+11", "01/03/2024", "NIB Ilmiah", *_PLACE, None, None],  # line 5: scientific NIB
]

PROJECT_HEADER = [
    "id_proyek",
    "nib",
    "nama_perusahaan",
    "tanggal_terbit_oss",
    "Day of Tanggal Pengajuan Proyek",
    "Kode KBLI",
    "Judul KBLI",
    "KL/Sektor Pembina",
    "Nama User",
    "Email",
    "Nomor Telp",
    "Longitude",
    "Latitude",
    "Jumlah Investasi",
    "TKI",
]
PROJECT_ROWS = [  # header on line 1
    [
        "P-001",
        "220000261345",
        "Warung Bu Sri",
        "14/03/2023",
        "July 26, 2024",
        "56101.0",
        "Restoran",
        "Kesehatan",
        "Sri Wahyuni",
        "sri.warung@gmail.com",
        "081234567890",
        "116.8312345",
        "-1.2376543",
        "Rp 1.250.000.000",
        "5",
    ],
    [
        "P-002",
        "0220000261346",
        "Toko Kue Ani",
        "26/07/2023",
        "2024-07-26 10:00:00",
        "1111",
        "Pertanian Padi",
        "Pertanian",
        "Ani Lestari",
        None,
        None,
        None,
        None,
        "Rp1.250.000,50",
        "12",
    ],
    [
        "P-003",
        "12345678901234",
        "NIB Kepanjangan",
        "01/01/2024",
        None,
        "56101",
        "Restoran",
        "Kesehatan",
        "Joko Widodo",
        None,
        None,
        None,
        None,
        "1,250,000",
        "1",
    ],  # line 4: 14-digit NIB
    [
        "P-004",
        "1234567890123",
        "CV Maju Jaya",
        "26/07/2023",
        "1 Agustus 2024",
        "561",
        "Restoran",
        "Kesehatan",
        None,
        None,
        None,
        None,
        None,
        "(1.000)",
        "tiga",
    ],  # line 5: bad KBLI and TKI are kept, flagged
    [
        None,
        "1234567890123",
        "Tanpa ID",
        "26/07/2023",
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
    ],  # line 6: no id_proyek
]

_PERMIT_TAIL = ["Sertifikat Standar", "SPP-IRT", "Walikota", "Disetujui", "Pemda", "Kesehatan"]
PERMIT_ROWS = [  # header in B3 (rows 1-2 empty, column A empty): data on rows 4-6
    [
        1,
        "I-001",
        "Warung Bu Sri",
        220000261345,
        D(2023, 3, 14),
        "PMDN",
        "Kalimantan Timur",
        "Kota Balikpapan",
        "P-001",
        "R",
        56101,
        D(2024, 7, 26),
        *_PERMIT_TAIL,
    ],
    [
        2,
        "I-002",
        "Toko Kue Ani",
        "0220000261346",
        "26/07/2023",
        "PMDN",
        "Kalimantan Timur",
        "Kota Balikpapan",
        "P-002",
        "MR",
        1111,
        "5 Agt 2024",
        "Sertifikat Standar",
        "SPPL a.n. Ani 0812-9876-5432",  # a phone inside free text: masked at landing
        *_PERMIT_TAIL[2:],
    ],
    [
        3,
        None,
        "Tanpa Id",
        "1234567890123",
        "26/07/2023",
        "PMDN",
        "Kalimantan Timur",
        "Kota Balikpapan",
        "P-004",
        "R",
        56101,
        "5 Agt 2024",
        *_PERMIT_TAIL,
    ],  # row 6: no id_permohonan_izin
]
NOTES = {0: "Sumber: OSS RBA", 1: "Diunduh oleh admin DPMPTSP", 3: "Data bersifat sementara"}  # rows 1, 2, 4


def _write_permit_workbook(path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet("List Izin")
    for col, name in enumerate(PERMIT_LIST_HEADER):
        sheet.write_string(2, col + 1, name)
    for offset, row in enumerate(PERMIT_ROWS):
        for col, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(3 + offset, col + 1, dt.datetime.combine(value, dt.time()), date_format)
            elif value is not None:
                sheet.write(3 + offset, col + 1, value)
    notes = workbook.add_worksheet("Catatan")
    for row, text in NOTES.items():
        notes.write_string(row, 0, text)
    workbook.close()


def build_raw_dir(raw: Path) -> None:
    write_xlsx(raw / NIB_XLSX, NIB_HEADER, NIB_ROWS, title_rows=NIB_TITLE)
    shutil.copyfile(raw / NIB_XLSX, raw / NIB_COPY)  # the re-upload
    write_csv(raw / NIB_CSV, None, NIB_CSV_ROWS, delimiter=";", encoding="cp1252")
    write_csv(raw / PROJECT_CSV, PROJECT_HEADER, PROJECT_ROWS)
    _write_permit_workbook(raw / PERMIT_XLSX)
    (raw / "permits" / "README.md").write_text("Unggah ekspor OSS di sini.")
    (raw / "permits" / "~$nib_2023.xlsx").write_bytes(b"lock")  # Excel's lock file while a file is open


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Iterator[tuple[duckdb.DuckDBPyConnection, list[FileReport]]]:
    raw = tmp_path_factory.mktemp("raw")
    build_raw_dir(raw)
    con = duckdb.connect()
    reports = SourceLoader(con, raw, "permits", FAMILIES).load_all()
    yield con, reports
    con.close()


@pytest.fixture(scope="module")
def con(loaded) -> duckdb.DuckDBPyConnection:
    return loaded[0]


@pytest.fixture(scope="module")
def reports(loaded) -> dict[tuple[str, str | None], FileReport]:
    return {(r.path, r.sheet): r for r in loaded[1]}


# --------------------------------------------------------------------------------------------- reports

EXPECTED_REPORTS = {  # (path, sheet): (status, family, rows read, loaded, rejected)
    (NIB_XLSX, "Sheet1"): ("ingested", "oss_nib", 8, 6, 2),
    (NIB_COPY, None): ("duplicate", None, 0, 0, 0),
    (NIB_CSV, None): ("ingested", "oss_nib", 4, 3, 1),
    (PROJECT_CSV, None): ("ingested", "oss_project", 5, 4, 1),
    (PERMIT_XLSX, "List Izin"): ("ingested", "oss_permit", 3, 2, 1),
    (PERMIT_XLSX, "Catatan"): ("unrecognised", None, 3, 0, 3),
}
REPORT_IDS = [f"{path}[{sheet}]" for path, sheet in EXPECTED_REPORTS]


def test_every_file_and_sheet_is_reported_once(loaded):
    assert sorted((r.path, r.sheet) for r in loaded[1]) == sorted(EXPECTED_REPORTS, key=str)


@pytest.mark.parametrize(("key", "expected"), EXPECTED_REPORTS.items(), ids=REPORT_IDS)
def test_report(reports, key, expected):
    report = reports[key]
    counts = (report.rows_read, report.rows_loaded, report.rows_rejected)
    assert (report.status, report.family, *counts) == expected
    assert report.rows_read == report.rows_loaded + report.rows_rejected


@pytest.mark.parametrize(("key", "expected"), EXPECTED_REPORTS.items(), ids=REPORT_IDS)
def test_every_file_reconciles_with_the_tables(con, key, expected):
    """rows read = rows in raw.<family> + rows in raw.ingest_rejects, per file and sheet."""
    path, sheet = key
    _, family, read, loaded, rejected = expected
    same_sheet = "sheet IS NOT DISTINCT FROM ?"
    landed = (
        con.execute(
            f"SELECT count(*) FROM raw.{family} WHERE _path = ? AND _{same_sheet}", [path, sheet]
        ).fetchone()[0]
        if family
        else 0
    )
    rejects = con.execute(
        f"SELECT count(*) FROM raw.ingest_rejects WHERE path = ? AND {same_sheet}", [path, sheet]
    ).fetchone()[0]
    assert (landed, rejects) == (loaded, rejected)
    assert read == landed + rejects


def test_manifest(con):
    rows = con.execute(
        "SELECT path, sheet, status, duplicate_of, header_row, headerless, file_date, rows_read, rows_blank "
        "FROM raw.ingest_files ORDER BY path, sheet"
    ).fetchall()
    assert rows == [
        (NIB_COPY, None, "duplicate", NIB_XLSX, None, False, None, 0, 0),
        (NIB_XLSX, "Sheet1", "ingested", None, 4, False, D(2023, 12, 31), 8, 1),
        (NIB_CSV, None, "ingested", None, None, True, D(2024, 3, 31), 4, 1),
        (PROJECT_CSV, None, "ingested", None, 1, False, None, 5, 0),
        (PERMIT_XLSX, "Catatan", "unrecognised", None, None, False, None, 3, 0),
        (PERMIT_XLSX, "List Izin", "ingested", None, 3, False, D(2024, 7, 15), 3, 0),
    ]


def test_duplicate_is_skipped_even_when_loaded_on_its_own_first(tmp_path: Path):
    """The copy, not the original, is skipped: whatever order the directory lists them in."""
    raw = tmp_path / "raw"
    write_xlsx(raw / NIB_XLSX, NIB_HEADER, NIB_ROWS[:1])
    shutil.copyfile(raw / NIB_XLSX, raw / NIB_COPY)
    shutil.copyfile(raw / NIB_XLSX, raw / "permits" / "nib_2023 (2).xlsx")
    reports = SourceLoader(duckdb.connect(), raw, "permits", FAMILIES).load_all()
    assert [(r.path, r.status) for r in reports] == [
        (NIB_XLSX, "ingested"),
        (NIB_COPY, "duplicate"),
        ("permits/nib_2023 (2).xlsx", "duplicate"),
    ]


# --------------------------------------------------------------------------------------------- rejects

EXPECTED_REJECTS = {  # (path, sheet, row number a person sees, column, rule, value)
    (NIB_XLSX, "Sheet1", 9, "nib", "required_missing", None),
    (NIB_XLSX, "Sheet1", 10, "nib", "nib_format", "9,12E+12"),
    (NIB_CSV, None, 5, "nib", "nib_format", "3,3E+11"),
    (PROJECT_CSV, None, 6, "id_proyek", "required_missing", None),
    (PERMIT_XLSX, "List Izin", 6, "id_permohonan_izin", "required_missing", None),
    (PERMIT_XLSX, "Catatan", 1, None, "layout_unrecognised", None),
    (PERMIT_XLSX, "Catatan", 2, None, "layout_unrecognised", None),
    (PERMIT_XLSX, "Catatan", 4, None, "layout_unrecognised", None),
}


def test_rejects_name_file_sheet_row_column_and_rule(con):
    rows = con.execute(
        "SELECT path, sheet, row_number, column_name, rule, value FROM raw.ingest_rejects"
    ).fetchall()
    assert sorted(rows, key=str) == sorted(EXPECTED_REJECTS, key=str)


@pytest.mark.parametrize("reject", sorted(EXPECTED_REJECTS, key=str), ids=lambda r: f"{r[0]}[{r[1]}]:{r[2]}")
def test_each_reject_has_a_message_and_the_file_hash(con, reject):
    path, sheet, row_number, *_ = reject
    source, message, file_hash = con.execute(
        "SELECT source, message, file_hash FROM raw.ingest_rejects "
        "WHERE path = ? AND sheet IS NOT DISTINCT FROM ? AND row_number = ?",
        [path, sheet, row_number],
    ).fetchone()
    manifest_hash = con.execute(
        "SELECT any_value(file_hash) FROM raw.ingest_files WHERE path = ?", [path]
    ).fetchone()[0]
    assert source == "permits"
    assert message
    assert file_hash == manifest_hash


# --------------------------------------------------------------------------------------------- landed values

LANDED = [  # (table, where, column, expected)
    # NIB restored to 13 digits: number cells, apostrophes, 10..12 digit text
    ("oss_nib", f"_path = '{NIB_XLSX}' AND _row_number = 5", "nib", "0220000261345"),
    ("oss_nib", f"_path = '{NIB_XLSX}' AND _row_number = 7", "nib", "0220000261346"),
    ("oss_nib", f"_path = '{NIB_XLSX}' AND _row_number = 12", "nib", "0301230002777"),
    ("oss_nib", f"_path = '{NIB_CSV}' AND _row_number = 2", "nib", "0302240001223"),
    ("oss_project", "id_proyek = 'P-001'", "nib", "0220000261345"),
    ("oss_permit", "id_permohonan_izin = 'I-001'", "nib", "0220000261345"),
    # KBLI restored to 5 digits
    ("oss_project", "id_proyek = 'P-001'", "kbli", "56101"),
    ("oss_project", "id_proyek = 'P-002'", "kbli", "01111"),
    ("oss_project", "id_proyek = 'P-004'", "kbli", None),
    ("oss_permit", "id_permohonan_izin = 'I-001'", "kbli", "56101"),
    ("oss_permit", "id_permohonan_izin = 'I-002'", "kbli", "01111"),
    # dates, one per style
    ("oss_nib", "nib = '0220000261345'", "tanggal_terbit_oss", D(2023, 3, 14)),  # Excel date cell
    ("oss_nib", "nib = '1234567890123'", "tanggal_terbit_oss", D(2023, 7, 26)),  # dd/mm/yy
    ("oss_nib", "nib = '0220000261346'", "tanggal_terbit_oss", D(2023, 7, 26)),  # 26 Juli 2023
    ("oss_nib", "nib = '0301230002777'", "tanggal_terbit_oss", D(2023, 11, 3)),  # Jumat, 3 Nop 2023
    ("oss_nib", "nib = '2307230001234'", "tanggal_terbit_oss", D(2023, 7, 16)),  # serial as text
    ("oss_nib", "nib = '0302240001222'", "tanggal_terbit_oss", D(2024, 8, 5)),  # 05-Agu-2024
    ("oss_nib", "nib = '0302240001223'", "tanggal_terbit_oss", D(2020, 2, 1)),  # 1 Peb 2020
    # an impossible date is not a reason to lose the business: kept NULL, named, shown for the gap mart
    ("oss_nib", "nib = '1234567890124'", "tanggal_terbit_oss", None),
    ("oss_nib", "nib = '1234567890124'", "_unparsed_columns", ["tanggal_terbit_oss"]),
    ("oss_nib", "nib = '1234567890124'", "_unparsed_values", {"tanggal_terbit_oss": "31/02/2023"}),
    ("oss_nib", "nib = '0302240001224'", "_unparsed_values", {"tanggal_terbit_oss": "13/13/2024"}),
    # a project whose NIB is malformed is kept: its own identity is id_proyek
    ("oss_project", "id_proyek = 'P-003'", "nib", None),
    ("oss_project", "id_proyek = 'P-003'", "_unparsed_values", {"nib": "12345678901234"}),
    ("oss_project", "id_proyek = 'P-001'", "tanggal_terbit_oss", D(2023, 3, 14)),  # dd/mm/yyyy
    ("oss_project", "id_proyek = 'P-001'", "tanggal_pengajuan_proyek", D(2024, 7, 26)),  # July 26, 2024
    ("oss_project", "id_proyek = 'P-002'", "tanggal_pengajuan_proyek", D(2024, 7, 26)),  # ISO with time
    ("oss_project", "id_proyek = 'P-004'", "tanggal_pengajuan_proyek", D(2024, 8, 1)),  # 1 Agustus 2024
    ("oss_permit", "id_permohonan_izin = 'I-001'", "tgl_izin", D(2024, 7, 26)),
    ("oss_permit", "id_permohonan_izin = 'I-002'", "tgl_izin", D(2024, 8, 5)),  # 5 Agt 2024
    # money, integers, decimals
    ("oss_project", "id_proyek = 'P-001'", "jumlah_investasi", Decimal("1250000000.00")),
    ("oss_project", "id_proyek = 'P-002'", "jumlah_investasi", Decimal("1250000.50")),
    ("oss_project", "id_proyek = 'P-004'", "jumlah_investasi", Decimal("-1000.00")),
    ("oss_project", "id_proyek = 'P-001'", "tki", 5),
    ("oss_project", "id_proyek = 'P-004'", "tki", None),
    ("oss_project", "id_proyek = 'P-001'", "longitude", 116.8312345),
    ("oss_project", "id_proyek = 'P-001'", "latitude", -1.2376543),
    # values the loader could not parse are kept NULL and named
    ("oss_project", "id_proyek = 'P-004'", "_unparsed_columns", ["kbli", "tki"]),
    ("oss_project", "id_proyek = 'P-004'", "_unparsed_values", {"kbli": "561", "tki": "[teks 4 karakter]"}),
    ("oss_project", "id_proyek = 'P-001'", "_unparsed_columns", []),
    ("oss_project", "id_proyek = 'P-001'", "_unparsed_values", {}),
    # text, and Windows-1252 accents decoded
    ("oss_nib", "nib = '0302240001222'", "nama_perusahaan", "Kopi Énak"),
    ("oss_nib", "nib = '0220000261345'", "kab_kota", "Kota Balikpapan"),
    ("oss_permit", "id_permohonan_izin = 'I-001'", "no", "1"),
    ("oss_permit", "id_permohonan_izin = 'I-002'", "nama_dokumen", "SPPL a.n. Ani [disamarkan]"),
    # personal data: validity flags only, NULL when empty
    ("oss_nib", "nib = '0220000261345'", "email_valid", True),
    ("oss_nib", "nib = '0220000261346'", "email_valid", False),
    ("oss_nib", "nib = '0220000261346'", "nomor_telp_valid", False),
    ("oss_nib", "nib = '1234567890123'", "nomor_telp_valid", True),
    ("oss_nib", "nib = '2307230001234'", "email_valid", None),
    ("oss_nib", "nib = '0302240001222'", "nomor_telp_valid", None),
    ("oss_nib", "nib = '0302240001223'", "nomor_telp_valid", True),
    ("oss_project", "id_proyek = 'P-001'", "email_valid", True),
    # provenance
    ("oss_nib", "nib = '0220000261345'", "_sheet", "Sheet1"),
    ("oss_nib", "nib = '0220000261345'", "_file_date", D(2023, 12, 31)),  # "Periode: ... 31 Desember 2023"
    ("oss_nib", "nib = '0302240001222'", "_file_date", D(2024, 3, 31)),  # file name yyyy-mm: month end
    ("oss_nib", "nib = '0302240001222'", "_row_number", 1),  # headerless: data from CSV line 1
    ("oss_project", "id_proyek = 'P-002'", "_row_number", 3),  # CSV line, header is line 1
    ("oss_project", "id_proyek = 'P-002'", "_file_date", None),
    ("oss_permit", "id_permohonan_izin = 'I-002'", "_row_number", 5),  # Excel row, sheet starts at B3
    ("oss_permit", "id_permohonan_izin = 'I-002'", "_file_date", D(2024, 7, 15)),  # registry_2024-07-15.xlsx
    ("oss_permit", "id_permohonan_izin = 'I-002'", "_sheet", "List Izin"),
]


@pytest.mark.parametrize(
    ("table", "where", "column", "expected"),
    LANDED,
    ids=[f"{t}.{c}:{w.split('=')[-1].strip()}" for t, w, c, _ in LANDED],
)
def test_landed_value(con, table, where, column, expected):
    rows = con.execute(f'SELECT "{column}" FROM raw.{table} WHERE {where}').fetchall()
    assert len(rows) == 1, rows
    value = rows[0][0]
    if isinstance(expected, float):
        assert value == pytest.approx(expected, abs=1e-9)
    else:
        assert value == expected


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_provenance_is_complete(con, family):
    missing = con.execute(
        f"SELECT count(*) FROM raw.{family.name} WHERE _file_id IS NULL OR _path IS NULL "
        f"OR _row_number IS NULL OR _file_hash IS NULL OR length(_file_hash) <> 64 "
        f"OR _file_id <> _file_hash[:16]"
    ).fetchone()[0]
    assert missing == 0


@pytest.mark.parametrize(("family", "key"), [(f.name, f.key) for f in FAMILIES], ids=str)
def test_landed_keys_are_never_null(con, family, key):
    conditions = " OR ".join(f'"{k}" IS NULL' for k in key)
    assert con.execute(f"SELECT count(*) FROM raw.{family} WHERE {conditions}").fetchone()[0] == 0


# --------------------------------------------------------------------------------------------- personal data


def _raw_tables(con) -> list[str]:
    return [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1"
        ).fetchall()
    ]


def test_personal_data_lands_only_as_valid_flags(con):
    columns = dict(
        con.execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND regexp_matches(column_name, 'email|telp|nama_user')"
        ).fetchall()
    )
    assert columns == {
        "oss_nib.email_valid": "BOOLEAN",
        "oss_nib.nomor_telp_valid": "BOOLEAN",
        "oss_project.email_valid": "BOOLEAN",
        "oss_project.nomor_telp_valid": "BOOLEAN",
    }


@pytest.mark.parametrize("pii", PII_VALUES)
def test_no_personal_value_anywhere_in_raw(con, pii):
    hits = []
    for table in _raw_tables(con):
        text_columns = [
            c
            for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
                "AND table_name = ? AND data_type IN ('VARCHAR', 'VARCHAR[]')",
                [table],
            ).fetchall()
        ]
        for column in text_columns:
            text = f'lower(CAST("{column}" AS VARCHAR))'
            found = con.execute(
                f"SELECT count(*) FROM raw.{table} WHERE contains({text}, lower(?))", [pii]
            ).fetchone()[0]
            if found:
                hits.append(f"{table}.{column}")
    assert hits == []


# --------------------------------------------------------------------------------------------- edge folders


@pytest.mark.parametrize("setup", ["missing", "empty", "only_ignored"])
def test_empty_source_folder_yields_no_reports(tmp_path: Path, setup):
    raw = tmp_path / "raw"
    raw.mkdir()
    if setup != "missing":
        (raw / "permits").mkdir()
    if setup == "only_ignored":
        (raw / "permits" / "README.md").write_text("kosong")
        (raw / "permits" / "~$nib.xlsx").write_bytes(b"lock")
        (raw / "permits" / ".DS_Store").write_bytes(b"\0")
    con = duckdb.connect()
    assert SourceLoader(con, raw, "permits", FAMILIES).load_all() == []
    for table in ("ingest_files", "ingest_rejects", *(f.name for f in FAMILIES)):
        assert con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0] == 0


def test_landing_runs_in_landing_threads_and_gives_the_connection_its_own_setting_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The landing's thread count is the landing's: what the connection had before (dbt, the checks, a
    caller's own setting) is set again afterwards, also when a file fails."""
    write_csv(tmp_path / "permits" / "nib.csv", PERMIT_LIST_HEADER, [])
    write_csv(tmp_path / "permits" / "nib_2.csv", PERMIT_LIST_HEADER, [["1"] * len(PERMIT_LIST_HEADER)])
    con = duckdb.connect(config={"threads": 3})
    seen = []
    real_land_file = SourceLoader._land_file

    def watching_land_file(self: SourceLoader, item) -> list[FileReport]:
        seen.append(self.con.execute("SELECT current_setting('threads')").fetchone()[0])
        return real_land_file(self, item)

    monkeypatch.setattr(SourceLoader, "_land_file", watching_land_file)
    loader = SourceLoader(con, tmp_path, "permits", FAMILIES)
    loader.load_all()
    assert seen == [loader_module.LANDING_THREADS] * 2  # both files, on the workers' own connections
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 3

    def failing_land_file(self: SourceLoader, item) -> list[FileReport]:
        raise OSError("disk read error")

    monkeypatch.setattr(SourceLoader, "_land_file", failing_land_file)
    with pytest.raises(OSError):
        SourceLoader(
            con, tmp_path, "permits", FAMILIES
        ).load_all()  # a new loader: the file is not a duplicate
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 3


# ------------------------------------------------------------------------------- files landed side by side


def _side_by_side_raw(raw: Path) -> None:
    """The folder above plus a file of a type the loader does not read and a workbook that cannot be read."""
    build_raw_dir(raw)
    (raw / "permits" / "catatan.docx").write_bytes(b"not a spreadsheet")
    (raw / "permits" / "rusak.xlsx").write_bytes(b"PK\x03\x04 truncated")


def _land_with(raw: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> tuple[list, dict[str, list]]:
    monkeypatch.setattr(settings, "LANDING_FILES_AT_ONCE", workers)
    con = duckdb.connect()
    reports = SourceLoader(con, raw, "permits", FAMILIES).load_all()
    tables = {
        table: sorted(map(repr, con.execute(f"SELECT * FROM raw.{table}").fetchall()))
        for table in ("ingest_rejects", *(family.name for family in FAMILIES))
    }
    tables["ingest_files"] = sorted(
        map(repr, con.execute("SELECT * EXCLUDE (ingested_at) FROM raw.ingest_files").fetchall())
    )
    con.close()
    return [(r.path, r.sheet, r.status, r.rows_read, r.rows_loaded, r.rows_rejected) for r in reports], tables


def test_files_landed_side_by_side_land_as_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two files at a time (settings.LANDING_FILES_AT_ONCE) give the same reports, in the same order, and the
    same rows in every raw table, duplicate, unsupported and unreadable files included, as one file at a
    time."""
    _side_by_side_raw(tmp_path)
    one_by_one = _land_with(tmp_path, 1, monkeypatch)
    side_by_side = _land_with(tmp_path, 2, monkeypatch)
    assert side_by_side == one_by_one
    statuses = {status for _, _, status, *_ in one_by_one[0]}
    assert {"ingested", "duplicate", "unsupported", "unreadable"} <= statuses
    assert all(rows for rows in one_by_one[1].values())


def test_two_files_are_landed_at_the_same_time_each_on_its_own_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Both workers are inside a file at once (a barrier that only two threads together pass), each with a
    connection of its own."""
    build_raw_dir(tmp_path)
    both_inside = threading.Barrier(2, timeout=20)
    connections: list[int] = []
    real_land_file = SourceLoader._land_file

    def meeting_land_file(self: SourceLoader, item) -> list[FileReport]:
        connections.append(id(self.con))
        if len(connections) <= 2:
            both_inside.wait()  # BrokenBarrierError after 20 s when the files are landed one by one
        return real_land_file(self, item)

    monkeypatch.setattr(SourceLoader, "_land_file", meeting_land_file)
    con = duckdb.connect()
    reports = SourceLoader(con, tmp_path, "permits", FAMILIES).load_all()
    assert len(set(connections[:2])) == 2 and id(con) not in connections
    assert sum(r.rows_loaded for r in reports) == con.execute("SELECT count(*) FROM raw.oss_nib").fetchone()[
        0
    ] + sum(
        con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
        for table in ("oss_project", "oss_permit")
    )


def test_a_file_that_fails_beside_another_stops_the_landing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The second file fails while the first is still being landed: the first ends and commits (as when
    files land one by one), no later file starts, the failed file leaves nothing, the error is raised and the
    connection gets its own thread setting back."""
    build_raw_dir(tmp_path)
    order = [p.relative_to(tmp_path).as_posix() for p in loader_module.source_files(tmp_path / "permits")]
    landed_files = [path for path in order if path != NIB_COPY and path.endswith((".csv", ".xlsx"))]
    first, second, later = landed_files[0], landed_files[1], landed_files[2:]
    second_failed = threading.Event()
    first_was_in_progress = []
    real_land_file = SourceLoader._land_file

    def land_file(self: SourceLoader, item) -> list[FileReport]:
        if item.base["path"] == first:
            first_was_in_progress.append(second_failed.wait(timeout=20))
        if item.base["path"] == second:
            second_failed.set()
            raise RuntimeError("disk read error")
        return real_land_file(self, item)

    monkeypatch.setattr(SourceLoader, "_land_file", land_file)
    con = duckdb.connect(config={"threads": 3})
    with pytest.raises(RuntimeError, match="disk read error"):
        SourceLoader(con, tmp_path, "permits", FAMILIES).load_all()
    assert first_was_in_progress == [True]
    ingested = {
        r[0] for r in con.execute("SELECT path FROM raw.ingest_files WHERE status = 'ingested'").fetchall()
    }
    assert ingested == {first}
    assert later and not ingested & set(later)
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 3


FILE_DATES = [
    # (title rows, file name, as-of date)
    (["DATA KOPERASI", "KEADAAN 15 JULI 2024"], "register.xlsx", D(2024, 7, 15)),
    (["Keadaan s.d. Juni 2024"], "Register Koperasi.xlsx", D(2024, 6, 30)),  # a month: its last day
    (["Periode: 1 Januari 2023 s.d. 31 Desember 2023"], "nib.xlsx", D(2023, 12, 31)),
    (["DATA KOPERASI TAHUN 2024"], "register_2024-03.xlsx", D(2024, 3, 31)),  # a year alone is no date
    ([], "data_koperasi_2024-07-15.xlsx", D(2024, 7, 15)),
    ([], "Register Koperasi.xlsx", None),
]


@pytest.mark.parametrize(("titles", "name", "expected"), FILE_DATES)
def test_file_date(titles, name, expected):
    con = duckdb.connect()
    register_macros(con)
    assert file_date(con, titles, name) == expected


def test_small_things_real_exports_do(tmp_path: Path):
    """A `No.` typed as text with thousands dots, `<br>` and non-breaking spaces inside cells, an empty header
    cell between named ones, a trailing unnamed column of zeros: all read, listed as unknown, nothing lost."""
    header = [
        "No.",
        "Id Permohonan Izin",
        None,
        "Nama Perusahaan",
        "Nib",
        "Kab Kota",
        "Kbli",
        "Day of Tgl Izin",
        None,
    ]
    rows = [
        [
            "1.000",
            "I-1",
            "x",
            "Toko<br>Sembako\u00a0Jaya",
            "0101230002777",
            "Kota\u00a0Balikpapan",
            "56101",
            "13/01/2023",
            "0",
        ],
        ["1.001", "I-2", None, "Warung  Dua", "0101230002778", "Kota Balikpapan", "47111", "14/01/2023", "0"],
    ]
    write_csv(tmp_path / "raw" / "permits" / "List Izin.csv", header, rows)
    con = duckdb.connect()
    (report,) = SourceLoader(con, tmp_path / "raw", "permits", FAMILIES).load_all()
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == (
        "ingested",
        2,
        2,
        0,
    )
    landed = con.execute("SELECT no, nama_perusahaan, kab_kota FROM raw.oss_permit ORDER BY no").fetchall()
    assert landed == [
        ("1.000", "Toko Sembako Jaya", "Kota Balikpapan"),
        ("1.001", "Warung Dua", "Kota Balikpapan"),
    ]
    unknown = con.execute("SELECT unknown_columns FROM raw.ingest_files").fetchone()[0]
    assert unknown == ["(kolom 3 tanpa judul)", "(kolom 9 tanpa judul)"]


def test_a_headerless_export_with_a_trailing_column_of_zeros_is_recognised(tmp_path: Path):
    row = ["0302240001222", "05-Agu-2024", "Kopi Enak", *_PLACE, None, None, "0"]
    write_csv(tmp_path / "raw" / "permits" / "nib.csv", None, [row, [*row[:-1], "0"]])
    (report,) = SourceLoader(duckdb.connect(), tmp_path / "raw", "permits", FAMILIES).load_all()
    assert (report.status, report.family, report.rows_loaded) == ("ingested", "oss_nib", 2)
