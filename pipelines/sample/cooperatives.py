"""Sample cooperative registry exports and health-assessment files for Kota Balikpapan and Kalimantan Utara.

``write_cooperative_exports`` writes one profile's files into a raw ``cooperatives/`` folder and returns the
figures the pipeline must reproduce (``CooperativeTruth``). The truth is computed from the cells actually
written, with the rules of docs/cooperative_rules.md (``compute_truth``), and checked against the published
figures (``CALIBRATION``, from domain.md): a change that breaks them fails at generation time.
Seeded and deterministic: the same seed gives byte-identical files.

What is planted (``_FILES`` says which file carries what): one registry export per data update with its own
header spellings and column order; the update date in a title row, in the file name only, or in a
``Tgl Pemutakhiran`` column; xlsx numbers and dates next to dd/mm/yyyy, dd/mm/yy, ISO and "26 Juli 1998" text;
rupiah as "Rp 1.250.000.000" / "(Rp 2.350.000)" text; one ';'-separated Windows-1252 CSV (en dashes in
addresses) and one UTF-8 CSV with a BOM; Nomor Induk Koperasi as xlsx numbers, as text and with spaces;
loosely spelled kecamatan, kab/kota, jenis and status; blank status (about 7%) so that the RAT rule decides;
RAT given only as Tanggal RAT; values as offices type them (issue 16, tables in quirks.py: "TDK AKTIF",
"Pasif", "aktif (RAT 2023)", "KSP", "Kop. Konsumen", "Primer Kota", "Kota Bpp", "Kodya Balikpapan", "TB 2023",
"12 Mrt 2024", "1,2 M", "850 jt", "12 orang"), each read by the rules as the class it was written for;
non-data rows (column numbers "(1) ... (n)", the header repeated on a second printed page, "JUMLAH HAL. n",
"TOTAL"/"JUMLAH", "Sumber:"/"Keterangan:" notes) and a "Rekap" sheet beside the data, none of them a record;
an exact duplicate row; invalid cooperative numbers (blank, "-", "6,47102E+15", 15 or 17 digits, a letter O,
"BELUM ADA"), counted in ``rows_rejected``; history between updates (new, dissolved, became inactive,
reactivated, moved kecamatan, changed jenis, started digital reporting); health assessments with blank
predikat decided by the score bands, band-edge means, assessor categories that disagree with the scores, and
legacy five-class labels in 2023.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from pipelines.sample.quirks import (
    COOP_BENTUK_SPELLINGS,
    COOP_BOOK_YEAR_FORMS,
    COOP_COUNT_FORM,
    COOP_GRAND_TOTAL,
    COOP_JENIS_SPELLINGS,
    COOP_KAB_KOTA_SPELLINGS,
    COOP_MONTH_ABBREVIATIONS,
    COOP_NOTES,
    COOP_PAGE_TOTAL,
    COOP_RECAP_SHEET,
    COOP_SPELLING_COUNTS,
    COOP_STATUS_SPELLINGS,
    money_words,
)
from pipelines.sample.writers import Cell, SheetSpec, write_csv, write_workbook

COOP_PROFILES = ("balikpapan", "kaltara")
JENIS_KEYS = ("konsumen", "produsen", "jasa", "simpan_pinjam", "pemasaran", "simpan_pinjam_syariah")
HEALTH_KEYS = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")

# ---------------------------------------------------------------------------------------------------------
# The rules of docs/cooperative_rules.md as the generator's own test oracle (compute_truth). Production
# applies them in dbt (seeds dbt_project/seeds/rules/cooperative_*.csv, vars cooperative_* of
# dbt_project.yml); this copy is independent on purpose, so a wrong seed or model shows up as a figure that
# misses the truth.

ACTIVE_RULE_YEARS = 3  # blank status: active iff RAT book year >= last closed book year - N + 1
HEALTH_BANDS_VERSION = "perdep_06_2016"
# (lower bound of the mean of the four aspect scores, category); the first band whose bound is met wins.
HEALTH_BANDS: tuple[tuple[float, str], ...] = (
    (80.0, "sehat"),
    (66.0, "cukup_sehat"),
    (51.0, "dalam_pengawasan"),
    (0.0, "dalam_pengawasan_khusus"),
)
UNKNOWN_DISTRICT = "tidak_diketahui"

JENIS_KOPERASI: dict[str, str] = {
    "KONSUMEN": "konsumen",
    "KOPERASIKONSUMEN": "konsumen",
    "PRODUSEN": "produsen",
    "JASA": "jasa",
    "SIMPANPINJAM": "simpan_pinjam",
    "PEMASARAN": "pemasaran",
    "SIMPANPINJAMDANPEMBIAYAANSYARIAH": "simpan_pinjam_syariah",
    "SIMPANPINJAMSYARIAH": "simpan_pinjam_syariah",
    "KSPPS": "simpan_pinjam_syariah",
    # as offices type them (issue 16; quirks.COOP_JENIS_SPELLINGS)
    "KSP": "simpan_pinjam",
    "KOPKONSUMEN": "konsumen",
    "KSPSYARIAH": "simpan_pinjam_syariah",
}
STATUS_KOPERASI: dict[str, str] = {
    "AKTIF": "aktif",  # also "aktif (RAT 2023)": normalise_value drops a bracketed note
    "TIDAKAKTIF": "tidak_aktif",
    "NONAKTIF": "tidak_aktif",
    "TDKAKTIF": "tidak_aktif",  # "TDK AKTIF", "Tdk. Aktif"
    "PASIF": "tidak_aktif",
}
BENTUK_KOPERASI: dict[str, str] = {
    "PRIMER": "primer",
    "SEKUNDER": "sekunder",
    "KOPERASIPRIMER": "primer",
    "PRIMERKOTA": "primer",
}
# Abbreviations of a kab/kota name, after normalise_kab_kota ("Kota Bpp" -> "BPP").
KAB_KOTA_ABBREVIATIONS: dict[str, str] = {"BPP": "BALIKPAPAN"}
PELAPORAN_DIGITAL: dict[str, bool] = {"YA": True, "TIDAK": False}
# Current categories (Permenkop UKM 9/2020) and the legacy five-class labels the 2023 files still use.
PREDIKAT_KESEHATAN: dict[str, str] = {
    "SEHAT": "sehat",
    "CUKUPSEHAT": "cukup_sehat",
    "DALAMPENGAWASAN": "dalam_pengawasan",
    "DALAMPENGAWASANKHUSUS": "dalam_pengawasan_khusus",
    "KURANGSEHAT": "dalam_pengawasan",
    "TIDAKSEHAT": "dalam_pengawasan_khusus",
    "SANGATTIDAKSEHAT": "dalam_pengawasan_khusus",
}

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_BRACKETED = re.compile(r"\([^)]*\)")
_KECAMATAN_PREFIX = re.compile(r"^\s*(KECAMATAN|KEC\.)\s*")
_KAB_KOTA_PREFIX = re.compile(r"^\s*(KABUPATEN|KAB\.|KOTAMADYA|KODYA|KOTA)\s*")


def normalise_value(text: str | None) -> str:
    """Code-list values: 'Simpan Pinjam dan Pembiayaan Syariah' -> 'SIMPANPINJAMDANPEMBIAYAANSYARIAH',
    'aktif (RAT 2023)' -> 'AKTIF' (a bracketed note is dropped)."""
    return _NON_ALNUM.sub("", _BRACKETED.sub("", (text or "").upper()))


def normalise_kecamatan(text: str | None) -> str:
    """'Kec. Balikpapan Kota', 'BALIKPAPAN  KOTA' -> 'BALIKPAPANKOTA' (matched to the Kemendagri name)."""
    return _NON_ALNUM.sub("", _KECAMATAN_PREFIX.sub("", (text or "").upper()))


def normalise_kab_kota(text: str | None) -> str:
    """'Kota Balikpapan', 'BALIKPAPAN', 'Kodya Balikpapan', 'Kota Bpp', 'Kab. Bulungan', 'KABUPATEN BULUNGAN'
    -> 'BALIKPAPAN', 'BULUNGAN'."""
    key = _NON_ALNUM.sub("", _KAB_KOTA_PREFIX.sub("", (text or "").upper()))
    return KAB_KOTA_ABBREVIATIONS.get(key, key)


def spelling_classes() -> list[tuple[str, str, str | None]]:
    """(planted spelling, class quirks.py says, class the oracle gives), for every spelling planted."""
    out: list[tuple[str, str, str | None]] = []
    for table, rules in (
        (COOP_STATUS_SPELLINGS, STATUS_KOPERASI),
        (COOP_JENIS_SPELLINGS, JENIS_KOPERASI),
        (COOP_BENTUK_SPELLINGS, BENTUK_KOPERASI),
    ):
        for wanted, spellings in table.items():
            out += [(s, wanted, rules.get(normalise_value(s.format(rat_year=2023)))) for s in spellings]
    for name, spellings in COOP_KAB_KOTA_SPELLINGS.items():
        out += [
            (s, name, name if normalise_kab_kota(s) == normalise_kab_kota(name) else None) for s in spellings
        ]
    return out


if wrong := [entry for entry in spelling_classes() if entry[1] != entry[2]]:
    raise RuntimeError(f"quirks.py plants spellings the oracle reads otherwise: {wrong}")


@dataclass(frozen=True)
class CooperativeTruth:
    registered: int
    active: int
    inactive: int
    rat_last_book_year: int
    active_by_type: dict[str, int]  # JENIS_KEYS -> n
    active_by_district: dict[str, int]  # Kemendagri kecamatan name -> n, plus "tidak_diketahui"
    health: dict[str, dict[str, int]]  # "2024" -> HEALTH_KEYS -> n
    digital_reporting: int
    rows_rejected: int


# Published figures (domain.md, calibration table): the generator refuses to write data that misses them.
CALIBRATION: dict[str, dict[str, object]] = {
    "balikpapan": {
        "registered": 587,
        "active": 440,
        "inactive": 147,
        "rat_last_book_year": 70,
        "active_by_type": {
            "konsumen": 354,
            "produsen": 33,
            "jasa": 19,
            "simpan_pinjam": 15,
            "pemasaran": 14,
            "simpan_pinjam_syariah": 5,
        },
        "active_by_district": {
            "Balikpapan Kota": 143,
            "Balikpapan Selatan": 82,
            "Balikpapan Utara": 76,
            "Balikpapan Tengah": 62,
            "Balikpapan Timur": 40,
            "Balikpapan Barat": 36,
            UNKNOWN_DISTRICT: 1,
        },
        "health_2024": {"sehat": 6, "cukup_sehat": 14, "dalam_pengawasan": 6, "dalam_pengawasan_khusus": 0},
        "health_2023_sehat": 0,
        "digital_reporting": 10,
    },
    "kaltara": {"registered": 713, "active": 461, "inactive": 252},
}

# ---------------------------------------------------------------------------------------------------------
# Places (Kemendagri 2025 names; kelurahan as exports spell them, loosely)

_BALIKPAPAN = {
    "Kota Balikpapan": {
        "Balikpapan Timur": (4, ("Manggar", "Lamaru", "Teritip", "Manggar Baru")),
        "Balikpapan Barat": (
            4,
            ("Baru Ilir", "Baru Tengah", "Baru Ulu", "Kariangau", "Margo Mulyo", "Margasari"),
        ),
        "Balikpapan Utara": (
            7,
            (
                "Batu Ampar",
                "Gunung Samarinda",
                "Karang Joang",
                "Muara Rapak",
                "Gunung Samarinda Baru",
                "Graha Indah",
            ),
        ),
        "Balikpapan Tengah": (
            6,
            (
                "Gunung Sari Ulu",
                "Gunung Sari Ilir",
                "Karang Rejo",
                "Karang Jati",
                "Mekar Sari",
                "Sumber Rejo",
            ),
        ),
        "Balikpapan Selatan": (
            8,
            (
                "Sepinggan",
                "Gunung Bahagia",
                "Sepinggan Baru",
                "Sepinggan Raya",
                "Sungai Nangka",
                "Damai Baru",
                "Damai Bahagia",
            ),
        ),
        "Balikpapan Kota": (11, ("Prapatan", "Telaga Sari", "Klandasan Ulu", "Klandasan Ilir", "Damai")),
    },
}
_KALTARA = {
    "Kabupaten Bulungan": {
        "Tanjung Palas": (2, ("Tanjung Palas Hulu", "Tanjung Palas Tengah")),
        "Tanjung Palas Barat": (1, ("Long Beluah", "Long Sam")),
        "Tanjung Palas Utara": (1, ("Karang Agung", "Pimping")),
        "Tanjung Palas Timur": (1, ("Tanah Kuning", "Mangkupadi")),
        "Tanjung Selor": (8, ("Tanjung Selor Hulu", "Tanjung Selor Hilir")),
        "Tanjung Palas Tengah": (1, ("Salimbatu", "Silva Rahayu")),
        "Peso": (0.5, ("Lepak Aru", "Long Lasan")),
        "Peso Hilir": (0.5, ("Long Tungu", "Long Bang")),
        "Sekatak": (1, ("Sekatak Buji", "Paru Abang")),
        "Bunyu": (1.5, ("Bunyu Barat", "Bunyu Selatan")),
    },
    "Kabupaten Malinau": {
        "Mentarang": (1, ("Long Bisai", "Pulau Sapi")),
        "Malinau Kota": (5, ("Batu Lidung", "Malinau Kota")),
        "Pujungan": (0.3, ("Long Pujungan", "Long Ketaman")),
        "Kayan Hilir": (0.3, ("Data Dian", "Long Pipa")),
        "Kayan Hulu": (0.5, ("Long Nawang", "Nawang Baru")),
        "Malinau Selatan": (0.7, ("Bila Bekayuk", "Long Loreh")),
        "Malinau Utara": (2, ("Kaliamok", "Luso")),
        "Malinau Barat": (1, ("Long Bila", "Long Kenipe")),
        "Sungai Boh": (0.3, ("Dumu Mahak", "Long Lebusan")),
        "Kayan Selatan": (0.3, ("Long Ampung", "Long Uro")),
        "Bahau Hulu": (0.2, ("Long Uli", "Long Alango")),
        "Mentarang Hulu": (0.3, ("Lung Fala", "Lung Kebinu")),
        "Malinau Selatan Hilir": (0.5, ("Setulang", "Setarap")),
        "Malinau Selatan Hulu": (0.2, ("Long Lake", "Punan Mirau")),
        "Sungai Tubu": (0.2, ("Long Nyau", "Long Titi")),
    },
    "Kabupaten Nunukan": {
        "Sebatik": (1, ("Tanjungkarang", "Balansiku")),
        "Nunukan": (6, ("Nunukan Timur", "Nunukan Barat")),
        "Sembakung": (0.5, ("Tagul", "Lubakan")),
        "Lumbis": (0.5, ("Deralon", "Liang")),
        "Krayan": (1, ("Pa' Padi", "Cinglat")),
        "Sebuku": (0.7, ("Pembeliangan", "Apas")),
        "Krayan Selatan": (0.5, ("Long Pasia", "Liang Lunuk")),
        "Sebatik Barat": (1, ("Liang Bunyu", "Binalawan")),
        "Nunukan Selatan": (4, ("Selisun", "Nunukan Selatan")),
        "Sebatik Timur": (1.5, ("Sungai Nyamuk", "Tanjung Harapan")),
        "Sebatik Utara": (0.7, ("Sungai Pancang", "Lapri")),
        "Sebatik Tengah": (0.7, ("Sungai Limau", "Maspul")),
        "Sei Menggaris": (0.7, ("Srinanti", "Tabur Lestari")),
        "Tulin Onsoi": (0.5, ("Sanur", "Makmur")),
        "Lumbis Ogong": (0.3, ("Payang", "Suyadon")),
        "Sembakung Atulai": (0.3, ("Lubok Buat", "Katul")),
        "Krayan Tengah": (0.3, ("Tang Paye", "Long Rungan")),
        "Krayan Timur": (0.3, ("Pa' Betung", "Long Sepayang")),
        "Krayan Barat": (0.3, ("Pa' Mulak", "Long Puak")),
        "Lumbis Pansiangan": (0.2, ("Sumentobol", "Nantukidan")),
        "Lumbis Hulu": (0.2, ("Tau Lumbis", "Lipaga")),
    },
    "Kabupaten Tana Tidung": {
        "Sesayap": (3, ("Tideng Pale", "Limbu Sedulun")),
        "Sesayap Hilir": (2, ("Sesayap", "Sengkong")),
        "Tana Lia": (1, ("Tanah Merah", "Tengku Dacing")),
        "Betayau": (1, ("Buong Baru", "Bebakung")),
        "Muruk Rian": (0.5, ("Seputuk", "Rian")),
    },
    "Kota Tarakan": {
        "Tarakan Barat": (3, ("Karang Anyar", "Karang Rejo")),
        "Tarakan Tengah": (3, ("Kampung I Skip", "Pamusian")),
        "Tarakan Timur": (2, ("Lingkas Ujung", "Gunung Lingkas")),
        "Tarakan Utara": (1, ("Juata Laut", "Juata Permai")),
    },
}
_KAB_KOTA_SPELLINGS = {
    "Kota Balikpapan": ("Kota Balikpapan", "KOTA BALIKPAPAN", "Balikpapan", "BALIKPAPAN"),
    "Kabupaten Bulungan": ("Kab. Bulungan", "KABUPATEN BULUNGAN", "Bulungan"),
    "Kabupaten Malinau": ("Kab. Malinau", "KABUPATEN MALINAU", "Malinau"),
    "Kabupaten Nunukan": ("Kab. Nunukan", "KABUPATEN NUNUKAN", "Nunukan"),
    "Kabupaten Tana Tidung": ("Kab. Tana Tidung", "KABUPATEN TANA TIDUNG", "Tana Tidung"),
    "Kota Tarakan": ("Kota Tarakan", "KOTA TARAKAN", "Tarakan"),
}
_STREETS = {
    "balikpapan": (
        "Jl. Jend. Sudirman",
        "Jl. MT Haryono",
        "Jl. Soekarno-Hatta Km. {km}",
        "Jl. Mulawarman",
        "Jl. Marsma R. Iswahyudi",
        "Jl. Jend. Ahmad Yani",
        "Jl. Ruhui Rahayu",
        "Jl. Syarifuddin Yoes",
        "Jl. Pupuk Raya",
        "Jl. Letjen S. Parman",
        "Jl. Gunung Malang",
        "Jl. Indrakila",
        "Jl. Mayjend Sutoyo",
        "Jl. Manunggal",
        "Jl. Telaga Sari",
        "Jl. Prapatan Dalam",
        "Jl. Letjen Suprapto",
        "Jl. Sultan Hasanuddin",
        "Jl. DI Panjaitan",
        "Jl. Pangeran Antasari",
        "Jl. Projakal",
        "Jl. Mekar Sari",
        "Jl. Karang Jati",
        "Perum Balikpapan Baru Blok {blok}",
        "Jl. Batu Ampar",
        "Jl. Sepinggan Pratama",
        "Jl. Kariangau Km. {km}",
    ),
    "kaltara": (
        "Jl. Jend. Sudirman",
        "Jl. Yos Sudarso",
        "Jl. Mulawarman",
        "Jl. Kusuma Bangsa",
        "Jl. Gajah Mada",
        "Jl. Sengkawit",
        "Jl. Skip Lama",
        "Jl. Pulau Bunyu",
        "Jl. Sabanar Lama",
        "Jl. Katamso",
        "Jl. Raja Pandita",
        "Jl. Bhayangkara",
        "Jl. Pembangunan",
        "Jl. Trans Kalimantan Km. {km}",
        "Jl. Padat Karya",
        "Jl. Pasar Baru",
        "Jl. Tien Soeharto",
        "Jl. Diponegoro",
        "Jl. Pelabuhan",
        "Jl. Poros Desa",
    ),
}

# ---------------------------------------------------------------------------------------------------------
# Code lists as exports spell them

_JENIS_SPELLINGS = {
    "konsumen": ("Konsumen", "KONSUMEN", "Koperasi Konsumen"),
    "produsen": ("Produsen", "PRODUSEN"),
    "jasa": ("Jasa", "JASA"),
    "simpan_pinjam": ("Simpan Pinjam", "SIMPAN PINJAM", "Simpan-Pinjam"),
    "pemasaran": ("Pemasaran", "PEMASARAN"),
    "simpan_pinjam_syariah": ("Simpan Pinjam dan Pembiayaan Syariah", "KSPPS", "Simpan Pinjam Syariah"),
}
_KELOMPOK = {
    "konsumen": (
        ("KPRI", 3),
        ("Kopkar", 4),
        ("Kopwan", 2),
        ("KSU", 3),
        ("Koppontren", 1),
        ("Kopsis", 1),
        ("Kopma", 0.5),
        ("Koperasi Konsumen", 3),
        ("Primkopad", 0.3),
        ("Primkoppol", 0.3),
    ),
    "produsen": (("KUD", 3), ("Koperasi Nelayan", 2), ("KSU", 2), ("Koperasi Produsen", 2), ("Kopwan", 0.5)),
    "jasa": (("Koperasi Jasa", 3), ("KSU", 1), ("Koperasi Angkutan", 2), ("Kopkar", 1)),
    "simpan_pinjam": (("KSP", 5), ("Kopdit", 2), ("Kopwan", 1)),
    "pemasaran": (("KSU", 2), ("KUD", 2), ("Koperasi Pemasaran", 2)),
    "simpan_pinjam_syariah": (("KSPPS", 3), ("Koppontren", 1)),
}
_NAME_PREFIX = {
    "KPRI": "KPRI",
    "Kopkar": "Kopkar",
    "Kopwan": "Kopwan",
    "KSU": "KSU",
    "Koppontren": "Koppontren",
    "Kopsis": "Kopsis",
    "Kopma": "Kopma",
    "Koperasi Konsumen": "Koperasi Konsumen",
    "Primkopad": "Primkopad",
    "Primkoppol": "Primkoppol",
    "KUD": "KUD",
    "Koperasi Nelayan": "Koperasi Nelayan",
    "Koperasi Produsen": "Koperasi Produsen",
    "Koperasi Jasa": "Koperasi Jasa",
    "Koperasi Angkutan": "Koperasi Angkutan",
    "KSP": "KSP",
    "Kopdit": "Kopdit",
    "Koperasi Pemasaran": "Koperasi Pemasaran",
    "KSPPS": "KSPPS BMT",
}
_SEKTOR = {
    "konsumen": ("Perdagangan", "Perdagangan Eceran", "Aneka Usaha"),
    "produsen": ("Pertanian", "Perikanan", "Industri Pengolahan", "Peternakan"),
    "jasa": ("Jasa Lainnya", "Angkutan", "Jasa Kebersihan", "Pariwisata"),
    "simpan_pinjam": ("Jasa Keuangan", "Simpan Pinjam"),
    "pemasaran": ("Perdagangan", "Pertanian"),
    "simpan_pinjam_syariah": ("Jasa Keuangan Syariah", "Jasa Keuangan"),
}
_NAME_WORDS = (
    "Sejahtera",
    "Mandiri",
    "Maju Bersama",
    "Bina Usaha",
    "Karya Mulia",
    "Harapan Kita",
    "Sumber Rezeki",
    "Mitra Usaha",
    "Bhakti",
    "Makmur",
    "Sinar Harapan",
    "Gotong Royong",
    "Bumi Etam",
    "Madu Benua",
    "Manuntung",
    "Teluk Permai",
    "Tunas Muda",
    "Amanah",
    "Barokah",
    "Berkah Jaya",
    "Citra Mandiri",
    "Sido Mulyo",
    "Surya Kencana",
    "Wira Karya",
    "Cahaya",
    "Kencana",
    "Lestari",
    "Pelita",
    "Rukun Santoso",
    "Serba Guna",
    "Bina Sejahtera",
    "Mekar Jaya",
    "Mulia Abadi",
    "Insan Mandiri",
    "Putra Daerah",
    "Benua Etam",
    "Sentosa",
    "Al Ikhlas",
    "Nur Hidayah",
    "Bahari",
    "Samudra",
    "Pesisir",
    "Borneo",
    "Kalimantan Jaya",
    "Dharma Putra",
)
_INSTITUTIONS = (
    "Guru SD",
    "SMP Negeri {n}",
    "SMA Negeri {n}",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "RSUD",
    "Puskesmas",
    "Kantor Kecamatan",
    "Setda",
    "Dinas Pekerjaan Umum",
    "Kementerian Agama",
    "Pengadilan Negeri",
    "BPN",
)
_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des")
_MONTH_WORDS = {
    **{word.lower(): n for n, word in enumerate(_MONTHS, start=1)},
    **{word.lower(): n for n, word in enumerate(_MONTHS_SHORT, start=1)},
    **{word.lower(): n for n, word in COOP_MONTH_ABBREVIATIONS.items()},
}
_ROMAN = ("XVI", "XVI", "XVI", "XVII")  # legacy badan hukum register codes (Kaltim region)


# ---------------------------------------------------------------------------------------------------------
# The population


@dataclass
class _Coop:
    nik: str
    name: str
    bh_no: str
    bh_date: dt.date
    address: str
    kab_kota: str
    kecamatan: str | None  # Kemendagri name; None = no valid kecamatan in the export
    kec_raw: str | None  # what the export says when kecamatan is None
    kelurahan: str | None
    bentuk: str
    jenis: str
    kelompok: str
    sektor: str
    status: str | None  # "aktif" | "tidak_aktif" | None (blank in the export)
    rat_year: int | None  # book year of the last RAT
    rat_date: dt.date | None
    rat_shown: str  # "both" | "year" (Tahun Buku only) | "date" (Tanggal RAT only)
    members_l: int
    members_p: int
    manajer: int
    karyawan: int
    money: dict[str, int | None]  # modal_sendiri, modal_luar, volume_usaha, aset, shu
    digital_since: dt.date | None
    ketua: str
    phone: str | None
    email: str | None
    gone: bool = False  # present in earlier updates only


@dataclass(frozen=True)
class _Group:
    n: int
    status: str | None
    rat: tuple[int, int] | None  # book-year range relative to the last closed book year (0 = that year)
    date_only: int = 0  # how many show only Tanggal RAT
    active: bool = True  # what the rules make of it


@dataclass(frozen=True)
class _Region:
    profile: str
    places: dict[str, dict[str, tuple[float, tuple[str, ...]]]]
    kab_weights: dict[str, float]
    nik_prefix: dict[str, str]
    updates: tuple[dt.date, ...]  # oldest first; the last one is the latest
    new_per_update: tuple[int, ...]  # cooperatives founded between update i-1 and i (i >= 1)
    groups: tuple[_Group, ...]
    active_jenis: dict[str, int]  # exact split of the active cooperatives
    active_district: dict[str, int] | None  # exact split (None: drawn), key UNKNOWN_DISTRICT allowed
    unknown_active: int  # active cooperatives with no valid kecamatan (when active_district is None)
    unknown_inactive_raw: tuple[str | None, ...]  # what inactive ones with no valid kecamatan say
    became_inactive: int
    gone: int
    digital: tuple[int, ...]  # start years of the digital reporters


_BALIKPAPAN_REGION = _Region(
    profile="balikpapan",
    places=_BALIKPAPAN,
    kab_weights={"Kota Balikpapan": 1.0},
    nik_prefix={"Kota Balikpapan": "6471"},
    updates=(dt.date(2023, 12, 31), dt.date(2024, 1, 31), dt.date(2024, 7, 15)),
    new_per_update=(2, 12),
    groups=(
        # active (last closed book year 2023; RAT rule: book year >= 2021)
        _Group(60, "aktif", (0, 0), date_only=8),
        _Group(10, None, (0, 0), date_only=3),
        _Group(6, None, (-1, -1), date_only=1),
        _Group(5, None, (-2, -2), date_only=2),  # the boundary year 2021: still active
        _Group(140, "aktif", (-1, -1), date_only=10),
        _Group(90, "aktif", (-2, -2), date_only=5),
        _Group(70, "aktif", (-8, -3), date_only=4),  # the register says active despite an old RAT
        _Group(59, "aktif", None),  # includes the new cooperatives (no RAT yet)
        # inactive
        _Group(3, "tidak_aktif", (-1, -1), active=False),  # the register says inactive despite a recent RAT
        _Group(70, "tidak_aktif", (-7, -3), date_only=4, active=False),
        _Group(52, "tidak_aktif", None, active=False),
        _Group(4, None, (-3, -3), date_only=2, active=False),  # the boundary year 2020: inactive
        _Group(10, None, (-11, -4), date_only=2, active=False),
        _Group(8, None, None, active=False),  # rule no_rat_recorded
    ),
    active_jenis=CALIBRATION["balikpapan"]["active_by_type"],  # type: ignore[arg-type]
    active_district=CALIBRATION["balikpapan"]["active_by_district"],  # type: ignore[arg-type]
    unknown_active=1,
    unknown_inactive_raw=(None, None, None, "Balikpapan Baru", "Balikpapan Baru", "Klandasan Ulu"),
    became_inactive=8,
    gone=1,
    digital=(2023,) * 7 + (2024,) * 3,
)

_KALTARA_REGION = _Region(
    profile="kaltara",
    places=_KALTARA,
    kab_weights={
        "Kota Tarakan": 32,
        "Kabupaten Bulungan": 25,
        "Kabupaten Nunukan": 24,
        "Kabupaten Malinau": 12,
        "Kabupaten Tana Tidung": 7,
    },
    nik_prefix={
        "Kabupaten Bulungan": "6501",
        "Kabupaten Malinau": "6502",
        "Kabupaten Nunukan": "6503",
        "Kabupaten Tana Tidung": "6504",
        "Kota Tarakan": "6571",
    },
    updates=(dt.date(2019, 12, 31), dt.date(2020, 6, 30)),
    new_per_update=(20,),
    groups=(
        # active (last closed book year 2019; RAT rule: book year >= 2017)
        _Group(90, "aktif", (0, 0), date_only=10),
        _Group(12, None, (0, 0), date_only=3),
        _Group(8, None, (-1, -1), date_only=2),
        _Group(6, None, (-2, -2), date_only=2),
        _Group(120, "aktif", (-1, -1), date_only=8),
        _Group(80, "aktif", (-2, -2), date_only=5),
        _Group(70, "aktif", (-9, -3), date_only=3),
        _Group(75, "aktif", None),
        # inactive
        _Group(4, "tidak_aktif", (-1, -1), active=False),
        _Group(120, "tidak_aktif", (-11, -3), date_only=5, active=False),
        _Group(95, "tidak_aktif", None, active=False),
        _Group(5, None, (-3, -3), date_only=2, active=False),
        _Group(12, None, (-10, -4), date_only=2, active=False),
        _Group(16, None, None, active=False),
    ),
    active_jenis={
        "konsumen": 250,
        "produsen": 70,
        "jasa": 40,
        "simpan_pinjam": 55,
        "pemasaran": 35,
        "simpan_pinjam_syariah": 11,
    },
    active_district=None,
    unknown_active=3,
    unknown_inactive_raw=(None, None, "Tanjung Selor Hilir", "Sei Nunukan"),
    became_inactive=15,
    gone=2,
    digital=(),
)
_REGIONS = {"balikpapan": _BALIKPAPAN_REGION, "kaltara": _KALTARA_REGION}
_INACTIVE_JENIS_WEIGHTS = {
    "konsumen": 58,
    "produsen": 12,
    "jasa": 8,
    "simpan_pinjam": 10,
    "pemasaran": 10,
    "simpan_pinjam_syariah": 2,
}


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _rat_date(rng: random.Random, book_year: int, latest: dt.date) -> dt.date:
    """RAT for book year Y is held in Y+1, normally by June; never after the latest update."""
    year = book_year + 1
    if year >= latest.year:
        return _day_between(
            rng, dt.date(year, 1, 10), min(dt.date(year, 7, 10), latest - dt.timedelta(days=5))
        )
    if rng.random() < 0.85:
        return _day_between(rng, dt.date(year, 1, 10), dt.date(year, 6, 30))
    return _day_between(rng, dt.date(year, 7, 1), dt.date(year, 11, 30))


class _Builder:
    def __init__(self, region: _Region, rng: random.Random, fake: Faker):
        self.region = region
        self.rng = rng
        self.fake = fake
        self.latest = region.updates[-1]
        self.last_closed = self.latest.year - 1
        self.niks: set[str] = set()
        self.names: set[str] = set()

    # -- identity -------------------------------------------------------------------------------------
    def nik(self, kab: str) -> str:
        while True:
            nik = self.region.nik_prefix[kab] + f"{self.rng.randint(1, 9)}{self.rng.randrange(10**11):011d}"
            if nik not in self.niks:
                self.niks.add(nik)
                return nik

    def name(self, kelompok: str, kab: str) -> str:
        rng = self.rng
        place = kab.replace("Kabupaten ", "").replace("Kota ", "")
        while True:
            if kelompok == "Kopkar":
                core = (
                    f"PT {self.fake.last_name()} {rng.choice(('Perkasa', 'Energi', 'Nusantara', 'Logistik'))}"
                )
            elif kelompok == "KPRI":
                core = rng.choice(_INSTITUTIONS).format(n=rng.randint(1, 25)) + f" {place}"
            elif kelompok == "Primkopad":
                core = f"Kodim {rng.choice(('0905', '0907', '0910', '0911'))} {rng.choice(_NAME_WORDS)}"
            elif kelompok == "Primkoppol":
                core = f"Resor {place} {rng.choice(_NAME_WORDS)}"
            else:
                core = rng.choice(_NAME_WORDS)
                if rng.random() < 0.5:
                    core += " " + rng.choice(_NAME_WORDS)
            name = f"{_NAME_PREFIX[kelompok]} {core}"
            if rng.random() < 0.05:
                name += " " + rng.choice(("II", "III", "Baru"))
            if name not in self.names:
                self.names.add(name)
                return name

    def badan_hukum(self, founded: dt.date) -> str:
        if founded.year >= 2014:
            return f"AHU-{self.rng.randrange(10**7):07d}.AH.01.26.TAHUN {founded.year}"
        return f"{self.rng.randint(1, 999)}/BH/{self.rng.choice(_ROMAN)}/{founded.year}"

    def address(self) -> str:
        rng = self.rng
        street = rng.choice(_STREETS[self.region.profile]).format(
            km=rng.randint(2, 25), blok=rng.choice("ABCDEFGHK")
        )
        text = f"{street} No. {rng.randint(1, 120)}"
        if rng.random() < 0.45:
            sep = " \u2013 " if rng.random() < 0.15 else " "  # en dash: Windows-1252 0x96 in the ';' CSV
            text += f"{sep}RT. {rng.randint(1, 60):02d}"
        return text

    def place(self, kab: str) -> tuple[str, str]:
        kecs = self.region.places[kab]
        kec = _weighted(self.rng, {k: w for k, (w, _) in kecs.items()})
        return kec, self.rng.choice(kecs[kec][1])

    def contact(self) -> tuple[str, str | None, str | None]:
        rng, fake = self.rng, self.fake
        ketua = fake.name()
        digits = f"08{rng.choice(('11', '12', '13', '21', '22', '52', '53', '55', '57', '77'))}"
        digits += f"{rng.randrange(10**8):08d}"
        style = rng.random()
        if style < 0.08:
            phone = None
        elif style < 0.4:
            phone = f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"
        elif style < 0.55:
            phone = f"+62 {digits[1:4]} {digits[4:8]} {digits[8:]}"
        elif style < 0.58:
            phone = f"0542 {rng.randint(700000, 899999)}"  # a landline
        else:
            phone = digits
        slug = re.sub(r"[^a-z]", "", ketua.lower().split(",")[0].split()[-1]) or "koperasi"
        style = rng.random()
        if style < 0.3:
            email = None
        elif style < 0.32:
            email = f"kop.{slug}@gmail"  # no domain suffix: invalid
        else:
            email = f"kop.{slug}{rng.randint(1, 99)}@{rng.choice(('gmail.com', 'yahoo.co.id', 'yahoo.com'))}"
        return ketua, phone, email

    def finances(self, jenis: str, active: bool, has_rat: bool) -> dict[str, int | None]:
        rng = self.rng
        if not has_rat and (not active or rng.random() < 0.5):
            return dict.fromkeys(("modal_sendiri", "modal_luar", "volume_usaha", "aset", "shu"))
        scale = 3.0 if jenis in ("simpan_pinjam", "simpan_pinjam_syariah") else 1.0
        aset = round(rng.lognormvariate(19.8, 1.3) * scale / 1000) * 1000
        own = round(aset * rng.uniform(0.2, 0.8) / 1000) * 1000
        volume = round(aset * rng.uniform(0.3, 2.5) / 1000) * 1000
        shu = round(volume * rng.uniform(-0.03, 0.12) / 1000) * 1000
        return {
            "modal_sendiri": own,
            "modal_luar": aset - own,
            "volume_usaha": volume,
            "aset": aset,
            "shu": shu,
        }

    # -- one cooperative --------------------------------------------------------------------------------
    def coop(
        self,
        *,
        jenis: str,
        district: str | None,
        kab: str,
        status: str | None,
        rat_year: int | None,
        rat_shown: str,
        active: bool,
        founded: dt.date | None = None,
    ) -> _Coop:
        rng = self.rng
        kelompok = _weighted(rng, dict(_KELOMPOK[jenis]))
        if founded is None:
            newest = (rat_year if rat_year is not None else self.last_closed) - 1
            oldest = 1975 if rat_year is None or rat_year > 1990 else 1965
            founded = _day_between(rng, dt.date(oldest, 1, 1), dt.date(newest, 12, 31))
        if district == UNKNOWN_DISTRICT:
            kecamatan, kelurahan, kec_raw = None, None, "-"
        elif district is None:
            kecamatan, kelurahan = self.place(kab)
            kec_raw = None
        else:
            kecamatan, kelurahan, kec_raw = district, rng.choice(self.region.places[kab][district][1]), None
        members_l = rng.randint(5, 400) if kelompok != "Kopwan" else 0
        members_p = rng.randint(20, 500) if kelompok == "Kopwan" else rng.randint(0, 300)
        ketua, phone, email = self.contact()
        return _Coop(
            nik=self.nik(kab),
            name=self.name(kelompok, kab),
            bh_no=self.badan_hukum(founded),
            bh_date=founded,
            address=self.address(),
            kab_kota=kab,
            kecamatan=kecamatan,
            kec_raw=kec_raw,
            kelurahan=kelurahan,
            bentuk="Sekunder" if rng.random() < 0.01 else "Primer",
            jenis=jenis,
            kelompok=kelompok,
            sektor=rng.choice(_SEKTOR[jenis]),
            status=status,
            rat_year=rat_year,
            rat_date=_rat_date(rng, rat_year, self.latest) if rat_year is not None else None,
            rat_shown=rat_shown,
            members_l=members_l,
            members_p=members_p,
            manajer=rng.choice((0, 0, 1, 1, 1, 2)) if active else 0,
            karyawan=rng.randint(0, 15) if active else rng.randint(0, 2),
            money=self.finances(jenis, active, rat_year is not None),
            digital_since=None,
            ketua=ketua,
            phone=phone,
            email=email,
        )


@dataclass
class _Plan:
    coops: list[_Coop]  # everyone: the latest register plus the ones that left it
    earlier: dict[str, dict[str, object]]  # nik -> field values that held before the latest update
    duplicate: str  # nik of the row pasted twice into the latest export
    health: dict[int, list[tuple[_Coop, tuple[float, ...], str | None]]]  # year -> (coop, scores, predikat)


def _plan(region: _Region, rng: random.Random, fake: Faker) -> _Plan:
    b = _Builder(region, rng, fake)
    latest, last_closed = b.latest, b.last_closed
    slots: list[tuple[_Group, int | None, str]] = []
    for group in region.groups:
        shown = ["date"] * group.date_only + [
            "year" if rng.random() < 0.2 else "both" for _ in range(group.n - group.date_only)
        ]
        for show in shown:
            rat_year = None if group.rat is None else last_closed + rng.randint(*group.rat)
            slots.append((group, rat_year, show if rat_year is not None else "none"))
    active_slots = [s for s in slots if s[0].active]
    inactive_slots = [s for s in slots if not s[0].active]

    jenis_active = [j for j, n in region.active_jenis.items() for _ in range(n)]
    if len(jenis_active) != len(active_slots):
        raise ValueError(f"{region.profile}: jenis split {len(jenis_active)} != {len(active_slots)} active")
    rng.shuffle(jenis_active)
    kabs = [_weighted(rng, region.kab_weights) for _ in slots]
    if region.active_district is not None:
        districts: list[str | None] = [d for d, n in region.active_district.items() for _ in range(n)]
        rng.shuffle(districts)
    else:
        districts = [UNKNOWN_DISTRICT] * region.unknown_active + [None] * (
            len(active_slots) - region.unknown_active
        )
        rng.shuffle(districts)

    coops: list[_Coop] = []
    new_candidates: list[_Coop] = []
    for (group, rat_year, shown), jenis, district, kab in zip(
        active_slots, jenis_active, districts, kabs, strict=False
    ):
        coop = b.coop(
            jenis=jenis,
            district=district,
            kab=kab,
            status=group.status,
            rat_year=rat_year,
            rat_shown=shown,
            active=True,
        )
        coops.append(coop)
        if group.status == "aktif" and rat_year is None:
            new_candidates.append(coop)
    unknown_raw = list(region.unknown_inactive_raw)
    for index, (group, rat_year, shown) in enumerate(inactive_slots):
        kab = kabs[len(active_slots) + index]
        coop = b.coop(
            jenis=_weighted(rng, _INACTIVE_JENIS_WEIGHTS),
            district=UNKNOWN_DISTRICT if index < len(unknown_raw) else None,
            kab=kab,
            status=group.status,
            rat_year=rat_year,
            rat_shown=shown,
            active=False,
        )
        if index < len(unknown_raw):
            coop.kec_raw = unknown_raw[index]
        coops.append(coop)

    # New cooperatives: founded between two updates, active by register, no RAT yet.
    new_picks = rng.sample(new_candidates, sum(region.new_per_update))
    cursor = 0
    for i, count in enumerate(region.new_per_update, start=1):
        for coop in new_picks[cursor : cursor + count]:
            founded = _day_between(
                rng, region.updates[i - 1] + dt.timedelta(days=3), region.updates[i] - dt.timedelta(days=7)
            )
            coop.bh_date, coop.bh_no = founded, b.badan_hukum(founded)
            coop.money = dict.fromkeys(coop.money)
        cursor += count
    new_niks = {c.nik for c in new_picks}

    earlier: dict[str, dict[str, object]] = {}
    taken = set(new_niks)

    def pick(pool: Sequence[_Coop], n: int) -> list[_Coop]:
        chosen = rng.sample([c for c in pool if c.nik not in taken], n)
        taken.update(c.nik for c in chosen)
        return chosen

    old = [c for c in coops if c.bh_date < region.updates[0]]
    # Became inactive since the earlier updates.
    for coop in pick(
        [c for c in old if c.status == "tidak_aktif" and c.kecamatan is not None], region.became_inactive
    ):
        earlier[coop.nik] = {"status": "aktif"}
    # Reactivated: inactive before, then held the RAT for the last closed book year.
    reactivated = pick(
        [
            c
            for c in old
            if c.status == "aktif"
            and c.rat_year == last_closed
            and c.rat_shown == "both"
            and c.rat_date > region.updates[-2]
        ],
        1,
    )[0]
    earlier[reactivated.nik] = {
        "status": "tidak_aktif",
        "rat_year": last_closed - 4,
        "rat_shown": "both",
        "rat_date": _rat_date(rng, last_closed - 4, latest),
    }
    # Moved to another kecamatan (an active one, so it shows in the district split).
    main, other = (
        ("Balikpapan Kota", "Balikpapan Tengah")
        if region.profile == "balikpapan"
        else ("Tarakan Tengah", "Tarakan Barat")
    )
    mover = pick([c for c in old if c.status == "aktif" and c.kecamatan == main], 1)[0]
    other_kab = next(k for k, kecs in region.places.items() if other in kecs)
    earlier[mover.nik] = {
        "kecamatan": other,
        "kelurahan": rng.choice(region.places[other_kab][other][1]),
        "address": b.address(),
    }
    # Changed jenis (registered as jasa, now konsumen).
    changer = pick(
        [c for c in old if c.status == "aktif" and c.jenis == "konsumen" and c.kelompok == "KSU"], 1
    )[0]
    earlier[changer.nik] = {"jenis": "jasa", "sektor": "Jasa Lainnya"}
    # Digital reporters: active, recent RAT.
    reporters = pick(
        [c for c in old if c.status == "aktif" and c.rat_year is not None and c.rat_year >= last_closed - 1],
        len(region.digital),
    )
    for coop, year in zip(reporters, region.digital, strict=True):
        first = dt.date(year, 3, 1) if year < latest.year else region.updates[-2] + dt.timedelta(days=15)
        coop.digital_since = _day_between(
            rng, first, min(dt.date(year, 11, 30), latest - dt.timedelta(days=10))
        )
    # Present in the earlier updates only (dissolved or merged before the latest).
    for _ in range(region.gone):
        kab = _weighted(rng, region.kab_weights)
        gone = b.coop(
            jenis=_weighted(rng, _INACTIVE_JENIS_WEIGHTS),
            district=None,
            kab=kab,
            status="tidak_aktif",
            rat_year=last_closed - 6,
            rat_shown="both",
            active=False,
        )
        gone.gone = True
        coops.append(gone)
    # One row pasted twice into the latest export: an active one, so a missing dedup shows in every split.
    duplicate = pick([c for c in coops if c.status == "aktif" and c.kecamatan is not None and not c.gone], 1)[
        0
    ].nik

    health = _health_plan(rng, [c for c in coops if not c.gone]) if region.profile == "balikpapan" else {}
    return _Plan(coops, earlier, duplicate, health)


# ---------------------------------------------------------------------------------------------------------
# Health assessments (Balikpapan): (category the truth expects, predikat written, sum of the four scores)

_HEALTH_2024: tuple[tuple[str, str | None, float | None], ...] = (
    *[("sehat", "Sehat", None)] * 2,
    ("sehat", "SEHAT", None),
    ("sehat", "Sehat", 312.0),  # mean 78: the bands would say Cukup Sehat, the assessor's category wins
    ("sehat", None, 320.0),  # mean exactly 80: Sehat
    ("sehat", None, None),
    *[("cukup_sehat", "Cukup Sehat", None)] * 8,
    *[("cukup_sehat", "CUKUP SEHAT", None)] * 2,
    ("cukup_sehat", "Cukup Sehat", 324.0),  # mean 81, recorded Cukup Sehat
    ("cukup_sehat", None, 264.0),  # mean exactly 66: Cukup Sehat
    *[("cukup_sehat", None, None)] * 2,
    *[("dalam_pengawasan", "Dalam Pengawasan", None)] * 3,
    ("dalam_pengawasan", "DALAM PENGAWASAN", None),
    ("dalam_pengawasan", "Dalam  Pengawasan", None),
    ("dalam_pengawasan", None, 263.5),  # mean 65.875: Dalam Pengawasan
)
_HEALTH_2023: tuple[tuple[str, str | None, float | None], ...] = (  # legacy five-class labels
    *[("cukup_sehat", "Cukup Sehat", None)] * 5,
    ("cukup_sehat", "CUKUP SEHAT", None),
    ("cukup_sehat", None, 319.5),  # mean 79.875: just below Sehat
    ("cukup_sehat", None, 264.0),
    *[("dalam_pengawasan", "Kurang Sehat", None)] * 4,
    ("dalam_pengawasan", "KURANG SEHAT", None),
    ("dalam_pengawasan", None, 204.0),  # mean exactly 51
    *[("dalam_pengawasan_khusus", "Tidak Sehat", None)] * 2,
    ("dalam_pengawasan_khusus", "Sangat Tidak Sehat", None),
    ("dalam_pengawasan_khusus", None, 203.5),  # mean 50.875
)
_BAND_SUMS = {
    "sehat": (320, 372),
    "cukup_sehat": (264, 319.5),
    "dalam_pengawasan": (204, 263.5),
    "dalam_pengawasan_khusus": (140, 203.5),
}


def _scores(rng: random.Random, total: float) -> tuple[float, ...]:
    """Four aspect scores, multiples of 0.5 in 0..100, summing exactly to total (so means are exact)."""
    while True:
        first = [round((total / 4 + rng.uniform(-10, 10)) * 2) / 2 for _ in range(3)]
        last = total - sum(first)
        if all(0 <= s <= 100 for s in (*first, last)):
            return (*first, last)


def _health_plan(
    rng: random.Random, coops: list[_Coop]
) -> dict[int, list[tuple[_Coop, tuple[float, ...], str | None]]]:
    pool = sorted(
        (
            c
            for c in coops
            if c.status != "tidak_aktif"
            and c.rat_year is not None
            and c.rat_year >= 2021
            and c.kecamatan is not None
        ),
        key=lambda c: c.nik,
    )
    assessed_2024 = rng.sample(pool, len(_HEALTH_2024))
    in_2024 = {c.nik for c in assessed_2024}
    assessed_2023 = rng.sample(assessed_2024, 12) + rng.sample([c for c in pool if c.nik not in in_2024], 6)
    plan = {}
    for year, coops_of_year, spec in (
        (2023, assessed_2023, _HEALTH_2023),
        (2024, assessed_2024, _HEALTH_2024),
    ):
        entries = []
        for coop, (category, predikat, total) in zip(coops_of_year, spec, strict=True):
            if total is None:
                low, high = _BAND_SUMS[category]
                total = low + rng.randint(0, int((high - low) * 2)) / 2
            entries.append((coop, _scores(rng, total), predikat))
        plan[year] = entries
    return plan


# ---------------------------------------------------------------------------------------------------------
# Snapshots and rendering


def _snapshot(plan: _Plan, update: dt.date, latest: dt.date) -> list[_Coop]:
    """The register as it stood at an update: founded by then, RATs held by then, earlier values."""
    rows = []
    for coop in plan.coops:
        if update == latest:
            if not coop.gone:
                rows.append(coop)
            continue
        if coop.bh_date > update:
            continue
        state = dataclasses.replace(coop, money=dict(coop.money))
        while state.rat_date is not None and state.rat_date > update:
            # show the RAT before: the previous book year, held a year earlier
            state.rat_year = state.rat_year - 1 if state.rat_year else None
            state.rat_date = state.rat_date.replace(
                year=state.rat_date.year - 1, day=min(state.rat_date.day, 28)
            )
            for key in ("volume_usaha", "shu"):
                if state.money[key] is not None:
                    state.money[key] = round(state.money[key] * 0.93 / 1000) * 1000
        if state.digital_since is not None and state.digital_since > update:
            state.digital_since = None
        for key, value in plan.earlier.get(coop.nik, {}).items():
            setattr(state, key, value)
        rows.append(state)
    return rows


@dataclass(frozen=True)
class _Style:
    nik: str  # "number" (xlsx numeric cells) | "text"
    dates: str  # "xlsx" | "csv_id" | "csv_db"
    money: str  # "number" | "rupiah" | "plain"
    upper: bool  # upper-case names and code values (ODS style)
    kab_spellings: tuple[int, ...]  # indexes into _KAB_KOTA_SPELLINGS[kab]
    status_words: tuple[str, str]  # how aktif / tidak_aktif are written


def _date_text(rng: random.Random, day: dt.date, style: str, allow_short_year: bool) -> Cell:
    roll = rng.random()
    long_form = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if style == "xlsx":
        if roll < 0.8:
            return day
        return day.strftime("%d/%m/%Y") if roll < 0.92 else long_form
    if style == "csv_db":
        return day.isoformat() if roll < 0.7 else day.strftime("%d/%m/%Y")
    if roll < 0.82:
        return day.strftime("%d/%m/%Y")
    if roll < 0.92:
        return long_form.upper() if rng.random() < 0.2 else long_form
    if roll < 0.96 or not allow_short_year:
        return f"{day.day} {_MONTHS_SHORT[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%y")


def _rupiah(amount: int) -> str:
    text = f"{abs(amount):,}".replace(",", ".")
    return f"(Rp {text})" if amount < 0 else f"Rp {text}"


def _money_cell(rng: random.Random, amount: int | None, style: str) -> Cell:
    if amount is None:
        return "-" if style == "rupiah" and rng.random() < 0.5 else None
    if style == "number":
        return amount
    if style == "plain":
        return str(amount)
    roll = rng.random()
    if roll < 0.75 or amount < 0:
        return _rupiah(amount)
    if roll < 0.9:
        return _rupiah(amount)[3:]
    return f"Rp{_rupiah(amount)[3:]},00"


def _kecamatan_spelling(rng: random.Random, name: str) -> str:
    roll = rng.random()
    if roll < 0.35:
        return name
    if roll < 0.6:
        return name.upper()
    if roll < 0.75:
        return f"Kec. {name}"
    if roll < 0.82:
        return f"KEC. {name.upper()}"
    if roll < 0.88:
        return f"Kecamatan {name}"
    if roll < 0.95:
        return name.replace(" ", "  ", 1)
    return name.lower()


def _render(rng: random.Random, coop: _Coop, style: _Style, update: dt.date) -> dict[str, Cell]:
    up = (lambda s: s.upper()) if style.upper else (lambda s: s)
    if style.nik == "number" and rng.random() > 0.01:
        nik: Cell = int(coop.nik)
    elif rng.random() < 0.03 or style.nik == "number":
        nik = " ".join(coop.nik[i : i + 4] for i in range(0, 16, 4))
    else:
        nik = coop.nik
    kecamatan = _kecamatan_spelling(rng, coop.kecamatan) if coop.kecamatan is not None else coop.kec_raw
    jenis = (
        rng.choice(_JENIS_SPELLINGS[coop.jenis]) if rng.random() < 0.25 else _JENIS_SPELLINGS[coop.jenis][0]
    )
    kelurahan = coop.kelurahan
    if kelurahan and rng.random() < 0.15:
        kelurahan = kelurahan.replace(" ", "") if rng.random() < 0.5 else kelurahan.upper()
    status = None if coop.status is None else style.status_words[coop.status == "tidak_aktif"]
    if status and rng.random() < 0.1:
        status = status.upper() if status[1:].islower() else status.title()
    year = style.dates == "xlsx"
    cells: dict[str, Cell] = {
        "nomor_induk_koperasi": nik,
        "nama_koperasi": up(coop.name),
        "nomor_badan_hukum": coop.bh_no,
        "tanggal_badan_hukum": _date_text(rng, coop.bh_date, style.dates, allow_short_year=True),
        "alamat": up(coop.address),
        "kelurahan": kelurahan,
        "kecamatan": kecamatan,
        "kab_kota": _KAB_KOTA_SPELLINGS[coop.kab_kota][rng.choice(style.kab_spellings)],
        "bentuk_koperasi": up(coop.bentuk),
        "jenis_koperasi": up(jenis),
        "kelompok_koperasi": coop.kelompok if coop.kelompok.isupper() else up(coop.kelompok),
        "sektor_usaha": up(coop.sektor),
        "tahun_buku_rat_terakhir": (coop.rat_year if year else str(coop.rat_year))
        if coop.rat_shown in ("both", "year")
        else None,
        "tanggal_rat": _date_text(rng, coop.rat_date, style.dates, allow_short_year=False)
        if coop.rat_shown in ("both", "date")
        else None,
        "anggota_laki_laki": coop.members_l if year else str(coop.members_l),
        "anggota_perempuan": coop.members_p if year else str(coop.members_p),
        "jumlah_manajer": coop.manajer if year else str(coop.manajer),
        "jumlah_karyawan": coop.karyawan if year else str(coop.karyawan),
        "status_koperasi": status,
        "pelaporan_digital": up("Ya")
        if coop.digital_since
        else (None if rng.random() < 0.4 else up("Tidak")),
        "tahun_mulai_pelaporan_digital": (coop.digital_since.year if year else str(coop.digital_since.year))
        if coop.digital_since
        else None,
        "nama_ketua": coop.ketua,
        "no_hp": coop.phone,
        "email": coop.email,
        "tanggal_pemutakhiran": update.strftime("%d/%m/%Y"),
    }
    for key, amount in coop.money.items():
        cells[key] = _money_cell(rng, amount, style.money)
    return cells


@dataclass(frozen=True)
class _RegistryFile:
    name: str
    update: dt.date
    header: tuple[tuple[str, str], ...]  # (header cell, canonical column)
    style: _Style
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


def _h(*pairs: str) -> tuple[tuple[str, str], ...]:
    """'Header=canonical' pairs."""
    return tuple(tuple(p.split("=", 1)) for p in pairs)  # type: ignore[misc]


_HEADER_LATEST_BPP = _h(
    "No=no",
    "Nomor Induk Koperasi=nomor_induk_koperasi",
    "Nama Koperasi=nama_koperasi",
    "No. Badan Hukum=nomor_badan_hukum",
    "Tgl Badan Hukum=tanggal_badan_hukum",
    "Alamat=alamat",
    "Kelurahan=kelurahan",
    "Kecamatan=kecamatan",
    "Kab/Kota=kab_kota",
    "Bentuk Koperasi=bentuk_koperasi",
    "Jenis Koperasi=jenis_koperasi",
    "Kelompok Koperasi=kelompok_koperasi",
    "Sektor Usaha=sektor_usaha",
    "Tahun Buku RAT Terakhir=tahun_buku_rat_terakhir",
    "Tanggal RAT=tanggal_rat",
    "Anggota Laki-laki=anggota_laki_laki",
    "Anggota Perempuan=anggota_perempuan",
    "Manajer=jumlah_manajer",
    "Karyawan=jumlah_karyawan",
    "Modal Sendiri (Rp)=modal_sendiri",
    "Modal Luar (Rp)=modal_luar",
    "Volume Usaha (Rp)=volume_usaha",
    "Aset (Rp)=aset",
    "SHU (Rp)=shu",
    "Status=status_koperasi",
    "Pelaporan Digital=pelaporan_digital",
    "Tahun Mulai Pelaporan Digital=tahun_mulai_pelaporan_digital",
    "Nama Ketua=nama_ketua",
    "No HP=no_hp",
    "Email=email",
)
_HEADER_JAN_BPP = _h(
    "NO=no",
    "NIK KOPERASI=nomor_induk_koperasi",
    "NAMA KOPERASI=nama_koperasi",
    "NOMOR BADAN HUKUM=nomor_badan_hukum",
    "TANGGAL BADAN HUKUM=tanggal_badan_hukum",
    "ALAMAT=alamat",
    "KELURAHAN=kelurahan",
    "KECAMATAN=kecamatan",
    "KABUPATEN/KOTA=kab_kota",
    "BENTUK=bentuk_koperasi",
    "JENIS=jenis_koperasi",
    "KELOMPOK=kelompok_koperasi",
    "SEKTOR USAHA=sektor_usaha",
    "TAHUN RAT TERAKHIR=tahun_buku_rat_terakhir",
    "TGL RAT=tanggal_rat",
    "ANGGOTA PRIA=anggota_laki_laki",
    "ANGGOTA WANITA=anggota_perempuan",
    "JUMLAH MANAJER=jumlah_manajer",
    "JUMLAH KARYAWAN=jumlah_karyawan",
    "MODAL SENDIRI=modal_sendiri",
    "MODAL LUAR=modal_luar",
    "VOLUME USAHA=volume_usaha",
    "ASSET=aset",
    "SISA HASIL USAHA=shu",
    "STATUS KOPERASI=status_koperasi",
    "PELAPORAN DIGITAL=pelaporan_digital",
    "MULAI LAPOR DIGITAL=tahun_mulai_pelaporan_digital",
    "NAMA KETUA=nama_ketua",
    "NO. TELP/HP=no_hp",
    "E-MAIL=email",
)
_HEADER_DEC_BPP = _h(
    "No.=no",
    "Nama Koperasi=nama_koperasi",
    "Nomor Induk Koperasi (NIK)=nomor_induk_koperasi",
    "Nomor BH=nomor_badan_hukum",
    "Tanggal BH=tanggal_badan_hukum",
    "Alamat Lengkap=alamat",
    "Desa/Kelurahan=kelurahan",
    "Kecamatan=kecamatan",
    "Kabupaten / Kota=kab_kota",
    "Bentuk=bentuk_koperasi",
    "Jenis=jenis_koperasi",
    "Kelompok=kelompok_koperasi",
    "Sektor Usaha=sektor_usaha",
    "Tahun Buku RAT=tahun_buku_rat_terakhir",
    "Tanggal RAT Terakhir=tanggal_rat",
    "Jml Anggota L=anggota_laki_laki",
    "Jml Anggota P=anggota_perempuan",
    "Manajer=jumlah_manajer",
    "Karyawan=jumlah_karyawan",
    "Modal Sendiri=modal_sendiri",
    "Modal Luar=modal_luar",
    "Volume Usaha=volume_usaha",
    "Aset=aset",
    "SHU=shu",
    "Keaktifan=status_koperasi",
    "Lapor Digital=pelaporan_digital",
    "Tahun Lapor Digital=tahun_mulai_pelaporan_digital",
    "Ketua=nama_ketua",
    "HP Ketua=no_hp",
    "Email=email",
)
_HEADER_KALTARA_2019 = _h(
    "NO=no",
    "NIK=nomor_induk_koperasi",
    "NAMA KOPERASI=nama_koperasi",
    "NO BH=nomor_badan_hukum",
    "TGL BH=tanggal_badan_hukum",
    "ALAMAT=alamat",
    "DESA/KELURAHAN=kelurahan",
    "KECAMATAN=kecamatan",
    "KAB/KOTA=kab_kota",
    "BENTUK=bentuk_koperasi",
    "JENIS KOPERASI=jenis_koperasi",
    "KELOMPOK KOPERASI=kelompok_koperasi",
    "SEKTOR USAHA=sektor_usaha",
    "RAT TERAKHIR (TAHUN BUKU)=tahun_buku_rat_terakhir",
    "TANGGAL RAT=tanggal_rat",
    "ANGGOTA L=anggota_laki_laki",
    "ANGGOTA P=anggota_perempuan",
    "MANAJER=jumlah_manajer",
    "KARYAWAN=jumlah_karyawan",
    "MODAL SENDIRI=modal_sendiri",
    "MODAL LUAR=modal_luar",
    "VOLUME USAHA=volume_usaha",
    "ASET=aset",
    "SHU=shu",
    "STATUS=status_koperasi",
    "NAMA KETUA=nama_ketua",
    "NO HP=no_hp",
    "EMAIL=email",
)
_HEADER_KALTARA_2020 = _h(
    "no=no",
    "Tgl Pemutakhiran=tanggal_pemutakhiran",
    "nomor_induk_koperasi=nomor_induk_koperasi",
    "nama_koperasi=nama_koperasi",
    "no_badan_hukum=nomor_badan_hukum",
    "tgl_badan_hukum=tanggal_badan_hukum",
    "alamat=alamat",
    "kelurahan=kelurahan",
    "kecamatan=kecamatan",
    "kabupaten_kota=kab_kota",
    "bentuk_koperasi=bentuk_koperasi",
    "jenis_koperasi=jenis_koperasi",
    "kelompok_koperasi=kelompok_koperasi",
    "sektor_usaha=sektor_usaha",
    "tahun_buku_rat=tahun_buku_rat_terakhir",
    "tanggal_rat=tanggal_rat",
    "jumlah_anggota_pria=anggota_laki_laki",
    "jumlah_anggota_wanita=anggota_perempuan",
    "jumlah_manajer=jumlah_manajer",
    "jumlah_karyawan=jumlah_karyawan",
    "modal_sendiri=modal_sendiri",
    "modal_luar=modal_luar",
    "volume_usaha=volume_usaha",
    "aset=aset",
    "shu=shu",
    "status_koperasi=status_koperasi",
    "nama_ketua=nama_ketua",
    "no_hp=no_hp",
    "email=email",
)
_HEADER_HEALTH_2023 = _h(
    "No=no",
    "NIK Koperasi=nomor_induk_koperasi",
    "Nama Koperasi=nama_koperasi",
    "Tahun Penilaian=tahun_penilaian",
    "Tata Kelola=skor_tata_kelola",
    "Profil Risiko=skor_profil_risiko",
    "Kinerja Keuangan=skor_kinerja_keuangan",
    "Permodalan=skor_permodalan",
    "Predikat Kesehatan=predikat",
)
_HEADER_HEALTH_2024 = _h(
    "No=no",
    "Nomor Induk Koperasi=nomor_induk_koperasi",
    "Nama Koperasi=nama_koperasi",
    "Tahun Penilaian=tahun_penilaian",
    "Skor Tata Kelola=skor_tata_kelola",
    "Skor Profil Risiko=skor_profil_risiko",
    "Skor Kinerja Keuangan=skor_kinerja_keuangan",
    "Skor Permodalan=skor_permodalan",
    "Predikat=predikat",
)

_FILES: dict[str, tuple[_RegistryFile, ...]] = {
    "balikpapan": (
        _RegistryFile(
            "rekap_koperasi_2023_12.xlsx",
            dt.date(2023, 12, 31),
            _HEADER_DEC_BPP,
            _Style("text", "xlsx", "number", False, (2, 0), ("Aktif", "Tidak Aktif")),
            "founded",
            sheet="Rekap",  # named so, but it holds the register: the loader recognises the header
            invalid=("647103010000215",),
            column_numbers=True,
        ),
        _RegistryFile(
            "Data Koperasi Balikpapan Januari 2024.csv",
            dt.date(2024, 1, 31),
            _HEADER_JAN_BPP,
            _Style("text", "csv_id", "rupiah", True, (1,), ("AKTIF", "TIDAK AKTIF")),
            "nik",
            title_rows=("Data per 31 Januari 2024", "Sumber: ODS Kemenkop - Dinas Koperasi Kota Balikpapan"),
            csv={"delimiter": ";", "encoding": "cp1252"},
            invalid=("6,47102E+15",),
            spellings=True,
            total_label=COOP_GRAND_TOTAL,
            notes=COOP_NOTES[1:],
        ),
        _RegistryFile(
            "data_koperasi_balikpapan_2024-07-15.xlsx",
            dt.date(2024, 7, 15),
            _HEADER_LATEST_BPP,
            _Style("number", "xlsx", "number", False, (0, 0, 0, 3), ("Aktif", "Tidak Aktif")),
            "name",
            title_rows=(
                "DATA KOPERASI KOTA BALIKPAPAN KEADAAN 15 JULI 2024",
                "DINAS KOPERASI, USAHA MIKRO, KECIL, MENENGAH DAN PERINDUSTRIAN KOTA BALIKPAPAN",
            ),
            sheet="Data Koperasi",
            invalid=(None, "64710201000O0417"),
            duplicate=True,
            spellings=True,
            column_numbers=True,
            page_rows=300,
            total_label=COOP_GRAND_TOTAL,
            notes=COOP_NOTES,
            recap_sheet=True,
        ),
    ),
    "kaltara": (
        _RegistryFile(
            "data_koperasi_kaltara_2019_12.xlsx",
            dt.date(2019, 12, 31),
            _HEADER_KALTARA_2019,
            _Style("number", "xlsx", "number", True, (0, 1, 2), ("AKTIF", "TIDAK AKTIF")),
            "nik",
            title_rows=("REKAPITULASI DATA KOPERASI PROVINSI KALIMANTAN UTARA", "KEADAAN 31 DESEMBER 2019"),
            sheet="REKAP KOPERASI",  # holds the register (recognised by its header)
            invalid=("-",),
            column_numbers=True,
            total_label="JUMLAH",
        ),
        _RegistryFile(
            "koperasi_kaltara_2020-06-30.csv",
            dt.date(2020, 6, 30),
            _HEADER_KALTARA_2020,
            _Style("text", "csv_db", "plain", False, (0, 2), ("Aktif", "Non Aktif")),
            "name",
            csv={"delimiter": ",", "encoding": "utf-8"},
            invalid=("BELUM ADA", "65710200000012345"),
            spellings=True,
            notes=COOP_NOTES[:1],
        ),
    ),
}


def _sort_key(kind: str) -> object:
    if kind == "name":
        return lambda c: c.name.lower()
    if kind == "nik":
        return lambda c: c.nik
    return lambda c: (c.bh_date, c.nik)


def _registry_rows(
    rng: random.Random, builder_fake: Faker, spec: _RegistryFile, coops: list[_Coop], duplicate: str
) -> list[dict[str, Cell]]:
    """The export's records (valid and invalid, in file order); non-data rows are added by _layout."""
    rows = [_render(rng, c, spec.style, spec.update) for c in sorted(coops, key=_sort_key(spec.sort))]
    if spec.spellings:  # before the duplicate is pasted, so that it stays an exact copy
        _apply_spellings(rows, random.Random(f"spellings:{spec.name}"), spec.update.year - 1)
    # Invalid rows are extra cooperatives (not in the truth), placed among the others.
    for bad in spec.invalid:
        extra = dict(rng.choice(rows))
        extra["nomor_induk_koperasi"] = bad
        extra["nama_koperasi"] = f"Koperasi {rng.choice(_NAME_WORDS)} {rng.choice(_NAME_WORDS)}"
        if spec.style.upper:
            extra["nama_koperasi"] = str(extra["nama_koperasi"]).upper()
        extra["nama_ketua"] = builder_fake.name()
        rows.insert(rng.randint(1, len(rows) - 1), extra)
    if spec.duplicate:
        original = next(r for r in rows if _clean_nik(r["nomor_induk_koperasi"]) == duplicate)
        rows.append(dict(original))
    for number, row in enumerate(rows, start=1):
        row["no"] = number
    return rows


# ---------------------------------------------------------------------------------------------------------
# Values as offices type them (issue 16): each rewrite keeps the class the rules give the cell


def _cycle(options: Sequence[str], n: int) -> str:
    return options[n % len(options)]


def _class_of(table: dict[str, str], value: Cell) -> str | None:
    return table.get(normalise_value(_text(value)))


def _apply_spellings(rows: list[dict[str, Cell]], rng: random.Random, last_closed: int) -> None:
    """Rewrite up to COOP_SPELLING_COUNTS cells of each kind (of each class, for coded values), on rows picked
    at random among those that fit; every rewrite keeps the class the rules give the cell."""

    def pick(kind: str, fits: Callable[[dict[str, Cell]], bool]) -> list[dict[str, Cell]]:
        candidates = [row for row in rows if fits(row)]
        return rng.sample(candidates, min(COOP_SPELLING_COUNTS[kind], len(candidates)))

    def respell(kind: str, column: str, class_of: Callable[[Cell], str | None], table: dict) -> None:
        for wanted, spellings in table.items():
            for n, row in enumerate(pick(kind, lambda r, w=wanted: class_of(r.get(column)) == w)):
                row[column] = _cycle(spellings, n)

    kab_kota = {normalise_kab_kota(name): name for name in COOP_KAB_KOTA_SPELLINGS}
    respell("status", "status_koperasi", lambda v: _class_of(STATUS_KOPERASI, v), _STATUS_INACTIVE_SPELLINGS)
    respell("jenis", "jenis_koperasi", lambda v: _class_of(JENIS_KOPERASI, v), COOP_JENIS_SPELLINGS)
    respell("bentuk", "bentuk_koperasi", lambda v: _class_of(BENTUK_KOPERASI, v), COOP_BENTUK_SPELLINGS)
    respell(
        "kab_kota", "kab_kota", lambda v: kab_kota.get(normalise_kab_kota(_text(v))), COOP_KAB_KOTA_SPELLINGS
    )
    # "aktif (RAT 2023)": only where the last RAT was for that book year
    noted = pick(
        "status_note",
        lambda r: (
            _class_of(STATUS_KOPERASI, r.get("status_koperasi")) == "aktif"
            and rat_book_year(r) == last_closed
        ),
    )
    for n, row in enumerate(noted):
        row["status_koperasi"] = _cycle(COOP_STATUS_SPELLINGS["aktif"], n).format(rat_year=last_closed)
    for n, row in enumerate(pick("book_year", lambda r: _year(r.get("tahun_buku_rat_terakhir")) is not None)):
        year = _year(row["tahun_buku_rat_terakhir"])
        row["tahun_buku_rat_terakhir"] = _cycle(COOP_BOOK_YEAR_FORMS, n).format(year=year)
    abbreviated = pick(
        "rat_date", lambda r: (_date(r.get("tanggal_rat")) or dt.date.min).month in COOP_MONTH_ABBREVIATIONS
    )
    for row in abbreviated:
        held = _date(row["tanggal_rat"])
        row["tanggal_rat"] = f"{held.day} {COOP_MONTH_ABBREVIATIONS[held.month]} {held.year}"
    for n, row in enumerate(pick("money", lambda r: isinstance(r.get("aset"), int) and r["aset"] >= 10**6)):
        key = "aset" if n % 2 == 0 or not isinstance(row.get("volume_usaha"), int) else "volume_usaha"
        row[key] = money_words(row[key]) or row[key]
    for row in pick("count", lambda r: (_count(r.get("anggota_laki_laki")) or 0) > 0):
        row["anggota_laki_laki"] = COOP_COUNT_FORM.format(n=_count(row["anggota_laki_laki"]))


_STATUS_INACTIVE_SPELLINGS = {"tidak_aktif": COOP_STATUS_SPELLINGS["tidak_aktif"]}


def _count(value: Cell) -> int | None:
    """12, '12', '12 orang'."""
    if isinstance(value, int | float):
        return int(value)
    match = re.fullmatch(r"(\d+)(?: orang)?", _text(value) or "")
    return int(match[1]) if match else None


# ---------------------------------------------------------------------------------------------------------
# Non-data rows around the records (the loader skips them; the truth never sees them)

_TOTALLED = ("anggota_laki_laki", "anggota_perempuan", "jumlah_karyawan")


def _total_row(label: str, records: Sequence[dict[str, Cell]]) -> dict[str, Cell]:
    total: dict[str, Cell] = {"no": label}
    for key in _TOTALLED:
        total[key] = sum(_count(r.get(key)) or 0 for r in records)
    return total


def _layout(spec: _RegistryFile, records: list[dict[str, Cell]]) -> list[dict[str, Cell]]:
    """The lines of the data sheet below its header: records, with the non-data rows the file plants."""
    header = {canonical: name for name, canonical in spec.header}
    numbers = {canonical: f"({i})" for i, (_, canonical) in enumerate(spec.header, start=1)}
    lines: list[dict[str, Cell]] = [numbers] if spec.column_numbers else []
    size = spec.page_rows or len(records)
    pages = [records[i : i + size] for i in range(0, len(records), size)]
    for page_number, page in enumerate(pages, start=1):
        if page_number > 1:  # the header again at the top of each printed page
            lines.extend([header, numbers] if spec.column_numbers else [header])
        lines.extend(page)
        if len(pages) > 1:
            lines.append(_total_row(COOP_PAGE_TOTAL.format(page=page_number), page))
    if spec.total_label:
        lines.append(_total_row(spec.total_label, records))
    if spec.notes:
        lines.append({})  # a blank line above the notes
        lines.extend({"no": note} for note in spec.notes)
    return lines


def _health_rows(
    rng: random.Random, fake: Faker, year: int, entries: list[tuple[_Coop, tuple[float, ...], str | None]]
) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    as_text = year == 2023
    for coop, scores, predikat in sorted(entries, key=lambda e: e[0].name.lower()):
        row: dict[str, Cell] = {
            "nomor_induk_koperasi": coop.nik if as_text else int(coop.nik),
            "nama_koperasi": coop.name,
            "tahun_penilaian": str(year) if as_text else year,
            "predikat": predikat,
        }
        for key, score in zip(
            ("skor_tata_kelola", "skor_profil_risiko", "skor_kinerja_keuangan", "skor_permodalan"),
            scores,
            strict=True,
        ):
            row[key] = f"{score:.2f}".replace(".", ",") if as_text else score
        rows.append(row)
    if year == 2024:  # assessed, but the clerk left the cooperative number empty: rejected
        rows.insert(
            rng.randint(1, len(rows) - 1),
            {
                "nomor_induk_koperasi": None,
                "nama_koperasi": f"KSP {rng.choice(_NAME_WORDS)}",
                "tahun_penilaian": year,
                "skor_tata_kelola": 70.5,
                "skor_profil_risiko": 68.0,
                "skor_kinerja_keuangan": 72.0,
                "skor_permodalan": 66.5,
                "predikat": "Cukup Sehat",
            },
        )
    for number, row in enumerate(rows, start=1):
        row["no"] = number
    return rows


def _write(
    path: Path,
    header: tuple[tuple[str, str], ...],
    rows: list[dict[str, Cell]],
    title_rows: Sequence[str],
    csv_args: dict[str, str] | None,
    sheet: str,
    beside: Sequence[SheetSpec] = (),
) -> None:
    cells = [[row.get(canonical) for _, canonical in header] for row in rows]
    names = [h for h, _ in header]
    if csv_args is None:
        write_workbook(path, [SheetSpec(sheet, names, cells, title_rows), *beside])
    else:
        write_csv(path, names, cells, title_rows=title_rows, **csv_args)


def _recap_sheet(
    records: list[dict[str, Cell]], update: dt.date, kecamatan_names: Sequence[str]
) -> SheetSpec:
    """The office's recap by kecamatan, beside the data (counted with the rules, as the office would)."""
    by_kecamatan = {normalise_kecamatan(name): name for name in kecamatan_names}
    counts: dict[str, Counter[bool]] = {name: Counter() for name in kecamatan_names}
    seen: set[str] = set()
    for row in records:
        nik = _clean_nik(row.get("nomor_induk_koperasi"))
        name = by_kecamatan.get(normalise_kecamatan(_text(row.get("kecamatan"))))
        if nik and nik not in seen and name:
            seen.add(nik)
            counts[name][is_active(row, update.year - 1)] += 1
    rows: list[list[Cell]] = [
        [n, name, sum(c.values()), c[True], c[False]] for n, (name, c) in enumerate(counts.items(), start=1)
    ]
    rows.append(["JUMLAH", None, *(sum(r[i] for r in rows) for i in (2, 3, 4))])  # type: ignore[misc]
    as_of = f"{update.day} {_MONTHS[update.month - 1].upper()} {update.year}"
    title = f"REKAPITULASI KOPERASI PER KECAMATAN KEADAAN {as_of}"
    return SheetSpec(
        COOP_RECAP_SHEET, ("No", "Kecamatan", "Jumlah Koperasi", "Aktif", "Tidak Aktif"), rows, (title,)
    )


# ---------------------------------------------------------------------------------------------------------
# The rules (docs/cooperative_rules.md), applied to the cells as written


def _clean_nik(value: Cell) -> str | None:
    """16 digits once spaces are gone, not ending in 8 zeros (a number that went through 6,47102E+15)."""
    if value is None:
        return None
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else str(value)
    else:
        text = re.sub(r"\s+", "", str(value))
    return text if re.fullmatch(r"\d{16}", text) and not text.endswith("0" * 8) else None


def _text(value: Cell) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in ("", "-") else text


_BOOK_YEAR = re.compile(r"(?:(?:tahun buku|tahun|thn|th|tb)\.?\s*)?((?:19|20)\d\d)", re.IGNORECASE)


def _year(value: Cell) -> int | None:
    """2023, '2023', 'TB 2023', 'Th. 2022'."""
    if isinstance(value, int | float):
        return int(value)
    text = _text(value)
    match = _BOOK_YEAR.fullmatch(text) if text else None
    return int(match[1]) if match else None


def _date(value: Cell) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if text is None:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text):
        year = int(m[3]) if len(m[3]) == 4 else int(m[3]) + (2000 if int(m[3]) < 50 else 1900)
        return dt.date(year, int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", text):
        return dt.date(int(m[3]), _MONTH_WORDS[m[2].lower()], int(m[1]))
    raise ValueError(f"unparsed date {value!r}")


def rat_book_year(row: dict[str, Cell]) -> int | None:
    """Tahun Buku RAT Terakhir, else year(Tanggal RAT) - 1."""
    year = _year(row.get("tahun_buku_rat_terakhir"))
    if year is not None:
        return year
    held = _date(row.get("tanggal_rat"))
    return held.year - 1 if held else None


def _health_category(row: dict[str, Cell]) -> str:
    recorded = _text(row.get("predikat"))
    if recorded is not None:
        return PREDIKAT_KESEHATAN[normalise_value(recorded)]
    scores = [
        float(str(row[k]).replace(",", "."))
        for k in ("skor_tata_kelola", "skor_profil_risiko", "skor_kinerja_keuangan", "skor_permodalan")
    ]
    mean = sum(scores) / 4
    return next(category for bound, category in HEALTH_BANDS if mean >= bound)


def is_active(row: dict[str, Cell], last_closed: int) -> bool:
    status = _text(row.get("status_koperasi"))
    book_year = rat_book_year(row)
    if status is not None:
        return STATUS_KOPERASI[normalise_value(status)] == "aktif"  # rule "register"
    if book_year is not None:
        return book_year >= last_closed - ACTIVE_RULE_YEARS + 1  # rule "rat_3_years"
    return False  # rule "no_rat_recorded"


def _check_known_values(row: dict[str, Cell], region_kab_kota: set[str]) -> None:
    """The sample plants no value the rules leave unknown (issue 16: unknown is a gap, and the published
    sample has none beyond the one cooperative without a valid kecamatan)."""
    bentuk, jenis = _text(row.get("bentuk_koperasi")), _text(row.get("jenis_koperasi"))
    if bentuk is not None and normalise_value(bentuk) not in BENTUK_KOPERASI:
        raise ValueError(f"bentuk {bentuk!r} is not in the rules")
    if jenis is not None and normalise_value(jenis) not in JENIS_KOPERASI:
        raise ValueError(f"jenis {jenis!r} is not in the rules")
    if normalise_kab_kota(_text(row.get("kab_kota"))) not in region_kab_kota:
        raise ValueError(f"kab/kota {row.get('kab_kota')!r} is not a kab/kota of the region")


def compute_truth(
    latest_rows: list[dict[str, Cell]],
    update: dt.date,
    health_rows: dict[int, list[dict[str, Cell]]],
    kecamatan_names: Sequence[str],
    rows_rejected: int,
    kab_kota_names: Sequence[str] = (),
) -> CooperativeTruth:
    """The figures from the latest update's records (non-data rows excluded). With kab_kota_names, every
    record must lie in those kab/kota and carry only values the rules know (see _check_known_values)."""
    last_closed = update.year - 1
    by_kecamatan = {normalise_kecamatan(name): name for name in kecamatan_names}
    registered: dict[str, dict[str, Cell]] = {}
    for row in latest_rows:
        nik = _clean_nik(row.get("nomor_induk_koperasi"))
        if nik is not None:
            registered.setdefault(nik, row)
            if kab_kota_names:
                _check_known_values(row, {normalise_kab_kota(name) for name in kab_kota_names})
    active = 0
    by_type: Counter[str] = Counter()
    by_district: Counter[str] = Counter()
    rat_last = digital = 0
    for row in registered.values():
        book_year = rat_book_year(row)
        if book_year is not None and book_year >= last_closed:
            rat_last += 1
        if PELAPORAN_DIGITAL.get(normalise_value(_text(row.get("pelaporan_digital")))):
            digital += 1
        if is_active(row, last_closed):
            active += 1
            by_type[JENIS_KOPERASI[normalise_value(_text(row.get("jenis_koperasi")))]] += 1
            kec = _text(row.get("kecamatan"))
            by_district[
                by_kecamatan.get(normalise_kecamatan(kec), UNKNOWN_DISTRICT) if kec else UNKNOWN_DISTRICT
            ] += 1
    health: dict[str, dict[str, int]] = {}
    for year, rows in sorted(health_rows.items()):
        assessed: dict[str, str] = {}
        for row in rows:
            nik = _clean_nik(row.get("nomor_induk_koperasi"))
            if nik is not None and _year(row.get("tahun_penilaian")) == year:
                assessed.setdefault(nik, _health_category(row))
        counts = Counter(assessed.values())
        health[str(year)] = {key: counts.get(key, 0) for key in HEALTH_KEYS}
    return CooperativeTruth(
        registered=len(registered),
        active=active,
        inactive=len(registered) - active,
        rat_last_book_year=rat_last,
        active_by_type={key: by_type.get(key, 0) for key in JENIS_KEYS},
        active_by_district=dict(sorted(by_district.items(), key=lambda kv: (-kv[1], kv[0]))),
        health=health,
        digital_reporting=digital,
        rows_rejected=rows_rejected,
    )


def _check_calibration(profile: str, truth: CooperativeTruth) -> None:
    expected = CALIBRATION[profile]
    actual = {
        "registered": truth.registered,
        "active": truth.active,
        "inactive": truth.inactive,
        "rat_last_book_year": truth.rat_last_book_year,
        "active_by_type": truth.active_by_type,
        "active_by_district": truth.active_by_district,
        "digital_reporting": truth.digital_reporting,
        "health_2024": truth.health.get("2024"),
        "health_2023_sehat": truth.health.get("2023", {}).get("sehat"),
    }
    wrong = {key: (value, actual[key]) for key, value in expected.items() if actual[key] != value}
    if wrong:
        raise RuntimeError(f"{profile}: sample misses the published figures (expected, got): {wrong}")


# ---------------------------------------------------------------------------------------------------------


def write_cooperative_exports(out_dir: Path, profile: str, seed: int = 20240715) -> CooperativeTruth:
    """Write the profile's registry exports and health-assessment files into out_dir (a raw dir's
    cooperatives/ folder) and return the figures the pipeline must reproduce from them."""
    if profile not in _REGIONS:
        raise ValueError(f"unknown cooperative profile {profile!r}; expected one of {COOP_PROFILES}")
    region = _REGIONS[profile]
    rng = random.Random(seed * 7919 + zlib.crc32(profile.encode()))
    fake = Faker("id_ID")
    fake.seed_instance(rng.getrandbits(32))
    plan = _plan(region, rng, fake)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    kecamatan_names = [k for kecs in region.places.values() for k in kecs]
    rejected = 0
    latest_rows: list[dict[str, Cell]] = []
    for spec in _FILES[profile]:
        coops = _snapshot(plan, spec.update, region.updates[-1])
        rows = _registry_rows(rng, fake, spec, coops, plan.duplicate)
        rejected += sum(1 for r in rows if _clean_nik(r.get("nomor_induk_koperasi")) is None)
        beside = [_recap_sheet(rows, spec.update, kecamatan_names)] if spec.recap_sheet else []
        _write(
            out_dir / spec.name,
            spec.header,
            _layout(spec, rows),
            spec.title_rows,
            spec.csv,
            spec.sheet,
            beside,
        )
        if spec.update == region.updates[-1]:
            latest_rows = rows

    health_rows: dict[int, list[dict[str, Cell]]] = {}
    for year, entries in sorted(plan.health.items()):
        rows = _health_rows(rng, fake, year, entries)
        rejected += sum(1 for r in rows if _clean_nik(r.get("nomor_induk_koperasi")) is None)
        health_rows[year] = rows
        if year == 2023:
            _write(
                out_dir / "penilaian_kesehatan_koperasi_2023.csv",
                _HEADER_HEALTH_2023,
                rows,
                ("HASIL PENILAIAN KESEHATAN KOPERASI KOTA BALIKPAPAN TAHUN 2023",),
                {"encoding": "utf-8-sig"},
                "",
            )
        else:
            _write(
                out_dir / "Penilaian Kesehatan Koperasi 2024.xlsx",
                _HEADER_HEALTH_2024,
                rows,
                ("REKAPITULASI PENILAIAN KESEHATAN KOPERASI KOTA BALIKPAPAN", "TAHUN 2024"),
                None,
                "Penilaian",
            )

    truth = compute_truth(
        latest_rows, region.updates[-1], health_rows, kecamatan_names, rejected, list(region.places)
    )
    _check_calibration(profile, truth)
    return truth


if __name__ == "__main__":  # python -m pipelines.sample.cooperatives OUT_DIR PROFILE
    import sys

    print(write_cooperative_exports(Path(sys.argv[1]), sys.argv[2]))
