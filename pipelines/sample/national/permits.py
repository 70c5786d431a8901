"""OSS permit-family exports at national scale: the NIB, project and permit lists, one file per family and
month, generated in bulk (numpy draws, DuckDB formats and writes) instead of one Python record per row.

The files use the bundled sample's header spellings (permits/data/headers_*.csv), cell forms (NIB as text, as
a number in xlsx; Indonesian rupiah text; day-first slash dates) and quirks that matter for speed: some months
are xlsx workbooks, some are Tableau downloads with month-first dates and "Day of ..." headers, some are
';'-separated Windows-1252 CSVs from Indonesian Excel. Every value is synthetic (no real person or business).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines.sample.permits.areas import KALTARA
from pipelines.sample.permits.kbli import KBLI_CODES, KL_SECTOR, RISK_TEXT
from pipelines.sample.permits.layouts import NIB_HEADERS, PERMIT_HEADERS, PROJECT_HEADERS, SCALE_TEXT
from pipelines.sample.permits.vocabulary import NAME_WORDS
from pipelines.sample.writers import write_xlsx

# At scale 1.0: 3.33M businesses, 4M projects, 3.2M permits = about 10.5M permit-family rows.
BUSINESSES_PER_SCALE = 3_333_333
FIRST_DAY = dt.date(2022, 1, 1)  # OSS RBA era only: every NIB begins with its issue date (ddmmyy)
LAST_DAY = dt.date(2024, 12, 31)
SCALES = ("mikro", "kecil", "menengah", "besar")
SCALE_SHARES = (0.9, 0.08, 0.015, 0.005)
CAPITAL = {
    "mikro": (2_000_000, 1_000_000_000),
    "kecil": (1_001_000_000, 5_000_000_000),
    "menengah": (5_001_000_000, 10_000_000_000),
    "besar": (10_001_000_000, 300_000_000_000),
}


@dataclass(frozen=True)
class MonthStyle:
    """How one month's three files are written (a cycle over the calendar month, see month_style)."""

    fmt: str  # "csv" (UTF-8, ','), "csv-id" (';', Windows-1252) or "xlsx"
    date_order: str  # "dmy" or "mdy" (a Tableau download on a US-locale machine)
    nib_header: str  # header styles of headers_<family>.csv
    project_header: str
    permit_header: str
    scale_style: str


def month_style(month: int) -> MonthStyle:
    """June: xlsx. September: Indonesian Excel CSV. December: month-first Tableau CSVs. Others: plain CSV."""
    if month == 6:
        return MonthStyle("xlsx", "dmy", "title", "title", "upper", "title")
    if month == 9:
        return MonthStyle("csv-id", "dmy", "upper", "snake", "upper", "upper")
    if month == 12:
        return MonthStyle("csv", "mdy", "tableau", "tableau", "tableau", "short")
    return MonthStyle("csv", "dmy", "snake", "snake", "snake", "title")


def file_names(year: int, month: int, fmt: str) -> dict[str, str]:
    ext = "xlsx" if fmt == "xlsx" else "csv"
    return {
        "nib": f"daftar_nib_kaltara_{year}_{month:02d}.{ext}",
        "proyek": f"Daftar Proyek {year}-{month:02d}.{ext}",
        "izin": f"List Izin {year}-{month:02d}.{ext}",
    }


def _lookups(con: duckdb.DuckDBPyConnection) -> None:
    places = [
        (area.name, area.province, kecamatan, kelurahan)
        for area in KALTARA
        for kecamatan, kelurahans in area.kecamatan.items()
        for kelurahan in kelurahans
    ]
    con.register(
        "places_df", pd.DataFrame(places, columns=["kab_kota", "province", "kecamatan", "kelurahan"])
    )
    con.execute("create table places as select row_number() over () - 1 as idx, * from places_df")
    kbli = [
        (k.code, k.title, k.risk, RISK_TEXT[k.risk], KL_SECTOR.get(k.division, "PERDAGANGAN"), k.weight)
        for k in KBLI_CODES
    ]
    con.register(
        "kbli_df", pd.DataFrame(kbli, columns=["code", "title", "risk", "risk_text", "kl", "weight"])
    )
    con.execute("create table kbli as select row_number() over () - 1 as idx, * from kbli_df")
    con.register("words_df", pd.DataFrame({"word": NAME_WORDS}))
    con.execute("create table words as select row_number() over () - 1 as idx, word from words_df")
    scales = [
        (i, key, *(SCALE_TEXT[style][key] for style in ("title", "upper", "short")))
        for i, key in enumerate(SCALES)
    ]
    con.register("scales_df", pd.DataFrame(scales, columns=["idx", "scale", "title", "upper", "short"]))
    con.execute("create table scales as select * from scales_df")


def build_tables(
    con: duckdb.DuckDBPyConnection,
    scale: float,
    seed: int,
    *,
    id_offset: int = 0,
    first_day: dt.date = FIRST_DAY,
    last_day: dt.date = LAST_DAY,
) -> None:
    """Tables businesses, projects and permits: every draw from one seeded numpy generator (deterministic)."""
    rng = np.random.default_rng(seed)
    n = max(1, round(BUSINESSES_PER_SCALE * scale))
    days = (last_day - first_day).days + 1
    kbli_weights = np.array([k.weight for k in KBLI_CODES])
    lows = np.array([CAPITAL[s][0] for s in SCALES], dtype=np.int64)
    highs = np.array([CAPITAL[s][1] for s in SCALES], dtype=np.int64)
    scale_idx = rng.choice(len(SCALES), n, p=SCALE_SHARES)
    con.register(
        "b_df",
        pd.DataFrame(
            {
                "i": np.arange(n, dtype=np.int64) + id_offset,
                "day": np.sort(rng.integers(0, days, n)),
                "scale_idx": scale_idx,
                "place_idx": rng.integers(0, _count(con, "places"), n),
                "kbli_idx": rng.choice(len(KBLI_CODES), n, p=kbli_weights / kbli_weights.sum()),
                "word_idx": rng.integers(0, len(NAME_WORDS), n),
                "capital": lows[scale_idx]
                + (rng.random(n) * (highs - lows)[scale_idx]).astype(np.int64) // 1000 * 1000,
                "type_roll": rng.integers(0, 100, n),
                "second_project": rng.random(n) < 0.2,
            }
        ),
    )
    con.execute(f"""
        create or replace table businesses as
        select b.i, date '{first_day}' + b.day::integer as registered,
            strftime(date '{first_day}' + b.day::integer, '%d%m%y')
                || lpad((row_number() over (partition by b.day order by b.i))::varchar, 7, '0') as nib,
            s.scale, s.title as scale_title, s.upper as scale_upper, s.short as scale_short,
            case when s.scale = 'mikro' and b.type_roll < 85 then 'Perseorangan'
                 when s.scale in ('mikro', 'kecil') and b.type_roll < 92 then 'Persekutuan Komanditer (CV)'
                 else 'Perseroan Terbatas (PT)' end as company_type,
            w.word || ' ' || (b.i % 997 + 1)::varchar as name_word,
            'Jl. Contoh No. ' || (b.i % 250 + 1)::varchar as address,
            p.kab_kota, p.province, p.kecamatan, p.kelurahan,
            k.code as kbli, k.title as kbli_title, k.risk, k.risk_text, k.kl,
            b.capital, b.second_project
        from b_df as b
        join scales as s on s.idx = b.scale_idx
        join places as p on p.idx = b.place_idx
        join kbli as k on k.idx = b.kbli_idx
        join words as w on w.idx = b.word_idx
    """)
    con.unregister("b_df")
    m = _count(con, "businesses") + _count(con, "businesses where second_project")
    con.register(
        "p_df",
        pd.DataFrame(
            {
                "lag": rng.integers(0, 31, m),
                "permit_lag": rng.integers(0, 15, m),
                "has_permit": rng.random(m) < 0.8,
                "land": rng.integers(20, 2000, m),
                "workers": rng.integers(1, 20, m),
                "second": rng.random(m),
            }
        ),
    )
    # Positional pairing: the k-th project row takes the k-th draw (both in a fixed order).
    con.execute("""
        create or replace table project_rows as
        select * from (
            select b.*, 0 as n from businesses as b
            union all select b.*, 1 as n from businesses as b where second_project
        ) order by i, n
    """)
    con.execute(f"""
        create or replace table projects as
        select r.*,
            least(r.registered + d.lag::integer, date '{last_day}') as submitted,
            d.permit_lag, d.has_permit, d.land, d.workers,
            r.capital // (1 + r.n) as investment
        from project_rows as r positional join p_df as d
    """)
    con.execute("drop table project_rows")
    con.unregister("p_df")
    con.execute("""
        create or replace table projects as
        select *, 'R-' || strftime(submitted, '%Y%m%d')
                || lpad((row_number() over (partition by submitted order by i, n))::varchar, 9, '0')
                as project_id
        from projects
    """)
    con.execute(f"""
        create or replace table permits as
        with dated as (
            select *, least(submitted + permit_lag::integer, date '{last_day}') as issued
            from projects where has_permit
        )
        select *, 'I-' || strftime(issued, '%Y%m%d')
            || lpad((row_number() over (partition by issued order by i, n))::varchar, 9, '0') as permit_id
        from dated
    """)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # fetchall, not fetchone: DuckDB 2.0 keeps a half-read result open and refuses the next statement.
    return int(con.execute(f"select count(*) from {table}").fetchall()[0][0])


def _date_sql(column: str, style: MonthStyle) -> str:
    return f"strftime({column}, '{'%m/%d/%Y' if style.date_order == 'mdy' else '%d/%m/%Y'}')"


def _money_sql(column: str) -> str:
    return f"'Rp ' || format('{{:t.}}', {column})"


def _scale_sql(style: MonthStyle) -> str:
    return {"title": "scale_title", "upper": "scale_upper", "short": "scale_short"}[style.scale_style]


def _select(family: str, style: MonthStyle) -> tuple[str, tuple[str, ...]]:
    """The family's cells as SQL expressions (text, as the CSV export writes them) and its header."""
    date, sc = (lambda c: _date_sql(c, style)), _scale_sql(style)
    if family == "nib":
        cells = [
            "nib",
            date("registered"),
            "name_word",
            "'PMDN'",
            "company_type",
            sc,
            "address",
            "kelurahan",
            "kecamatan",
            "kab_kota",
            "'usaha' || i::varchar || '@contoh.id'",
            "'0812' || lpad((i % 100000000)::varchar, 8, '0')",
        ]
        return ", ".join(cells), tuple(NIB_HEADERS[style.nib_header])
    if family == "proyek":
        cells = [
            "project_id",
            "case when n = 0 then 'Utama' else 'Pendukung' end",
            "nib",
            "name_word",
            date("registered"),
            "'PMDN'",
            "company_type",
            "risk_text",
            "kbli_title",
            sc,
            "address",
            "kab_kota",
            "kecamatan",
            "kelurahan",
            "null",
            "null",
            date("submitted"),
            "kbli",
            "kbli_title",
            "kl",
            "'Pemilik ' || (i % 9973)::varchar",
            "'usaha' || i::varchar || '@contoh.id'",
            "'0812' || lpad((i % 100000000)::varchar, 8, '0')",
            "land::varchar",
            "'m2'",
            _money_sql("investment"),
            "workers::varchar",
        ]
        return ", ".join(cells), tuple(PROJECT_HEADERS[style.project_header])
    cells = [
        "(row_number() over (order by issued, permit_id))::varchar",
        "permit_id",
        "name_word",
        "nib",
        date("registered"),
        "'PMDN'",
        "province",
        "kab_kota",
        "project_id",
        "risk",
        "kbli",
        date("issued"),
        "'Perizinan Berusaha'",
        "'Nomor Induk Berusaha'",
        "'Pemerintah Daerah Kabupaten/Kota'",
        "'Terbit'",
        "'Bupati/Walikota'",
        "kl",
    ]
    return ", ".join(cells), tuple(PERMIT_HEADERS[style.permit_header])


FAMILY_TABLES = {
    "nib": ("businesses", "registered", "i"),
    "proyek": ("projects", "submitted", "project_id"),
    "izin": ("permits", "issued", "permit_id"),
}


def write_month(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    family: str,
    name: str,
    style: MonthStyle,
    first: dt.date,
    last: dt.date,
) -> int:
    """One export file: the family's rows whose date falls in [first, last]; returns the rows written."""
    table, day, order = FAMILY_TABLES[family]
    cells, header = _select(family, style)
    query = (
        f"select {cells} from {table} where {day} between date '{first}' and date '{last}' "
        f"order by {day}, {order}"
    )
    path = out_dir / name
    if style.fmt == "xlsx":
        rows = [_typed(family, row) for row in con.execute(query).fetchall()]
        write_xlsx(path, header, rows)
        return len(rows)
    aliased = ", ".join(f'c{k} as "{h}"' for k, h in enumerate(header))
    wrapped = (
        f"select {aliased} from (select * from ({query}) as q("
        + ", ".join(f"c{k}" for k in range(len(header)))
        + "))"
    )
    delimiter = ";" if style.fmt == "csv-id" else ","
    con.execute(f"copy ({wrapped}) to '{path}' (format csv, header true, delimiter '{delimiter}')")
    return _count(con, f"({query})")


def _typed(family: str, row: tuple[object, ...]) -> list[object]:
    """An xlsx row: NIB and KBLI as numbers, dates as date cells, rupiah and counts as numbers (as OSS)."""
    cells = list(row)
    date_columns = {"nib": (1,), "proyek": (4, 16), "izin": (4, 11)}[family]
    for k in date_columns:
        cells[k] = dt.datetime.strptime(str(cells[k]), "%d/%m/%Y").date()
    nib_column = {"nib": 0, "proyek": 2, "izin": 3}[family]
    cells[nib_column] = int(str(cells[nib_column]))
    if family == "proyek":
        cells[17] = int(str(cells[17]))
        cells[23] = int(str(cells[23]))
        cells[25] = int(str(cells[25]).removeprefix("Rp ").replace(".", ""))
        cells[26] = int(str(cells[26]))
    if family == "izin":
        cells[0] = int(str(cells[0]))
        cells[10] = int(str(cells[10]))
    return cells


def months(first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> list[tuple[int, int]]:
    return [
        (y, m)
        for y in range(first.year, last.year + 1)
        for m in range(1, 13)
        if dt.date(y, m, 1) >= first.replace(day=1) and dt.date(y, m, 1) <= last
    ]


def write_permits(con: duckdb.DuckDBPyConnection, out_dir: Path, scale: float, seed: int) -> dict[str, int]:
    """Every month's three files; returns rows written per family."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _lookups(con)
    build_tables(con, scale, seed)
    written = {"nib": 0, "proyek": 0, "izin": 0}
    for year, month in months():
        style = month_style(month)
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        for family, name in file_names(year, month, style.fmt).items():
            written[family] += write_month(con, out_dir, family, name, style, first, last)
    return written


def write_day(con: duckdb.DuckDBPyConnection, out_dir: Path, scale: float, seed: int, day: dt.date) -> int:
    """One day's new exports after the national sample (about 0.1% of its rows): new businesses registered
    that day with their projects and permits, NIBs and ids continuing after the sample's. Returns rows."""
    _lookups(con)
    build_tables(con, scale / 1000, seed + 1, id_offset=9_000_000, first_day=day, last_day=day)
    style = month_style(1)
    stamp = day.strftime("%Y_%m_%d")
    names = {
        "nib": f"daftar_nib_kaltara_harian_{stamp}.csv",
        "proyek": f"Daftar Proyek harian {stamp}.csv",
        "izin": f"List Izin harian {stamp}.csv",
    }
    return sum(write_month(con, out_dir, family, name, style, day, day) for family, name in names.items())
