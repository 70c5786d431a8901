"""The plan of one profile's register: every cooperative, its earlier values, the pasted duplicate, health.

Built in steps that each draw from the one seeded generator in a fixed order (slots of the groups, the exact
jenis and kecamatan splits, the cooperatives, the new ones, the history between updates, the ones that left);
``snapshot`` gives the register as it stood at an earlier update.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from faker import Faker

from pipelines.sample.cooperatives.build import Builder, Coop, day_between, rat_date_for, weighted
from pipelines.sample.cooperatives.calibration import UNKNOWN_DISTRICT
from pipelines.sample.cooperatives.health import HealthEntry, health_plan
from pipelines.sample.cooperatives.regions import INACTIVE_JENIS_WEIGHTS, Group, Region

# (group, book year of the last RAT or None, how the RAT is shown: "both" | "year" | "date" | "none")
Slot = tuple[Group, int | None, str]
# The cooperative of each profile that moves kecamatan between updates: (kecamatan now, kecamatan before).
_MOVES = {
    "balikpapan": ("Balikpapan Kota", "Balikpapan Tengah"),
    "kaltara": ("Tarakan Tengah", "Tarakan Barat"),
}


@dataclass
class Plan:
    coops: list[Coop]  # everyone: the latest register plus the ones that left it
    earlier: dict[str, dict[str, object]]  # nik -> field values that held before the latest update
    duplicate: str  # nik of the row pasted twice into the latest export
    health: dict[int, list[HealthEntry]]  # year -> (coop, scores, predikat)


def plan(region: Region, rng: random.Random, fake: Faker) -> Plan:
    b = Builder(region, rng, fake)
    slots = _slots(region, rng, b.last_closed)
    active_slots = [s for s in slots if s[0].active]
    inactive_slots = [s for s in slots if not s[0].active]
    jenis, kabs, districts = _splits(region, rng, len(slots), len(active_slots))
    coops, new_candidates = _active_coops(b, active_slots, jenis, districts, kabs)
    coops += _inactive_coops(b, inactive_slots, kabs[len(active_slots) :])
    history = _History(b, _found_new(b, new_candidates))
    history.plant([c for c in coops if c.bh_date < region.updates[0]])
    coops += _gone(b)
    # One row pasted twice into the latest export: an active one, so a missing dedup shows in every split.
    duplicate = history.pick(
        [c for c in coops if c.status == "aktif" and c.kecamatan is not None and not c.gone], 1
    )
    health = health_plan(rng, [c for c in coops if not c.gone]) if region.profile == "balikpapan" else {}
    return Plan(coops, history.earlier, duplicate[0].nik, health)


def _slots(region: Region, rng: random.Random, last_closed: int) -> list[Slot]:
    """One slot per cooperative of each group: its RAT book year and how the export shows the RAT."""
    slots: list[Slot] = []
    for group in region.groups:
        shown = ["date"] * group.date_only + [
            "year" if rng.random() < 0.2 else "both" for _ in range(group.n - group.date_only)
        ]
        for show in shown:
            rat_year = None if group.rat is None else last_closed + rng.randint(*group.rat)
            slots.append((group, rat_year, show if rat_year is not None else "none"))
    return slots


def _splits(
    region: Region, rng: random.Random, n_slots: int, n_active: int
) -> tuple[list[str], list[str], list[str | None]]:
    """(jenis of each active coop, kab/kota of every slot, kecamatan of each active one, None: drawn)."""
    jenis_active = [j for j, n in region.active_jenis.items() for _ in range(n)]
    if len(jenis_active) != n_active:
        raise ValueError(f"{region.profile}: jenis split {len(jenis_active)} != {n_active} active")
    rng.shuffle(jenis_active)
    kabs = [weighted(rng, region.kab_weights) for _ in range(n_slots)]
    if region.active_district is not None:
        districts: list[str | None] = [d for d, n in region.active_district.items() for _ in range(n)]
    else:
        districts = [UNKNOWN_DISTRICT] * region.unknown_active + [None] * (n_active - region.unknown_active)
    rng.shuffle(districts)
    return jenis_active, kabs, districts


def _active_coops(
    b: Builder, slots: list[Slot], jenis: list[str], districts: list[str | None], kabs: list[str]
) -> tuple[list[Coop], list[Coop]]:
    """(the active cooperatives, those active by register without a RAT: candidates for new ones)."""
    coops: list[Coop] = []
    new_candidates: list[Coop] = []
    for (group, rat_year, shown), kind, district, kab in zip(slots, jenis, districts, kabs, strict=False):
        coop = b.coop(
            jenis=kind,
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
    return coops, new_candidates


def _inactive_coops(b: Builder, slots: list[Slot], kabs: list[str]) -> list[Coop]:
    """The inactive cooperatives; the first few say no valid kecamatan (region.unknown_inactive_raw)."""
    coops: list[Coop] = []
    unknown_raw = list(b.region.unknown_inactive_raw)
    for index, (group, rat_year, shown) in enumerate(slots):
        coop = b.coop(
            jenis=weighted(b.rng, INACTIVE_JENIS_WEIGHTS),
            district=UNKNOWN_DISTRICT if index < len(unknown_raw) else None,
            kab=kabs[index],
            status=group.status,
            rat_year=rat_year,
            rat_shown=shown,
            active=False,
        )
        if index < len(unknown_raw):
            coop.kec_raw = unknown_raw[index]
        coops.append(coop)
    return coops


def _found_new(b: Builder, candidates: list[Coop]) -> set[str]:
    """New cooperatives: founded between two updates, active by register, no RAT yet. Returns their niks."""
    region, rng = b.region, b.rng
    new_picks = rng.sample(candidates, sum(region.new_per_update))
    cursor = 0
    for i, count in enumerate(region.new_per_update, start=1):
        for coop in new_picks[cursor : cursor + count]:
            founded = day_between(
                rng, region.updates[i - 1] + dt.timedelta(days=3), region.updates[i] - dt.timedelta(days=7)
            )
            coop.bh_date, coop.bh_no = founded, b.badan_hukum(founded)
            coop.money = dict.fromkeys(coop.money)
        cursor += count
    return {c.nik for c in new_picks}


class _History:
    """Changes between updates, each planted on cooperatives that no other change has taken."""

    def __init__(self, builder: Builder, taken: set[str]) -> None:
        self.b = builder
        self.taken = taken
        self.earlier: dict[str, dict[str, object]] = {}

    def pick(self, pool: Sequence[Coop], n: int) -> list[Coop]:
        chosen = self.b.rng.sample([c for c in pool if c.nik not in self.taken], n)
        self.taken.update(c.nik for c in chosen)
        return chosen

    def plant(self, old: list[Coop]) -> None:
        """On cooperatives founded before the first update."""
        self._became_inactive(old)
        self._reactivated(old)
        self._moved(old)
        self._changed_jenis(old)
        self._digital_reporters(old)

    def _became_inactive(self, old: list[Coop]) -> None:
        pool = [c for c in old if c.status == "tidak_aktif" and c.kecamatan is not None]
        for coop in self.pick(pool, self.b.region.became_inactive):
            self.earlier[coop.nik] = {"status": "aktif"}

    def _reactivated(self, old: list[Coop]) -> None:
        """Inactive before, then held the RAT for the last closed book year."""
        last_closed, updates = self.b.last_closed, self.b.region.updates
        pool = [
            c
            for c in old
            if c.status == "aktif"
            and c.rat_year == last_closed
            and c.rat_shown == "both"
            and c.rat_date > updates[-2]
        ]
        reactivated = self.pick(pool, 1)[0]
        self.earlier[reactivated.nik] = {
            "status": "tidak_aktif",
            "rat_year": last_closed - 4,
            "rat_shown": "both",
            "rat_date": rat_date_for(self.b.rng, last_closed - 4, self.b.latest),
        }

    def _moved(self, old: list[Coop]) -> None:
        """Moved to another kecamatan (an active one, so it shows in the district split)."""
        region = self.b.region
        main, other = _MOVES[region.profile]
        mover = self.pick([c for c in old if c.status == "aktif" and c.kecamatan == main], 1)[0]
        other_kab = next(k for k, kecs in region.places.items() if other in kecs)
        self.earlier[mover.nik] = {
            "kecamatan": other,
            "kelurahan": self.b.rng.choice(region.places[other_kab][other][1]),
            "address": self.b.address(),
        }

    def _changed_jenis(self, old: list[Coop]) -> None:
        """Registered as jasa, now konsumen."""
        pool = [c for c in old if c.status == "aktif" and c.jenis == "konsumen" and c.kelompok == "KSU"]
        changer = self.pick(pool, 1)[0]
        self.earlier[changer.nik] = {"jenis": "jasa", "sektor": "Jasa Lainnya"}

    def _digital_reporters(self, old: list[Coop]) -> None:
        """Active, with a recent RAT; reporting digitally since a day of the planned start year."""
        b, region = self.b, self.b.region
        pool = [
            c
            for c in old
            if c.status == "aktif" and c.rat_year is not None and c.rat_year >= b.last_closed - 1
        ]
        for coop, year in zip(self.pick(pool, len(region.digital)), region.digital, strict=True):
            first = (
                dt.date(year, 3, 1) if year < b.latest.year else region.updates[-2] + dt.timedelta(days=15)
            )
            coop.digital_since = day_between(
                b.rng, first, min(dt.date(year, 11, 30), b.latest - dt.timedelta(days=10))
            )


def _gone(b: Builder) -> list[Coop]:
    """Present in the earlier updates only (dissolved or merged before the latest)."""
    gone: list[Coop] = []
    for _ in range(b.region.gone):
        kab = weighted(b.rng, b.region.kab_weights)
        coop = b.coop(
            jenis=weighted(b.rng, INACTIVE_JENIS_WEIGHTS),
            district=None,
            kab=kab,
            status="tidak_aktif",
            rat_year=b.last_closed - 6,
            rat_shown="both",
            active=False,
        )
        coop.gone = True
        gone.append(coop)
    return gone


def snapshot(plan: Plan, update: dt.date, latest: dt.date) -> list[Coop]:
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
