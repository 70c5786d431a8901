"""Date order (day-month or month-day) decided per file and column from evidence: the decision table, the
evidence counted in DuckDB, and whole files through the loader (month-first NIB list beside a day-first
permit list of the same office)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.date_order import (
    ColumnEvidence,
    decide,
    gather_evidence,
    nib_prefix_order,
)
from pipelines.ingest.loader import SourceLoader
from pipelines.ingest.macros import register_macros
from pipelines.ingest.permits import FAMILIES, OSS_PERMIT
from pipelines.ingest.typed_stages import form_name, typed_stages
from pipelines.sample.writers import write_csv, write_xlsx
from tests.oss_exports import NIB_HEADER, PERMIT_HEADER
from tests.oss_exports import PLACE as _PLACE

D = dt.date
E = ColumnEvidence

# (case, evidence per column, NIB prefix order, expected {column: (order, evidence, certain)})
DECISIONS = [
    ("month-first only", {"tgl": E(0, 7, 5)}, None, {"tgl": ("mdy", "values", True)}),
    ("day-first only", {"tgl": E(4, 0, 9)}, None, {"tgl": ("dmy", "values", True)}),
    ("all ambiguous, nothing else", {"tgl": E(0, 0, 6)}, None, {"tgl": ("dmy", "none", False)}),
    ("both orders seen", {"tgl": E(3, 2, 1)}, None, {"tgl": ("dmy", "conflicting", False)}),
    (
        "two date columns agreeing: the decided one settles the ambiguous one",
        {"tanggal_terbit_oss": E(0, 0, 5), "tgl_izin": E(0, 3, 2)},
        None,
        {"tanggal_terbit_oss": ("mdy", "other_date_columns", True), "tgl_izin": ("mdy", "values", True)},
    ),
    (
        "other date columns disagreeing among themselves",
        {"a": E(0, 0, 5), "b": E(2, 0, 0), "c": E(0, 2, 0)},
        None,
        {"a": ("dmy", "conflicting", False), "b": ("dmy", "values", True), "c": ("mdy", "values", True)},
    ),
    (
        "NIB prefix decides an otherwise ambiguous column",
        {"tanggal_terbit_oss": E(0, 0, 8)},
        "mdy",
        {"tanggal_terbit_oss": ("mdy", "nib_prefix", True)},
    ),
    (
        "NIB prefix only speaks for tanggal_terbit_oss",
        {"tgl_izin": E(0, 0, 8)},
        "mdy",
        {"tgl_izin": ("dmy", "none", False)},
    ),
    (
        "NIB prefix corroborates the values",
        {"tanggal_terbit_oss": E(5, 0, 3)},
        "dmy",
        {"tanggal_terbit_oss": ("dmy", "values+nib_prefix", True)},
    ),
    (
        "NIB prefix contradicts the values: values kept, flagged",
        {"tanggal_terbit_oss": E(5, 0, 3)},
        "mdy",
        {"tanggal_terbit_oss": ("dmy", "conflicting", False)},
    ),
    (
        "NIB prefix and another column disagree",
        {"tanggal_terbit_oss": E(0, 0, 4), "tgl_izin": E(3, 0, 0)},
        "mdy",
        {"tanggal_terbit_oss": ("dmy", "conflicting", False), "tgl_izin": ("dmy", "values", True)},
    ),
    ("no numeric dates (ISO, Excel cells, month names): no decision", {"tgl": E(0, 0, 0)}, None, {}),
]


@pytest.mark.parametrize(
    ("case", "evidence", "nib_order", "expected"), DECISIONS, ids=[d[0] for d in DECISIONS]
)
def test_decide(case, evidence, nib_order, expected):
    decided = decide(evidence, nib_order)
    assert {name: (o.date_order, o.evidence, o.certain) for name, o in decided.items()} == expected


@pytest.mark.parametrize(
    ("agree_dmy", "agree_mdy", "with_date", "expected"),
    [
        (9, 1, 10, "dmy"),
        (1, 9, 10, "mdy"),
        (5, 5, 10, None),
        (4, 0, 10, None),
        (0, 0, 0, None),
        (6, 6, 6, None),
    ],
)
def test_nib_prefix_majority(agree_dmy, agree_mdy, with_date, expected):
    assert nib_prefix_order(agree_dmy, agree_mdy, with_date) == expected


# -------------------------------------------------------------------------------- evidence counted in DuckDB

EVIDENCE_TABLES = [
    # (case, [(nib, tanggal_terbit_oss, tgl_izin)], expected evidence of (tanggal, izin), NIB order)
    (
        "month-first with day above 12",
        [
            ("0101230002777", "01/13/2023", None),
            (None, "02/14/2023", "2023-02-14"),
            (None, "03/03/2023", None),
        ],
        (E(0, 2, 1), E(0, 0, 0)),
        None,
    ),
    (
        "two-digit years, day-first",
        [(None, "13/01/23", "26/07/24"), (None, "05/01/23", "05/08/24")],
        (E(1, 0, 1), E(1, 0, 1)),
        None,
    ),
    (
        "Excel cells mixed with text: only text counts",
        [(None, "2023-01-13", None), (None, "45123", None), (None, "01/12/2023", None)],
        (E(0, 0, 1), E(0, 0, 0)),
        None,
    ),
    (
        "NIB prefixes agree with month-first readings of ambiguous dates",
        # 0502230001111 was issued 5 February 2023: 02/05/2023 read month-first.
        [("0502230001111", "02/05/2023", None), ("0703230002222", "03/07/2023", None)],
        (E(0, 0, 2), E(0, 0, 0)),
        "mdy",
    ),
    (
        "NIB prefixes agree with day-first readings",
        [("0502230001111", "05/02/2023", None), ("0703230002222", "07/03/2023", None)],
        (E(0, 0, 2), E(0, 0, 0)),
        "dmy",
    ),
    (
        "older NIBs (8120/9120, 02, 12) carry no date",
        [("8120012345678", "02/05/2023", None), ("0220000261345", "03/07/2023", None)],
        (E(0, 0, 2), E(0, 0, 0)),
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "rows", "expected", "nib_order"), EVIDENCE_TABLES, ids=[e[0] for e in EVIDENCE_TABLES]
)
def test_gather_evidence(case, rows, expected, nib_order):
    """The loader counts the evidence on the normalised stage of its typing (the date texts and NIB digits
    computed once for both)."""
    con = duckdb.connect()
    register_macros(con)
    con.execute(
        "CREATE TABLE landing_text "
        "(_row_number BIGINT, nib VARCHAR, tanggal_terbit_oss VARCHAR, tgl_izin VARCHAR)"
    )
    con.executemany("INSERT INTO landing_text VALUES (?, ?, ?, ?)", [(i, *r) for i, r in enumerate(rows)])
    stages = typed_stages(OSS_PERMIT, {"nib", "tanggal_terbit_oss", "tgl_izin"})
    con.execute(f"CREATE TABLE plain_rows AS SELECT {stages.plain} FROM landing_text")
    con.execute(f"CREATE TABLE normalised_rows AS SELECT {stages.normalised} FROM plain_rows")
    dates = {
        c.name: form_name(c, "date_text")
        for c in OSS_PERMIT.columns
        if c.name in ("tanggal_terbit_oss", "tgl_izin")
    }
    evidence, order = gather_evidence(
        con, "normalised_rows", dates, form_name(OSS_PERMIT.column("nib"), "digits")
    )
    assert (evidence["tanggal_terbit_oss"], evidence["tgl_izin"]) == expected
    assert order == nib_order


# ------------------------------------------------------------------------------------ whole files


# One office, same month: the NIB list is month-first (Tableau download), the permit list day-first with
# two-digit years.
MONTH_FIRST_NIB_ROWS = [
    ["1301230001001", "01/13/2023", "Warung Satu", *_PLACE],  # 13 January
    ["0502230001002", "02/05/2023", "Warung Dua", *_PLACE],  # ambiguous alone: 5 February by the file
    ["2802230001003", "02/28/2023", "Warung Tiga", *_PLACE],  # 28 February
    ["0103230001004", "03/01/2023", "Warung Empat", *_PLACE],  # 1 March
]
DAY_FIRST_PERMIT_ROWS = [
    [
        "1.000",
        "I-1",
        "Warung Satu",
        "1301230001001",
        "13/01/23",
        "Kalimantan Timur",
        "Kota Balikpapan",
        "56101",
        "20/01/23",
    ],
    [
        "1.001",
        "I-2",
        "Warung Dua",
        "0502230001002",
        "05/02/23",
        "Kalimantan Timur",
        "Kota Balikpapan",
        "56101",
        "06/02/23",
    ],
]
# Every date fits both orders and nothing else in the file decides: read day-first, flagged.
AMBIGUOUS_NIB_ROWS = [
    ["8120012345678", "01/02/2023", "Toko A", *_PLACE],
    ["9120012345679", "03/04/2023", "Toko B", *_PLACE],
]


def _load(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    raw = tmp_path / "raw"
    write_xlsx(raw / "permits" / "daftar_nib_januari_2023.xlsx", NIB_HEADER, MONTH_FIRST_NIB_ROWS)
    write_csv(raw / "permits" / "list_izin_2023-02.csv", PERMIT_HEADER, DAY_FIRST_PERMIT_ROWS, delimiter=";")
    write_csv(raw / "permits" / "nib_awal_2023.csv", NIB_HEADER, AMBIGUOUS_NIB_ROWS)
    con = duckdb.connect()
    SourceLoader(con, raw, "permits", FAMILIES).load_all()
    return con


def test_month_first_and_day_first_files_of_one_office_land_right(tmp_path: Path):
    con = _load(tmp_path)
    assert con.execute("SELECT count(*) FROM raw.ingest_rejects").fetchone()[0] == 0
    nibs = dict(con.execute("SELECT nib, tanggal_terbit_oss FROM raw.oss_nib").fetchall())
    assert nibs == {
        "1301230001001": D(2023, 1, 13),
        "0502230001002": D(2023, 2, 5),
        "2802230001003": D(2023, 2, 28),
        "0103230001004": D(2023, 3, 1),
        "8120012345678": D(2023, 2, 1),  # day-first default
        "9120012345679": D(2023, 4, 3),
    }
    permits = con.execute(
        "SELECT id_permohonan_izin, tanggal_terbit_oss, tgl_izin, no FROM raw.oss_permit ORDER BY 1"
    )
    assert permits.fetchall() == [
        ("I-1", D(2023, 1, 13), D(2023, 1, 20), "1.000"),
        ("I-2", D(2023, 2, 5), D(2023, 2, 6), "1.001"),
    ]


def test_each_decision_is_recorded_in_the_manifest(tmp_path: Path):
    con = _load(tmp_path)
    rows = con.execute(
        """SELECT path, d.column_name, d.date_order, d.day_first_rows, d.month_first_rows, d.ambiguous_rows,
                  d.evidence, d.certain
           FROM (SELECT path, unnest(date_orders) AS d FROM raw.ingest_files) ORDER BY 1, 2"""
    ).fetchall()
    assert rows == [
        (
            "permits/daftar_nib_januari_2023.xlsx",
            "tanggal_terbit_oss",
            "mdy",
            0,
            2,
            2,
            "values+nib_prefix",
            True,
        ),
        ("permits/list_izin_2023-02.csv", "tanggal_terbit_oss", "dmy", 1, 0, 1, "values+nib_prefix", True),
        ("permits/list_izin_2023-02.csv", "tgl_izin", "dmy", 1, 0, 1, "values", True),
        ("permits/nib_awal_2023.csv", "tanggal_terbit_oss", "dmy", 0, 0, 2, "none", False),
    ]
