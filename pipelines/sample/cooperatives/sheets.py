"""The sheet of one export around its records: non-data rows (column numbers, the header repeated on each
printed page, page and grand totals, notes), the office's recap sheet, and writing the file.

The loader skips the non-data rows; the truth never sees them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pipelines.sample.cells import MONTHS, cell_text
from pipelines.sample.cooperatives.layouts import Header, RegistryFile
from pipelines.sample.cooperatives.rules import clean_nik, is_active, normalise_kecamatan
from pipelines.sample.cooperatives.spellings import count_of
from pipelines.sample.quirks import COOP_PAGE_TOTAL, COOP_RECAP_SHEET
from pipelines.sample.writers import Cell, SheetSpec, write_csv, write_workbook

_TOTALLED = ("anggota_laki_laki", "anggota_perempuan", "jumlah_karyawan")


def _total_row(label: str, records: Sequence[dict[str, Cell]]) -> dict[str, Cell]:
    total: dict[str, Cell] = {"no": label}
    for key in _TOTALLED:
        total[key] = sum(count_of(r.get(key)) or 0 for r in records)
    return total


def layout(spec: RegistryFile, records: list[dict[str, Cell]]) -> list[dict[str, Cell]]:
    """The lines of the data sheet below its header: records, with the non-data rows the file plants."""
    header = {canonical: name for name, canonical in spec.header}
    numbers = {canonical: f"({i})" for i, (_, canonical) in enumerate(spec.header, start=1)}
    lines: list[dict[str, Cell]] = [numbers] if spec.column_numbers else []
    size = spec.page_rows or len(records)
    pages = [records[i : i + size] for i in range(0, len(records), size)]
    for page_number, page in enumerate(pages, start=1):
        if page_number > 1:  # the header again at the top of each printed page
            lines.extend([header, numbers] if spec.column_numbers else [header])
        lines.extend(page)
        if len(pages) > 1:
            lines.append(_total_row(COOP_PAGE_TOTAL.format(page=page_number), page))
    if spec.total_label:
        lines.append(_total_row(spec.total_label, records))
    if spec.notes:
        lines.append({})  # a blank line above the notes
        lines.extend({"no": note} for note in spec.notes)
    return lines


def write_sheet(
    path: Path,
    header: Header,
    rows: list[dict[str, Cell]],
    title_rows: Sequence[str],
    csv_args: dict[str, str] | None,
    sheet: str,
    beside: Sequence[SheetSpec] = (),
) -> None:
    cells = [[row.get(canonical) for _, canonical in header] for row in rows]
    names = [h for h, _ in header]
    if csv_args is None:
        write_workbook(path, [SheetSpec(sheet, names, cells, title_rows), *beside])
    else:
        write_csv(path, names, cells, title_rows=title_rows, **csv_args)


def recap_sheet(records: list[dict[str, Cell]], update: dt.date, kecamatan_names: Sequence[str]) -> SheetSpec:
    """The office's recap by kecamatan, beside the data (counted with the rules, as the office would)."""
    by_kecamatan = {normalise_kecamatan(name): name for name in kecamatan_names}
    counts: dict[str, Counter[bool]] = {name: Counter() for name in kecamatan_names}
    seen: set[str] = set()
    for row in records:
        nik = clean_nik(row.get("nomor_induk_koperasi"))
        name = by_kecamatan.get(normalise_kecamatan(cell_text(row.get("kecamatan"))))
        if nik and nik not in seen and name:
            seen.add(nik)
            counts[name][is_active(row, update.year - 1)] += 1
    rows: list[list[Cell]] = [
        [n, name, sum(c.values()), c[True], c[False]] for n, (name, c) in enumerate(counts.items(), start=1)
    ]
    rows.append(["JUMLAH", None, *(sum(r[i] for r in rows) for i in (2, 3, 4))])  # type: ignore[misc]
    as_of = f"{update.day} {MONTHS[update.month - 1].upper()} {update.year}"
    title = f"REKAPITULASI KOPERASI PER KECAMATAN KEADAAN {as_of}"
    return SheetSpec(
        COOP_RECAP_SHEET, ("No", "Kecamatan", "Jumlah Koperasi", "Aktif", "Tidak Aktif"), rows, (title,)
    )
