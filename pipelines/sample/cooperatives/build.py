"""One sample cooperative: identity, place, contact, finances, as the builder draws them (order matters: every
draw comes from one seeded generator, so the same seed gives the same cooperatives)."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from faker import Faker

from pipelines.sample.cooperatives.calibration import UNKNOWN_DISTRICT
from pipelines.sample.cooperatives.places import STREETS
from pipelines.sample.cooperatives.regions import Region
from pipelines.sample.cooperatives.vocabulary import (
    INSTITUTIONS,
    KELOMPOK,
    NAME_PREFIX,
    NAME_WORDS,
    ROMAN,
    SEKTOR,
)


@dataclass
class Coop:
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


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def rat_date_for(rng: random.Random, book_year: int, latest: dt.date) -> dt.date:
    """RAT for book year Y is held in Y+1, normally by June; never after the latest update."""
    year = book_year + 1
    if year >= latest.year:
        return day_between(
            rng, dt.date(year, 1, 10), min(dt.date(year, 7, 10), latest - dt.timedelta(days=5))
        )
    if rng.random() < 0.85:
        return day_between(rng, dt.date(year, 1, 10), dt.date(year, 6, 30))
    return day_between(rng, dt.date(year, 7, 1), dt.date(year, 11, 30))


class Builder:
    def __init__(self, region: Region, rng: random.Random, fake: Faker):
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
                core = rng.choice(INSTITUTIONS).format(n=rng.randint(1, 25)) + f" {place}"
            elif kelompok == "Primkopad":
                core = f"Kodim {rng.choice(('0905', '0907', '0910', '0911'))} {rng.choice(NAME_WORDS)}"
            elif kelompok == "Primkoppol":
                core = f"Resor {place} {rng.choice(NAME_WORDS)}"
            else:
                core = rng.choice(NAME_WORDS)
                if rng.random() < 0.5:
                    core += " " + rng.choice(NAME_WORDS)
            name = f"{NAME_PREFIX[kelompok]} {core}"
            if rng.random() < 0.05:
                name += " " + rng.choice(("II", "III", "Baru"))
            if name not in self.names:
                self.names.add(name)
                return name

    def badan_hukum(self, founded: dt.date) -> str:
        if founded.year >= 2014:
            return f"AHU-{self.rng.randrange(10**7):07d}.AH.01.26.TAHUN {founded.year}"
        return f"{self.rng.randint(1, 999)}/BH/{self.rng.choice(ROMAN)}/{founded.year}"

    def address(self) -> str:
        rng = self.rng
        street = rng.choice(STREETS[self.region.profile]).format(
            km=rng.randint(2, 25), blok=rng.choice("ABCDEFGHK")
        )
        text = f"{street} No. {rng.randint(1, 120)}"
        if rng.random() < 0.45:
            sep = " \u2013 " if rng.random() < 0.15 else " "  # en dash: Windows-1252 0x96 in the ';' CSV
            text += f"{sep}RT. {rng.randint(1, 60):02d}"
        return text

    def place(self, kab: str) -> tuple[str, str]:
        kecs = self.region.places[kab]
        kec = weighted(self.rng, {k: w for k, (w, _) in kecs.items()})
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
    ) -> Coop:
        rng = self.rng
        kelompok = weighted(rng, dict(KELOMPOK[jenis]))
        if founded is None:
            newest = (rat_year if rat_year is not None else self.last_closed) - 1
            oldest = 1975 if rat_year is None or rat_year > 1990 else 1965
            founded = day_between(rng, dt.date(oldest, 1, 1), dt.date(newest, 12, 31))
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
        return Coop(
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
            sektor=rng.choice(SEKTOR[jenis]),
            status=status,
            rat_year=rat_year,
            rat_date=rat_date_for(rng, rat_year, self.latest) if rat_year is not None else None,
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
