"""Cooperative register updates at national scale: four full snapshots of the Kalimantan Utara register
(2023-2024), generated in bulk (numpy draws, DuckDB formats and writes) instead of one Python record per row.

Each update lists every cooperative registered on its date: most are in all four, some are founded between
updates (they appear later), some are dissolved (they vanish from the later ones), some active ones are
recorded Tidak Aktif from an update on. The files use the register layouts of the bundled sample
(cooperatives/data/headers.json) and the forms offices send: an xlsx with the province's title rows and the
number as a numeric cell, a ';' CSV from Indonesian Excel with title rows and rupiah text, a database CSV
with ISO dates and its own Tgl Pemutakhiran column, and an xlsx titled "KEADAAN ...". The update date comes
from the title rows or the file name, as the loader reads it (pipelines.ingest.loader.file_date).

The active rule has both outcomes on both paths: a recorded status (Aktif / Tidak Aktif) decides; a blank
status leaves it to the RAT book year (within the last 3 closed book years: active) or to its absence
(inactive). ``active_in_latest`` counts what the warehouse's ``marts.cooperatives`` should call active.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from faker.providers.person.id_ID import Provider as IdNames

from pipelines.sample.cooperatives.layouts import HEADERS
from pipelines.sample.cooperatives.places import STREETS
from pipelines.sample.cooperatives.vocabulary import (
    JENIS_SPELLINGS,
    KELOMPOK,
    NAME_PREFIX,
    NAME_WORDS,
    SEKTOR,
)
from pipelines.sample.permits.areas import KALTARA
from pipelines.sample.writers import SheetSpec, query_rows, write_workbook

COOPERATIVES_PER_SCALE = 150_000  # distinct cooperatives over all updates at scale 1.0
MIN_COOPERATIVES = 20
# jenis code -> share of the register
JENIS_SHARES = {
    "konsumen": 0.45,
    "produsen": 0.12,
    "jasa": 0.08,
    "simpan_pinjam": 0.2,
    "pemasaran": 0.1,
    "simpan_pinjam_syariah": 0.05,
}
# How each cooperative's activity is recorded (all updates): a status column value, or blank with a recent RAT
# (lag 0-2 book years: active by the RAT rule), an old one (lag 3-8: inactive), or none (inactive).
CLASSES = ("status_aktif", "status_tidak_aktif", "rat_recent", "rat_old", "no_rat")
CLASS_SHARES = (0.5, 0.2, 0.15, 0.1, 0.05)
NEW_SHARE = 0.12  # founded after the first update: appear in update 1, 2 or 3
GONE_SHARE = 0.05  # dissolved: absent from the updates after a random one before the last
BECOME_INACTIVE_SHARE = 0.1  # of the recorded-active: Tidak Aktif from a random later update on
MONEY_CAP = 6_000_000_000  # below 6.2e9: a plain amount never reads as a phone number 628... (parse macros)


@dataclass(frozen=True)
class UpdateFile:
    """One register update and how the office wrote it."""

    update: dt.date
    name: str
    header: str  # a key of cooperatives/data/headers.json
    fmt: str  # "xlsx", "csv" (',' UTF-8) or "csv-id" (';' Indonesian Excel)
    title_rows: tuple[str, ...]
    status_words: tuple[str, str]  # aktif, tidak aktif
    upper: bool  # names and code values in capitals (ODS style)
    sort: str  # "nik" or "name"
    sheet: str = "Sheet1"


UPDATES = (
    UpdateFile(
        dt.date(2023, 6, 30),
        "data_koperasi_kaltara_2023-06-30.xlsx",
        "kaltara_2019",
        "xlsx",
        ("REKAPITULASI DATA KOPERASI PROVINSI KALIMANTAN UTARA", "KEADAAN 30 JUNI 2023"),
        ("AKTIF", "TIDAK AKTIF"),
        True,
        "nik",
        "REKAP KOPERASI",
    ),
    UpdateFile(
        dt.date(2023, 12, 31),
        "Data Koperasi Kaltara Desember 2023.csv",
        "jan_bpp",
        "csv-id",
        (
            "Data per 31 Desember 2023",
            "Sumber: ODS Kemenkop - Dinas Koperasi dan UKM Provinsi Kalimantan Utara",
        ),
        ("AKTIF", "TIDAK AKTIF"),
        True,
        "nik",
    ),
    # The database CSV has no Pelaporan Digital columns: it comes before the last update, so that the latest
    # register reports them (a column the latest update leaves empty is flagged update_column_emptied).
    UpdateFile(
        dt.date(2024, 6, 30),
        "koperasi_kaltara_2024-06-30.csv",
        "kaltara_2020",
        "csv",
        (),
        ("Aktif", "Non Aktif"),
        False,
        "name",
    ),
    UpdateFile(
        dt.date(2024, 12, 31),
        "data_koperasi_kaltara_2024-12-31.xlsx",
        "latest_bpp",
        "xlsx",
        ("DATA KOPERASI PROVINSI KALIMANTAN UTARA KEADAAN 31 DESEMBER 2024",),
        ("Aktif", "Tidak Aktif"),
        False,
        "name",
        "Data Koperasi",
    ),
)


def cooperative_count(scale: float) -> int:
    return max(MIN_COOPERATIVES, round(COOPERATIVES_PER_SCALE * scale))


def _places() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (area.code.replace(".", ""), area.name, kecamatan, kelurahan, area.weight)
            for area in KALTARA
            for kecamatan, kelurahans in area.kecamatan.items()
            for kelurahan in kelurahans
        ],
        columns=["kab_code", "kab_kota", "kecamatan", "kelurahan", "weight"],
    )


def _kelompok(rng: np.random.Generator, jenis_idx: np.ndarray) -> np.ndarray:
    """The kelompok (name prefix) of each cooperative, drawn with its jenis' weights."""
    out = np.empty(len(jenis_idx), dtype=object)
    for k, jenis in enumerate(JENIS_SHARES):
        names = [name for name, _ in KELOMPOK[jenis]]
        weights = np.array([w for _, w in KELOMPOK[jenis]], dtype=float)
        mask = jenis_idx == k
        out[mask] = np.array(names, dtype=object)[
            rng.choice(len(names), mask.sum(), p=weights / weights.sum())
        ]
    return out


def _sektor(rng: np.random.Generator, jenis_idx: np.ndarray) -> np.ndarray:
    out = np.empty(len(jenis_idx), dtype=object)
    for k, jenis in enumerate(JENIS_SHARES):
        mask = jenis_idx == k
        out[mask] = np.array(SEKTOR[jenis], dtype=object)[rng.integers(0, len(SEKTOR[jenis]), mask.sum())]
    return out


def _lifecycle(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """First and last update each cooperative is listed in, its activity class and when it turns inactive."""
    last = len(UPDATES) - 1
    appear = np.where(rng.random(n) < NEW_SHARE, rng.integers(1, last + 1, n), 0)
    gone_roll = rng.random(n) < GONE_SHARE
    gone_at = appear + (rng.random(n) * (last - appear)).astype(np.int64)  # in [appear, last - 1]
    gone = np.where(gone_roll & (appear < last), gone_at, last)
    klass = rng.choice(len(CLASSES), n, p=CLASS_SHARES)
    turns = (klass == 0) & (rng.random(n) < BECOME_INACTIVE_SHARE)
    inactive_from = np.where(turns, rng.integers(1, last + 1, n), 99)
    lag = np.select(
        [klass == 0, klass == 1, klass == 2, klass == 3],
        [rng.integers(0, 4, n), rng.integers(1, 9, n), rng.integers(0, 3, n), rng.integers(3, 9, n)],
        -1,
    )
    return {"appear": appear, "gone": gone, "klass": klass, "inactive_from": inactive_from, "lag": lag}


def _money(rng: np.random.Generator, n: int, jenis_idx: np.ndarray) -> dict[str, np.ndarray]:
    savings = np.isin(jenis_idx, [3, 5])  # simpan pinjam: larger balance sheets
    aset = np.minimum(rng.lognormal(19.8, 1.3, n) * np.where(savings, 3.0, 1.0), MONEY_CAP)
    aset = (aset // 1000 * 1000).astype(np.int64) + 1_000_000
    own = (aset * rng.uniform(0.2, 0.8, n) // 1000 * 1000).astype(np.int64)
    volume = np.minimum(aset * rng.uniform(0.3, 2.5, n), MONEY_CAP) // 1000 * 1000
    shu = (volume * rng.uniform(0.0, 0.12, n) // 1000 * 1000).astype(np.int64)
    return {
        "aset": aset,
        "modal_sendiri": own,
        "modal_luar": aset - own,
        "volume_usaha": volume.astype(np.int64),
        "shu": shu,
        "has_money": rng.random(n) < 0.85,
    }


def build_cooperatives(con: duckdb.DuckDBPyConnection, scale: float, seed: int) -> None:
    """Tables coops (one row per cooperative) and coop_rows (one per cooperative per update listing it), every
    draw from one numpy generator of its own (the permit sample's draws stay as they were)."""
    rng = np.random.default_rng([seed, 1])
    n = cooperative_count(scale)
    places = _places()
    area_weight = places["weight"] / places.groupby("kab_kota")["weight"].transform("count")
    jenis_idx = rng.choice(len(JENIS_SHARES), n, p=list(JENIS_SHARES.values()))
    place_idx = rng.choice(len(places), n, p=(area_weight / area_weight.sum()).to_numpy())
    founded = rng.integers(0, (dt.date(2022, 12, 31) - dt.date(1975, 1, 1)).days, n)
    first_names = np.array(IdNames.first_names_male + IdNames.first_names_female, dtype=object)
    last_names = np.array(IdNames.last_names_male, dtype=object)
    frame = pd.DataFrame(
        {
            "i": np.arange(n, dtype=np.int64),
            # 16 digits: the kab/kota code, then a serial unique per cooperative that never ends in 00 (so
            # never in 8 zeros, the mark of a number that went through 6,47102E+15).
            "serial": np.arange(n, dtype=np.int64) * 100 + rng.integers(1, 100, n),
            "jenis": np.array(list(JENIS_SHARES), dtype=object)[jenis_idx],
            "kelompok": _kelompok(rng, jenis_idx),
            "sektor": _sektor(rng, jenis_idx),
            "place_idx": place_idx,
            "word": np.array(NAME_WORDS, dtype=object)[rng.integers(0, len(NAME_WORDS), n)],
            "founded": founded,
            "bh_serial": rng.integers(1, 10_000_000, n),
            "street": np.array(STREETS["kaltara"], dtype=object)[rng.integers(0, len(STREETS["kaltara"]), n)],
            "house": rng.integers(1, 121, n),
            "km": rng.integers(2, 26, n),
            "sekunder": rng.random(n) < 0.01,
            "members_l": rng.integers(5, 400, n),
            "members_p": rng.integers(0, 300, n),
            "manajer": rng.integers(0, 3, n),
            "karyawan": rng.integers(0, 16, n),
            "digital_year": np.where(rng.random(n) < 0.1, rng.integers(2020, 2023, n), -1),
            "ketua": first_names[rng.integers(0, len(first_names), n)]
            + " "
            + last_names[rng.integers(0, len(last_names), n)],
            "phone_digits": rng.integers(10_000_000, 100_000_000, n),
            "has_phone": rng.random(n) < 0.9,
            "has_email": rng.random(n) < 0.6,
            "rat_month": rng.integers(2, 6, n),
            "rat_day": rng.integers(1, 29, n),
            "rat_date_only": rng.random(n) < 0.1,
            "pemutakhiran_lag": rng.integers(0, 120, n),
            **_money(rng, n, jenis_idx),
            **_lifecycle(rng, n),
        }
    )
    con.register("coop_df", frame)
    con.register("coop_places_df", places.drop(columns="weight").reset_index(names="place_idx"))
    con.register("kelompok_df", pd.DataFrame(list(NAME_PREFIX.items()), columns=["kelompok", "prefix"]))
    con.register(
        "jenis_df",
        pd.DataFrame([(j, s[0]) for j, s in JENIS_SPELLINGS.items()], columns=["jenis", "jenis_text"]),
    )
    con.execute("""
        create or replace table coops as
        select c.* exclude (serial, word, place_idx, street, house, km, founded, bh_serial),
            p.kab_code || lpad(c.serial::varchar, 12, '0') as nik,
            k.prefix || ' ' || c.word || ' ' || p.kelurahan as name,
            date '1975-01-01' + c.founded::integer as bh_date,
            case when year(date '1975-01-01' + c.founded::integer) >= 2014
                then 'AHU-' || lpad(c.bh_serial::varchar, 7, '0') || '.AH.01.26.TAHUN '
                    || year(date '1975-01-01' + c.founded::integer)::varchar
                else (c.bh_serial % 999 + 1)::varchar || '/BH/XVI/'
                    || year(date '1975-01-01' + c.founded::integer)::varchar
            end as bh_no,
            replace(c.street, '{km}', c.km::varchar) || ' No. ' || c.house::varchar as address,
            p.kab_kota, p.kecamatan, p.kelurahan,
            case when c.sekunder then 'Sekunder' else 'Primer' end as bentuk,
            j.jenis_text
        from coop_df as c
        join coop_places_df as p using (place_idx)
        join kelompok_df as k using (kelompok)
        join jenis_df as j using (jenis)
    """)
    for view in ("coop_df", "coop_places_df", "kelompok_df", "jenis_df"):
        con.unregister(view)
    updates = ", ".join(f"({u}, date '{f.update}')" for u, f in enumerate(UPDATES))
    con.execute(f"""
        create or replace table coop_rows as
        select c.*, u.u, u.update_date,
            case when c.klass = 0 and u.u < c.inactive_from then 'aktif'
                 when c.klass in (0, 1) then 'tidak_aktif' end as status,
            case when c.lag >= 0 then year(u.update_date) - 1 - c.lag end as rat_year,
            case when c.lag >= 0
                then make_date(year(u.update_date) - c.lag, c.rat_month, c.rat_day) end as rat_date,
            -- what the documented rules make of the row (the generator's own oracle)
            (c.klass = 0 and u.u < c.inactive_from) or c.klass = 2 as is_active
        from coops as c
        join (values {updates}) as u (u, update_date) on u.u between c.appear and c.gone
    """)


def _cells(spec: UpdateFile, typed: bool) -> list[str]:
    """The cells of the header in file order, as SQL over coop_rows (typed for an xlsx, else text)."""
    up = (lambda sql: f"upper({sql})") if spec.upper else (lambda sql: sql)
    if typed:
        date, number = (lambda c: c), (lambda c: c)
    elif spec.fmt == "csv-id":
        date, number = (lambda c: f"strftime({c}, '%d/%m/%Y')"), (lambda c: f"{c}::varchar")
    else:
        date, number = (lambda c: f"strftime({c}, '%Y-%m-%d')"), (lambda c: f"{c}::varchar")

    def money(column: str) -> str:
        if spec.fmt == "csv-id":  # Indonesian rupiah text
            return f"case when has_money then 'Rp ' || format('{{:t.}}', {column}) end"
        return f"case when has_money then {number(column)} end"

    aktif, tidak = spec.status_words
    cells = {
        "no": number("rn"),
        "nomor_induk_koperasi": "nik::bigint" if typed else "nik",
        "nama_koperasi": up("name"),
        "nomor_badan_hukum": "bh_no",
        "tanggal_badan_hukum": date("bh_date"),
        "alamat": up("address"),
        "kelurahan": "kelurahan",
        "kecamatan": "kecamatan",
        "kab_kota": up("kab_kota"),
        "bentuk_koperasi": up("bentuk"),
        "jenis_koperasi": up("jenis_text"),
        "kelompok_koperasi": up("kelompok"),
        "sektor_usaha": up("sektor"),
        "tahun_buku_rat_terakhir": f"case when not rat_date_only then {number('rat_year')} end",
        "tanggal_rat": date("rat_date"),
        "anggota_laki_laki": number("members_l"),
        "anggota_perempuan": number("members_p"),
        "jumlah_manajer": number("manajer"),
        "jumlah_karyawan": number("karyawan"),
        "modal_sendiri": money("modal_sendiri"),
        "modal_luar": money("modal_luar"),
        "volume_usaha": money("volume_usaha"),
        "aset": money("aset"),
        "shu": money("shu"),
        "status_koperasi": f"case status when 'aktif' then '{aktif}' when 'tidak_aktif' then '{tidak}' end",
        "pelaporan_digital": up("case when digital_year > 0 then 'Ya' else 'Tidak' end"),
        "tahun_mulai_pelaporan_digital": f"case when digital_year > 0 then {number('digital_year')} end",
        "nama_ketua": "ketua",
        "no_hp": "case when has_phone then '0812' || phone_digits::varchar end",
        "email": "case when has_email then 'koperasi' || i::varchar || '@contoh.id' end",
        "tanggal_pemutakhiran": date("greatest(update_date - pemutakhiran_lag::integer, date '2023-01-01')"),
    }
    return [cells[canonical] for _, canonical in HEADERS[spec.header]]


def _query(spec: UpdateFile, u: int, typed: bool) -> str:
    order = "nik" if spec.sort == "nik" else "name, nik"
    inner = ", ".join(f"{sql} as c{k}" for k, sql in enumerate(_cells(spec, typed)))
    numbered = f"select *, row_number() over (order by {order}) as rn from coop_rows where u = {u}"
    return f"select {inner} from ({numbered}) order by rn"


def write_update(con: duckdb.DuckDBPyConnection, out_dir: Path, u: int) -> int:
    """One update's register file; returns the cooperatives listed."""
    spec = UPDATES[u]
    names = [name for name, _ in HEADERS[spec.header]]
    path = out_dir / spec.name
    if spec.fmt == "xlsx":
        write_workbook(
            path,
            [SheetSpec(spec.sheet, names, query_rows(con.execute(_query(spec, u, True))), spec.title_rows)],
        )
    else:
        query = _query(spec, u, False)
        aliased = ", ".join(f'c{k} as "{h}"' for k, h in enumerate(names))
        delimiter = ";" if spec.fmt == "csv-id" else ","
        body = path.with_name(path.name + ".part")
        con.execute(
            f"copy (select {aliased} from ({query})) to '{body}' "
            f"(format csv, header true, delimiter '{delimiter}')"
        )
        _prepend_titles(path, body, spec.title_rows)
    return int(con.execute(f"select count(*) from coop_rows where u = {u}").fetchall()[0][0])


def _prepend_titles(path: Path, body: Path, title_rows: tuple[str, ...]) -> None:
    """Title rows and a blank line above the table, as an office's Excel saves them (the body streamed)."""
    with path.open("wb") as out:
        for title in title_rows:
            out.write(f"{title}\n".encode())
        if title_rows:
            out.write(b"\n")
        with body.open("rb") as rows:
            shutil.copyfileobj(rows, out, 1 << 20)
    body.unlink()


def write_cooperatives(
    con: duckdb.DuckDBPyConnection, out_dir: Path, scale: float, seed: int
) -> dict[str, int]:
    """Every update's file; returns rows written per update file and the generator's own counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    build_cooperatives(con, scale, seed)
    written = {spec.name: write_update(con, out_dir, u) for u, spec in enumerate(UPDATES)}
    return {"coop_registry": sum(written.values()), **counts(con)}


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Distinct cooperatives listed, and the active / inactive ones in each kab/kota's latest update (what
    marts.cooperatives holds: one row per cooperative of its kab/kota's latest update)."""
    distinct, active, listed = con.execute("""
        with latest as (select kab_kota, max(u) as u from coop_rows group by kab_kota)
        select (select count(distinct nik) from coop_rows),
            count(*) filter (where r.is_active), count(*)
        from coop_rows as r join latest using (kab_kota, u)
    """).fetchall()[0]
    return {
        "cooperatives": int(distinct),
        "cooperatives_latest": int(listed),
        "cooperatives_active": int(active),
        "cooperatives_inactive": int(listed - active),
    }
