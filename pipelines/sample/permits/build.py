"""Builds one profile's businesses, projects and permits; all randomness flows from one seed, in a fixed order
(businesses by registration date, then their projects, then permits), so a seed gives the same records."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence

from faker import Faker

from pipelines.sample.permits.areas import Area, Place
from pipelines.sample.permits.calibration import PermitProfile, allocate
from pipelines.sample.permits.families import FAMILIES
from pipelines.sample.permits.kbli import KBLI_CODES, Kbli
from pipelines.sample.permits.records import Business, Permit, Project
from pipelines.sample.permits.truth import SCALE_CAPITAL_BOUNDS, SCALE_KEYS, SCALES
from pipelines.sample.permits.vocabulary import (
    CAPITAL_RANGES,
    COMPANY_TYPES,
    DAY_WEIGHTS,
    LEGAL_PREFIX,
    NAME_PREFIXES,
    NAME_WORDS,
    SPECIAL_NAMES,
    WORKERS,
)
from pipelines.sample.quirks import nib_prefix


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


class Builder:
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
        counts = {**fixed, **allocate(total - sum(fixed.values()), rest)}
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
                    id=f"R-{submitted:%Y%m%d}{hhmmss(second)}{self.project_serial:06d}",
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
                kind, document = permit_document(project.kbli, second=index > 0)
                self.permit_serial += 1
                clock = hhmmss(rng.randrange(7 * 3600, 22 * 3600))
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
        kind, document = permit_document(project.kbli, second=False)
        self.permit_serial += 1
        clock = hhmmss(self.rng.randrange(7 * 3600, 22 * 3600))
        issued = project.submitted
        return Permit(f"I-{issued:%Y%m%d}{clock}{self.permit_serial:06d}", project, issued, kind, document)


def hhmmss(second: int) -> str:
    """hhmmss of a second of the day, as OSS ids embed the submission time."""
    return f"{second // 3600:02d}{second // 60 % 60:02d}{second % 60:02d}"


def permit_document(kbli: Kbli, *, second: bool) -> tuple[str, str]:
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
