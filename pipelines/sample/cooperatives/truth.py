"""The figures the pipeline must reproduce, counted from the latest update's cells with the rules (rules.py).

``compute_truth`` reads only the cells as written (records, not the non-data rows around them), so what the
tests and the pipeline count is what the files hold; ``check_calibration`` compares it with the published
figures (calibration.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipelines.sample.cells import cell_text
from pipelines.sample.cooperatives.calibration import CALIBRATION, HEALTH_KEYS, JENIS_KEYS, UNKNOWN_DISTRICT
from pipelines.sample.cooperatives.rules import (
    BENTUK_KOPERASI,
    JENIS_KOPERASI,
    PELAPORAN_DIGITAL,
    clean_nik,
    health_category,
    is_active,
    normalise_kab_kota,
    normalise_kecamatan,
    normalise_value,
    parse_year,
    rat_book_year,
)
from pipelines.sample.writers import Cell


@dataclass(frozen=True)
class CooperativeTruth:
    registered: int
    active: int
    inactive: int
    rat_last_book_year: int
    active_by_type: dict[str, int]  # JENIS_KEYS -> n
    active_by_district: dict[str, int]  # Kemendagri kecamatan name -> n, plus "tidak_diketahui"
    health: dict[str, dict[str, int]]  # "2024" -> HEALTH_KEYS -> n
    digital_reporting: int
    rows_rejected: int


def check_known_values(row: dict[str, Cell], region_kab_kota: set[str]) -> None:
    """The sample plants no value the rules leave unknown (issue 16: unknown is a gap, and the published
    sample has none beyond the one cooperative without a valid kecamatan)."""
    bentuk, jenis = cell_text(row.get("bentuk_koperasi")), cell_text(row.get("jenis_koperasi"))
    if bentuk is not None and normalise_value(bentuk) not in BENTUK_KOPERASI:
        raise ValueError(f"bentuk {bentuk!r} is not in the rules")
    if jenis is not None and normalise_value(jenis) not in JENIS_KOPERASI:
        raise ValueError(f"jenis {jenis!r} is not in the rules")
    if normalise_kab_kota(cell_text(row.get("kab_kota"))) not in region_kab_kota:
        raise ValueError(f"kab/kota {row.get('kab_kota')!r} is not a kab/kota of the region")


def compute_truth(
    latest_rows: list[dict[str, Cell]],
    update: dt.date,
    health_rows: dict[int, list[dict[str, Cell]]],
    kecamatan_names: Sequence[str],
    rows_rejected: int,
    kab_kota_names: Sequence[str] = (),
) -> CooperativeTruth:
    """The figures from the latest update's records (non-data rows excluded). With kab_kota_names, every
    record must lie in those kab/kota and carry only values the rules know (see check_known_values)."""
    last_closed = update.year - 1
    by_kecamatan = {normalise_kecamatan(name): name for name in kecamatan_names}
    registered: dict[str, dict[str, Cell]] = {}
    for row in latest_rows:
        nik = clean_nik(row.get("nomor_induk_koperasi"))
        if nik is not None:
            registered.setdefault(nik, row)
            if kab_kota_names:
                check_known_values(row, {normalise_kab_kota(name) for name in kab_kota_names})
    active = 0
    by_type: Counter[str] = Counter()
    by_district: Counter[str] = Counter()
    rat_last = digital = 0
    for row in registered.values():
        book_year = rat_book_year(row)
        if book_year is not None and book_year >= last_closed:
            rat_last += 1
        if PELAPORAN_DIGITAL.get(normalise_value(cell_text(row.get("pelaporan_digital")))):
            digital += 1
        if is_active(row, last_closed):
            active += 1
            by_type[JENIS_KOPERASI[normalise_value(cell_text(row.get("jenis_koperasi")))]] += 1
            kec = cell_text(row.get("kecamatan"))
            by_district[
                by_kecamatan.get(normalise_kecamatan(kec), UNKNOWN_DISTRICT) if kec else UNKNOWN_DISTRICT
            ] += 1
    health: dict[str, dict[str, int]] = {}
    for year, rows in sorted(health_rows.items()):
        assessed: dict[str, str] = {}
        for row in rows:
            nik = clean_nik(row.get("nomor_induk_koperasi"))
            if nik is not None and parse_year(row.get("tahun_penilaian")) == year:
                assessed.setdefault(nik, health_category(row))
        counts = Counter(assessed.values())
        health[str(year)] = {key: counts.get(key, 0) for key in HEALTH_KEYS}
    return CooperativeTruth(
        registered=len(registered),
        active=active,
        inactive=len(registered) - active,
        rat_last_book_year=rat_last,
        active_by_type={key: by_type.get(key, 0) for key in JENIS_KEYS},
        active_by_district=dict(sorted(by_district.items(), key=lambda kv: (-kv[1], kv[0]))),
        health=health,
        digital_reporting=digital,
        rows_rejected=rows_rejected,
    )


def check_calibration(profile: str, truth: CooperativeTruth) -> None:
    expected = CALIBRATION[profile]
    actual = {
        "registered": truth.registered,
        "active": truth.active,
        "inactive": truth.inactive,
        "rat_last_book_year": truth.rat_last_book_year,
        "active_by_type": truth.active_by_type,
        "active_by_district": truth.active_by_district,
        "digital_reporting": truth.digital_reporting,
        "health_2024": truth.health.get("2024"),
        "health_2023_sehat": truth.health.get("2023", {}).get("sehat"),
    }
    wrong = {key: (value, actual[key]) for key, value in expected.items() if actual[key] != value}
    if wrong:
        raise RuntimeError(f"{profile}: sample misses the published figures (expected, got): {wrong}")
