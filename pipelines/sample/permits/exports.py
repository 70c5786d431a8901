"""``write_permit_exports``: build the profile's records, write every planned file (with its title rows and
planted invalid rows, and the copy of a file uploaded twice) and return the truth of what was written."""

from __future__ import annotations

import bisect
import random
import shutil
from pathlib import Path

from pipelines.sample.cells import MONTHS
from pipelines.sample.permits.build import Builder
from pipelines.sample.permits.calibration import PROFILES, PermitProfile
from pipelines.sample.permits.families import FAMILIES
from pipelines.sample.permits.invalid import invalid_row
from pipelines.sample.permits.layouts import ExportSpec
from pipelines.sample.permits.plan import plan
from pipelines.sample.permits.records import Business, Permit, Project
from pipelines.sample.permits.render import Formatter
from pipelines.sample.permits.truth import PermitTruth, compute_truth
from pipelines.sample.quirks import PERMIT_INVALID_ROWS
from pipelines.sample.writers import write_csv, write_xlsx


def _title_rows(spec: ExportSpec, profile: PermitProfile) -> tuple[str, ...]:
    if not spec.titled:
        return ()
    period = (
        f"Periode: {spec.start.day} {MONTHS[spec.start.month - 1]} {spec.start.year} s.d. "
        f"{spec.end.day} {MONTHS[spec.end.month - 1]} {spec.end.year}"
    )
    return (f"{FAMILIES[spec.family].title} {profile.region_title}", period)


def _write(
    spec: ExportSpec, builder: Builder, out_dir: Path
) -> tuple[list[Business | Project | Permit], int]:
    """Write one file; return the valid records it holds and how many of its planted rows are rejected."""
    family = FAMILIES[spec.family]
    fx = Formatter(spec, random.Random(f"{builder.profile.name}:{builder.seed}:{spec.name}"))
    all_records = family.records(builder)
    days = builder.days[spec.family]
    records = list(all_records[bisect.bisect_left(days, spec.start) : bisect.bisect_right(days, spec.end)])
    rows = [family.row(record, fx) for record in records]
    for kind in spec.invalid:
        rows.insert(fx.rng.randrange(len(rows) + 1), invalid_row(kind, spec, builder, records, fx))
    if spec.family == "izin":
        for number, row in enumerate(rows, start=1):
            row[0] = number if fx.xlsx else str(number)
    header = family.headers[spec.header] if spec.header else None
    path = out_dir / spec.name
    titles = _title_rows(spec, builder.profile)
    if spec.fmt == "xlsx":
        write_xlsx(path, header, rows, title_rows=titles)
    else:
        write_csv(
            path,
            header,
            rows,
            delimiter=";" if spec.fmt == "csv-id" else ",",
            encoding=spec.encoding,
            title_rows=titles,
        )
    return records, sum(1 for kind in spec.invalid if PERMIT_INVALID_ROWS[kind][0])


def write_permit_exports(out_dir: Path, profile: str, seed: int = 20240503) -> PermitTruth:
    """Write one profile's OSS exports into ``out_dir`` (the raw ``permits/`` folder); return their truth.

    Files of the same name are overwritten and nothing else in ``out_dir`` is touched: pass an empty folder.
    """
    chosen = PROFILES[profile]
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = Builder(chosen, seed)
    landed: dict[str, list[Business | Project | Permit]] = {name: [] for name in FAMILIES}
    rejected = files = duplicates = 0
    for spec in plan(chosen):
        records, planted = _write(spec, builder, out_dir)
        landed[spec.family].extend(records)
        rejected += planted
        files += 1
        if spec.duplicate_as:
            shutil.copyfile(out_dir / spec.name, out_dir / spec.duplicate_as)
            landed[spec.family].extend(records)
            files += 1
            duplicates += 1
    return compute_truth(
        chosen, landed["nib"], landed["proyek"], landed["izin"], rejected, files, duplicates, builder.nibless
    )
