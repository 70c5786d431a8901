"""Quirks of real exports that the samples plant, as data (issues 8, 14 and 16).

The generators (``permits.py``, ``cooperatives.py``) read these tables; the tests in ``tests/sample`` check
that every planted quirk is really in the written files. Each table says what the pipeline must make of the
quirk, so a spelling can only be planted together with the class the documented rules give it.
"""

from __future__ import annotations

import datetime as dt

# --- NIB shapes by era (domain.md: seen in ~21,500 distinct NIBs of two real offices' exports) -----------
# (last issue day of the era, prefix). NIBs of 2018-19 begin 8120/9120 (the generator uses 8120 for 2018 and
# earlier, 9120 for 2019); 2020 begin 02; January-July 2021 begin 12. The generator completes 2020 and early
# 2021 prefixes to 0220 / 1221 (never a day-month pair, so they cannot pass for an issue date). Since OSS RBA
# (August 2021) the first six digits are the issue date ddmmyy (0101230002777 was issued 1 January 2023).
# So no NIB begins with 00 and a NIB typed as a number loses at most one leading zero.
NIB_ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2018, 12, 31), "8120"),
    (dt.date(2019, 12, 31), "9120"),
    (dt.date(2020, 12, 31), "0220"),
    (dt.date(2021, 7, 31), "1221"),
)
OSS_RBA_START = dt.date(2021, 8, 1)  # from here on: ddmmyy of the issue date + a 7-digit daily sequence


def nib_prefix(issued: dt.date) -> str:
    """The NIB's era prefix (4 digits) or, since OSS RBA, its issue date as ddmmyy (6 digits)."""
    for last_day, prefix in NIB_ERAS:
        if issued <= last_day:
            return prefix
    return issued.strftime("%d%m%y")


def restore_nib(text: str) -> str | None:
    """The documented rule (issue 14) a numeric NIB must survive: 13 digits not beginning with 00, or 12
    digits not beginning with 0 (one lost zero put back). 10-12 digits beginning with 0 are phone numbers."""
    if len(text) == 13 and text.isdigit() and not text.startswith("00"):
        return text
    if len(text) == 12 and text.isdigit() and not text.startswith("0"):
        return "0" + text
    return None


def plausible_nib(nib: str | None) -> bool:
    """An era prefix (8120, 9120, 02, 12) or, since OSS RBA, an issue date ddmmyy in its first six digits."""
    if nib is None or not nib.startswith(("8120", "9120", "02", "12")):
        try:
            return nib is not None and dt.datetime.strptime(nib[:6], "%d%m%y").date() >= OSS_RBA_START
        except ValueError:
            return False
    return True


# --- Permit exports: invalid rows the sample plants ------------------------------------------------------
# kind -> (rejected?, what it is). A row is rejected only when its OWN identity is missing or unreadable (the
# NIB of a NIB-list row, Id Proyek, Id Permohonan Izin). A project or permit whose NIB is blank or garbled is
# kept (nib_missing / nib_malformed), and a NIB-list row whose date is junk lands with that date NULL
# (nilai_tidak_terbaca): the sample plants those for businesses outside the region, so they change no figure,
# except one permit of the region with a blank NIB, which the permit count includes.
PERMIT_INVALID_ROWS: dict[str, tuple[bool, str]] = {
    "blank_nib": (True, "NIB cell empty"),
    "letter_nib": (True, "letter O typed for a zero"),
    "sci_nib_dot": (True, "scientific notation, digits lost: 8.12E+12"),
    "sci_nib_comma": (True, "scientific notation from Indonesian Excel: 8,12E+12"),
    "long_nib": (True, "14 digits"),
    "short_nib": (True, "9 digits"),
    "phone_nib": (True, "a mobile number typed in the NIB column (0812...)"),
    "impossible_date": (False, "31/02/yyyy"),
    "dash_date": (False, "'-' for the date"),
    "belum_date": (False, "'belum' for the date"),
    "blank_project_id": (True, "Id Proyek empty"),
    "blank_permit_id": (True, "Id Permohonan Izin empty"),
    "orphan_letter_nib": (False, "a project/permit whose NIB has a letter O (kept, nib_malformed)"),
    "orphan_sci_nib": (False, "a project/permit whose NIB is in scientific notation (kept, nib_malformed)"),
    "orphan_blank_nib": (False, "a project/permit with no NIB (kept, nib_missing)"),
    # Kept and counted by its own kab/kota, listed as nib_missing: the one planted invalid row of the region.
    "region_blank_nib": (False, "a permit of the region whose NIB cell is empty"),
}

# --- Cooperative registers as offices type them (issue 16) -----------------------------------------------
# Each spelling with the class the documented rules give it (docs/cooperatives.md, dbt seeds); the
# generator's oracle (cooperatives.py) must map it to the same class, which its import-time check enforces.
COOP_STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "tidak_aktif": ("TDK AKTIF", "Tdk. Aktif", "Pasif"),
    "aktif": ("aktif (RAT {rat_year})",),  # only on cooperatives whose last RAT book year is rat_year
}
COOP_JENIS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "simpan_pinjam": ("KSP",),
    "konsumen": ("Kop. Konsumen",),
    "simpan_pinjam_syariah": ("KSP Syariah",),
}
COOP_BENTUK_SPELLINGS: dict[str, tuple[str, ...]] = {"primer": ("Koperasi Primer", "Primer Kota")}
COOP_KAB_KOTA_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Kota Balikpapan": ("Kota Bpp", "Kodya Balikpapan"),
    "Kota Tarakan": ("Kodya Tarakan",),
}
COOP_BOOK_YEAR_FORMS = ("TB {year}", "Th. {year}")
# Indonesian month abbreviations that are not the first three letters of the month name.
COOP_MONTH_ABBREVIATIONS = {2: "Peb", 3: "Mrt", 8: "Agt", 10: "Okt", 11: "Nop", 12: "Des"}
COOP_COUNT_FORM = "{n} orang"


def money_words(amount: int) -> str | None:
    """Rupiah as officials shorten it: 1.234.000.000 -> '1,2 M', 850.400.000 -> '850 jt' (None: too small)."""
    if amount >= 1_000_000_000:
        return f"{amount / 1_000_000_000:.1f} M".replace(".", ",")
    if amount >= 1_000_000:
        return f"{round(amount / 1_000_000)} jt"
    return None


# How many cells of each kind one register export rewrites with the spellings above (for status, jenis, bentuk
# and kab/kota: per class), at most: a file may hold fewer cooperatives that fit.
COOP_SPELLING_COUNTS = {
    "status": 9,  # tidak aktif, spelled three ways
    "status_note": 3,  # "aktif (RAT 2023)"
    "jenis": 3,
    "bentuk": 4,
    "kab_kota": 4,
    "book_year": 6,
    "rat_date": 4,
    "money": 6,
    "count": 4,
}

# Non-data rows of registers (skipped by the loader, never rejects): title-less notes under the table, the
# subtotal of a printed page (the grand total is labelled per file: cooperatives/data/files.json).
COOP_NOTES = (
    "Sumber: ODS Kemenkop UKM dan Dinas Koperasi, UKM dan Perindustrian",
    "Keterangan: status Aktif = melaksanakan RAT dalam 3 tahun buku terakhir",
)
COOP_PAGE_TOTAL = "JUMLAH HAL. {page}"
COOP_RECAP_SHEET = "Rekap"
