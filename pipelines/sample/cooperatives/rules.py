"""The rules of docs/cooperatives.md as the generator's own test oracle, applied to cells as written.

Production applies them in dbt (seeds dbt_project/seeds/rules/cooperative_*.csv, vars cooperative_* of
dbt_project.yml); this copy is independent on purpose, so a wrong seed or model shows up as a figure that
misses the truth (``truth.compute_truth``).
"""

from __future__ import annotations

import re

from pipelines.sample.cells import cell_text, parse_date
from pipelines.sample.quirks import (
    COOP_BENTUK_SPELLINGS,
    COOP_JENIS_SPELLINGS,
    COOP_KAB_KOTA_SPELLINGS,
    COOP_STATUS_SPELLINGS,
)
from pipelines.sample.writers import Cell

ACTIVE_RULE_YEARS = 3  # blank status: active iff RAT book year >= last closed book year - N + 1
HEALTH_BANDS_VERSION = "perdep_06_2016"
# (lower bound of the mean of the four aspect scores, category); the first band whose bound is met wins.
HEALTH_BANDS: tuple[tuple[float, str], ...] = (
    (80.0, "sehat"),
    (66.0, "cukup_sehat"),
    (51.0, "dalam_pengawasan"),
    (0.0, "dalam_pengawasan_khusus"),
)

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


def clean_nik(value: Cell) -> str | None:
    """16 digits once spaces are gone, not ending in 8 zeros (a number that went through 6,47102E+15)."""
    if value is None:
        return None
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else str(value)
    else:
        text = re.sub(r"\s+", "", str(value))
    return text if re.fullmatch(r"\d{16}", text) and not text.endswith("0" * 8) else None


_BOOK_YEAR = re.compile(r"(?:(?:tahun buku|tahun|thn|th|tb)\.?\s*)?((?:19|20)\d\d)", re.IGNORECASE)


def parse_year(value: Cell) -> int | None:
    """2023, '2023', 'TB 2023', 'Th. 2022'."""
    if isinstance(value, int | float):
        return int(value)
    text = cell_text(value)
    match = _BOOK_YEAR.fullmatch(text) if text else None
    return int(match[1]) if match else None


def rat_book_year(row: dict[str, Cell]) -> int | None:
    """Tahun Buku RAT Terakhir, else year(Tanggal RAT) - 1."""
    year = parse_year(row.get("tahun_buku_rat_terakhir"))
    if year is not None:
        return year
    held = parse_date(row.get("tanggal_rat"))
    return held.year - 1 if held else None


def health_category(row: dict[str, Cell]) -> str:
    recorded = cell_text(row.get("predikat"))
    if recorded is not None:
        return PREDIKAT_KESEHATAN[normalise_value(recorded)]
    scores = [
        float(str(row[k]).replace(",", "."))
        for k in ("skor_tata_kelola", "skor_profil_risiko", "skor_kinerja_keuangan", "skor_permodalan")
    ]
    mean = sum(scores) / 4
    return next(category for bound, category in HEALTH_BANDS if mean >= bound)


def is_active(row: dict[str, Cell], last_closed: int) -> bool:
    status = cell_text(row.get("status_koperasi"))
    book_year = rat_book_year(row)
    if status is not None:
        return STATUS_KOPERASI[normalise_value(status)] == "aktif"  # rule "register"
    if book_year is not None:
        return book_year >= last_closed - ACTIVE_RULE_YEARS + 1  # rule "rat_3_years"
    return False  # rule "no_rat_recorded"
