"""A hand-made register of Kota Balikpapan as an office really types it (issue 16), with the answer per row.

One xlsx export, "DATA KOPERASI KOTA BALIKPAPAN KEADAAN 15 SEPTEMBER 2024" (so the last closed book year is
2023 and, with N = 3, a blank status is active iff its RAT book year is >= 2021), holding:

- the values people type: status spellings (TDK AKTIF, Tdk. Aktif, Pasif, Bubar, Dalam Proses Pembubaran,
  aktif (RAT 2023), a typo AKTIP, an unknown "Belum Jelas"), jenis (KSP, Kop. Konsumen, KSP Syariah, typos
  Konsumsen and Simpan Pinajm, an unknown "Serba Usaha"), bentuk (Primer Kota, Koperasi Primer, an unknown
  "Tersier"), kab/kota (Kota Bpp, Kodya Balikpapan, Kotamadya Balikpapan, a typo "Kota Balikpapn", blank,
  one contradicting its kecamatan), RAT book years not closed or disagreeing with the RAT date, suspected
  duplicates, a stale copy placed below the newer row, one number with two names, Pelaporan Digital Ya /
  Sudah / "Kadang";
- what the loader must read (issue 16, the lead's side): "TB 2023", "Th. 2020", "Maret 2024", "12 Mrt 2024",
  "1,2 M", "Rp 2,5 Milyar", "850 jt", "12 orang", "1.234"-style comma thousands "1,234", a number with
  non-breaking spaces, 6471020000000000 (scientific-notation round trip: rejected), an unreadable amount;
- non-data rows: a column-number row under the header, a repeated header, "JUMLAH HAL. 1", "TOTAL", notes rows
  (Sumber, Keterangan), and a "Rekap" sheet beside the data;
- a health-assessment CSV with a recognised, a misspelt and an unknown predikat.

Every row carries the answer a careful official gives under docs/cooperatives.md, worked out by hand (the
``Case`` fields), and the gaps it must raise. ``loader=True`` marks rows whose answer needs the loader changes
of issue 16.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.sample.writers import Cell, SheetSpec, write_csv, write_workbook
from tests.coop_exports import HEALTH_HEADER, REGISTER_FIGURES

UPDATE = dt.date(2024, 9, 15)
FILE = "cooperatives/data_koperasi_berantakan_2024-09-15.xlsx"
HEALTH_FILE = "cooperatives/penilaian_kesehatan_berantakan_2024.csv"
SHEET = "Data Koperasi"


def number(serial: int) -> str:
    return f"6471{serial:012d}"


@dataclass(frozen=True)
class Case:
    """One register row as typed, and the hand-made answer."""

    serial: int
    why: str
    status: str | None = "Aktif"
    jenis: str | None = "Konsumen"
    bentuk: str | None = "Primer"
    kab_kota: str | None = "Kota Balikpapan"
    kecamatan: str | None = "Balikpapan Kota"
    rat_year: Cell = 2022  # Tahun Buku RAT Terakhir as typed
    rat_date: Cell = None
    members: tuple[Cell, Cell] = (20, 15)
    modal_sendiri: Cell = "Rp 25.000.000"
    aset: Cell = "Rp 150.000.000"
    digital: str | None = None
    updated: dt.date = dt.date(2024, 9, 1)  # the row's own Tanggal Pemutakhiran
    name: str | None = None
    legal_entity: str | None = None
    typed_number: Cell = None  # the number as typed, when not number(serial)
    # The answer (None = the row is rejected, not registered)
    activity: str | None = "aktif"
    expect_jenis: str = "konsumen"
    expect_bentuk: str = "primer"
    expect_kecamatan: str | None = "Balikpapan Kota"  # Kemendagri name; None = tidak_diketahui
    rat_book_year: int | None = 2022
    rat_held: bool = False  # RAT held for book year 2023
    reports_digitally: bool | None = False
    gaps: frozenset[str] = field(default_factory=frozenset)  # gap types on this row (dbt and ingest)
    gap_values: tuple[tuple[str, str], ...] = ()  # (gap type, typed value shown in the gap)
    loader: bool = False  # the answer needs the loader changes of issue 16

    @property
    def number(self) -> str:
        """The cooperative number the warehouse should hold (the typed one without its spaces, if any)."""
        if isinstance(self.typed_number, str):
            return "".join(ch for ch in self.typed_number if ch.isdigit())
        return number(self.serial)

    @property
    def coop_name(self) -> str:
        return self.name or f"Koperasi Uji Berantakan {self.serial:03d}"


def _gaps(*types: str) -> frozenset[str]:
    return frozenset(types)


CASES: tuple[Case, ...] = (
    # Status spellings (the register decides; a status that is not recognised decides nothing)
    Case(1, "TDK AKTIF is Tidak Aktif", status="TDK AKTIF", activity="tidak_aktif"),
    Case(2, "Tdk. Aktif is Tidak Aktif", status="Tdk. Aktif", activity="tidak_aktif"),
    Case(3, "Pasif is not active", status="Pasif", activity="tidak_aktif"),
    Case(4, "Bubar (dissolved) stays registered, not active", status="Bubar", activity="tidak_aktif"),
    Case(
        5, "Dalam Proses Pembubaran is not active", status="Dalam Proses Pembubaran", activity="tidak_aktif"
    ),
    Case(6, "a bracketed note is ignored", status="aktif (RAT 2023)"),
    Case(7, "Non-Aktif", status="Non-Aktif", activity="tidak_aktif"),
    Case(
        8,
        "an unknown status is tidak_diketahui, NOT decided by its RAT (2022 would be active)",
        status="Belum Jelas",
        activity="tidak_diketahui",
        gaps=_gaps("status_tidak_dikenali"),
        gap_values=(("status_tidak_dikenali", "Belum Jelas"),),
    ),
    Case(
        9,
        "typo AKTIP read as Aktif (one edit), listed for the staff",
        status="AKTIP",
        gaps=_gaps("nilai_dicocokkan_mirip"),
        gap_values=(("nilai_dicocokkan_mirip", "AKTIP"),),
    ),
    Case(10, "blank status: the RAT rule (2022 >= 2021) decides", status=None),
    Case(11, "Tidak Aktif", status="Tidak Aktif", activity="tidak_aktif"),
    # Jenis and bentuk typed freely
    Case(12, "KSP is simpan pinjam", jenis="KSP", expect_jenis="simpan_pinjam"),
    Case(13, "Kop. Konsumen", jenis="Kop. Konsumen"),
    Case(14, "KSP Syariah", jenis="KSP Syariah", expect_jenis="simpan_pinjam_syariah"),
    Case(
        15,
        "typo Konsumsen read as Konsumen",
        jenis="Konsumsen",
        gaps=_gaps("nilai_dicocokkan_mirip"),
        gap_values=(("nilai_dicocokkan_mirip", "Konsumsen"),),
    ),
    Case(
        16,
        "typo Simpan Pinajm (a swap) read as Simpan Pinjam",
        jenis="Simpan Pinajm",
        expect_jenis="simpan_pinjam",
        gaps=_gaps("nilai_dicocokkan_mirip"),
        gap_values=(("nilai_dicocokkan_mirip", "Simpan Pinajm"),),
    ),
    Case(
        17,
        "Serba Usaha is a kelompok, not a jenis: tidak_diketahui",
        jenis="Serba Usaha",
        expect_jenis="tidak_diketahui",
        gaps=_gaps("jenis_tidak_dikenali"),
        gap_values=(("jenis_tidak_dikenali", "Serba Usaha"),),
    ),
    Case(18, "Primer Kota", bentuk="Primer Kota"),
    Case(19, "Koperasi Primer", bentuk="Koperasi Primer"),
    Case(
        20,
        "an unknown bentuk",
        bentuk="Tersier",
        expect_bentuk="tidak_diketahui",
        gaps=_gaps("bentuk_tidak_dikenali"),
        gap_values=(("bentuk_tidak_dikenali", "Tersier"),),
    ),
    # Book years
    Case(
        21,
        "book year 2024 in a September 2024 update is not closed yet",
        jenis="Produsen",
        expect_jenis="produsen",
        rat_year=2024,
        rat_book_year=2024,
        rat_held=True,
        gaps=_gaps("tahun_buku_belum_tutup"),
        gap_values=(("tahun_buku_belum_tutup", "2024"),),
    ),
    Case(
        22,
        "book year 2022 but RAT held in March 2024 (book year 2023)",
        jenis="Jasa",
        expect_jenis="jasa",
        rat_date=dt.date(2024, 3, 12),
        gaps=_gaps("tahun_buku_tidak_sesuai_tanggal_rat"),
        gap_values=(("tahun_buku_tidak_sesuai_tanggal_rat", "2022"),),
    ),
    Case(
        23,
        "only Tanggal RAT 10/05/2022: book year 2021, the edge, active",
        status=None,
        rat_year=None,
        rat_date=dt.date(2022, 5, 10),
        rat_book_year=2021,
    ),
    # Places
    Case(24, "Kota Bpp (alias seed)", kab_kota="Kota Bpp"),
    Case(25, "Kodya Balikpapan", kab_kota="Kodya Balikpapan"),
    Case(26, "Kotamadya Balikpapan", kab_kota="Kotamadya Balikpapan"),
    Case(
        27,
        "kab/kota typo: counted in the file's kab/kota, flagged",
        kab_kota="Kota Balikpapn",
        kecamatan="Balikpapan Utara",
        expect_kecamatan="Balikpapan Utara",
        gaps=_gaps("kab_kota_tidak_dikenali"),
        gap_values=(("kab_kota_tidak_dikenali", "Kota Balikpapn"),),
    ),
    Case(
        28,
        "a Samarinda kecamatan under Kota Balikpapan: kecamatan tidak_diketahui, contradiction flagged",
        kecamatan="Samarinda Ulu",
        expect_kecamatan=None,
        gaps=_gaps("kab_kota_tidak_sesuai_kecamatan", "kecamatan_unmatched"),
        gap_values=(("kecamatan_unmatched", "Samarinda Ulu"),),
    ),
    Case(29, "blank kab/kota: the file's kab/kota", kab_kota=None),
    Case(
        30,
        "Balikpapan Baru is a housing estate, not a kecamatan",
        kecamatan="Kec. Balikpapan Baru",
        expect_kecamatan=None,
        gaps=_gaps("kecamatan_unmatched"),
        gap_values=(("kecamatan_unmatched", "Kec. Balikpapan Baru"),),
    ),
    # Identity
    Case(
        31,
        "suspected duplicate of 32 (same name and badan hukum, digits swapped): both counted, both flagged",
        name="Koperasi Karya Bersama",
        legal_entity="503/BH/XVI.4/2012",
        gaps=_gaps("duplikat_dicurigai"),
    ),
    Case(
        33,
        "the newer row (Tidak Aktif, updated 20/08/2024) wins over a stale copy placed below it",
        status="Tidak Aktif",
        updated=dt.date(2024, 8, 20),
        activity="tidak_aktif",
    ),
    Case(
        34,
        "one number with two names in one update: counted once, flagged",
        name="Koperasi Sinar Harapan",
        gaps=_gaps("nomor_koperasi_nama_berbeda"),
    ),
    # Pelaporan Digital
    Case(
        35,
        "Pelaporan Digital Ya",
        jenis="Pemasaran",
        expect_jenis="pemasaran",
        digital="Ya",
        reports_digitally=True,
    ),
    Case(36, "Pelaporan Digital Sudah", digital="Sudah", reports_digitally=True),
    Case(
        37,
        "Pelaporan Digital Kadang: not counted as reporting, flagged",
        digital="Kadang",
        reports_digitally=None,
        gaps=_gaps("pelaporan_digital_tidak_dikenali"),
        gap_values=(("pelaporan_digital_tidak_dikenali", "Kadang"),),
    ),
    # What the loader must read (issue 16, the lead's side)
    Case(
        38,
        "TB 2023: book year 2023",
        status=None,
        rat_year="TB 2023",
        rat_book_year=2023,
        rat_held=True,
        loader=True,
    ),
    Case(
        39,
        "Th. 2020: book year 2020 < 2021, inactive by the RAT rule",
        status=None,
        rat_year="Th. 2020",
        rat_book_year=2020,
        activity="tidak_aktif",
        gaps=_gaps("coop_rat_overdue"),
        loader=True,
    ),
    Case(
        40,
        "Tanggal RAT Maret 2024 (day unknown): book year 2023",
        status=None,
        rat_year=None,
        rat_date="Maret 2024",
        rat_book_year=2023,
        rat_held=True,
        loader=True,
    ),
    Case(
        41,
        "Tanggal RAT 12 Mrt 2024: book year 2023",
        status=None,
        rat_year=None,
        rat_date="12 Mrt 2024",
        rat_book_year=2023,
        rat_held=True,
        loader=True,
    ),
    Case(42, "money 1,2 M and Rp 2,5 Milyar", modal_sendiri="1,2 M", aset="Rp 2,5 Milyar", loader=True),
    Case(43, "850 jt, 12 orang, 1,234", aset="850 jt", members=("12 orang", "1,234"), loader=True),
    Case(
        44,
        "a number typed with non-breaking spaces",
        typed_number="6471\u00a00000\u00a00000\u00a00044",
        loader=True,
    ),
    Case(
        46,
        "an amount nobody can read is a gap, the row still counts",
        aset="Rp 1O.000.000",
        gaps=_gaps("nilai_tidak_terbaca"),
        gap_values=(("nilai_tidak_terbaca", "Rp 1O.000.000"),),
        loader=True,
    ),
)
# Rows that are not a registered cooperative: (typed number, why, reject rule)
TRUNCATED = 6471020000000000  # went through scientific notation: 6,47102E+15 and back
REJECTED: tuple[tuple[Cell, str], ...] = (
    (TRUNCATED, "nomor_koperasi_terpotong"),
    (None, "blank number on a named row: a real reject"),
)
# The suspected duplicate of case 31: two adjacent digits swapped (6471000000000031 -> 6471000000000301), same
# name and badan hukum number. Written right after 31.
SUSPECT_NUMBER = number(31)[:-3] + number(31)[-2] + number(31)[-3] + number(31)[-1]
SUSPECT = Case(
    0,
    "the suspected duplicate row of 31 (digits swapped): counted and flagged, like 31",
    name="Koperasi Karya Bersama",
    legal_entity="503/BH/XVI.4/2012",
    typed_number=SUSPECT_NUMBER,
    gaps=_gaps("duplikat_dicurigai"),
)

# Hand count (docs/cooperatives.md rules applied by hand to CASES + the suspect row; see each Case.why):
# registered: 44 cases + the suspected duplicate = 45 distinct numbers (33 and 34 appear twice, count once;
# 6471020000000000 and the blank number are rejected).
# active: 6, 9, 10, 12-20, 21-23, 24-30, 31, 34, 35-37, 38, 40-44, 46 and the suspect = 35;
# inactive: 1-5, 7, 11, 33, 39 = 9; tidak_diketahui: 8 = 1.
# Active by jenis: simpan_pinjam 12, 16; simpan_pinjam_syariah 14; produsen 21; jasa 22; pemasaran 35;
# tidak_diketahui 17; konsumen the other 28.
HAND_COUNT = {
    "registered": 45,
    "active": 35,
    "inactive": 9,
    "status_unknown": 1,
    "active_by_type": {
        "konsumen": 28,
        "produsen": 1,
        "jasa": 1,
        "simpan_pinjam": 2,
        "pemasaran": 1,
        "simpan_pinjam_syariah": 1,
        "tidak_diketahui": 1,
    },
    "active_kecamatan_unknown": 2,  # 28 (Samarinda Ulu) and 30 (Balikpapan Baru)
    "rat_last_book_year": 4,  # 21 (2024, flagged), 38 (TB 2023), 40 (Maret 2024), 41 (12 Mrt 2024)
    "digital_reporting": 2,  # 35 Ya, 36 Sudah
}

HEADER = (
    "No",
    "Nomor Induk Koperasi",
    "Nama Koperasi",
    "Nomor Badan Hukum",
    "Kab/Kota",
    "Kecamatan",
    "Bentuk Koperasi",
    "Jenis Koperasi",
    *REGISTER_FIGURES,
    "Tanggal Pemutakhiran",
)


def _row(index: int, case: Case) -> list[Cell]:
    return [
        index,
        case.typed_number if case.typed_number is not None else case.number,
        case.coop_name,
        case.legal_entity or f"{case.serial:03d}/BH/XVI.4/2010",
        case.kab_kota,
        case.kecamatan,
        case.bentuk,
        case.jenis,
        case.rat_year,
        case.rat_date,
        case.members[0],
        case.members[1],
        case.modal_sendiri,
        case.aset,
        case.status,
        case.digital,
        case.updated,
    ]


def _data_rows() -> list[list[Cell]]:
    """Data rows with the non-data rows an office leaves in (returned in sheet order)."""
    rows: list[list[Cell]] = [
        [f"({i})" for i in range(1, len(HEADER) + 1)]
    ]  # column numbers under the header
    index = 0

    def add(case: Case) -> None:
        nonlocal index
        index += 1
        rows.append(_row(index, case))

    for case in CASES:
        if case.serial == 33:
            add(case)  # the newer row first ...
            stale = Case(33, "stale copy", status="Aktif", updated=dt.date(2024, 2, 1))
            add(stale)  # ... and a stale copy of it below
            continue
        if case.serial == 34:
            add(case)
            add(Case(34, "same number, another name", name="Koperasi Sinar Harapan Baru"))
            continue
        add(case)
        if case.serial == 31:
            add(SUSPECT)
        if case.serial == 20:
            rows.append(["", "JUMLAH HAL. 1", *[""] * (len(HEADER) - 3), 20])  # page subtotal
            rows.append(list(HEADER))  # the header repeated on the next printed page
    for typed, _why in REJECTED:
        index += 1
        rows.append(
            [
                index,
                typed,
                "Koperasi Tanpa Nomor" if typed is None else "Koperasi Nomor Terpotong",
                "999/BH/XVI.4/2010",
                "Kota Balikpapan",
                "Balikpapan Kota",
                "Primer",
                "Konsumen",
                2022,
                None,
                10,
                10,
                None,
                None,
                "Aktif",
                None,
                dt.date(2024, 9, 1),
            ]
        )
    rows.append(["TOTAL", "", "", "", "", "", "", "", "", "", 999, 999])
    rows.append(["Sumber: Dinas Koperasi, UMKM dan Perindustrian Kota Balikpapan"])
    rows.append(["Keterangan: data sementara, menunggu verifikasi"])
    return rows


def _rekap_rows() -> list[list[Cell]]:
    return [["Balikpapan Kota", 40, 30], ["Balikpapan Utara", 5, 4], ["JUMLAH", 45, 34]]


# Health assessments 2024: (case serial, predikat as typed, expected category, expected gap)
HEALTH: tuple[tuple[int, str, str, str | None], ...] = (
    (12, "Sehat", "sehat", None),
    (13, "Cukup Sehaat", "cukup_sehat", "nilai_dicocokkan_mirip"),  # typo read as Cukup Sehat
    (14, "Baik", "tidak_diketahui", "predikat_tidak_dikenali"),  # scores say Sehat: never used instead
)


def write_messy_register(out_dir: Path) -> None:
    """raw/cooperatives/ with the messy register (xlsx, data sheet + Rekap sheet) and a health CSV."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_workbook(
        out_dir / Path(FILE).name,
        [
            SheetSpec(
                SHEET,
                HEADER,
                _data_rows(),
                title_rows=("DATA KOPERASI KOTA BALIKPAPAN KEADAAN 15 SEPTEMBER 2024",),
            ),
            SheetSpec(
                "Rekap", ("Kecamatan", "Jumlah Koperasi", "Aktif"), _rekap_rows(), title_rows=("REKAP",)
            ),
        ],
    )
    write_csv(
        out_dir / Path(HEALTH_FILE).name,
        HEALTH_HEADER,
        [
            [
                i,
                number(serial),
                f"Koperasi Uji Berantakan {serial:03d}",
                2024,
                "85,00",
                "85,00",
                "85,00",
                "85,00",
                predikat,
            ]
            for i, (serial, predikat, _, _) in enumerate(HEALTH, start=1)
        ],
    )
