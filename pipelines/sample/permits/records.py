"""The records the permit exports are written from: businesses (NIB list), their projects and permits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipelines.sample.permits.areas import Place
from pipelines.sample.permits.kbli import Kbli


@dataclass(slots=True, eq=False)
class Business:
    nib: str
    registered: dt.date  # tanggal_terbit_oss
    place: Place
    scale: str  # what the NIB list says (a SCALES key), "" when the export leaves it blank
    true_scale: str  # drives capital generation; the truth re-derives the scale with the rules
    name: str
    company_type: str
    investment_status: str
    address: str
    email: str
    phone: str
    owner: str
    main_kbli: Kbli | None
    projects: list[Project] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Project:
    id: str
    business: Business
    main: bool
    submitted: dt.date  # day_of_tanggal_pengajuan_proyek
    kbli: Kbli
    investment: int
    land_area: float
    land_unit: str
    workers: int
    coordinates: tuple[float, float] | None


@dataclass(slots=True, eq=False)
class Permit:
    id: str
    project: Project
    issued: dt.date
    kind: str  # Uraian Jenis Perizinan
    document: str  # Nama Dokumen
