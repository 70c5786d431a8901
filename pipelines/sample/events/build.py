"""Who attends which event: known businesses typed with their NIB or by name, the planted hard cases, new
businesses without a permit, businesses and communities at both events, and the group of each participant.

One seeded generator draws everything in a fixed order (``Generator.plan``), so a seed gives the same lists.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from faker import Faker
from rapidfuzz import fuzz, process

from pipelines.sample.events.calibration import N_REPEAT_KNOWN, N_REPEAT_NEW, N_SHARED_GROUPS
from pipelines.sample.events.known import KnownIndex
from pipelines.sample.events.layouts import EXPO, TEMU, EventSpec
from pipelines.sample.events.render import ListRenderer
from pipelines.sample.events.rules import business_name_key, group_key
from pipelines.sample.events.truth import (
    CASE_AMBIGUOUS,
    CASE_NAME,
    CASE_NIB,
    CASE_NO_PERMIT,
    CASE_SAME_NAME,
    KnownBusiness,
)
from pipelines.sample.events.typos import retype, typo
from pipelines.sample.events.vocabulary import (
    BRANDS,
    COOP_PREFIXES,
    GROUP_PLACES,
    GROUP_PREFIXES,
    GROUP_THEMES,
    NEW_BUSINESS,
    PERSONS,
    PRODUCTS,
)
from pipelines.sample.places import BALIKPAPAN_KECAMATAN

_TYPO_FLOOR = 85  # a typo'd name scores at least this against its own business ...
_TYPO_MARGIN = 10  # ... and this much more than against any other known business in its kecamatan
_NAME_SHARE = 0.45  # share of known participants typed without NIB (name match); the rest typed their NIB


@dataclass(eq=False)
class Msme:
    ident: int
    case: str
    base_name: str  # the name as this business's people type it (already loose / with a typo)
    kecamatan: str | None  # official name; None = left blank
    product: str
    owner: str
    mobile: str
    nib: str | None = None  # typed only in CASE_NIB
    expected_nib: str | None = None
    groups: dict[str, str] = field(default_factory=dict)  # event code -> group display name
    review_candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attendance:
    """The participants of each event, and the hard cases that could be planted."""

    temu: list[Msme]
    expo: list[Msme]
    repeats: list[Msme]  # at both events
    hard_cases: tuple[str, ...]


class Generator(KnownIndex, ListRenderer):
    def __init__(self, seed: int, known_businesses: Sequence[KnownBusiness]):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        super().__init__(known_businesses)
        self.used_keys: set[str] = set()
        self.new_keys: list[str] = []
        self.next_ident = 0

    # --- who attends ---

    def plan(self) -> Attendance:
        hard, hard_cases, exclude = self._hard_msmes()
        known_both, known_expo, known_temu = self._known_attendance(exclude)
        n_new_expo = EXPO.n_msmes - len(hard) - len(known_both) - len(known_expo) - N_REPEAT_NEW
        n_new_temu = TEMU.n_msmes - len(known_both) - len(known_temu) - N_REPEAT_NEW
        new = self._new_msmes(N_REPEAT_NEW + n_new_expo + n_new_temu)
        new_both, new_expo, new_temu = (
            new[:N_REPEAT_NEW],
            new[N_REPEAT_NEW : N_REPEAT_NEW + n_new_expo],
            new[N_REPEAT_NEW + n_new_expo :],
        )
        repeats = known_both + new_both
        expo_msmes = [*hard, *known_expo, *new_expo, *repeats]
        temu_msmes = [*known_temu, *new_temu, *repeats]
        expo_groups, temu_groups = self._group_names()
        self._assign_groups(EXPO, expo_msmes, expo_groups, repeats, set())
        shared = {m.groups[EXPO.code] for m in repeats} & set(temu_groups)
        self._assign_groups(TEMU, temu_msmes, temu_groups, repeats, shared)
        return Attendance(temu_msmes, expo_msmes, repeats, hard_cases)

    def _hard_msmes(self) -> tuple[list[Msme], tuple[str, ...], set[int]]:
        """The two hard cases (same name in another kecamatan; ambiguous), when the known businesses allow:
        (their participants, which cases, the known businesses they use)."""
        twins, ambiguous = self.hard_cases()
        hard: list[Msme] = []
        hard_cases: list[str] = []
        if twins:
            hard_cases.append(CASE_SAME_NAME)
            for index in twins:
                hard.append(self._retyped_msme(CASE_SAME_NAME, index, expected_nib=self.known[index].nib))
        if ambiguous:
            hard_cases.append(CASE_AMBIGUOUS)
            candidates = tuple(sorted(self.known[i].nib for i in ambiguous))
            hard.append(self._retyped_msme(CASE_AMBIGUOUS, ambiguous[0], review_candidates=candidates))
        return hard, tuple(hard_cases), set(twins or ()) | set(ambiguous or ())

    def _retyped_msme(self, case: str, index: int, **kw: object) -> Msme:
        """A known business attending without NIB, its name retyped (case and legal form only)."""
        self.used_keys.add(self.known_keys[index])
        name = retype(self.rng, self.known[index].name)
        return self._msme(case, name, self.known_kec[index], self.rng.choice(PRODUCTS), **kw)

    def _known_attendance(self, exclude: set[int]) -> tuple[list[Msme], list[Msme], list[Msme]]:
        """Known businesses (not those of the hard cases) at (both events, the Expo only, the Temu only)."""
        wanted = EXPO.n_known + TEMU.n_known - N_REPEAT_KNOWN
        by_nib, by_name = self._regular_pool(exclude, wanted)
        known = [self._known_msme(i, with_nib=True) for i in by_nib]
        known += [self._known_msme(i, with_nib=False) for i in by_name]
        self.rng.shuffle(known)
        total = len(known)
        n_both = round(total * N_REPEAT_KNOWN / wanted)
        n_expo_only = round(total * (EXPO.n_known - N_REPEAT_KNOWN) / wanted)
        return known[:n_both], known[n_both : n_both + n_expo_only], known[n_both + n_expo_only :]

    def _regular_pool(self, exclude: set[int], wanted: int) -> tuple[list[int], list[int]]:
        """(typed with NIB, matched by name): any known business can be typed with its NIB; name matches
        only use businesses alone with their name in their kecamatan."""
        order = [i for i in range(len(self.known)) if self.known_kec[i] and i not in exclude]
        self.rng.shuffle(order)
        total = min(wanted, len(order))
        names_wanted = round(total * _NAME_SHARE)
        by_nib: list[int] = []
        by_name: list[int] = []
        for checked, index in enumerate(order):
            if len(by_name) < names_wanted and checked < 10 * wanted and self.alone_in_kecamatan(index):
                by_name.append(index)
            elif len(by_nib) < total - names_wanted:
                by_nib.append(index)
            if len(by_nib) + len(by_name) >= total:
                break
        # Too few names alone in their kecamatan: the rest typed their NIB.
        chosen = set(by_nib) | set(by_name)
        by_nib += [i for i in order if i not in chosen][: total - len(by_nib) - len(by_name)]
        return by_nib, by_name

    def _msme(self, case: str, base_name: str, kecamatan: str | None, product: str, **kw) -> Msme:
        self.next_ident += 1
        return Msme(
            self.next_ident, case, base_name, kecamatan, product, self.fake.name(), self.mobile(), **kw
        )

    def _known_msme(self, index: int, with_nib: bool) -> Msme:
        business = self.known[index]
        name = self._loose_name(index, typo_share=0.25 if with_nib else 0.45)
        self.used_keys.add(business_name_key(name) or "")
        return self._msme(
            CASE_NIB if with_nib else CASE_NAME,
            name,
            self.known_kec[index],
            self.rng.choice(PRODUCTS),
            nib=business.nib if with_nib else None,
            expected_nib=business.nib,
        )

    def _loose_name(self, index: int, typo_share: float) -> str:
        """The known name as a person would type it; any typo keeps it clearly closest to its business."""
        target = self.known_keys[index]
        for _ in range(8):
            name = retype(self.rng, self.known[index].name)
            if self.rng.random() < typo_share:
                name = typo(self.rng, name)
            key = business_name_key(name)
            if not key or (key in self.used_keys and key != target):
                continue
            score = fuzz.ratio(key, target)
            others = self.similar_in_kecamatan(key, self.known_kec[index])
            best_other = max((v for i, v in others.items() if i != index), default=0)
            if score >= _TYPO_FLOOR and best_other <= score - _TYPO_MARGIN:
                return name
        return string.capwords(self.known[index].name.lower())

    def _new_msmes(self, count: int) -> list[Msme]:
        """New businesses: names unused, far from every known name in the city, not near each other."""
        made: list[Msme] = []
        for _ in range(50):
            candidates = [self._new_name() for _ in range(max(2 * (count - len(made)), 20))]
            keys = [business_name_key(name) or "" for name, _ in candidates]
            far = self.far_from_known(keys)
            for (name, product), key, is_far in zip(candidates, keys, far, strict=True):
                if len(made) == count:
                    return made
                if not key or key in self.used_keys or not is_far:
                    continue
                if self.new_keys and process.extractOne(
                    key, self.new_keys, scorer=fuzz.ratio, score_cutoff=90
                ):
                    continue
                self.used_keys.add(key)
                self.new_keys.append(key)
                kecamatan = None if self.rng.random() < 0.02 else self.rng.choice(BALIKPAPAN_KECAMATAN)
                made.append(self._msme(CASE_NO_PERMIT, name, kecamatan, product))
            if len(made) == count:
                return made
        raise RuntimeError("cannot invent business names far enough from every known business")

    def _new_name(self) -> tuple[str, str]:
        template, product = self.rng.choice(NEW_BUSINESS)
        brand = self.rng.choice(BRANDS).replace("{first}", self.fake.first_name())
        person = self.rng.choice(PERSONS).replace("{first}", self.fake.first_name())
        name = template.format(brand=brand, person=person)
        if self.rng.random() < 0.12:
            name = self.rng.choice(("UD. ", "UD ", "CV ", "CV. ")) + name
        return name, product

    def _group_names(self) -> tuple[list[str], list[str]]:
        needed = EXPO.n_groups + TEMU.n_groups - N_SHARED_GROUPS
        names = ["Komunitas Kuliner Bpp"]
        seen = {group_key(names[0])}
        while len(names) < needed:
            if self.rng.random() < 0.25:
                name = f"{self.rng.choice(COOP_PREFIXES)} {self.rng.choice(GROUP_THEMES)} "
                name += self.rng.choice(GROUP_PLACES)
            else:
                name = f"{self.rng.choice(GROUP_PREFIXES)} {self.rng.choice(GROUP_THEMES)} "
                name += self.rng.choice(GROUP_PLACES)
            if group_key(name) not in seen:
                seen.add(group_key(name))
                names.append(name)
        expo = names[: EXPO.n_groups]
        temu = [*expo[:N_SHARED_GROUPS], *names[EXPO.n_groups :]]
        return expo, temu

    def _assign_groups(
        self, spec: EventSpec, msmes: list[Msme], groups: list[str], repeats: list[Msme], keep: set[str]
    ) -> None:
        repeat_ids = {m.ident for m in repeats}
        fixed = [m for m in msmes if m.ident in repeat_ids and m.groups.get(EXPO.code) in keep]
        for msme in fixed:
            msme.groups[spec.code] = msme.groups[EXPO.code]
        free = [m for m in msmes if spec.code not in m.groups and m.ident not in repeat_ids]
        self.rng.shuffle(free)
        covered = {m.groups[spec.code] for m in fixed}
        missing = [g for g in groups if g not in covered]
        for msme, group in zip(free, missing, strict=False):
            msme.groups[spec.code] = group
        for msme in msmes:
            if spec.code not in msme.groups:
                msme.groups[spec.code] = self.rng.choice(groups)
