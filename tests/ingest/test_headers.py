"""Header spellings seen in OSS exports map to each family's canonical column names."""

from __future__ import annotations

import pytest

from pipelines.ingest.headers import match_header, normalise_header
from pipelines.ingest.permits import FAMILIES, OSS_NIB, OSS_PERMIT, OSS_PROJECT
from tests.oss_exports import PERMIT_LIST_HEADER


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Day of Tanggal Terbit Oss", "tanggal_terbit_oss"),
        ("Month of Tgl Izin", "tgl_izin"),
        ("day_of_tanggal_pengajuan_proyek", "tanggal_pengajuan_proyek"),
        ("KL/Sektor Pembina", "kl_sektor_pembina"),
        (" NIB ", "nib"),
        ("Kab Kota", "kab_kota"),
        ("Kab/Kota", "kab_kota"),
        ("No.", "no"),
        ("E-mail", "e_mail"),
        ("Nomor Telp.", "nomor_telp"),
        ("  Tanggal  Terbit\nOSS ", "tanggal_terbit_oss"),  # wrapped header cell
        ("Day of", "day_of"),  # only a prefix when something follows it
        (None, ""),
        ("", ""),
    ],
)
def test_normalise_header(cell, expected):
    assert normalise_header(cell) == expected


# Header rows as the report screens export them (domain.md, "Business permit exports").
NIB_HEADER = [
    "NIB",
    "Tanggal Terbit OSS",
    "Nama Perusahaan",
    "Status Penanaman Modal",
    "Uraian Jenis Perusahaan",
    "Uraian Skala Usaha",
    "Alamat Perusahaan",
    "Kelurahan",
    "Kecamatan",
    "Kab Kota",
    "Email",
    "Nomor Telp",
]
PROJECT_HEADER = [
    "id_proyek",
    "uraian_jenis_proyek",
    "nib",
    "nama_perusahaan",
    "tanggal_terbit_oss",
    "uraian_status_penanaman_modal",
    "uraian_jenis_perusahaan",
    "uraian_risiko_proyek",
    "nama_proyek",
    "uraian_skala_usaha",
    "alamat_usaha",
    "kab_kota_usaha",
    "kecamatan_usaha",
    "kelurahan_usaha",
    "longitude",
    "latitude",
    "day_of_tanggal_pengajuan_proyek",
    "kbli",
    "judul_kbli",
    "kl_sektor_pembina",
    "nama_user",
    "email",
    "nomor_telp",
    "luas_tanah",
    "satuan_tanah",
    "jumlah_investasi",
    "tki",
]


@pytest.mark.parametrize(
    ("header", "family"),
    [(NIB_HEADER, OSS_NIB), (PROJECT_HEADER, OSS_PROJECT), (PERMIT_LIST_HEADER, OSS_PERMIT)],
    ids=["nib", "project", "permit"],
)
def test_real_header_row_maps_to_the_standard_order(header, family):
    """Each screen's header, in its standard order, names every standard column of its family."""
    assert match_header(header, family) == [c.name for c in family.standard_order]


@pytest.mark.parametrize(
    ("header", "family", "expected"),
    [
        # NIB list variants
        (
            ["Nomor Induk Berusaha", "Tgl Terbit OSS", "Nama Usaha", "Skala Usaha", "No. HP", "E-mail"],
            OSS_NIB,
            ["nib", "tanggal_terbit_oss", "nama_perusahaan", "uraian_skala_usaha", "nomor_telp", "email"],
        ),
        (
            ["Kabupaten/Kota", "Kelurahan/Desa", "Kec", "Jenis Badan Usaha"],
            OSS_NIB,
            ["kab_kota", "kelurahan", "kecamatan", "uraian_jenis_perusahaan"],
        ),
        # project list variants
        (
            [
                "Kode KBLI",
                "Uraian KBLI",
                "KL/Sektor Pembina",
                "Nilai Investasi",
                "Jumlah Tenaga Kerja",
                "Omzet",
                "Nama Pemohon",
            ],
            OSS_PROJECT,
            [
                "kbli",
                "judul_kbli",
                "kl_sektor_pembina",
                "jumlah_investasi",
                "tki",
                "hasil_penjualan_tahunan",
                "nama_user",
            ],
        ),
        # permit list variants
        (
            [
                "Nomor",
                "Id Permohonan",
                "Provinsi",
                "Kabupaten Kota",
                "Kode Risiko",
                "Tanggal Izin",
                "KL/Sektor Pembina",
            ],
            OSS_PERMIT,
            ["no", "id_permohonan_izin", "propinsi", "kab_kota", "kd_resiko", "tgl_izin", "kl_sektor"],
        ),
    ],
    ids=["nib-variants", "nib-places", "project-variants", "permit-variants"],
)
def test_header_variants(header, family, expected):
    assert match_header(header, family) == expected


@pytest.mark.parametrize(
    ("header", "family", "expected"),
    [
        # an unknown column and an empty cell map to None
        (
            ["NIB", "Keterangan", None, "Tanggal Terbit OSS"],
            OSS_NIB,
            ["nib", None, None, "tanggal_terbit_oss"],
        ),
        # the same column twice: the first one wins, the repeat maps to None
        (["NIB", "Nama Perusahaan", "NIB"], OSS_NIB, ["nib", "nama_perusahaan", None]),
        # two spellings of one column are still one column
        (["Tanggal Terbit OSS", "Day of Tgl Terbit Oss"], OSS_NIB, ["tanggal_terbit_oss", None]),
        (["Email", "E-mail", "Email Perusahaan"], OSS_NIB, ["email", None, None]),
        (["Kbli", "Kode KBLI"], OSS_PROJECT, ["kbli", None]),
    ],
    ids=["unknown-and-empty", "repeat", "alias-repeat", "three-emails", "kbli-twice"],
)
def test_duplicate_and_unknown_header_cells(header, family, expected):
    assert match_header(header, family) == expected


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_spelling_of_a_family_names_one_column(family):
    """No alias of one column is another column's name or alias in the same family."""
    owner: dict[str, str] = {}
    for column in family.columns:
        for spelling in (column.name, *column.aliases):
            key = normalise_header(spelling)
            assert owner.setdefault(key, column.name) == column.name, (key, column.name, owner[key])
