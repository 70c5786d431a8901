"""``write_cooperative_exports``: plan the profile's register, write every registry export and health file,
count the truth from the cells written and check it against the published figures."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from faker import Faker

from pipelines.sample.cooperatives.calibration import COOP_PROFILES
from pipelines.sample.cooperatives.health import health_rows
from pipelines.sample.cooperatives.layouts import FILES, HEALTH_FILES
from pipelines.sample.cooperatives.plan import Plan, plan, snapshot
from pipelines.sample.cooperatives.regions import REGIONS, Region
from pipelines.sample.cooperatives.render import registry_rows
from pipelines.sample.cooperatives.rules import clean_nik
from pipelines.sample.cooperatives.sheets import layout, recap_sheet, write_sheet
from pipelines.sample.cooperatives.truth import CooperativeTruth, check_calibration, compute_truth
from pipelines.sample.writers import Cell

Rows = list[dict[str, Cell]]


def write_cooperative_exports(out_dir: Path, profile: str, seed: int = 20240715) -> CooperativeTruth:
    """Write the profile's registry exports and health-assessment files into out_dir (a raw dir's
    cooperatives/ folder) and return the figures the pipeline must reproduce from them."""
    if profile not in REGIONS:
        raise ValueError(f"unknown cooperative profile {profile!r}; expected one of {COOP_PROFILES}")
    region = REGIONS[profile]
    rng = random.Random(seed * 7919 + zlib.crc32(profile.encode()))
    fake = Faker("id_ID")
    fake.seed_instance(rng.getrandbits(32))
    the_plan = plan(region, rng, fake)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    kecamatan_names = [k for kecs in region.places.values() for k in kecs]
    latest_rows, rejected = _write_registers(out_dir, region, the_plan, rng, fake, kecamatan_names)
    assessed, rejected_health = _write_health(out_dir, the_plan, rng, fake)
    truth = compute_truth(
        latest_rows,
        region.updates[-1],
        assessed,
        kecamatan_names,
        rejected + rejected_health,
        list(region.places),
    )
    check_calibration(profile, truth)
    return truth


def _rejected(rows: Rows) -> int:
    """Rows the loader rejects: no valid Nomor Induk Koperasi."""
    return sum(1 for r in rows if clean_nik(r.get("nomor_induk_koperasi")) is None)


def _write_registers(
    out_dir: Path, region: Region, the_plan: Plan, rng: random.Random, fake: Faker, kecamatan_names: list[str]
) -> tuple[Rows, int]:
    """Every registry export of the profile; returns (the latest update's records, rows rejected)."""
    rejected = 0
    latest_rows: Rows = []
    for spec in FILES[region.profile]:
        coops = snapshot(the_plan, spec.update, region.updates[-1])
        rows = registry_rows(rng, fake, spec, coops, the_plan.duplicate)
        rejected += _rejected(rows)
        beside = [recap_sheet(rows, spec.update, kecamatan_names)] if spec.recap_sheet else []
        write_sheet(
            out_dir / spec.name,
            spec.header,
            layout(spec, rows),
            spec.title_rows,
            spec.csv,
            spec.sheet,
            beside,
        )
        if spec.update == region.updates[-1]:
            latest_rows = rows
    return latest_rows, rejected


def _write_health(
    out_dir: Path, the_plan: Plan, rng: random.Random, fake: Faker
) -> tuple[dict[int, Rows], int]:
    """The health-assessment files (Balikpapan); returns (rows by assessment year, rows rejected)."""
    assessed: dict[int, Rows] = {}
    rejected = 0
    for year, entries in sorted(the_plan.health.items()):
        rows = health_rows(rng, fake, year, entries)
        rejected += _rejected(rows)
        assessed[year] = rows
        spec = HEALTH_FILES[year]
        write_sheet(out_dir / spec.name, spec.header, rows, spec.title_rows, spec.csv, spec.sheet)
    return assessed, rejected
