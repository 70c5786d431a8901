"""Sample OSS RBA permit exports (NIB, project and "List izin" lists) with the mess real DPMPTSP exports have.

``write_permit_exports`` writes one profile's files into a raw ``permits/`` folder and returns the figures the
pipeline must reproduce from them (``PermitTruth``). The truth is computed from the records actually written,
with the same rules the pipeline applies in SQL (see ``_truth``), so changing the generator cannot silently
desynchronise the two.

What is planted: yearly exports plus overlapping quarterly, monthly and cumulative ones; one file uploaded
twice (byte-identical copy named "... (1).xlsx"); one headerless file; title rows above some headers; header
spelling variants; xlsx date cells next to day-first and Indonesian-month text dates; a Tableau download made
on a US-locale machine whose text dates are all month-first (the fourth-quarter NIB and project lists); an
export made early in the month whose slash dates are all ambiguous (day <= 12: the last month's NIB list,
where the NIBs' ddmmyy prefixes tell the order, and its permit list, where nothing does); NIBs shaped by era
(quirks.NIB_ERAS) and KBLI as numbers (leading zeros lost, at most one for a NIB); rupiah as
"Rp 1.250.000.000" text; one ';'-separated Windows-1252 CSV from Indonesian Excel; loosely spelled places; a
few businesses outside the region; a handful of invalid rows (quirks.PERMIT_INVALID_ROWS: those without their
own identity are counted in ``rows_rejected``, the others land with a gap and belong to businesses outside
the region). ``_plan`` says which file carries what.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import shutil
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from faker import Faker

from pipelines.sample.quirks import PERMIT_INVALID_ROWS, nib_prefix
from pipelines.sample.writers import Cell, write_csv, write_xlsx

K = TypeVar("K")

SCALES = ("mikro", "kecil", "menengah", "besar")
SCALE_KEYS = (*SCALES, "tidak_diketahui")
# PP 7/2021 Pasal 35: capital upper bounds (inclusive) in rupiah; above the last one is "besar".
SCALE_CAPITAL_BOUNDS = (("mikro", 1_000_000_000), ("kecil", 5_000_000_000), ("menengah", 10_000_000_000))
KULINER_DIVISIONS = ("10", "11", "56")  # food and drink manufacturing + food service (domain.md)

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    ("Jan",), ("Feb", "Peb"), ("Mar",), ("Apr",), ("Mei",), ("Jun",), ("Jul",), ("Agt", "Agu", "Agus"),
    ("Sep", "Sept"), ("Okt",), ("Nov", "Nop"), ("Des",),
)  # fmt: skip


# --- reference subsets (the tests check them against kbli_2020.csv and wilayah_kemendagri_2025.csv) ---


@dataclass(frozen=True)
class Kbli:
    code: str  # 5-digit KBLI 2020 kelompok
    category: str  # KBLI category letter
    title: str
    risk: str  # OSS risk code: R, MR, MT, T
    weight: float  # share of businesses whose main activity this is

    @property
    def division(self) -> str:
        return self.code[:2]


# fmt: off
KBLI_CODES: tuple[Kbli, ...] = (
    # kuliner: division 56 food service, 10-11 food and drink manufacturing
    Kbli("56102", "I", "Rumah/Warung Makan", "R", 10.0),
    Kbli("56103", "I", "Kedai Makanan", "R", 7.0),
    Kbli("56104", "I", "Penyediaan Makanan Keliling/Tempat Tidak Tetap", "R", 6.0),
    Kbli("56101", "I", "Restoran", "MR", 3.0),
    Kbli("56303", "I", "Rumah Minum/Kafe", "R", 3.0),
    Kbli("56304", "I", "Kedai Minuman", "R", 2.5),
    Kbli("56306", "I", "Penyediaan Minuman Keliling/Tempat Tidak Tetap", "R", 1.5),
    Kbli("56210", "I", "Jasa Boga Untuk Suatu Event Tertentu (Event Catering)", "MR", 1.5),
    Kbli("10710", "C", "Industri Produk Roti Dan Kue", "MR", 2.5),
    Kbli("10792", "C", "Industri Kue Basah", "R", 2.0),
    Kbli("10794", "C", "Industri Kerupuk, Keripik, Peyek Dan Sejenisnya", "R", 1.5),
    Kbli("10750", "C", "Industri Makanan dan Masakan Olahan", "MR", 1.0),
    Kbli("10799", "C", "Industri Produk Makanan Lainnya", "R", 0.5),
    Kbli("10392", "C", "Industri Tahu Kedelai", "R", 0.3),
    Kbli("11040", "C", "Industri Minuman Ringan", "MR", 0.5),
    # trade
    Kbli("47111", "G", "Perdagangan Eceran Berbagai Macam Barang Yang Utamanya Makanan, Minuman Atau "
                       "Tembakau Di Minimarket/Supermarket/Hypermarket", "R", 6.0),
    Kbli("47211", "G", "Perdagangan Eceran Padi Dan Palawija", "R", 1.5),
    Kbli("47212", "G", "Perdagangan Eceran Buah-buahan", "R", 1.0),
    Kbli("47213", "G", "Perdagangan Eceran Sayuran", "R", 1.0),
    Kbli("47214", "G", "Perdagangan Eceran Hasil Peternakan", "R", 1.0),
    Kbli("47215", "G", "Perdagangan Eceran Hasil Perikanan", "R", 1.5),
    Kbli("47722", "G", "Perdagangan Eceran Barang Dan Obat Farmasi Untuk Manusia Bukan Di Apotik", "MR", 1.0),
    Kbli("47711", "G", "Perdagangan Eceran Pakaian", "R", 3.0),
    Kbli("47911", "G", "Perdagangan Eceran Melalui Media Untuk Komoditi Makanan, Minuman, Tembakau, Kimia, "
                       "Farmasi, Kosmetik Dan Alat Laboratorium", "R", 2.5),
    Kbli("47919", "G", "Perdagangan Eceran Melalui Media Untuk Berbagai Macam Barang Lainnya", "R", 3.5),
    Kbli("45201", "G", "Reparasi Mobil", "MR", 1.5),
    Kbli("47593", "G", "Perdagangan Eceran Barang Pecah Belah Dan Perlengkapan Dapur Dari Plastik", "R", 1.0),
    Kbli("47521", "G", "Perdagangan Eceran Barang Logam Untuk Bahan Konstruksi", "R", 0.7),
    Kbli("47591", "G", "Perdagangan Eceran Furnitur", "R", 0.5),
    Kbli("47761", "G", "Perdagangan Eceran Bunga Potong/Florist", "R", 0.4),
    Kbli("46319", "G", "Perdagangan Besar Bahan Makanan Dan Minuman Hasil Pertanian Lainnya", "R", 0.5),
    # personal services and repairs
    Kbli("96112", "S", "Aktivitas Salon Kecantikan", "R", 2.0),
    Kbli("96111", "S", "Aktivitas Pangkas Rambut", "R", 1.5),
    Kbli("96200", "S", "Aktivitas penatu", "R", 2.0),
    Kbli("95230", "S", "Reparasi Alas Kaki Dan Barang Dari Kulit", "R", 0.5),
    # non-food manufacturing
    Kbli("14111", "C", "Industri Pakaian Jadi (Konveksi) Dari Tekstil", "R", 2.0),
    Kbli("16221", "C", "Industri Barang Bangunan Dari Kayu", "MR", 0.5),
    Kbli("31001", "C", "Industri Furnitur Dari Kayu", "MR", 0.7),
    Kbli("13134", "C", "Industri Batik", "R", 0.3),
    # agriculture, fishing, quarrying: codes with a leading zero that xlsx numbers lose
    Kbli("01111", "A", "Pertanian Jagung", "R", 0.5),
    Kbli("01131", "A", "Pertanian Hortikultura Sayuran Daun", "R", 0.8),
    Kbli("01135", "A", "Pertanian Aneka Umbi Palawija", "R", 0.3),
    Kbli("01411", "A", "Pembibitan Dan Budidaya Sapi Potong", "MR", 0.4),
    Kbli("03111", "A", "Penangkapan Pisces/Ikan Bersirip Di Laut", "MR", 0.7),
    Kbli("03121", "A", "Penangkapan Pisces/Ikan Bersirip Di Perairan Darat", "R", 0.3),
    Kbli("08104", "B", "Penggalian Pasir", "MT", 0.2),
    Kbli("08105", "B", "Penggalian Tanah dan Tanah Liat", "MT", 0.1),
    # other services
    Kbli("49431", "H", "Angkutan Bermotor untuk Barang Umum", "MR", 0.8),
    Kbli("49422", "H", "Angkutan Sewa", "R", 1.2),
    Kbli("62019", "J", "Aktivitas Pemrograman Komputer Lainnya", "R", 0.8),
    Kbli("63122", "J", "Portal Web Dan/Atau Platform Digital Dengan Tujuan Komersial", "R", 0.7),
    Kbli("68111", "L", "Real Estat Yang Dimiliki Sendiri Atau Disewa", "R", 0.6),
    Kbli("73100", "M", "Periklanan", "R", 0.6),
    Kbli("74909", "M", "Aktivitas Profesional, Ilmiah dan Teknis Lainnya YTDL", "R", 0.6),
    Kbli("77291", "N", "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi Alat Pesta", "R", 0.6),
    Kbli("82190", "N", "Aktivitas Fotokopi, Penyiapan Dokumen dan Aktivitas Khusus Penunjang Kantor "
                       "Lainnya", "R", 0.6),
    Kbli("85499", "P", "Pendidikan Lainnya Swasta", "R", 1.0),
    Kbli("55199", "I", "Penyediaan Akomodasi Jangka Pendek Lainnya", "MR", 0.8),
    Kbli("43211", "F", "Instalasi Listrik", "MR", 0.5),
    Kbli("41011", "F", "Konstruksi Gedung Hunian", "MT", 0.5),
)

# Ministry that supervises a division ("KL/Sektor Pembina"); divisions not listed default to trade.
KL_SECTOR = {
    "01": "PERTANIAN", "03": "KELAUTAN DAN PERIKANAN", "08": "ENERGI DAN SUMBER DAYA MINERAL",
    "10": "PERINDUSTRIAN", "11": "PERINDUSTRIAN", "13": "PERINDUSTRIAN", "14": "PERINDUSTRIAN",
    "16": "PERINDUSTRIAN", "31": "PERINDUSTRIAN", "41": "PEKERJAAN UMUM DAN PERUMAHAN RAKYAT",
    "43": "PEKERJAAN UMUM DAN PERUMAHAN RAKYAT", "49": "PERHUBUNGAN", "55": "PARIWISATA", "56": "PARIWISATA",
    "62": "KOMUNIKASI DAN INFORMATIKA", "63": "KOMUNIKASI DAN INFORMATIKA",
    "68": "PEKERJAAN UMUM DAN PERUMAHAN RAKYAT", "85": "PENDIDIKAN DAN KEBUDAYAAN",
}
# fmt: on

RISK_TEXT = {"R": "Rendah", "MR": "Menengah Rendah", "MT": "Menengah Tinggi", "T": "Tinggi"}


@dataclass(frozen=True)
class Area:
    """One kab/kota with the kecamatan and kelurahan the sample uses (Kemendagri 2025 names)."""

    code: str
    name: str
    province: str  # as the permit list's "Propinsi" column spells it
    centre: tuple[float, float]  # latitude, longitude
    weight: float
    kecamatan: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Place:
    kab_kota_code: str
    kab_kota: str
    kecamatan: str
    kelurahan: str
    province: str
    centre: tuple[float, float]


# fmt: off
BALIKPAPAN = (
    Area("64.71", "Kota Balikpapan", "KALIMANTAN TIMUR", (-1.24, 116.87), 1.0, {
        "Balikpapan Timur": ("Manggar", "Lamaru", "Teritip", "Manggar Baru"),
        "Balikpapan Barat": ("Baru Ilir", "Baru Tengah", "Baru Ulu", "Kariangau", "Margo Mulyo",
                             "Marga Sari"),
        "Balikpapan Utara": ("Batu Ampar", "Gunung Samarinda", "Karang Joang", "Muara Rapak",
                             "Gunung Samarinda Baru", "Graha Indah"),
        "Balikpapan Tengah": ("Gunung Sari Ulu", "Gunung Sari Ilir", "Karang Rejo", "Karang Jati",
                              "Mekar Sari", "Sumber Rejo"),
        "Balikpapan Selatan": ("Sepinggan", "Gunung Bahagia", "Sepinggan Baru", "Sepinggan Raya",
                               "Sungainangka", "Damai Baru", "Damai Bahagia"),
        "Balikpapan Kota": ("Prapatan", "Telaga Sari", "Klandasan Ulu", "Klandasan Ilir", "Damai"),
    }),
)
NEAR_BALIKPAPAN = (
    Area("64.09", "Kabupaten Penajam Paser Utara", "KALIMANTAN TIMUR", (-1.26, 116.71), 1.0, {
        "Penajam": ("Tanjung Tengah", "Salo Loang", "Petung", "Lawe-lawe", "Pejala"),
    }),
    Area("64.02", "Kabupaten Kutai Kartanegara", "KALIMANTAN TIMUR", (-1.02, 117.05), 1.0, {
        "Samboja": ("Sungai Seluang", "Wonotirto", "Tanjung Harapan", "Samboja Kuala", "Sanipah"),
    }),
)
KALTARA = (
    Area("65.71", "Kota Tarakan", "KALIMANTAN UTARA", (3.31, 117.59), 0.40, {
        "Tarakan Barat": ("Karang Anyar", "Karang Rejo", "Karang Anyar Pantai", "Karang Balik",
                          "Karang Harapan"),
        "Tarakan Tengah": ("Kampung I Skip", "Pamusian", "Sebengkok", "Selumit", "Selumit Pantai"),
        "Tarakan Timur": ("Lingkas Ujung", "Gunung Lingkas", "Kampung Empat", "Kampung Enam", "Mamburungan",
                          "Pantai Amal", "Mamburungan Timur"),
        "Tarakan Utara": ("Juata Laut", "Juata Permai", "Juata Kerikil"),
    }),
    Area("65.03", "Kabupaten Nunukan", "KALIMANTAN UTARA", (4.14, 117.66), 0.22, {
        "Nunukan": ("Nunukan Timur", "Nunukan Barat", "Nunukan Utara", "Nunukan Tengah", "Binusan"),
        "Nunukan Selatan": ("Selisun", "Nunukan Selatan", "Mansapa", "Tanjung Harapan"),
        "Sebatik": ("Tanjungkarang", "Balansiku", "Sungai Manurung", "Padaidi"),
    }),
    Area("65.01", "Kabupaten Bulungan", "KALIMANTAN UTARA", (2.84, 117.37), 0.20, {
        "Tanjung Selor": ("Tanjung Selor Hulu", "Tanjung Selor Hilir", "Tanjung Selor Timur", "Jelarai Selor",
                          "Gunung Seriang"),
        "Tanjung Palas": ("Tanjung Palas Hulu", "Tanjung Palas Tengah", "Tanjung Palas Hilir",
                          "Karang Anyar"),
        "Bunyu": ("Bunyu Barat", "Bunyu Selatan", "Bunyu Timur"),
    }),
    Area("65.02", "Kabupaten Malinau", "KALIMANTAN UTARA", (3.58, 116.63), 0.12, {
        "Malinau Kota": ("Batu Lidung", "Malinau Kota", "Pelita Kanaan", "Malinau Hulu", "Malinau Hilir"),
        "Malinau Utara": ("Kaliamok", "Luso", "Malinau Seberang", "Putat", "Salap"),
    }),
    Area("65.04", "Kabupaten Tana Tidung", "KALIMANTAN UTARA", (3.55, 117.25), 0.06, {
        "Sesayap": ("Tideng Pale", "Limbu Sedulun", "Sebidai", "Sedulun", "Tideng Pale Timur"),
        "Sesayap Hilir": ("Sesayap", "Sengkong", "Bebatu", "Bandan Bikis", "Sepala Dalung"),
    }),
)
NEAR_KALTARA = (
    Area("64.03", "Kabupaten Berau", "KALIMANTAN TIMUR", (2.15, 117.49), 1.0, {
        "Tanjung Redeb": ("Sungai Bedungun", "Tanjung Redeb", "Bugis", "Gayam", "Karang Ambun",
                          "Gunung Panjang"),
    }),
    Area("64.72", "Kota Samarinda", "KALIMANTAN TIMUR", (-0.50, 117.15), 1.0, {
        "Samarinda Kota": ("Karang Mumus", "Pelabuhan", "Pasar Pagi", "Bugis", "Sungai Pinang Luar"),
    }),
)
# fmt: on

# Spellings seen in exports that differ from Kemendagri only by spaces or hyphens.
KELURAHAN_VARIANTS = {
    "Sungainangka": ("Sungai Nangka", "SUNGAI NANGKA"),
    "Margo Mulyo": ("Margomulyo",),
    "Marga Sari": ("Margasari",),
    "Lawe-lawe": ("Lawe Lawe",),
    "Tanjungkarang": ("Tanjung Karang",),
}


# --- profiles ---


@dataclass(frozen=True)
class PermitProfile:
    name: str
    region_code: str  # Kemendagri code the office covers: "64.71" (a kab/kota) or "65" (a province)
    region_title: str  # as export titles spell it
    file_label: str  # region as it appears in file names
    start: dt.date  # first registration date
    end: dt.date  # as-of date: nothing in the exports is later
    areas: tuple[Area, ...]
    outside_areas: tuple[Area, ...]  # neighbours whose businesses leak into the exports
    outside_businesses: int
    scale_counts: Mapping[str, int]  # businesses per scale, including tidak_diketahui (blank, no project)
    blank_scale_share: float  # share of businesses with a known scale whose NIB rows leave the scale blank
    year_weights: Mapping[int, float]
    fixed_year_counts: Mapping[int, int] = field(default_factory=dict)


def _allocate(total: int, weights: Mapping[K, float]) -> dict[K, int]:
    """Integer parts proportional to weights that sum exactly to total (largest remainder)."""
    unit = total / sum(weights.values())
    raw = {key: weight * unit for key, weight in weights.items()}
    parts = {key: math.floor(value) for key, value in raw.items()}
    for key in sorted(raw, key=lambda k: raw[k] - parts[k], reverse=True)[: total - sum(parts.values())]:
        parts[key] += 1
    return parts


# Registrations per year in the OSS era (from July 2018); Balikpapan fixes 2023 to the published figure.
_OSS_YEARS = {2018: 4100, 2019: 9800, 2020: 11200, 2021: 15700, 2022: 15600, 2023: 12323, 2024: 4277}

PROFILES: dict[str, PermitProfile] = {
    "balikpapan": PermitProfile(
        name="balikpapan",
        region_code="64.71",
        region_title="KOTA BALIKPAPAN",
        file_label="Kota Balikpapan",
        start=dt.date(2018, 7, 9),
        end=dt.date(2024, 5, 3),
        areas=BALIKPAPAN,
        outside_areas=NEAR_BALIKPAPAN,
        outside_businesses=30,
        scale_counts=_allocate(
            73_000, {"mikro": 93.0, "kecil": 5.0, "menengah": 1.0, "besar": 0.3, "tidak_diketahui": 0.4}
        ),
        blank_scale_share=0.006,
        year_weights=_OSS_YEARS,
        fixed_year_counts={2023: 12_323},
    ),
    "kaltara": PermitProfile(
        name="kaltara",
        region_code="65",
        region_title="PROVINSI KALIMANTAN UTARA",
        file_label="Kaltara",
        start=dt.date(2013, 7, 1),
        end=dt.date(2020, 6, 30),
        areas=KALTARA,
        outside_areas=NEAR_KALTARA,
        outside_businesses=40,
        scale_counts={"mikro": 12_459, "kecil": 7_876, "menengah": 678, "besar": 104, "tidak_diketahui": 0},
        blank_scale_share=0.01,
        year_weights={2013: 5, 2014: 10, 2015: 12, 2016: 14, 2017: 16, 2018: 17, 2019: 18, 2020: 8},
    ),
    "tiny": PermitProfile(
        name="tiny",
        region_code="64.71",
        region_title="KOTA BALIKPAPAN",
        file_label="Kota Balikpapan",
        start=dt.date(2018, 7, 9),
        end=dt.date(2024, 5, 3),
        areas=BALIKPAPAN,
        outside_areas=NEAR_BALIKPAPAN,
        outside_businesses=5,
        scale_counts={"mikro": 255, "kecil": 20, "menengah": 10, "besar": 6, "tidak_diketahui": 9},
        blank_scale_share=0.05,
        year_weights=_OSS_YEARS,
    ),
}


@dataclass(frozen=True)
class PermitTruth:
    businesses: int  # distinct valid in-region NIBs
    businesses_by_scale: dict[str, int]  # keys mikro, kecil, menengah, besar, tidak_diketahui
    registrations_by_year: dict[str, int]  # "2023": n ...
    permits: int  # distinct valid in-region Id Permohonan Izin
    largest_sector_new: str  # "kuliner" or a KBLI category letter
    rows_rejected: int  # planted rows without their own identity (quirks.PERMIT_INVALID_ROWS; all families)
    files_written: int
    duplicate_files: int  # byte-identical copies planted
    # (nib, business name, kecamatan) of every in-region business: what other samples (events) can refer to.
    registered: tuple[tuple[str, str, str], ...] = ()


# --- generated records ---


@dataclass(slots=True, eq=False)
class Business:
    nib: str
    registered: dt.date  # tanggal_terbit_oss
    place: Place
    scale: str  # what the NIB list says (a SCALES key), "" when the export leaves it blank
    true_scale: str  # drives capital generation; the truth re-derives the scale with the rules
    name: str
    company_type: str
    investment_status: str
    address: str
    email: str
    phone: str
    owner: str
    main_kbli: Kbli | None
    projects: list[Project] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Project:
    id: str
    business: Business
    main: bool
    submitted: dt.date  # day_of_tanggal_pengajuan_proyek
    kbli: Kbli
    investment: int
    land_area: float
    land_unit: str
    workers: int
    coordinates: tuple[float, float] | None


@dataclass(slots=True, eq=False)
class Permit:
    id: str
    project: Project
    issued: dt.date
    kind: str  # Uraian Jenis Perizinan
    document: str  # Nama Dokumen


# fmt: off
COMPANY_TYPES = {  # OSS "uraian_jenis_perusahaan" by scale, with weights
    "mikro": (("Perseorangan", 80), ("Persekutuan Komanditer (CV)", 8),
              ("Perseroan Terbatas (PT) Perorangan", 6), ("Perseroan Terbatas (PT)", 3), ("Koperasi", 2),
              ("Badan Usaha Milik Desa (BUM Desa)", 0.5), ("Persekutuan Firma (Fa / Firma)", 0.5)),
    "kecil": (("Persekutuan Komanditer (CV)", 40), ("Perseroan Terbatas (PT)", 35), ("Perseorangan", 20),
              ("Koperasi", 5)),
    "menengah": (("Perseroan Terbatas (PT)", 70), ("Persekutuan Komanditer (CV)", 25), ("Koperasi", 5)),
    "besar": (("Perseroan Terbatas (PT)", 100),),
}
LEGAL_PREFIX = {
    "Persekutuan Komanditer (CV)": "CV", "Perseroan Terbatas (PT) Perorangan": "PT",
    "Perseroan Terbatas (PT)": "PT", "Persekutuan Firma (Fa / Firma)": "Firma",
    "Badan Usaha Milik Desa (BUM Desa)": "BUMDes",
}
NAME_PREFIXES = {  # by KBLI division
    "56": ("Warung Makan", "Rumah Makan", "Kedai", "Depot", "Warung", "Dapur"),
    "10": ("Kue", "Roti", "Keripik", "Dapur", "Aneka Kue"), "11": ("Es", "Minuman"),
    "47": ("Toko", "Kios", "UD", "Toko Kelontong"), "45": ("Bengkel",),
    "96": ("Salon", "Laundry", "Pangkas Rambut"), "14": ("Konveksi", "Penjahit"), "03": ("Nelayan",),
    "49": ("Rental", "Ekspedisi"),
}
NAME_WORDS = (
    "Berkah", "Barokah", "Sederhana", "Jaya", "Maju Jaya", "Sumber Rezeki", "Mandiri", "Sejahtera", "Amanah",
    "Nikmat", "Lestari", "Borneo", "Etam", "Harapan", "Mulia", "Bersama", "Sentosa",
)
# fmt: on

# Names with characters outside ASCII but inside Windows-1252, as owners type them (\u2019 is the curly
# apostrophe Word and phones substitute for ').
SPECIAL_NAMES = (
    "Café {first}",
    "Kedai Kopi D\u2019{first}",
    "Warung {first}\u2019s",
    "Ayam Penyét {first}",
    "Pâtisserie {first}",
)
CAPITAL_RANGES = {  # rupiah per scale: (low, high), inclusive, each inside its PP 7/2021 band
    "mikro": (2_000_000, 1_000_000_000),
    "kecil": (1_001_000_000, 5_000_000_000),
    "menengah": (5_001_000_000, 10_000_000_000),
    "besar": (10_001_000_000, 300_000_000_000),
}
WORKERS = {"mikro": (1, 4), "kecil": (5, 19), "menengah": (20, 99), "besar": (100, 600)}
DAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.15)  # Monday..Sunday: fewer registrations at weekends


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


KBLI_CUMULATIVE = _cumulative([k.weight for k in KBLI_CODES])


def _places(areas: Sequence[Area]) -> tuple[list[Place], list[float]]:
    """Every kelurahan of the areas, weighted so each kab/kota gets its area weight."""
    places, weights = [], []
    for area in areas:
        villages = [(kec, kel) for kec, kels in area.kecamatan.items() for kel in kels]
        for kec, kel in villages:
            places.append(Place(area.code, area.name, kec, kel, area.province, area.centre))
            weights.append(area.weight / len(villages))
    return places, _cumulative(weights)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


class _Builder:
    """Generates one profile's businesses, projects and permits; all randomness flows from one seed."""

    def __init__(self, profile: PermitProfile, seed: int) -> None:
        self.profile = profile
        self.seed = seed
        self.rng = random.Random(f"{profile.name}:{seed}")
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.used_nibs: set[str] = set()  # membership only: never iterated, so hash order cannot leak out
        self.project_serial = 0
        self.permit_serial = 0
        self.nibless: list[Permit] = []  # permits of the region written with a blank NIB (see _invalid_row)
        self.places, self.place_weights = _places(profile.areas)
        self.outside, self.outside_weights = _places(profile.outside_areas)
        self.exact_capital: dict[int, int] = {}  # id(business) -> capital set by _plan_boundary_capitals
        self.businesses = self._businesses()
        self.projects = sorted(
            (p for b in self.businesses for p in b.projects), key=lambda p: (p.submitted, p.id)
        )
        self.permits = sorted(self._permits(), key=lambda p: (p.issued, p.id))
        # Records are sorted by the date their exports are split on, so files take slices by bisection.
        self.days = {name: [family.day(r) for r in family.records(self)] for name, family in FAMILIES.items()}

    # businesses
    def _businesses(self) -> list[Business]:
        profile, rng = self.profile, self.rng
        dates = self._registration_dates()
        scales = [scale for scale in SCALE_KEYS for _ in range(profile.scale_counts.get(scale, 0))]
        rng.shuffle(scales)
        blank = self._blank_scale_indices(scales)
        businesses = []
        for index, (registered, scale) in enumerate(zip(dates, scales, strict=True)):
            place = rng.choices(self.places, cum_weights=self.place_weights)[0]
            businesses.append(self._business(registered, place, scale, blank=index in blank))
        for _ in range(profile.outside_businesses):
            registered = profile.start + dt.timedelta(days=rng.randrange((profile.end - profile.start).days))
            place = rng.choices(self.outside, cum_weights=self.outside_weights)[0]
            businesses.append(self._business(registered, place, "mikro", blank=False))
        businesses.sort(key=lambda b: (b.registered, b.nib))
        self._give_special_names(businesses)
        self._plan_boundary_capitals(businesses)
        for business in businesses:
            self._add_projects(business)
        return businesses

    def _registration_dates(self) -> list[dt.date]:
        profile = self.profile
        total = sum(profile.scale_counts.values())
        fixed = dict(profile.fixed_year_counts)
        rest = {y: w for y, w in profile.year_weights.items() if y not in fixed}
        counts = {**fixed, **_allocate(total - sum(fixed.values()), rest)}
        dates: list[dt.date] = []
        for year in sorted(counts):
            days = _days(max(profile.start, dt.date(year, 1, 1)), min(profile.end, dt.date(year, 12, 31)))
            picked = self.rng.choices(days, weights=[DAY_WEIGHTS[d.weekday()] for d in days], k=counts[year])
            if year == profile.end.year and picked:
                # The as-of date is the latest registration: "new" registrations are counted back from it.
                picked[0] = profile.end
            dates.extend(picked)
        return dates

    def _blank_scale_indices(self, scales: list[str]) -> set[int]:
        """Businesses whose NIB rows leave the scale blank: all tidak_diketahui, a few of each other scale."""
        blank = {i for i, scale in enumerate(scales) if scale == "tidak_diketahui"}
        for scale in SCALES:
            members = [i for i, s in enumerate(scales) if s == scale]
            if members and self.profile.blank_scale_share > 0:
                wanted = max(1, round(self.profile.blank_scale_share * len(members)))
                blank.update(self.rng.sample(members, wanted))
        return blank

    def _business(self, registered: dt.date, place: Place, true_scale: str, *, blank: bool) -> Business:
        rng, fake = self.rng, self.fake
        # A business with no project declared nothing: give it the commonest (micro) legal forms.
        types, weights = zip(*COMPANY_TYPES.get(true_scale, COMPANY_TYPES["mikro"]), strict=True)
        company_type = rng.choices(types, weights=weights)[0]
        main_kbli = None if true_scale == "tidak_diketahui" else self._kbli()
        pma = (true_scale == "besar" and rng.random() < 0.25) or (
            true_scale == "menengah" and rng.random() < 0.03
        )
        address = fake.street_address()
        if rng.random() < 0.5:
            address += f" RT {rng.randint(1, 60):02d}"
        return Business(
            nib=self.new_nib(registered),
            registered=registered,
            place=place,
            scale="" if blank else true_scale,
            true_scale=true_scale,
            name=self._name(company_type, main_kbli),
            company_type=company_type,
            investment_status="PMA" if pma else "PMDN",
            address=address,
            email=fake.free_email() if rng.random() < 0.85 else "",
            phone=fake.phone_number() if rng.random() < 0.9 else "",
            owner=fake.name(),
            main_kbli=main_kbli,
        )

    def new_nib(self, issued: dt.date) -> str:
        """13 digits shaped by era (quirks.NIB_ERAS): 8120/9120, 0220, 1221, then the issue date ddmmyy.

        Unique; none begins with 00, so a numeric cell loses at most one zero (quirks.restore_nib).
        """
        prefix = nib_prefix(issued)
        while True:
            if len(prefix) == 6:  # OSS RBA: ddmmyy + the day's national sequence number
                nib = f"{prefix}{self.rng.randrange(1, 200_000):07d}"
            else:
                nib = f"{prefix}{self.rng.randrange(10**9):09d}"
            if nib not in self.used_nibs:
                self.used_nibs.add(nib)
                return nib

    def _kbli(self) -> Kbli:
        return self.rng.choices(KBLI_CODES, cum_weights=KBLI_CUMULATIVE)[0]

    def _name(self, company_type: str, kbli: Kbli | None) -> str:
        rng, fake = self.rng, self.fake
        word = rng.choice(NAME_WORDS)
        if company_type == "Koperasi":
            return f"Koperasi {word} {rng.choice(NAME_WORDS)}"
        if company_type in LEGAL_PREFIX:
            return f"{LEGAL_PREFIX[company_type]} {fake.last_name()} {word}"
        if rng.random() < 0.015:
            return rng.choice(SPECIAL_NAMES).format(first=fake.first_name())
        prefixes = NAME_PREFIXES.get(kbli.division if kbli else "", ("Usaha",))
        tail = rng.choice(
            (
                f"Bu {fake.first_name_female()}",
                f"Pak {fake.first_name_male()}",
                word,
                f"{word} {fake.first_name()}",
            )
        )
        return f"{rng.choice(prefixes)} {tail}"

    def _give_special_names(self, businesses: list[Business]) -> None:
        """The Indonesian-Excel CSV (see _plan) must hold names with a curly apostrophe and é."""
        year = self.profile.end.year - 2
        chosen = [b for b in businesses if b.registered.year == year and b.company_type == "Perseorangan"][:3]
        for business, template in zip(chosen, SPECIAL_NAMES, strict=False):
            business.name = template.format(first=self.fake.first_name())

    def _plan_boundary_capitals(self, businesses: list[Business]) -> None:
        """The first blank-scale business of each MSME scale gets capital exactly at its upper bound."""
        for scale, bound in SCALE_CAPITAL_BOUNDS:
            first = next((b for b in businesses if b.scale == "" and b.true_scale == scale), None)
            if first is not None:
                self.exact_capital[id(first)] = bound

    # projects and permits
    def _add_projects(self, business: Business) -> None:
        if business.main_kbli is None:
            return  # no project: the scale cannot be derived (tidak_diketahui)
        rng, end = self.rng, self.profile.end
        count = 1 + rng.choices((0, 1, 2, 3), weights=(82, 14, 3, 1))[0]
        dates = [business.registered]
        for _ in range(count - 1):
            spare = (end - business.registered).days
            same_day = spare == 0 or rng.random() < 0.3
            dates.append(business.registered + dt.timedelta(days=0 if same_day else rng.randint(1, spare)))
        # Sorting (date, second of day) before numbering makes the first project the rule's primary one.
        stamps = sorted((d, rng.randrange(7 * 3600, 22 * 3600)) for d in dates)
        capital = self.exact_capital.get(id(business)) or self._capital(business.true_scale)
        shares = self._split(capital, count)
        low, high = WORKERS[business.true_scale]
        for index, ((submitted, second), investment) in enumerate(zip(stamps, shares, strict=True)):
            self.project_serial += 1
            in_hectares = rng.random() < 0.03
            business.projects.append(
                Project(
                    id=f"R-{submitted:%Y%m%d}{_clock(second)}{self.project_serial:06d}",
                    business=business,
                    main=index == 0,
                    submitted=submitted,
                    kbli=business.main_kbli if index == 0 else self._secondary_kbli(business.main_kbli),
                    investment=investment,
                    land_area=round(rng.uniform(0.1, 3.0), 2) if in_hectares else rng.randint(12, 600),
                    land_unit="Ha" if in_hectares else rng.choice(("m2", "m2", "M2")),
                    workers=rng.randint(low, high),
                    coordinates=self._coordinates(business.place),
                )
            )

    def _coordinates(self, place: Place) -> tuple[float, float] | None:
        if self.rng.random() < 0.1:
            return None
        lat, lon = place.centre
        return round(lat + self.rng.uniform(-0.05, 0.05), 6), round(lon + self.rng.uniform(-0.05, 0.05), 6)

    def _secondary_kbli(self, main: Kbli) -> Kbli:
        same_division = [k for k in KBLI_CODES if k.division == main.division]
        return self.rng.choice(same_division) if self.rng.random() < 0.6 else self._kbli()

    def _capital(self, scale: str) -> int:
        low, high = CAPITAL_RANGES[scale]
        if scale == "mikro":  # most micro businesses declare tens of millions
            value = math.exp(self.rng.gauss(math.log(40_000_000), 1.1))
        else:  # log-uniform inside the band
            value = math.exp(self.rng.uniform(math.log(low), math.log(high)))
        return min(high, max(low, int(round(value, -5))))

    def _split(self, capital: int, parts: int) -> list[int]:
        """Investment per project, rounded to Rp 1,000, summing exactly to the business's capital."""
        weights = [self.rng.random() + 0.2 for _ in range(parts)]
        total = sum(weights)
        shares = [int(capital * w / total) // 1000 * 1000 for w in weights[:-1]]
        return [*shares, capital - sum(shares)]

    def _permits(self) -> list[Permit]:
        rng, end = self.rng, self.profile.end
        permits = []
        for project in self.projects:
            count = rng.choices((0, 1, 2), weights=(4, 88, 8))[0]
            issued = project.submitted
            for index in range(count):
                issued = min(end, issued + dt.timedelta(days=rng.randint(0, 14)))
                kind, document = _permit_document(project.kbli, second=index > 0)
                self.permit_serial += 1
                clock = _clock(rng.randrange(7 * 3600, 22 * 3600))
                permits.append(
                    Permit(
                        f"I-{issued:%Y%m%d}{clock}{self.permit_serial:06d}", project, issued, kind, document
                    )
                )
        return permits

    def orphan_business(self, first: dt.date, last: dt.date) -> Business:
        """A business outside the truth and outside the region (its NIB appears nowhere else), for rows that
        land with a missing or unreadable value: being outside the region, they change no figure."""
        registered = first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))
        place = self.rng.choices(self.outside, cum_weights=self.outside_weights)[0]
        business = self._business(registered, place, "mikro", blank=False)
        self._add_projects(business)  # mikro: always at least one project
        return business

    def orphan_permit(self, first: dt.date, last: dt.date) -> Permit:
        """A permit (of a project) of an orphan business, with fresh ids."""
        project = self.orphan_business(first, last).projects[0]
        kind, document = _permit_document(project.kbli, second=False)
        self.permit_serial += 1
        clock = _clock(self.rng.randrange(7 * 3600, 22 * 3600))
        issued = project.submitted
        return Permit(f"I-{issued:%Y%m%d}{clock}{self.permit_serial:06d}", project, issued, kind, document)


def _clock(second: int) -> str:
    """hhmmss of a second of the day, as OSS ids embed the submission time."""
    return f"{second // 3600:02d}{second // 60 % 60:02d}{second % 60:02d}"


def _permit_document(kbli: Kbli, *, second: bool) -> tuple[str, str]:
    if second:
        if kbli.division == "56":
            return "UMKU", "Sertifikat Laik Higiene Sanitasi"
        return "Persyaratan Dasar", "PKKPR"
    if kbli.division in ("10", "11") and kbli.risk in ("R", "MR"):
        return "UMKU", "SPP-IRT"
    return {
        "R": ("Persyaratan Dasar", "SPPL"),
        "MR": ("Sertifikat Standar", "Sertifikat Standar"),
        "MT": ("Sertifikat Standar", "Sertifikat Standar Terverifikasi"),
        "T": ("Izin", "Izin Usaha"),
    }[kbli.risk]


# --- export files ---

# fmt: off
NIB_HEADERS = {
    "snake": ("nib", "tanggal_terbit_oss", "nama_perusahaan", "status_penanaman_modal",
              "uraian_jenis_perusahaan", "uraian_skala_usaha", "alamat_perusahaan", "kelurahan", "kecamatan",
              "kab_kota", "email", "nomor_telp"),
    "title": ("NIB", "Tanggal Terbit Oss", "Nama Perusahaan", "Status Penanaman Modal",
              "Uraian Jenis Perusahaan", "Uraian Skala Usaha", "Alamat Perusahaan", "Kelurahan", "Kecamatan",
              "Kab Kota", "Email", "Nomor Telp"),
    "tableau": ("Nib", "Day of Tanggal Terbit Oss", "Nama Perusahaan", "Status Penanaman Modal",
                "Uraian Jenis Perusahaan", "Uraian Skala Usaha", "Alamat Perusahaan", "Kelurahan",
                "Kecamatan", "Kab Kota", "Email", "Nomor Telp"),
    "upper": ("NIB", "TANGGAL TERBIT OSS", "NAMA PERUSAHAAN", "STATUS PENANAMAN MODAL",
              "URAIAN JENIS PERUSAHAAN", "URAIAN SKALA USAHA", "ALAMAT PERUSAHAAN", "KELURAHAN", "KECAMATAN",
              "KAB/KOTA", "EMAIL", "NOMOR TELP"),
}
PROJECT_HEADERS = {
    "snake": ("id_proyek", "uraian_jenis_proyek", "nib", "nama_perusahaan", "tanggal_terbit_oss",
              "uraian_status_penanaman_modal", "uraian_jenis_perusahaan", "uraian_risiko_proyek",
              "nama_proyek", "uraian_skala_usaha", "alamat_usaha", "kab_kota_usaha", "kecamatan_usaha",
              "kelurahan_usaha", "longitude", "latitude", "day_of_tanggal_pengajuan_proyek", "kbli",
              "judul_kbli", "kl_sektor_pembina", "nama_user", "email", "nomor_telp", "luas_tanah",
              "satuan_tanah", "jumlah_investasi", "tki"),
    "tableau": ("Id Proyek", "Uraian Jenis Proyek", "Nib", "Nama Perusahaan", "Day of Tanggal Terbit Oss",
                "Uraian Status Penanaman Modal", "Uraian Jenis Perusahaan", "Uraian Risiko Proyek",
                "Nama Proyek", "Uraian Skala Usaha", "Alamat Usaha", "Kab Kota Usaha", "Kecamatan Usaha",
                "Kelurahan Usaha", "Longitude", "Latitude", "Day of Tanggal Pengajuan Proyek", "Kbli",
                "Judul Kbli", "KL/Sektor Pembina", "Nama User", "Email", "Nomor Telp", "Luas Tanah",
                "Satuan Tanah", "Jumlah Investasi", "Tki"),
    "title": ("ID Proyek", "Uraian Jenis Proyek", "NIB", "Nama Perusahaan", "Tanggal Terbit Oss",
              "Uraian Status Penanaman Modal", "Uraian Jenis Perusahaan", "Uraian Risiko Proyek",
              "Nama Proyek", "Uraian Skala Usaha", "Alamat Usaha", "Kab Kota Usaha", "Kecamatan Usaha",
              "Kelurahan Usaha", "Longitude", "Latitude", "Tanggal Pengajuan Proyek", "KBLI", "Judul KBLI",
              "kl_sektor", "Nama User", "Email", "Nomor Telp", "Luas Tanah", "Satuan Tanah",
              "Jumlah Investasi", "TKI"),
}
PERMIT_HEADERS = {
    "tableau": ("No.", "Id Permohonan Izin", "Nama Perusahaan", "Nib", "Day of Tanggal Terbit Oss",
                "Uraian Status Penanaman Modal", "Propinsi", "Kab Kota", "Id Proyek", "Kd Resiko", "Kbli",
                "Day of Tgl Izin", "Uraian Jenis Perizinan", "Nama Dokumen", "Uraian Kewenangan",
                "Uraian Status Respon", "Kewenangan", "kl_sektor"),
    "upper": ("NO.", "ID PERMOHONAN IZIN", "NAMA PERUSAHAAN", "NIB", "TANGGAL TERBIT OSS",
              "URAIAN STATUS PENANAMAN MODAL", "PROPINSI", "KAB KOTA", "ID PROYEK", "KD RESIKO", "KBLI",
              "TGL IZIN", "URAIAN JENIS PERIZINAN", "NAMA DOKUMEN", "URAIAN KEWENANGAN",
              "URAIAN STATUS RESPON", "KEWENANGAN", "KL/SEKTOR PEMBINA"),
    "snake": ("no", "id_permohonan_izin", "nama_perusahaan", "nib", "day_of_tanggal_terbit_oss",
              "uraian_status_penanaman_modal", "propinsi", "kab_kota", "id_proyek", "kd_resiko", "kbli",
              "day_of_tgl_izin", "uraian_jenis_perizinan", "nama_dokumen", "uraian_kewenangan",
              "uraian_status_respon", "kewenangan", "kl_sektor"),
}
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
    invalid: tuple[str, ...] = ()  # kinds of invalid rows planted here (see _invalid_row)
    text_dates: float = 0.0  # share of xlsx date cells typed as slash text instead
    # Order of slash text dates: "dmy" (Indonesian locale) or "mdy" (a Tableau "Day of ..." download made on
    # a US-locale machine: every text date of the file month-first, issue 8). A "mdy" CSV has no other style.
    date_order: str = "dmy"
    typed_dates: tuple[str, ...] = ()  # date columns that stay xlsx date cells whatever text_dates says
    duplicate_as: str | None = None  # name of a byte-identical copy, as when a file is uploaded twice


def _period(first: dt.date, last: dt.date, profile: PermitProfile) -> tuple[dt.date, dt.date]:
    return max(first, profile.start), min(last, profile.end)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _plan(profile: PermitProfile) -> list[ExportSpec]:
    """Which files to write: yearly exports, overlapping ones, and where each kind of mess goes."""
    last = profile.end.year
    if profile.end.month < 5 or profile.start.year > last - 3:
        raise ValueError("the file plan needs at least four earlier years and five months in the last year")
    label, years = profile.file_label, range(profile.start.year, last)
    q4 = _period(dt.date(last - 1, 10, 1), dt.date(last - 1, 12, 31), profile)
    this_year = _period(dt.date(last, 1, 1), profile.end, profile)
    last_month = _period(dt.date(last, profile.end.month, 1), profile.end, profile)
    end_month = MONTHS[profile.end.month - 1]
    specs: list[ExportSpec] = []
    # NIB list
    for y in years:
        period = _period(dt.date(y, 1, 1), dt.date(y, 12, 31), profile)
        if y == last - 3:  # Excel "CSV UTF-8" (with BOM), mixed date styles
            specs.append(
                ExportSpec(
                    "nib",
                    f"Data NIB {label} {y}.csv",
                    *period,
                    fmt="csv",
                    header="tableau",
                    encoding="utf-8-sig",
                    invalid=("sci_nib_dot", "long_nib", "dash_date"),
                )
            )
        elif y == last - 2:  # Indonesian-locale Excel: ';' and Windows-1252
            specs.append(
                ExportSpec(
                    "nib",
                    f"Data NIB {label} {y}.csv",
                    *period,
                    fmt="csv-id",
                    header="title",
                    scale_style="short",
                    encoding="cp1252",
                    invalid=("sci_nib_comma",),
                )
            )
        else:
            invalid = ("blank_nib", "letter_nib", "phone_nib", "impossible_date") if y == last - 1 else ()
            specs.append(
                ExportSpec(
                    "nib",
                    f"Data NIB {label} {y}.xlsx",
                    *period,
                    header="title",
                    titled=True,
                    invalid=invalid,
                    text_dates=0.02 if y == last - 1 else 0.0,
                )
            )
    # A Tableau download made on a US-locale machine: every date month-first text ("10/13/2023"), issue 8.
    specs.append(
        ExportSpec(
            "nib",
            f"Data NIB {label} Triwulan IV {last - 1}.xlsx",
            *q4,
            header="tableau",
            scale_style="upper",
            text_dates=1.0,
            date_order="mdy",
        )
    )
    for month in range(1, profile.end.month + 1):
        period = _period(dt.date(last, month, 1), _month_end(last, month), profile)
        name = f"NIB {MONTHS[month - 1]} {last}"
        if month == 2:
            specs.append(
                ExportSpec("nib", f"{name}.xlsx", *period, header="tableau", duplicate_as=f"{name} (1).xlsx")
            )
        elif month == 3:
            specs.append(ExportSpec("nib", f"{name}.csv", *period, fmt="csv", invalid=("short_nib",)))
        elif month == 4:
            specs.append(
                ExportSpec("nib", f"{name}.csv", *period, fmt="csv", header=None, scale_style="upper")
            )
        else:
            invalid = ("belum_date",) if month == 5 else ()
            # The month so far, as day-first text: when the export is made early in the month every date is
            # ambiguous (day <= 12), and only the NIBs' ddmmyy prefixes tell the order.
            text = 1.0 if month == profile.end.month else 0.0
            specs.append(
                ExportSpec(
                    "nib",
                    f"{name}.xlsx",
                    *period,
                    header="upper",
                    scale_style="upper",
                    invalid=invalid,
                    text_dates=text,
                )
            )
    specs.append(
        ExportSpec(
            "nib",
            f"NIB Januari sd Maret {last}.csv",
            *_period(dt.date(last, 1, 1), dt.date(last, 3, 31), profile),
            fmt="csv",
            header="title",
            titled=True,
        )
    )
    # project list: the biggest family, so every other year is CSV (xlsx cells are the slow part of a run)
    for y in years:
        period = _period(dt.date(y, 1, 1), dt.date(y, 12, 31), profile)
        fmt = "csv" if (last - y) % 2 == 1 else "xlsx"
        specs.append(
            ExportSpec(
                "proyek",
                f"Daftar Proyek {label} {y}.{fmt}",
                *period,
                fmt=fmt,
                header=("tableau", "snake", "title")[y % 3],
                titled=y == profile.start.year,
                invalid=("orphan_letter_nib",) if y == last - 1 else (),
            )
        )
    specs.append(  # the same Tableau download of the project list: month-first text dates
        ExportSpec(
            "proyek",
            f"Daftar Proyek Triwulan IV {last - 1}.xlsx",
            *q4,
            header="tableau",
            text_dates=1.0,
            date_order="mdy",
        )
    )
    specs.append(
        ExportSpec(
            "proyek",
            f"Daftar Proyek Januari sd {end_month} {last}.xlsx",
            *this_year,
            header="tableau",
            scale_style="upper",
            invalid=("blank_project_id",),
        )
    )
    specs.append(
        ExportSpec("proyek", f"Daftar Proyek {end_month} {last}.csv", *last_month, fmt="csv", header="title")
    )
    # permit list ("List izin")
    for y in years:
        period = _period(dt.date(y, 1, 1), dt.date(y, 12, 31), profile)
        if y == last - 1:
            specs.append(
                ExportSpec(
                    "izin",
                    f"List Izin {label} {y}.csv",
                    *period,
                    fmt="csv",
                    header="tableau",
                    invalid=("orphan_sci_nib", "orphan_blank_nib", "region_blank_nib"),
                )
            )
        else:
            specs.append(
                ExportSpec(
                    "izin",
                    f"List Izin {label} {y}.xlsx",
                    *period,
                    header=("tableau", "upper", "snake")[y % 3],
                )
            )
    specs.append(
        ExportSpec(
            "izin", f"List Izin Januari sd {end_month} {last}.csv", *this_year, fmt="csv", header="tableau"
        )
    )
    specs.append(
        ExportSpec(
            "izin",
            f"List Izin {end_month} {last}.xlsx",
            *last_month,
            header="upper",
            invalid=("blank_permit_id",),
            # Permits issued early in the month: the issue dates are day-first text, all ambiguous, next to
            # Excel date cells for the businesses' dates, so nothing in the file tells the order (issue 8).
            text_dates=1.0,
            typed_dates=("tanggal_terbit_oss",),
        )
    )
    return specs


def _indonesian_date(day: dt.date, rng: random.Random, *, abbreviated: bool) -> str:
    month = rng.choice(MONTH_ABBREVIATIONS[day.month - 1]) if abbreviated else MONTHS[day.month - 1]
    return f"{day.day} {month} {day.year}"


class _Formatter:
    """Turns record values into one file's cells: typed cells in xlsx, text in the file's style in CSV."""

    def __init__(self, spec: ExportSpec, rng: random.Random) -> None:
        self.spec, self.rng = spec, rng
        self.xlsx = spec.fmt == "xlsx"
        self.excel_csv = spec.fmt == "csv-id"  # re-saved by Excel: numbers lost their zeros, one date style
        self.scales = SCALE_TEXT[spec.scale_style]

    def nib(self, nib: str) -> Cell:
        if self.xlsx:
            return int(nib)
        if self.excel_csv:
            return str(int(nib))
        roll = self.rng.random()
        if roll < 0.02:
            return "'" + nib  # typed with an apostrophe to keep it text
        if roll < 0.04:
            return f"{int(nib)}.0"  # round trip through a float column
        if roll < 0.05:
            return f" {nib} "
        return nib

    def date(self, day: dt.date, column: str) -> Cell:
        rng, spec = self.rng, self.spec
        slash = day.strftime("%m/%d/%Y" if spec.date_order == "mdy" else "%d/%m/%Y")
        if self.xlsx:
            if column in spec.typed_dates or spec.text_dates == 0:
                return day
            return slash if spec.text_dates == 1 or rng.random() < spec.text_dates else day
        if self.excel_csv or spec.date_order == "mdy":
            return slash
        roll = rng.random()
        if roll < 0.4:
            return day.strftime("%d/%m/%Y")
        if roll < 0.6:
            return day.strftime("%d/%m/%y")
        if roll < 0.75:
            return _indonesian_date(day, rng, abbreviated=False)
        if roll < 0.9:
            return _indonesian_date(day, rng, abbreviated=True)
        return day.isoformat()

    def kbli(self, code: str) -> Cell:
        if self.xlsx:
            return int(code)
        return str(int(code)) if self.excel_csv or self.rng.random() < 0.1 else code

    def money(self, amount: int) -> Cell:
        if self.xlsx:
            return amount
        dotted = f"{amount:,}".replace(",", ".")
        return self.rng.choice((f"Rp {dotted}", f"Rp{dotted}", f"Rp {dotted},00", dotted))

    def number(self, value: float) -> Cell:
        if self.xlsx:
            return value
        text = str(value)
        return text.replace(".", ",") if self.excel_csv else text

    def scale(self, scale: str) -> Cell:
        return self.scales[scale] if scale else None

    def kab_kota(self, place: Place) -> str:
        name = place.kab_kota
        variants = [name, name.upper()]
        if name.startswith("Kabupaten "):
            variants += [name.replace("Kabupaten ", "Kab. "), name.replace("Kabupaten ", "KAB. ").upper()]
        return self._pick(variants)

    def kecamatan(self, place: Place) -> str:
        name = place.kecamatan
        return self._pick([name, name.upper(), f"Kec. {name}", f"KECAMATAN {name.upper()}"])

    def kelurahan(self, place: Place) -> str:
        name = place.kelurahan
        variants = KELURAHAN_VARIANTS.get(name, ())
        if variants and self.rng.random() < 0.5:  # people keep writing the older spelling ("Sungai Nangka")
            return self.rng.choice(variants)
        return self._pick([name, name.upper()])

    def _pick(self, variants: Sequence[str]) -> str:
        # Files lean to one spelling (upper case in upper-case exports), with strays typed by hand.
        preferred = variants[1] if self.spec.scale_style == "upper" else variants[0]
        return preferred if self.rng.random() < 0.7 else self.rng.choice(variants)


def _nib_row(b: Business, fx: _Formatter) -> list[Cell]:
    return [
        fx.nib(b.nib),
        fx.date(b.registered, "tanggal_terbit_oss"),
        b.name,
        b.investment_status,
        b.company_type,
        fx.scale(b.scale),
        b.address,
        fx.kelurahan(b.place),
        fx.kecamatan(b.place),
        fx.kab_kota(b.place),
        b.email,
        b.phone,
    ]


def _project_row(p: Project, fx: _Formatter) -> list[Cell]:
    b = p.business
    lat, lon = p.coordinates or (None, None)
    return [
        p.id,
        "Utama" if p.main else "Pendukung",
        fx.nib(b.nib),
        b.name,
        fx.date(b.registered, "tanggal_terbit_oss"),
        b.investment_status,
        b.company_type,
        RISK_TEXT[p.kbli.risk],
        p.kbli.title,
        fx.scale(b.scale),
        b.address,
        fx.kab_kota(b.place),
        fx.kecamatan(b.place),
        fx.kelurahan(b.place),
        None if lon is None else fx.number(lon),
        None if lat is None else fx.number(lat),
        fx.date(p.submitted, "tanggal_pengajuan_proyek"),
        fx.kbli(p.kbli.code),
        p.kbli.title,
        KL_SECTOR.get(p.kbli.division, "PERDAGANGAN"),
        b.owner,
        b.email,
        b.phone,
        fx.number(p.land_area),
        p.land_unit,
        fx.money(p.investment),
        p.workers if fx.xlsx else str(p.workers),
    ]


def _permit_row(permit: Permit, fx: _Formatter) -> list[Cell]:
    p = permit.project
    b = p.business
    provincial = p.kbli.risk == "T" or b.true_scale == "besar"
    return [
        None,
        permit.id,
        b.name,
        fx.nib(b.nib),
        fx.date(b.registered, "tanggal_terbit_oss"),
        b.investment_status,
        b.place.province,
        fx.kab_kota(b.place),
        p.id,
        p.kbli.risk,
        fx.kbli(p.kbli.code),
        fx.date(permit.issued, "tgl_izin"),
        permit.kind,
        permit.document,
        "Pemerintah Daerah Provinsi" if provincial else "Pemerintah Daerah Kabupaten/Kota",
        "Terbit",
        "Gubernur" if provincial else "Bupati/Walikota",
        KL_SECTOR.get(p.kbli.division, "PERDAGANGAN"),
    ]


@dataclass(frozen=True)
class _Family:
    headers: Mapping[str, Sequence[str]]
    row: Callable[..., list[Cell]]
    records: Callable[[_Builder], Sequence[Business | Project | Permit]]
    day: Callable[..., dt.date]  # the date exports are split on
    business: Callable[..., Business]  # whose NIB a record carries
    nib_column: int
    id_column: int | None
    title: str


FAMILIES = {
    "nib": _Family(
        headers=NIB_HEADERS,
        row=_nib_row,
        records=lambda builder: builder.businesses,
        day=lambda business: business.registered,
        business=lambda business: business,
        nib_column=0,
        id_column=None,
        title="DAFTAR NIB",
    ),
    "proyek": _Family(
        headers=PROJECT_HEADERS,
        row=_project_row,
        records=lambda builder: builder.projects,
        day=lambda project: project.submitted,
        business=lambda project: project.business,
        nib_column=2,
        id_column=0,
        title="DAFTAR PROYEK",
    ),
    "izin": _Family(
        headers=PERMIT_HEADERS,
        row=_permit_row,
        records=lambda builder: builder.permits,
        day=lambda permit: permit.issued,
        business=lambda permit: permit.project.business,
        nib_column=3,
        id_column=1,
        title="LIST IZIN",
    ),
}


def _letters(nib: str) -> str:
    return nib[:6] + "O" + nib[7:]  # letter O typed for a zero


_ORPHAN_BREAKS = {
    "orphan_letter_nib": "letter_nib",
    "orphan_sci_nib": "sci_nib_dot",
    "orphan_blank_nib": "blank_nib",
}


def _broken_nibs(nib: str, rng: random.Random) -> dict[str, Cell]:
    return {
        "blank_nib": None,
        "letter_nib": _letters(nib),
        "sci_nib_dot": f"{int(nib):.2E}",
        "sci_nib_comma": f"{int(nib):.2E}".replace(".", ","),
        "long_nib": nib + "0",
        "short_nib": nib[:9],
        "phone_nib": f"08{rng.choice(('11', '12', '13', '21', '52', '53'))}{rng.randrange(10**8):08d}",
    }


def _invalid_row(
    kind: str, spec: ExportSpec, builder: _Builder, records: Sequence, fx: _Formatter
) -> list[Cell]:
    """One planted invalid row (quirks.PERMIT_INVALID_ROWS). Rows that land (a junk date, a project's or
    permit's broken NIB) belong to fresh businesses outside the region; the rejected ones copy a real row."""
    family = FAMILIES[spec.family]
    junk_dates = {"impossible_date": f"31/02/{spec.start.year}", "dash_date": "-", "belum_date": "belum"}
    if kind in junk_dates:
        row = _nib_row(builder.orphan_business(spec.start, spec.end), fx)
        row[1] = junk_dates[kind]
        return row
    if kind == "region_blank_nib":  # a new permit of one of the file's projects, its NIB cell left empty
        region = builder.profile.region_code
        project = fx.rng.choice(
            [r for r in records if _in_region(r.project.business.place.kab_kota_code, region)]
        ).project
        builder.permit_serial += 1
        kind_text, document = _permit_document(project.kbli, second=True)
        issued = project.submitted
        clock = _clock(fx.rng.randrange(7 * 3600, 22 * 3600))
        permit = Permit(
            f"I-{issued:%Y%m%d}{clock}{builder.permit_serial:06d}", project, issued, kind_text, document
        )
        builder.nibless.append(permit)
        row = _permit_row(permit, fx)
        row[family.nib_column] = None
        return row
    if kind.startswith("orphan_"):  # kept: only a reference to the business is broken
        if spec.family == "nib":
            raise ValueError(f"{kind}: a NIB-list row without its NIB is rejected, not kept")
        orphan = builder.orphan_permit(spec.start, spec.end)
        source: Business | Project | Permit = orphan if spec.family == "izin" else orphan.project
        row = family.row(source, fx)
        nib = family.business(source).nib
        row[family.nib_column] = _broken_nibs(nib, fx.rng)[_ORPHAN_BREAKS[kind]]
        return row
    # A real row with its own identity broken, as exports garble them; any record will do in an empty file.
    source = fx.rng.choice(records or family.records(builder))
    row = family.row(source, fx)
    broken = _broken_nibs(family.business(source).nib, fx.rng)
    if kind in broken:
        if spec.family != "nib":
            raise ValueError(f"{kind}: a project's or permit's broken NIB is kept; plant orphan_* instead")
        row[family.nib_column] = broken[kind]
    elif kind in ("blank_project_id", "blank_permit_id"):
        row[family.id_column] = None
    else:
        raise ValueError(f"unknown invalid row kind {kind!r}")
    return row


def _title_rows(spec: ExportSpec, profile: PermitProfile) -> tuple[str, ...]:
    if not spec.titled:
        return ()
    period = (
        f"Periode: {spec.start.day} {MONTHS[spec.start.month - 1]} {spec.start.year} s.d. "
        f"{spec.end.day} {MONTHS[spec.end.month - 1]} {spec.end.year}"
    )
    return (f"{FAMILIES[spec.family].title} {profile.region_title}", period)


def _write(
    spec: ExportSpec, builder: _Builder, out_dir: Path
) -> tuple[list[Business | Project | Permit], int]:
    """Write one file; return the valid records it holds and how many of its planted rows are rejected."""
    family = FAMILIES[spec.family]
    fx = _Formatter(spec, random.Random(f"{builder.profile.name}:{builder.seed}:{spec.name}"))
    all_records = family.records(builder)
    days = builder.days[spec.family]
    records = list(all_records[bisect.bisect_left(days, spec.start) : bisect.bisect_right(days, spec.end)])
    rows = [family.row(record, fx) for record in records]
    for kind in spec.invalid:
        rows.insert(fx.rng.randrange(len(rows) + 1), _invalid_row(kind, spec, builder, records, fx))
    if spec.family == "izin":
        for number, row in enumerate(rows, start=1):
            row[0] = number if fx.xlsx else str(number)
    header = family.headers[spec.header] if spec.header else None
    path = out_dir / spec.name
    titles = _title_rows(spec, builder.profile)
    if spec.fmt == "xlsx":
        write_xlsx(path, header, rows, title_rows=titles)
    else:
        write_csv(
            path,
            header,
            rows,
            delimiter=";" if spec.fmt == "csv-id" else ",",
            encoding=spec.encoding,
            title_rows=titles,
        )
    return records, sum(1 for kind in spec.invalid if PERMIT_INVALID_ROWS[kind][0])


def _scale_from_capital(capital: int) -> str:
    for scale, bound in SCALE_CAPITAL_BOUNDS:
        if capital <= bound:
            return scale
    return "besar"


def _sector(kbli: Kbli) -> str:
    return "kuliner" if kbli.division in KULINER_DIVISIONS else kbli.category


def _in_region(code: str, region: str) -> bool:
    return code == region or code.startswith(region + ".")


def _truth(
    profile: PermitProfile,
    nib_rows: Sequence[Business],
    project_rows: Sequence[Project],
    permit_rows: Sequence[Permit],
    rejected: int,
    files: int,
    duplicates: int,
    nibless_permits: Sequence[Permit] = (),
) -> PermitTruth:
    """The pipeline's rules applied to the valid rows written (invalid rows never enter these lists).

    - business: distinct valid NIB in NIB-list rows whose kab_kota lies in the region (a NIB-list row is
      rejected when its NIB does not parse; slash dates are read in the order the file's evidence gives);
      registrations_by_year counts businesses by tanggal_terbit_oss. The same set as "a distinct NIB named by
      any OSS export of the region" (issue 8): checked below.
    - scale: the NIB list's uraian_skala_usaha; if blank, PP 7/2021 bands on the sum of jumlah_investasi over
      the business's distinct projects; no project -> tidak_diketahui.
    - sector: KBLI of the project with the earliest submission date (ties: smallest id_proyek); divisions
      10, 11, 56 are "kuliner", others their category letter. "New" = registered within the 365 days ending
      at the latest tanggal_terbit_oss.
    - permit: distinct valid Id Permohonan Izin whose NIB is a business of the region, plus those whose NIB
      cell is blank and whose own kab_kota lies in the region (kept and counted, gap nib_missing).
    """
    region = profile.region_code
    businesses = {b.nib: b for b in nib_rows if _in_region(b.place.kab_kota_code, region)}
    # Issue 8 counts a business named by any OSS export of the region: the sample names no business in a
    # project or permit row that its NIB list lacks, so both definitions give the same figures.
    # (A business's place is the same in every family, so its region is too.)
    named = {r.business.nib for r in project_rows} | {r.project.business.nib for r in permit_rows}
    if missing := named - {b.nib for b in nib_rows}:
        raise RuntimeError(f"{len(missing)} businesses named only by projects or permits")
    projects: dict[str, dict[str, Project]] = {}
    for project in project_rows:
        projects.setdefault(project.business.nib, {})[project.id] = project
    by_scale = Counter({scale: 0 for scale in SCALE_KEYS})
    for nib, business in businesses.items():
        own = projects.get(nib, {})
        if business.scale:
            by_scale[business.scale] += 1
        elif own:
            by_scale[_scale_from_capital(sum(p.investment for p in own.values()))] += 1
        else:
            by_scale["tidak_diketahui"] += 1
    latest = max(b.registered for b in nib_rows)
    first_new = latest - dt.timedelta(days=364)  # the 365 days ending at the latest registration
    sectors = Counter(
        _sector(min(projects[nib].values(), key=lambda p: (p.submitted, p.id)).kbli)
        for nib, business in businesses.items()
        if business.registered >= first_new and nib in projects
    )
    years = Counter(str(b.registered.year) for b in businesses.values())
    return PermitTruth(
        businesses=len(businesses),
        businesses_by_scale={scale: by_scale[scale] for scale in SCALE_KEYS},
        registrations_by_year=dict(sorted(years.items())),
        permits=len(
            {p.id for p in permit_rows if p.project.business.nib in businesses}
            | {p.id for p in nibless_permits if _in_region(p.project.business.place.kab_kota_code, region)}
        ),
        largest_sector_new=sectors.most_common(1)[0][0],
        rows_rejected=rejected,
        files_written=files,
        duplicate_files=duplicates,
        registered=tuple((b.nib, b.name, b.place.kecamatan) for b in businesses.values()),
    )


def write_permit_exports(out_dir: Path, profile: str, seed: int = 20240503) -> PermitTruth:
    """Write one profile's OSS exports into ``out_dir`` (the raw ``permits/`` folder); return their truth.

    Files of the same name are overwritten and nothing else in ``out_dir`` is touched: pass an empty folder.
    """
    chosen = PROFILES[profile]
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = _Builder(chosen, seed)
    landed: dict[str, list[Business | Project | Permit]] = {name: [] for name in FAMILIES}
    rejected = files = duplicates = 0
    for spec in _plan(chosen):
        records, planted = _write(spec, builder, out_dir)
        landed[spec.family].extend(records)
        rejected += planted
        files += 1
        if spec.duplicate_as:
            shutil.copyfile(out_dir / spec.name, out_dir / spec.duplicate_as)
            landed[spec.family].extend(records)
            files += 1
            duplicates += 1
    return _truth(
        chosen, landed["nib"], landed["proyek"], landed["izin"], rejected, files, duplicates, builder.nibless
    )
