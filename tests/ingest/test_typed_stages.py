"""The loader types landed text in stages (typed_stages.py) with the inner macros of parse_macros.sql; what
it lands must be what the public macros, pinned by test_parse_macros.py, say of the same text. Every value of
those tables (and a few hostile extras) is put in every column of every family, and each staged result is
compared with the public macro applied to the raw text."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from pipelines.ingest import cooperatives, events, permits
from pipelines.ingest.macros import register_macros
from pipelines.ingest.spec import PII_KINDS, Column, Family, Kind
from pipelines.ingest.typed_stages import day_unknown_name, landed_name, typed_stages
from tests.ingest import test_parse_macros as tables

FAMILIES = [*permits.FAMILIES, *cooperatives.FAMILIES, *events.FAMILIES]

# The public macro of each kind (spec.Kind names them): the loader's result must equal it.
PUBLIC_MACRO = {
    Kind.TEXT: "umkm_clean_text({s})",
    Kind.NIB: "umkm_parse_nib({s})",
    Kind.KBLI: "umkm_parse_kbli({s})",
    Kind.KOPERASI_ID: "umkm_parse_nomor_koperasi({s})",
    Kind.DATE: "umkm_parse_date_ordered({s}, {month_first})",
    Kind.YEAR: "umkm_parse_year({s})",
    Kind.MONEY: "umkm_parse_rupiah({s})",
    Kind.INTEGER: "umkm_parse_integer({s})",
    Kind.DECIMAL: "umkm_parse_decimal({s})",
    Kind.PII_PHONE: "umkm_valid_phone({s})",
    Kind.PII_EMAIL: "umkm_valid_email({s})",
    Kind.PII_NIK: "umkm_valid_nik({s})",
}

EXTRAS = [
    None,
    "",
    "   ",
    "\u00a0",
    "-",
    "NULL",
    "12<br>34",
    "6471 0201 0000 0123",
    "6471020000000000",
    "0812-3456-7890",
    "+62 812 3456 7890",
    "3171234567890123",
    "nama@contoh.id",
    "Rp 1.250.000,-",
    "1,2 M",
    "Maret 2024",
    "03/2024",
    "13/01/2023",
    "01/13/2023",
    "Toko Maju (0852 1234 5678)",
    "x" * 40,
]


def _values() -> list[str | None]:
    values: list[str | None] = list(EXTRAS)
    for name in dir(tables):
        table = getattr(tables, name)
        if name.isupper() and isinstance(table, list):
            values += [row[0] for row in table if isinstance(row, tuple) and isinstance(row[0], str)]
    return list(dict.fromkeys(values))


VALUES = _values()


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    register_macros(connection)
    connection.execute("CREATE TABLE typed_values (_row_number BIGINT, v VARCHAR)")
    connection.executemany("INSERT INTO typed_values VALUES (?, ?)", list(enumerate(VALUES)))
    yield connection
    connection.close()


def _variant(column: Column, month_first: bool) -> str:
    """Columns of the same variant get the same reference result for the same text."""
    masked = column.kind is Kind.TEXT and not column.name.startswith("id_")
    return f"{column.kind.value}_{month_first}_{column.day_optional}_{masked}"


def _public_call(column: Column, month_first: bool, s: str = "v") -> str:
    call = PUBLIC_MACRO[column.kind].format(s=s, month_first="true" if month_first else "false")
    if column.kind is Kind.DATE and column.day_optional:
        call = f"coalesce({call}, umkm_parse_month_year({s}))"
    if column.kind is Kind.TEXT and not column.name.startswith("id_"):
        call = f"umkm__mask_personal_in_text({call})"
    return call


@pytest.fixture(scope="module")
def reference(con) -> str:
    """The public macros' results for VALUES, one column per variant of every family's columns (each public
    macro is planned once, not once per family)."""
    calls = {}
    for family in FAMILIES:
        for column in family.columns:
            if column.kind is Kind.PII_NAME:
                continue
            for month_first in (False, True):
                calls[_variant(column, month_first)] = _public_call(column, month_first)
    full = {mf: PUBLIC_MACRO[Kind.DATE].format(s="v", month_first=mf) for mf in ("false", "true")}
    selected = [f'{call} AS "{name}"' for name, call in calls.items()] + [
        f'{full[mf]} IS NULL AND umkm_parse_month_year(v) IS NOT NULL AS "day_unknown_{mf}"' for mf in full
    ]
    selected += [
        "umkm_clean_text(v) IS NOT NULL AS has_value",
        "umkm_safe_value(v) AS safe_value",
        "CASE WHEN regexp_matches(umkm__digits_of_code(v), '^\\d{16}$') THEN umkm__digits_of_code(v) "
        "ELSE umkm_safe_value(v) END AS koperasi_shown",
    ]
    con.execute(f"CREATE TABLE reference AS SELECT _row_number, {', '.join(selected)} FROM typed_values")
    return "reference"


def _staged(con: duckdb.DuckDBPyConnection, family: Family, month_first: set[str]) -> str:
    """Lands VALUES in every column of ``family`` through the four stages; returns the last stage's table."""
    names = [c.name for c in family.columns if c.kind is not Kind.PII_NAME]
    repeated = ", ".join(f'v AS "{n}"' for n in names)
    con.execute(f"CREATE OR REPLACE TABLE landing_text AS SELECT _row_number, {repeated} FROM typed_values")
    stages = typed_stages(family, set(names), month_first)
    for table, select, source in (
        ("plain_rows", stages.plain, "landing_text"),
        ("normalised_rows", stages.normalised, "plain_rows"),
        ("parsed_rows", stages.parse, "normalised_rows"),
        ("typed_rows", stages.check, "parsed_rows"),
    ):
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {select} FROM {source}")
    return "typed_rows"


def _differences(con: duckdb.DuckDBPyConnection, expected: str, actual: str) -> list[tuple]:
    """Rows (number, text, expected, actual) where the staged result differs from the reference."""
    return con.execute(
        f"SELECT r._row_number, v.v, {expected}, {actual} "
        "FROM reference r JOIN typed_values v USING (_row_number) JOIN typed_rows t USING (_row_number) "
        f"WHERE ({expected}) IS DISTINCT FROM ({actual})"
    ).fetchall()


@pytest.mark.parametrize("month_first", [False, True], ids=["day_first", "month_first"])
@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_staged_values_equal_the_public_macros(con, reference, family: Family, month_first: bool):
    dates = {c.name for c in family.columns if c.kind is Kind.DATE}
    _staged(con, family, dates if month_first else set())
    checked = 0
    for column in family.columns:
        if column.kind is Kind.PII_NAME:
            continue
        expected = f'r."{_variant(column, month_first)}"'
        assert _differences(con, expected, f't."{landed_name(column)}"') == [], column.name
        checked += 1
        if column.day_optional:
            unknown = f'r."day_unknown_{str(month_first).lower()}"'
            assert _differences(con, unknown, f't."{day_unknown_name(column)}"') == [], column.name
    assert checked == len([c for c in family.columns if c.kind is not Kind.PII_NAME])


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_values_shown_for_failed_cells_equal_umkm_safe_value(con, reference, family: Family):
    """A value that did not parse is shown (in _unparsed_values) exactly as umkm_safe_value shows it; a
    cooperative number of 16 digits is shown as its digits."""
    _staged(con, family, set())
    shown_columns = [c for c in family.columns if c.kind not in PII_KINDS and c.kind is not Kind.TEXT]
    for column in shown_columns:
        shown = "r.koperasi_shown" if column.kind is Kind.KOPERASI_ID else "r.safe_value"
        failed = f'r.has_value AND r."{_variant(column, False)}" IS NULL'
        expected = f"CASE WHEN {failed} THEN {shown} END"
        actual = f"t._unparsed_values['{column.name}']"
        assert _differences(con, expected, actual) == [], column.name
    failing = con.execute("SELECT count(*) FROM typed_rows WHERE len(_unparsed_columns) > 0").fetchone()[0]
    assert (
        failing > 0 or not shown_columns
    )  # the table's values do fail somewhere: the check compared something
