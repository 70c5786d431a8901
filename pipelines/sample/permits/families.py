"""The three OSS export families as the writer sees them: headers, the row of a record, which records (from
the builder), the date files are split on, whose NIB a row carries and where the NIB and id columns are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.sample.permits.layouts import NIB_HEADERS, PERMIT_HEADERS, PROJECT_HEADERS
from pipelines.sample.permits.records import Business, Permit, Project
from pipelines.sample.permits.render import nib_row, permit_row, project_row
from pipelines.sample.writers import Cell

if TYPE_CHECKING:
    from pipelines.sample.permits.build import Builder


@dataclass(frozen=True)
class Family:
    title: str  # the export's title, before the region ("DAFTAR NIB KOTA BALIKPAPAN")
    headers: Mapping[str, Sequence[str]]  # header style -> header cells
    row: Callable[..., list[Cell]]  # record, Formatter -> the record's cells
    collection: str  # the builder's list of these records
    day_field: str  # the record's date exports are split on
    business: Callable[..., Business]  # whose NIB a record carries
    nib_column: int
    id_column: int | None  # the record's own id (None: the NIB is the id)

    def records(self, builder: Builder) -> Sequence[Business | Project | Permit]:
        return getattr(builder, self.collection)

    def day(self, record: Business | Project | Permit) -> dt.date:
        return getattr(record, self.day_field)


# fmt: off
FAMILIES = {
    "nib": Family("DAFTAR NIB", NIB_HEADERS, nib_row, "businesses", "registered",
                  lambda business: business, nib_column=0, id_column=None),
    "proyek": Family("DAFTAR PROYEK", PROJECT_HEADERS, project_row, "projects", "submitted",
                     lambda project: project.business, nib_column=2, id_column=0),
    "izin": Family("LIST IZIN", PERMIT_HEADERS, permit_row, "permits", "issued",
                   lambda permit: permit.project.business, nib_column=3, id_column=1),
}
# fmt: on
