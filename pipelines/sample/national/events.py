"""Event attendance workbooks at national scale: one event a month over 2023-2024 in Kalimantan Utara, about
1,000,000 participant rows at scale 1.0, generated in bulk (numpy draws, DuckDB assembles the cells).

Each event is one workbook with an info sheet (the event_info layout) and its attendance list (the
event_participant layout), in the two layouts of the bundled sample (events/data/events.json): the Expo's
(list first, dates as date cells) and the Temu Kemitraan's (info first, the start typed "23 Mei 2023", the
end left blank for a one-day event). Workbooks, not CSVs: the loader would read a CSV list, but a participant
is linked to its event through the file it came from (stg_events__participants), and a CSV holds one table,
so a CSV list could name no event. xlsxwriter streams rows to disk (constant_memory) and the rows are fetched
from DuckDB in batches, so memory stays bounded whatever the list's size.

A share of the participants give the NIB of a business of the national permit sample registered before the
event (its name and kecamatan as the permit sample wrote them); the rest have none (blank, "-", "belum ada").
Business and owner names are synthetic: the sample's vocabulary lists combined by numpy draws.

Cost downstream: the name matcher (int_event_names_scored) compares every participant with every registered
business of its kecamatan block, so its work grows with N squared (N=0.01: 23.5 million pairs, 33.9 million
with the participants whose place was not recognised, compared with the whole region). An upper bound rules
out ~98% of them before rapidfuzz scores any (N=0.01: the model 41-48 s before, ~4 s of CPU after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from faker.providers.person.id_ID import Provider as IdNames

from pipelines.indonesian import MONTHS
from pipelines.sample.events.layouts import EXPO, TEMU, EventSpec
from pipelines.sample.events.vocabulary import (
    BRANDS,
    GROUP_PREFIXES,
    GROUP_THEMES,
    MOBILE_PREFIXES,
    NEW_BUSINESS,
    NO_NIB_CELLS,
    PERSONS,
    PRODUCTS,
)
from pipelines.sample.permits.areas import KALTARA
from pipelines.sample.writers import Cell, SheetSpec, query_rows, write_workbook

PARTICIPANTS_PER_SCALE = 1_000_000  # participant rows over all events at scale 1.0
MIN_PER_EVENT = 3
NIB_SHARE = 0.4  # participants who give the NIB of a registered business
GROUP_SIZE = 40  # about this many participants per kelompok/komunitas
ORGANISER = "Dinas Koperasi dan UKM Provinsi Kalimantan Utara"
KINDS = (  # (event name, venue), one a month in turn
    ("Expo UMKM Kaltara", "Gedung Serbaguna Tarakan"),
    ("Temu Kemitraan UMKM", "Hotel Tarakan Plaza"),
    ("Bazar UMKM", "Lapangan Agatis Tanjung Selor"),
    ("Pelatihan Pemasaran Digital UMKM", "Aula Dinas Koperasi dan UKM"),
    ("Pameran Produk Unggulan Daerah", "Taman Berkampung Tarakan"),
    ("Klinik Perizinan Berusaha UMKM", "Gedung Gadis Tanjung Selor"),
)
GROUP_PLACES = ("Tarakan", "Tanjung Selor", "Nunukan", "Malinau", "Tana Tidung", "Sebatik", "Bulungan")


@dataclass(frozen=True)
class NationalEvent:
    name: str
    start: dt.date
    end: dt.date
    venue: str
    layout: EventSpec  # EXPO or TEMU: sheet names, headers and how the info row is typed

    @property
    def file_name(self) -> str:
        prefix = "Peserta" if self.layout is EXPO else "Daftar Hadir"
        return f"{prefix} {self.name}.xlsx"


def events(rng: np.random.Generator) -> list[NationalEvent]:
    """One event a month, January 2023 to December 2024: kind and layout in turn, day and length drawn."""
    out = []
    for k, (year, month) in enumerate((y, m) for y in (2023, 2024) for m in range(1, 13)):
        kind, venue = KINDS[k % len(KINDS)]
        start = dt.date(year, month, int(rng.integers(3, 26)))
        out.append(
            NationalEvent(
                f"{kind} {MONTHS[month - 1]} {year}",
                start,
                start + dt.timedelta(days=int(rng.integers(0, 3))),
                venue,
                EXPO if k % 2 == 0 else TEMU,
            )
        )
    return out


def participant_count(scale: float, n_events: int) -> int:
    return max(MIN_PER_EVENT * n_events, round(PARTICIPANTS_PER_SCALE * scale))


def _vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    tables = {
        "ev_templates": pd.DataFrame(NEW_BUSINESS, columns=["template", "product"]),
        "ev_brands": pd.DataFrame({"brand": BRANDS}),
        "ev_persons": pd.DataFrame({"person": PERSONS}),
        "ev_first": pd.DataFrame({"first": IdNames.first_names_male + IdNames.first_names_female}),
        "ev_last": pd.DataFrame({"last": IdNames.last_names_male}),
        "ev_products": pd.DataFrame({"product": PRODUCTS}),
        "ev_prefixes": pd.DataFrame({"prefix": GROUP_PREFIXES}),
        "ev_themes": pd.DataFrame({"theme": GROUP_THEMES}),
        "ev_places": pd.DataFrame({"place": GROUP_PLACES}),
        "ev_mobile": pd.DataFrame({"mobile": MOBILE_PREFIXES}),
        "ev_no_nib": pd.DataFrame({"cell": [cell for cell, _ in NO_NIB_CELLS]}),
        "ev_kecamatan": pd.DataFrame({"kecamatan": [k for area in KALTARA for k in area.kecamatan]}),
    }
    for name, frame in tables.items():
        con.register(f"{name}_df", frame.reset_index(names="idx"))  # idx from pandas: stable, never reordered
        con.execute(f"create or replace table {name} as select * from {name}_df")
        con.unregister(f"{name}_df")


def _sizes(con: duckdb.DuckDBPyConnection, name: str) -> int:
    return int(con.execute(f"select count(*) from {name}").fetchall()[0][0])


def _draws(rng: np.random.Generator, con: duckdb.DuckDBPyConnection, n: int) -> dict[str, np.ndarray]:
    """Per participant row, the index into each vocabulary table (and the other cells' draws)."""
    no_nib_weights = np.array([w for _, w in NO_NIB_CELLS], dtype=float)
    pick = {
        name: rng.integers(0, _sizes(con, f"ev_{name}"), n)
        for name in ("templates", "brands", "persons", "products", "mobile", "kecamatan")
    }
    return {
        **{f"{name}_idx": draw for name, draw in pick.items()},
        "brand_first": rng.integers(0, _sizes(con, "ev_first"), n),
        "person_first": rng.integers(0, _sizes(con, "ev_first"), n),
        "owner_first": rng.integers(0, _sizes(con, "ev_first"), n),
        "owner_last": rng.integers(0, _sizes(con, "ev_last"), n),
        "no_nib_idx": rng.choice(len(NO_NIB_CELLS), n, p=no_nib_weights / no_nib_weights.sum()),
        "phone_digits": rng.integers(10_000_000, 100_000_000, n),
        "has_phone": rng.random(n) < 0.9,
        "kecamatan_blank": rng.random(n) < 0.05,
        "group_roll": rng.random(n),
    }


def _business_draws(
    rng: np.random.Generator, con: duckdb.DuckDBPyConnection, plan: list[NationalEvent], counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per event, how many participants give a NIB and which businesses (by permit-sample index i, registered
    before the event; never the same business twice in one list)."""
    with_nib = np.zeros(len(plan), dtype=np.int64)
    chosen: list[np.ndarray] = []
    for e, event in enumerate(plan):
        # build_tables numbers businesses 0.. in registration order: the first `eligible` are the ones
        # registered before the event.
        (eligible,) = con.execute(
            "select count(*) from businesses where registered < ?", [event.start]
        ).fetchall()[0]
        with_nib[e] = min(eligible, rng.binomial(counts[e], NIB_SHARE))
        chosen.append(rng.choice(eligible, with_nib[e], replace=False))
    return with_nib, np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


def build_participants(con: duckdb.DuckDBPyConnection, scale: float, seed: int) -> list[NationalEvent]:
    """Table participants (one row per listed participant, in list order): needs the permit sample's table
    businesses in con (permits.build_tables). Every draw from one numpy generator of its own."""
    rng = np.random.default_rng([seed, 2])
    plan = events(rng)
    total = participant_count(scale, len(plan))
    weights = rng.uniform(0.5, 1.5, len(plan))
    counts = MIN_PER_EVENT + rng.multinomial(total - MIN_PER_EVENT * len(plan), weights / weights.sum())
    with_nib, business_i = _business_draws(rng, con, plan, counts)
    _vocabulary(con)
    event_of_row = np.repeat(np.arange(len(plan)), counts)
    position = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    # The first with_nib[e] rows of each event take its drawn businesses in turn (the list is reordered by
    # kelompok and order_key below); the other rows take the -1 appended (no business).
    gives_nib = position < with_nib[event_of_row]
    nib_slot = np.where(gives_nib, np.cumsum(gives_nib) - 1, len(business_i))
    frame = pd.DataFrame(
        {
            "event": event_of_row,
            "order_key": rng.random(total),  # the list's order: NIB givers and others mixed
            "business_i": np.append(business_i, -1)[nib_slot],
            "groups": np.maximum(1, counts[event_of_row] // GROUP_SIZE),
            **_draws(rng, con, total),
        }
    )
    group_count = int(frame["groups"].max())
    groups = {"g": np.arange(group_count)} | {
        f"{column}_idx": rng.integers(0, _sizes(con, table), group_count)
        for column, table in (("prefix", "ev_prefixes"), ("theme", "ev_themes"), ("place", "ev_places"))
    }
    con.register("group_df", pd.DataFrame(groups))
    con.register("participant_df", frame)
    con.execute("""
        create or replace table participants as
        with typed as (
            select d.event, d.order_key,
                coalesce(b.name_word, replace(
                    replace(t.template, '{brand}', replace(br.brand, '{first}', bf.first)),
                    '{person}', replace(pe.person, '{first}', pf.first))) as nama_usaha,
                o.first || ' ' || l.last as nama_pemilik,
                pr.prefix || ' ' || th.theme || ' ' || pl.place as kelompok,
                coalesce(case when b.i is not null then p.product end, t.product) as produk,
                case when d.has_phone then m.mobile || d.phone_digits::varchar end as no_hp,
                case when b.i is not null then b.kecamatan when not d.kecamatan_blank then k.kecamatan end
                    as kecamatan,
                coalesce(b.nib, nn.cell) as nib,
                b.i is not null as gives_nib
            from participant_df as d
            left join businesses as b on b.i = d.business_i
            join ev_templates as t on t.idx = d.templates_idx
            join ev_brands as br on br.idx = d.brands_idx
            join ev_persons as pe on pe.idx = d.persons_idx
            join ev_first as bf on bf.idx = d.brand_first
            join ev_first as pf on pf.idx = d.person_first
            join ev_first as o on o.idx = d.owner_first
            join ev_last as l on l.idx = d.owner_last
            join ev_products as p on p.idx = d.products_idx
            join ev_mobile as m on m.idx = d.mobile_idx
            join ev_kecamatan as k on k.idx = d.kecamatan_idx
            join ev_no_nib as nn on nn.idx = d.no_nib_idx
            join group_df as g on g.g = floor(d.group_roll * d.groups)::bigint
            join ev_prefixes as pr on pr.idx = g.prefix_idx
            join ev_themes as th on th.idx = g.theme_idx
            join ev_places as pl on pl.idx = g.place_idx
        )
        select *, row_number() over (partition by event order by kelompok, order_key) as no
        from typed
    """)
    con.unregister("participant_df")
    con.unregister("group_df")
    return plan


def _rows(con: duckdb.DuckDBPyConnection, event: int) -> Iterator[tuple[Cell, ...]]:
    """The event's list in file order (by kelompok, as people sign in per group), fetched in batches."""
    return query_rows(
        con.execute(
            "select no, nama_usaha, nama_pemilik, kelompok, produk, no_hp, kecamatan, nib "
            f"from participants where event = {event} order by no"
        )
    )


def _info_row(event: NationalEvent) -> tuple[Cell, ...]:
    if event.layout is EXPO:
        return (event.name, event.start, event.end, event.venue, ORGANISER)
    typed = f"{event.start.day} {MONTHS[event.start.month - 1]} {event.start.year}"
    return (event.name, typed, event.end if event.end != event.start else None, event.venue, ORGANISER)


def write_event(con: duckdb.DuckDBPyConnection, out_dir: Path, index: int, event: NationalEvent) -> None:
    spec = event.layout
    day = f"{event.start.day} {MONTHS[event.start.month - 1]} {event.start.year}"
    titles = (f"DAFTAR PESERTA {event.name.upper()}", f"{event.venue.upper()}, {day.upper()}")
    info = SheetSpec(spec.info_sheet, spec.info_header, [_info_row(event)])
    participants = SheetSpec(spec.participant_sheet, spec.participant_header, _rows(con, index), titles)
    sheets = [participants, info] if spec is EXPO else [info, participants]
    write_workbook(out_dir / event.file_name, sheets)


def write_events(con: duckdb.DuckDBPyConnection, out_dir: Path, scale: float, seed: int) -> dict[str, int]:
    """Every event's workbook; needs the permit sample's businesses table in con. Returns rows written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = build_participants(con, scale, seed)
    for index, event in enumerate(plan):
        write_event(con, out_dir, index, event)
    rows, nib = con.execute(
        "select count(*), count(*) filter (where gives_nib) from participants"
    ).fetchall()[0]
    return {"event_info": len(plan), "event_participant": int(rows), "event_participant_with_nib": int(nib)}
