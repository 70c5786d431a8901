"""A business is a distinct NIB named by any OSS export of the region (issue 8), end to end on small
hand-written exports: the real loader, dbt and publish (`umkm refresh`), then the summary and the marts.

Every expected figure below is counted by hand from the rows written in this file, never by a generator.
Dates are day-first with a day above 12 in every date column of every file; NIBs issued since OSS RBA begin
with their issue date as ddmmyy.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.permits import OSS_PERMIT
from pipelines.sample.writers import write_xlsx
from tests.oss_exports import PERMIT_LIST_HEADER

from .conftest import refresh, summary

NIB_HEADER = (
    "nib", "tanggal_terbit_oss", "nama_perusahaan", "status_penanaman_modal", "uraian_jenis_perusahaan",
    "uraian_skala_usaha", "alamat_perusahaan", "kelurahan", "kecamatan", "kab_kota", "email", "nomor_telp",
)  # fmt: skip
PROJECT_HEADER = (
    "id_proyek", "uraian_jenis_proyek", "nib", "nama_perusahaan", "tanggal_terbit_oss",
    "uraian_status_penanaman_modal", "uraian_jenis_perusahaan", "uraian_risiko_proyek", "nama_proyek",
    "uraian_skala_usaha", "alamat_usaha", "kab_kota_usaha", "kecamatan_usaha", "kelurahan_usaha", "longitude",
    "latitude", "day_of_tanggal_pengajuan_proyek", "kbli", "judul_kbli", "kl_sektor_pembina", "nama_user",
    "email", "nomor_telp", "luas_tanah", "satuan_tanah", "jumlah_investasi", "tki",
)  # fmt: skip

SCALES = ("mikro", "kecil", "menengah", "besar", "tidak_diketahui")
KALTIM = "KALIMANTAN TIMUR"
BPP = "Kota Balikpapan"
PEMDA = ("Pemerintah Daerah Kabupaten/Kota", "Terbit", "Bupati/Walikota")


def _permit(no, permit_id, name, nib, nib_date, regency, kbli, issued, *, province=KALTIM, risk="R"):
    return [no, permit_id, name, nib, nib_date, "PMDN", province, regency, "", risk, kbli, issued,
            "Persyaratan Dasar", "SPPL", *PEMDA, "PERDAGANGAN"]  # fmt: skip


def _write_csv(path: Path, header, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


# --- office A: downloads only the permit list (xlsx, dates typed as day-first text) ---

PERMIT_ONLY_ROWS = [
    # NIB 1503230001111, issued 15/03/2023: two permits, the earliest (16/03) carries KBLI 56102.
    _permit(1, "I-202303160001", "Warung Makan Bu Sari", "1503230001111", "15/03/2023", BPP, "56102",
            "16/03/2023"),
    _permit(2, "I-202304200002", "Warung Makan Bu Sari", "1503230001111", "15/03/2023", BPP, "56303",
            "20/04/2023"),
    # NIB 2004230002222, issued 20/04/2023: one permit, KBLI 47111; kab/kota typed upper case.
    _permit(3, "I-202304210003", "Toko Berkah", "2004230002222", "20/04/2023", "KOTA BALIKPAPAN", "47111",
            "21/04/2023"),
    # NIB 0305230003333, issued 03/05/2023: the later row is the earlier permit (14/05, KBLI 10710).
    _permit(4, "I-202305250004", "Kue Bu Rina", "0305230003333", "03/05/2023", BPP, "96112", "25/05/2023"),
    _permit(5, "I-202305140005", "Kue Bu Rina", "0305230003333", "03/05/2023", BPP, "10710", "14/05/2023"),
    # Outside the region (Samarinda): neither the business nor the permit counts.
    _permit(6, "I-202306170006", "Toko Seberang", "1706230004444", "17/06/2023", "Kota Samarinda", "47111",
            "17/06/2023"),
    # A permit whose NIB is blank: its own Id Permohonan Izin and Kab Kota are there (sheet row 8).
    _permit(7, "I-202305280007", "Kedai Kopi Senja", None, None, BPP, "56303", "28/05/2023"),
]  # fmt: skip
BLANK_NIB_PERMIT = "I-202305280007"
BLANK_NIB_ROW = 8  # header on row 1, the seventh data row


@pytest.fixture(scope="module")
def permit_only_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("permit_only")
    path = root / "raw" / "permits" / "List Izin Kota Balikpapan 2023.xlsx"
    write_xlsx(path, PERMIT_LIST_HEADER, PERMIT_ONLY_ROWS)
    assert refresh(root / "raw", root / "marts", "64.71") == 0
    return root / "marts"


def scales(**counts: int) -> dict[str, int]:
    return {scale: counts.get(scale, 0) for scale in SCALES}


def _rows(marts: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(marts / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_permit_list_only_office_counts_its_distinct_nibs(permit_only_office, capsys):
    msme = summary(permit_only_office, capsys)["msme"]
    assert msme["businesses"] == 3
    assert msme["businesses_by_scale"] == scales(tidak_diketahui=3)
    assert msme["businesses_by_named_by"] == {"permit_list": 3}
    assert msme["registrations_by_year"] == {"2023": 3}
    assert msme["registrations_by_month"] == {"2023-03": 1, "2023-04": 1, "2023-05": 1}


def test_a_permit_only_business_takes_its_kbli_from_its_earliest_permit(permit_only_office):
    rows = _rows(
        permit_only_office,
        "SELECT nib, business_name, registered_on::varchar, regency_code, scale, primary_kbli,"
        " primary_kbli_basis, sector_group, named_by FROM marts.msme_businesses ORDER BY nib",
    )
    assert rows == [
        ("0305230003333", "Kue Bu Rina", "2023-05-03", "64.71", "tidak_diketahui", "10710",
         "permit_list", "kuliner", "permit_list"),
        ("1503230001111", "Warung Makan Bu Sari", "2023-03-15", "64.71", "tidak_diketahui", "56102",
         "permit_list", "kuliner", "permit_list"),
        ("2004230002222", "Toko Berkah", "2023-04-20", "64.71", "tidak_diketahui", "47111",
         "permit_list", "G", "permit_list"),
    ]  # fmt: skip


NIB_OPTIONAL_ON_PERMITS = not next(c for c in OSS_PERMIT.columns if c.name == "nib").required


@pytest.mark.skipif(not NIB_OPTIONAL_ON_PERMITS, reason="the loader still rejects a permit without a NIB")
def test_a_permit_with_a_blank_nib_is_counted_and_listed_as_nib_missing(permit_only_office, capsys):
    msme = summary(permit_only_office, capsys)["msme"]
    assert msme["permits"] == 6  # rows 1-5 and the blank-NIB row 7; row 6 is in Samarinda
    assert msme["permits_by_month"] == {"2023-03": 1, "2023-04": 2, "2023-05": 3}
    gaps = _rows(
        permit_only_office,
        "SELECT record_key, source_path, source_row, severity, message FROM marts.data_quality_gaps"
        " WHERE gap_type = 'nib_missing' AND is_open",
    )
    ((key, path, row, severity, message),) = gaps
    assert (key, path, row, severity) == (
        BLANK_NIB_PERMIT,
        "permits/List Izin Kota Balikpapan 2023.xlsx",
        BLANK_NIB_ROW,
        "warning",
    )
    assert message.startswith(f"Izin {BLANK_NIB_PERMIT} (Kedai Kopi Senja): NIB kosong")
    assert f"baris {BLANK_NIB_ROW}" in message


# --- office B: a NIB list of this year, a permit list naming older businesses, a small project list (CSV) ---

NIB_ROWS = [
    ["1501240001001", "15/01/2024", "Kedai Kopi Pagi", "PMDN", "Perseorangan", "Usaha Mikro", "Jl. Melati 1",
     "Damai", "Balikpapan Kota", BPP, "", ""],
    ["2202240001002", "22/02/2024", "CV Maju Jaya", "PMDN", "Persekutuan Komanditer (CV)", "Usaha Kecil",
     "Jl. Mawar 2", "Sepinggan", "Balikpapan Selatan", BPP, "", ""],
    # No scale label: its project's capital (Rp 1.500.000.000) makes it kecil.
    ["0503240001003", "05/03/2024", "Bengkel Jaya", "PMDN", "Perseorangan", "", "Jl. Kenanga 3", "Batu Ampar",
     "Balikpapan Utara", BPP, "", ""],
]  # fmt: skip
OLDER_PERMIT_ROWS = [
    _permit(1, "I-202401160101", "Kedai Kopi Pagi", "1501240001001", "15/01/2024", BPP, "56303",
            "16/01/2024"),
    # The permit list gives CV Maju Jaya another registration date (23/02 against the NIB list's 22/02).
    _permit(2, "I-202402230102", "CV Maju Jaya", "2202240001002", "23/02/2024", BPP, "47919", "23/02/2024"),
    # Two older businesses the NIB list of 2024 does not name.
    _permit(3, "I-202208180103", "Salon Ayu", "1408220002001", "14/08/2022", BPP, "96112", "18/08/2022"),
    _permit(4, "I-202312010104", "Laundry Bersih", "3011230002002", "30/11/2023", BPP, "96200", "01/12/2023"),
]  # fmt: skip
PROJECT_ROWS = [
    ["R-202403140001", "Utama", "0503240001003", "Bengkel Jaya", "05/03/2024", "PMDN", "Perseorangan",
     "Rendah", "Bengkel", "", "Jl. Kenanga 3", BPP, "Balikpapan Utara", "Batu Ampar", "", "", "14/03/2024",
     "45201", "Reparasi Mobil", "PERDAGANGAN", "", "", "", "100", "m2", "Rp 1.500.000.000", "3"],
    # Known from the project list only: scale from its label, and a negative worker count (TKI).
    ["R-202312130002", "Utama", "1312230003001", "Toko Pakaian Indah", "13/12/2023", "PMDN", "Perseorangan",
     "Rendah", "Toko", "Usaha Menengah", "Jl. Anggrek 4", BPP, "Balikpapan Utara", "Muara Rapak", "", "",
     "13/12/2023", "47711", "Perdagangan Eceran Pakaian", "PERDAGANGAN", "", "", "", "50", "m2",
     "Rp 6.000.000.000", "-2"],
    # A project whose NIB is blank (CSV row 4): kept, names no business, listed as nib_missing.
    ["R-202403200003", "Utama", "", "Usaha Tanpa NIB", "", "PMDN", "Perseorangan", "Rendah", "Toko", "",
     "Jl. Dahlia 5", BPP, "Balikpapan Barat", "Baru Ilir", "", "", "20/03/2024", "47711",
     "Perdagangan Eceran Pakaian", "PERDAGANGAN", "", "", "", "20", "m2", "Rp 50.000.000", "1"],
]  # fmt: skip


@pytest.fixture(scope="module")
def mixed_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    permits = root / "raw" / "permits"
    _write_csv(permits / "Data NIB Kota Balikpapan 2024.csv", NIB_HEADER, NIB_ROWS)
    _write_csv(permits / "List Izin Kota Balikpapan.csv", PERMIT_LIST_HEADER, OLDER_PERMIT_ROWS)
    _write_csv(permits / "Daftar Proyek Kota Balikpapan 2024.csv", PROJECT_HEADER, PROJECT_ROWS)
    assert refresh(root / "raw", root / "marts", "64.71") == 0
    return root / "marts"


def test_b_a_nib_list_plus_older_permits_counts_the_union(mixed_office, capsys):
    msme = summary(mixed_office, capsys)["msme"]
    # 3 in the NIB list + 2 older from permits + 1 from the project list (the blank-NIB project names none)
    assert msme["businesses"] == 6
    assert msme["businesses_by_scale"] == scales(mikro=1, kecil=2, menengah=1, tidak_diketahui=2)
    assert msme["businesses_by_named_by"] == {
        "nib_list,permit_list": 2,
        "permit_list": 2,
        "nib_list,project_list": 1,
        "project_list": 1,
    }
    assert msme["registrations_by_year"] == {"2022": 1, "2023": 2, "2024": 3}
    assert msme["permits"] == 4


def test_d_registrations_by_month(mixed_office, capsys):
    msme = summary(mixed_office, capsys)["msme"]
    assert msme["registrations_by_month"] == {
        "2022-08": 1,
        "2023-11": 1,
        "2023-12": 1,
        "2024-01": 1,
        "2024-02": 1,
        "2024-03": 1,
    }


def test_the_nib_list_wins_and_a_date_the_permit_list_disagrees_on_is_a_gap(mixed_office):
    rows = _rows(
        mixed_office,
        "SELECT nib, registered_on::varchar, registered_on_family, scale, scale_basis, primary_kbli,"
        " kecamatan_code FROM marts.msme_businesses ORDER BY nib",
    )
    assert rows == [
        ("0503240001003", "2024-03-05", "nib_list", "kecil", "modal", "45201", "64.71.03"),
        ("1312230003001", "2023-12-13", "project_list", "menengah", "oss", "47711", "64.71.03"),
        ("1408220002001", "2022-08-14", "permit_list", "tidak_diketahui", "tidak_diketahui", "96112", None),
        ("1501240001001", "2024-01-15", "nib_list", "mikro", "oss", "56303", "64.71.06"),
        ("2202240001002", "2024-02-22", "nib_list", "kecil", "oss", "47919", "64.71.05"),
        ("3011230002002", "2023-11-30", "permit_list", "tidak_diketahui", "tidak_diketahui", "96200", None),
    ]
    gaps = _rows(
        mixed_office,
        "SELECT gap_type, record_key, column_name, value FROM marts.data_quality_gaps"
        " WHERE is_open AND gap_type IN ('nib_conflicting', 'count_negative', 'nib_missing') ORDER BY ALL",
    )
    assert gaps == [
        ("count_negative", "R-202312130002", "tki", "-2"),
        ("nib_conflicting", "2202240001002", "tanggal_terbit_oss",
         "22-02-2024 (daftar NIB) / 23-02-2024 (daftar izin)"),
        ("nib_missing", "R-202403200003", "nib", None),
    ]  # fmt: skip
    assert _rows(
        mixed_office,
        "SELECT source_path, source_row FROM marts.data_quality_gaps WHERE gap_type = 'nib_missing'",
    ) == [("permits/Daftar Proyek Kota Balikpapan 2024.csv", 4)]
