"""Invalid rows planted in the exports (quirks.PERMIT_INVALID_ROWS): rows without their own identity, which
the loader rejects, and rows that land with a gap (a junk date, a project's or permit's broken NIB), which
belong to fresh businesses outside the region so that they change no figure."""

from __future__ import annotations

import random
from collections.abc import Sequence

from pipelines.sample.permits.build import Builder, hhmmss, permit_document
from pipelines.sample.permits.families import FAMILIES
from pipelines.sample.permits.layouts import ExportSpec
from pipelines.sample.permits.records import Business, Permit, Project
from pipelines.sample.permits.render import Formatter, nib_row, permit_row
from pipelines.sample.permits.truth import in_region
from pipelines.sample.writers import Cell


def _letters(nib: str) -> str:
    return nib[:6] + "O" + nib[7:]  # letter O typed for a zero


_ORPHAN_BREAKS = {
    "orphan_letter_nib": "letter_nib",
    "orphan_sci_nib": "sci_nib_dot",
    "orphan_blank_nib": "blank_nib",
}


def _broken_nibs(nib: str, rng: random.Random) -> dict[str, Cell]:
    return {
        "blank_nib": None,
        "letter_nib": _letters(nib),
        "sci_nib_dot": f"{int(nib):.2E}",
        "sci_nib_comma": f"{int(nib):.2E}".replace(".", ","),
        "long_nib": nib + "0",
        "short_nib": nib[:9],
        "phone_nib": f"08{rng.choice(('11', '12', '13', '21', '52', '53'))}{rng.randrange(10**8):08d}",
    }


def invalid_row(
    kind: str, spec: ExportSpec, builder: Builder, records: Sequence, fx: Formatter
) -> list[Cell]:
    """One planted invalid row (quirks.PERMIT_INVALID_ROWS). Rows that land (a junk date, a project's or
    permit's broken NIB) belong to fresh businesses outside the region; the rejected ones copy a real row."""
    if kind in _JUNK_DATES:
        row = nib_row(builder.orphan_business(spec.start, spec.end), fx)
        row[1] = _JUNK_DATES[kind].format(year=spec.start.year)
        return row
    if kind == "region_blank_nib":
        return _nibless_permit_row(spec, builder, records, fx)
    if kind.startswith("orphan_"):
        return _orphan_row(kind, spec, builder, fx)
    return _garbled_row(kind, spec, builder, records, fx)


# Date cells no reading turns into a date (the NIB-list row lands, its date a gap).
_JUNK_DATES = {"impossible_date": "31/02/{year}", "dash_date": "-", "belum_date": "belum"}


def _nibless_permit_row(spec: ExportSpec, builder: Builder, records: Sequence, fx: Formatter) -> list[Cell]:
    """A new permit of one of the file's projects in the region, its NIB cell left empty: kept and counted."""
    region = builder.profile.region_code
    project = fx.rng.choice(
        [r for r in records if in_region(r.project.business.place.kab_kota_code, region)]
    ).project
    builder.permit_serial += 1
    kind_text, document = permit_document(project.kbli, second=True)
    issued = project.submitted
    clock = hhmmss(fx.rng.randrange(7 * 3600, 22 * 3600))
    permit = Permit(
        f"I-{issued:%Y%m%d}{clock}{builder.permit_serial:06d}", project, issued, kind_text, document
    )
    builder.nibless.append(permit)
    row = permit_row(permit, fx)
    row[FAMILIES[spec.family].nib_column] = None
    return row


def _orphan_row(kind: str, spec: ExportSpec, builder: Builder, fx: Formatter) -> list[Cell]:
    """Kept: only a reference to the business is broken (a project's or permit's NIB)."""
    if spec.family == "nib":
        raise ValueError(f"{kind}: a NIB-list row without its NIB is rejected, not kept")
    family = FAMILIES[spec.family]
    orphan = builder.orphan_permit(spec.start, spec.end)
    source: Business | Project | Permit = orphan if spec.family == "izin" else orphan.project
    row = family.row(source, fx)
    nib = family.business(source).nib
    row[family.nib_column] = _broken_nibs(nib, fx.rng)[_ORPHAN_BREAKS[kind]]
    return row


def _garbled_row(
    kind: str, spec: ExportSpec, builder: Builder, records: Sequence, fx: Formatter
) -> list[Cell]:
    """A real row with its own identity broken, as exports garble them; any record does in an empty file."""
    family = FAMILIES[spec.family]
    source = fx.rng.choice(records or family.records(builder))
    row = family.row(source, fx)
    broken = _broken_nibs(family.business(source).nib, fx.rng)
    if kind in broken:
        if spec.family != "nib":
            raise ValueError(f"{kind}: a project's or permit's broken NIB is kept; plant orphan_* instead")
        row[family.nib_column] = broken[kind]
    elif kind in ("blank_project_id", "blank_permit_id"):
        row[family.id_column] = None
    else:
        raise ValueError(f"unknown invalid row kind {kind!r}")
    return row
