"""Values as offices type them (issue 16): "TDK AKTIF", "KSP", "Kota Bpp", "TB 2023", "12 Mrt 2024", "1,2 M",
"12 orang". Each rewrite keeps the class the rules give the cell (quirks.py lists the spellings)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Sequence

from pipelines.sample.cells import cell_text, parse_date
from pipelines.sample.cooperatives.rules import (
    BENTUK_KOPERASI,
    JENIS_KOPERASI,
    STATUS_KOPERASI,
    normalise_kab_kota,
    normalise_value,
    parse_year,
    rat_book_year,
)
from pipelines.sample.quirks import (
    COOP_BENTUK_SPELLINGS,
    COOP_BOOK_YEAR_FORMS,
    COOP_COUNT_FORM,
    COOP_JENIS_SPELLINGS,
    COOP_KAB_KOTA_SPELLINGS,
    COOP_MONTH_ABBREVIATIONS,
    COOP_SPELLING_COUNTS,
    COOP_STATUS_SPELLINGS,
    money_words,
)
from pipelines.sample.writers import Cell

_STATUS_INACTIVE_SPELLINGS = {"tidak_aktif": COOP_STATUS_SPELLINGS["tidak_aktif"]}


def count_of(value: Cell) -> int | None:
    """12, '12', '12 orang'."""
    if isinstance(value, int | float):
        return int(value)
    match = re.fullmatch(r"(\d+)(?: orang)?", cell_text(value) or "")
    return int(match[1]) if match else None


def _cycle(options: Sequence[str], n: int) -> str:
    return options[n % len(options)]


def _class_of(table: dict[str, str], value: Cell) -> str | None:
    return table.get(normalise_value(cell_text(value)))


def apply_spellings(rows: list[dict[str, Cell]], rng: random.Random, last_closed: int) -> None:
    """Rewrite up to COOP_SPELLING_COUNTS cells of each kind (of each class, for coded values), on rows picked
    at random among those that fit; every rewrite keeps the class the rules give the cell."""

    def pick(kind: str, fits: Callable[[dict[str, Cell]], bool]) -> list[dict[str, Cell]]:
        candidates = [row for row in rows if fits(row)]
        return rng.sample(candidates, min(COOP_SPELLING_COUNTS[kind], len(candidates)))

    def respell(kind: str, column: str, class_of: Callable[[Cell], str | None], table: dict) -> None:
        for wanted, spellings in table.items():
            for n, row in enumerate(pick(kind, lambda r, w=wanted: class_of(r.get(column)) == w)):
                row[column] = _cycle(spellings, n)

    kab_kota = {normalise_kab_kota(name): name for name in COOP_KAB_KOTA_SPELLINGS}
    respell("status", "status_koperasi", lambda v: _class_of(STATUS_KOPERASI, v), _STATUS_INACTIVE_SPELLINGS)
    respell("jenis", "jenis_koperasi", lambda v: _class_of(JENIS_KOPERASI, v), COOP_JENIS_SPELLINGS)
    respell("bentuk", "bentuk_koperasi", lambda v: _class_of(BENTUK_KOPERASI, v), COOP_BENTUK_SPELLINGS)
    respell(
        "kab_kota",
        "kab_kota",
        lambda v: kab_kota.get(normalise_kab_kota(cell_text(v))),
        COOP_KAB_KOTA_SPELLINGS,
    )
    # "aktif (RAT 2023)": only where the last RAT was for that book year
    noted = pick(
        "status_note",
        lambda r: (
            _class_of(STATUS_KOPERASI, r.get("status_koperasi")) == "aktif"
            and rat_book_year(r) == last_closed
        ),
    )
    for n, row in enumerate(noted):
        row["status_koperasi"] = _cycle(COOP_STATUS_SPELLINGS["aktif"], n).format(rat_year=last_closed)
    for n, row in enumerate(
        pick("book_year", lambda r: parse_year(r.get("tahun_buku_rat_terakhir")) is not None)
    ):
        year = parse_year(row["tahun_buku_rat_terakhir"])
        row["tahun_buku_rat_terakhir"] = _cycle(COOP_BOOK_YEAR_FORMS, n).format(year=year)
    abbreviated = pick(
        "rat_date",
        lambda r: (parse_date(r.get("tanggal_rat")) or dt.date.min).month in COOP_MONTH_ABBREVIATIONS,
    )
    for row in abbreviated:
        held = parse_date(row["tanggal_rat"])
        row["tanggal_rat"] = f"{held.day} {COOP_MONTH_ABBREVIATIONS[held.month]} {held.year}"
    for n, row in enumerate(pick("money", lambda r: isinstance(r.get("aset"), int) and r["aset"] >= 10**6)):
        key = "aset" if n % 2 == 0 or not isinstance(row.get("volume_usaha"), int) else "volume_usaha"
        row[key] = money_words(row[key]) or row[key]
    for row in pick("count", lambda r: (count_of(r.get("anggota_laki_laki")) or 0) > 0):
        row["anggota_laki_laki"] = COOP_COUNT_FORM.format(n=count_of(row["anggota_laki_laki"]))
