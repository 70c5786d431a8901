"""The plan of each profile's register: how many cooperatives of each status and RAT year, and their history.

``data/groups.csv``: groups of cooperatives by register status (blank: the RAT rule decides) and book year
of the last RAT relative to the last closed book year (0 = that year; blank: no RAT), with how many show only
Tanggal RAT and what the rules make of them; the active groups add up to the published active count.
``data/regions.json``: kab/kota weights, the Nomor Induk Koperasi prefix per kab/kota, the update dates, the
exact jenis and kecamatan split of the active cooperatives ("published": CALIBRATION's) and the history
planted between updates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines.sample.cooperatives.calibration import CALIBRATION
from pipelines.sample.cooperatives.places import PLACES
from pipelines.sample.datafiles import read_csv, read_json


@dataclass(frozen=True)
class Group:
    n: int
    status: str | None
    rat: tuple[int, int] | None  # book-year range relative to the last closed book year (0 = that year)
    date_only: int = 0  # how many show only Tanggal RAT
    active: bool = True  # what the rules make of it


@dataclass(frozen=True)
class Region:
    profile: str
    places: dict[str, dict[str, tuple[float, list[str]]]]
    kab_weights: dict[str, float]
    nik_prefix: dict[str, str]
    updates: tuple[dt.date, ...]  # oldest first; the last one is the latest
    new_per_update: tuple[int, ...]  # cooperatives founded between update i-1 and i (i >= 1)
    groups: tuple[Group, ...]
    active_jenis: dict[str, int]  # exact split of the active cooperatives
    active_district: dict[str, int] | None  # exact split (None: drawn), key UNKNOWN_DISTRICT allowed
    unknown_active: int  # active cooperatives with no valid kecamatan (when active_district is None)
    unknown_inactive_raw: tuple[str | None, ...]  # what inactive ones with no valid kecamatan say
    became_inactive: int
    gone: int
    digital: tuple[int, ...]  # start years of the digital reporters


INACTIVE_JENIS_WEIGHTS = {
    "konsumen": 58,
    "produsen": 12,
    "jasa": 8,
    "simpan_pinjam": 10,
    "pemasaran": 10,
    "simpan_pinjam_syariah": 2,
}


def _group(row: dict[str, str]) -> Group:
    rat = (int(row["rat_from"]), int(row["rat_to"])) if row["rat_from"] else None
    return Group(int(row["n"]), row["status"] or None, rat, int(row["date_only"]), row["active"] == "yes")


def _split(profile: str, value: object, published: str) -> object:
    """A split written "published" in regions.json is CALIBRATION's own table."""
    return CALIBRATION[profile][published] if value == "published" else value


def _region(profile: str, plan: dict, groups: list[dict[str, str]]) -> Region:
    return Region(
        profile=profile,
        places=PLACES[profile],
        kab_weights=plan["kab_weights"],
        nik_prefix=plan["nik_prefix"],
        updates=tuple(dt.date.fromisoformat(day) for day in plan["updates"]),
        new_per_update=tuple(plan["new_per_update"]),
        groups=tuple(_group(row) for row in groups if row["profile"] == profile),
        active_jenis=_split(profile, plan["active_jenis"], "active_by_type"),  # type: ignore[arg-type]
        active_district=_split(profile, plan["active_district"], "active_by_district"),  # type: ignore[arg-type]
        unknown_active=plan["unknown_active"],
        unknown_inactive_raw=tuple(plan["unknown_inactive_raw"]),
        became_inactive=plan["became_inactive"],
        gone=plan["gone"],
        digital=tuple(int(year) for year, n in plan["digital"].items() for _ in range(n)),
    )


_GROUPS = read_csv(__file__, "groups.csv")
REGIONS = {
    profile: _region(profile, plan, _GROUPS) for profile, plan in read_json(__file__, "regions.json").items()
}
