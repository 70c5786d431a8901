"""Rendering a cooperative into the cells of one export, as that office types them, and the export's records.

Each function draws from the file's generator in a fixed order; a cell keeps the class the rules give it.
"""

from __future__ import annotations

import datetime as dt
import random

from faker import Faker

from pipelines.sample.cells import MONTHS, MONTHS_SHORT
from pipelines.sample.chance import band
from pipelines.sample.cooperatives.build import Coop
from pipelines.sample.cooperatives.layouts import RegistryFile, Style
from pipelines.sample.cooperatives.places import KAB_KOTA_SPELLINGS
from pipelines.sample.cooperatives.rules import clean_nik
from pipelines.sample.cooperatives.spellings import apply_spellings
from pipelines.sample.cooperatives.vocabulary import JENIS_SPELLINGS, NAME_WORDS
from pipelines.sample.writers import Cell

# How a kecamatan is typed: the form a roll picks (band of the roll below each bound; the last: above all).
_KECAMATAN_BOUNDS = (0.35, 0.6, 0.75, 0.82, 0.88, 0.95)
_KECAMATAN_FORMS = (
    "{name}",
    "{upper}",
    "Kec. {name}",
    "KEC. {upper}",
    "Kecamatan {name}",
    "{spaced}",
    "{lower}",
)


def _date_text(rng: random.Random, day: dt.date, style: str, allow_short_year: bool) -> Cell:
    roll = rng.random()
    long_form = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
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
        return f"{day.day} {MONTHS_SHORT[day.month - 1]} {day.year}"
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
    form = _KECAMATAN_FORMS[band(rng.random(), _KECAMATAN_BOUNDS)]
    return form.format(name=name, upper=name.upper(), lower=name.lower(), spaced=name.replace(" ", "  ", 1))


def _render(rng: random.Random, coop: Coop, style: Style, update: dt.date) -> dict[str, Cell]:
    up = (lambda s: s.upper()) if style.upper else (lambda s: s)
    if style.nik == "number" and rng.random() > 0.01:
        nik: Cell = int(coop.nik)
    elif rng.random() < 0.03 or style.nik == "number":
        nik = " ".join(coop.nik[i : i + 4] for i in range(0, 16, 4))
    else:
        nik = coop.nik
    kecamatan = _kecamatan_spelling(rng, coop.kecamatan) if coop.kecamatan is not None else coop.kec_raw
    jenis = rng.choice(JENIS_SPELLINGS[coop.jenis]) if rng.random() < 0.25 else JENIS_SPELLINGS[coop.jenis][0]
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
        "kab_kota": KAB_KOTA_SPELLINGS[coop.kab_kota][rng.choice(style.kab_spellings)],
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


def _sort_key(kind: str) -> object:
    if kind == "name":
        return lambda c: c.name.lower()
    if kind == "nik":
        return lambda c: c.nik
    return lambda c: (c.bh_date, c.nik)


def registry_rows(
    rng: random.Random, builder_fake: Faker, spec: RegistryFile, coops: list[Coop], duplicate: str
) -> list[dict[str, Cell]]:
    """The export's records (valid and invalid, in file order); non-data rows are added by sheets.layout."""
    rows = [_render(rng, c, spec.style, spec.update) for c in sorted(coops, key=_sort_key(spec.sort))]
    if spec.spellings:  # before the duplicate is pasted, so that it stays an exact copy
        apply_spellings(rows, random.Random(f"spellings:{spec.name}"), spec.update.year - 1)
    # Invalid rows are extra cooperatives (not in the truth), placed among the others.
    for bad in spec.invalid:
        extra = dict(rng.choice(rows))
        extra["nomor_induk_koperasi"] = bad
        extra["nama_koperasi"] = f"Koperasi {rng.choice(NAME_WORDS)} {rng.choice(NAME_WORDS)}"
        if spec.style.upper:
            extra["nama_koperasi"] = str(extra["nama_koperasi"]).upper()
        extra["nama_ketua"] = builder_fake.name()
        rows.insert(rng.randint(1, len(rows) - 1), extra)
    if spec.duplicate:
        original = next(r for r in rows if clean_nik(r["nomor_induk_koperasi"]) == duplicate)
        rows.append(dict(original))
    for number, row in enumerate(rows, start=1):
        row["no"] = number
    return rows
