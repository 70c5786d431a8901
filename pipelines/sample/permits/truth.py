"""What the permit exports must give: the pipeline's rules (the docstring of ``compute_truth``) applied to the
valid records written, independent of how they were rendered; the tests re-count it from the files."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.sample.permits.kbli import Kbli
from pipelines.sample.permits.records import Business, Permit, Project

if TYPE_CHECKING:
    from pipelines.sample.permits.calibration import PermitProfile

SCALES = ("mikro", "kecil", "menengah", "besar")
SCALE_KEYS = (*SCALES, "tidak_diketahui")
# PP 7/2021 Pasal 35: capital upper bounds (inclusive) in rupiah; above the last one is "besar".
SCALE_CAPITAL_BOUNDS = (("mikro", 1_000_000_000), ("kecil", 5_000_000_000), ("menengah", 10_000_000_000))
KULINER_DIVISIONS = ("10", "11", "56")  # food and drink manufacturing + food service (domain.md)


@dataclass(frozen=True)
class PermitTruth:
    businesses: int  # distinct valid in-region NIBs
    businesses_by_scale: dict[str, int]  # keys mikro, kecil, menengah, besar, tidak_diketahui
    registrations_by_year: dict[str, int]  # "2023": n ...
    permits: int  # distinct valid in-region Id Permohonan Izin
    largest_sector_new: str  # "kuliner" or a KBLI category letter
    rows_rejected: int  # planted rows without their own identity (quirks.PERMIT_INVALID_ROWS; all families)
    files_written: int
    duplicate_files: int  # byte-identical copies planted
    # (nib, business name, kecamatan) of every in-region business: what other samples (events) can refer to.
    registered: tuple[tuple[str, str, str], ...] = ()


def scale_from_capital(capital: int) -> str:
    for scale, bound in SCALE_CAPITAL_BOUNDS:
        if capital <= bound:
            return scale
    return "besar"


def sector_of(kbli: Kbli) -> str:
    return "kuliner" if kbli.division in KULINER_DIVISIONS else kbli.category


def in_region(code: str, region: str) -> bool:
    return code == region or code.startswith(region + ".")


def compute_truth(
    profile: PermitProfile,
    nib_rows: Sequence[Business],
    project_rows: Sequence[Project],
    permit_rows: Sequence[Permit],
    rejected: int,
    files: int,
    duplicates: int,
    nibless_permits: Sequence[Permit] = (),
) -> PermitTruth:
    """The pipeline's rules applied to the valid rows written (invalid rows never enter these lists).

    - business: distinct valid NIB in NIB-list rows whose kab_kota lies in the region (a NIB-list row is
      rejected when its NIB does not parse; slash dates are read in the order the file's evidence gives);
      registrations_by_year counts businesses by tanggal_terbit_oss. The same set as "a distinct NIB named by
      any OSS export of the region" (issue 8): checked below.
    - scale: the NIB list's uraian_skala_usaha; if blank, PP 7/2021 bands on the sum of jumlah_investasi over
      the business's distinct projects; no project -> tidak_diketahui.
    - sector: KBLI of the project with the earliest submission date (ties: smallest id_proyek); divisions
      10, 11, 56 are "kuliner", others their category letter. "New" = registered within the 365 days ending
      at the latest tanggal_terbit_oss.
    - permit: distinct valid Id Permohonan Izin whose NIB is a business of the region, plus those whose NIB
      cell is blank and whose own kab_kota lies in the region (kept and counted, gap nib_missing).
    """
    region = profile.region_code
    businesses = {b.nib: b for b in nib_rows if in_region(b.place.kab_kota_code, region)}
    # Issue 8 counts a business named by any OSS export of the region: the sample names no business in a
    # project or permit row that its NIB list lacks, so both definitions give the same figures.
    # (A business's place is the same in every family, so its region is too.)
    named = {r.business.nib for r in project_rows} | {r.project.business.nib for r in permit_rows}
    if missing := named - {b.nib for b in nib_rows}:
        raise RuntimeError(f"{len(missing)} businesses named only by projects or permits")
    projects: dict[str, dict[str, Project]] = {}
    for project in project_rows:
        projects.setdefault(project.business.nib, {})[project.id] = project
    by_scale = Counter({scale: 0 for scale in SCALE_KEYS})
    for nib, business in businesses.items():
        own = projects.get(nib, {})
        if business.scale:
            by_scale[business.scale] += 1
        elif own:
            by_scale[scale_from_capital(sum(p.investment for p in own.values()))] += 1
        else:
            by_scale["tidak_diketahui"] += 1
    latest = max(b.registered for b in nib_rows)
    first_new = latest - dt.timedelta(days=364)  # the 365 days ending at the latest registration
    sectors = Counter(
        sector_of(min(projects[nib].values(), key=lambda p: (p.submitted, p.id)).kbli)
        for nib, business in businesses.items()
        if business.registered >= first_new and nib in projects
    )
    years = Counter(str(b.registered.year) for b in businesses.values())
    return PermitTruth(
        businesses=len(businesses),
        businesses_by_scale={scale: by_scale[scale] for scale in SCALE_KEYS},
        registrations_by_year=dict(sorted(years.items())),
        permits=len(
            {p.id for p in permit_rows if p.project.business.nib in businesses}
            | {p.id for p in nibless_permits if in_region(p.project.business.place.kab_kota_code, region)}
        ),
        largest_sector_new=sectors.most_common(1)[0][0],
        rows_rejected=rejected,
        files_written=files,
        duplicate_files=duplicates,
        registered=tuple((b.nib, b.name, b.place.kecamatan) for b in businesses.values()),
    )
