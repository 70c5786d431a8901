"""One file's cells: ``Formatter`` types each value as that export does (typed cells in xlsx, text in the
file's style in CSV: NIBs that lost zeros or carry an apostrophe, day-first or month-first dates, Indonesian
month names, rupiah text, loosely spelled places), and the row of each family's record."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from pipelines.sample.cells import MONTHS
from pipelines.sample.permits.areas import KELURAHAN_VARIANTS, Place
from pipelines.sample.permits.kbli import KL_SECTOR, RISK_TEXT
from pipelines.sample.permits.layouts import SCALE_TEXT, ExportSpec
from pipelines.sample.permits.records import Business, Permit, Project
from pipelines.sample.writers import Cell

MONTH_ABBREVIATIONS = (
    ("Jan",), ("Feb", "Peb"), ("Mar",), ("Apr",), ("Mei",), ("Jun",), ("Jul",), ("Agt", "Agu", "Agus"),
    ("Sep", "Sept"), ("Okt",), ("Nov", "Nop"), ("Des",),
)  # fmt: skip


def _indonesian_date(day: dt.date, rng: random.Random, *, abbreviated: bool) -> str:
    month = rng.choice(MONTH_ABBREVIATIONS[day.month - 1]) if abbreviated else MONTHS[day.month - 1]
    return f"{day.day} {month} {day.year}"


class Formatter:
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


def _place_cells(fx: Formatter, place: Place, levels: Sequence[str]) -> list[Cell]:
    """The place columns in the export's order (each spelled, and drawn, in that order)."""
    return [getattr(fx, level)(place) for level in levels]


def nib_row(b: Business, fx: Formatter) -> list[Cell]:
    return [
        fx.nib(b.nib),
        fx.date(b.registered, "tanggal_terbit_oss"),
        b.name,
        b.investment_status,
        b.company_type,
        fx.scale(b.scale),
        b.address,
        *_place_cells(fx, b.place, ("kelurahan", "kecamatan", "kab_kota")),
        b.email,
        b.phone,
    ]


def project_row(p: Project, fx: Formatter) -> list[Cell]:
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
        *_place_cells(fx, b.place, ("kab_kota", "kecamatan", "kelurahan")),
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


def permit_row(permit: Permit, fx: Formatter) -> list[Cell]:
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
