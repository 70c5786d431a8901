"""The project's own dbt generic tests (dbt_project/macros/test_*.sql), run on hand-made tables: a test passes
when its query returns no rows, and a failure's rows must say what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import jinja2
import pytest

from pipelines.dbt_project import DBT_PROJECT_DIR
from pipelines.ingest.cooperatives import FAMILIES as COOPERATIVE_FAMILIES
from pipelines.ingest.loader import SourceLoader
from pipelines.sample.writers import write_xlsx
from tests.coop_exports import REGISTER_LEAD
from tests.dbt_build import run_dbt_build


def render(test_name: str, **kwargs: object) -> str:
    """The generic test's SQL for `kwargs`, rendered as dbt renders the body of `{% test name(...) %}`."""
    source = (DBT_PROJECT_DIR / "macros" / f"test_{test_name}.sql").read_text()
    body = re.search(r"{%\s*test\s+" + test_name + r"\(.*?\)\s*%}(.*?){%\s*endtest\s*%}", source, re.S)
    assert body, f"no test block {test_name} in its macro file"
    return jinja2.Environment().from_string(body.group(1)).render(**kwargs)


Row = tuple[object, ...]


def failures(rows: list[Row], sql: str) -> list[Row]:
    with duckdb.connect() as con:
        con.execute("CREATE TABLE model (a INTEGER, b VARCHAR, c DATE)")
        if rows:
            con.executemany("INSERT INTO model VALUES (?, ?, ?)", rows)
        return sorted(con.execute(sql).fetchall())


NOT_NULL_CASES = [
    # (rows, columns checked, expected failure rows: (column, rows that are NULL in it))
    ([], ["a", "b", "c"], []),
    ([(1, "x", None)], ["a", "b"], []),  # c is not listed: its NULL is allowed
    ([(1, "x", None)], ["a", "b", "c"], [("c", 1)]),
    (
        [(None, "x", None), (None, None, None), (3, "z", None)],
        ["a", "b", "c"],
        [("a", 2), ("b", 1), ("c", 3)],
    ),
    ([(None, "x", "2024-01-01")], ["a"], [("a", 1)]),  # one column
]


@pytest.mark.parametrize(("rows", "columns", "expected"), NOT_NULL_CASES)
def test_not_null_columns_names_each_column_with_nulls(
    rows: list[Row], columns: list[str], expected: list[Row]
) -> None:
    assert failures(rows, render("not_null_columns", model="model", columns=columns)) == expected


UNIQUE_CASES = [
    ([(1, "x", None), (1, "y", None)], ["a", "b"], []),
    ([(1, "x", None), (1, "x", None), (2, "x", None)], ["a", "b"], [(1, "x", 2)]),
    ([(None, "x", None), (None, "x", None)], ["a", "b"], [(None, "x", 2)]),  # NULLs compare equal
]


@pytest.mark.parametrize(("rows", "columns", "expected"), UNIQUE_CASES)
def test_unique_combination_returns_each_repeated_combination(
    rows: list[Row], columns: list[str], expected: list[Row]
) -> None:
    assert failures(rows, render("unique_combination", model="model", columns=columns)) == expected


def test_a_null_in_a_required_column_fails_dbt_build_and_its_query_names_the_column(tmp_path: Path) -> None:
    """End to end in dbt: a register landed as usual, then one provenance value blanked in raw (the loader
    never lands one: this stands for a defect upstream). The staging model's not_null_columns test must fail
    the build, and its compiled query must name the column and count the row."""
    raw = tmp_path / "raw"
    write_xlsx(
        raw / "cooperatives" / "data_koperasi.xlsx",
        [*REGISTER_LEAD, "Status"],
        [
            [
                "1",
                "6471010000007001",
                "Koperasi Satu",
                "Balikpapan Kota",
                "Kota Balikpapan",
                "Konsumen",
                "Aktif",
            ],
            ["2", "6471010000007002", "Koperasi Dua", "Balikpapan Kota", "Kota Balikpapan", "Jasa", "Aktif"],
        ],
        title_rows=["DATA KOPERASI KOTA BALIKPAPAN", "KEADAAN 15 JULI 2024"],
    )
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        SourceLoader(con, raw, "cooperatives", COOPERATIVE_FAMILIES).load_all()
        con.execute(
            "UPDATE raw.coop_registry SET _path = NULL WHERE nomor_induk_koperasi = '6471010000007002'"
        )
    model = "stg_registry__cooperative_updates"
    result = run_dbt_build(database, model, {"region_code": "64.71"}, tmp_path)
    assert result.returncode != 0, result.stdout[-3000:]
    assert re.search(rf"FAIL 1 not_null_columns_{model}\b", result.stdout), result.stdout[-3000:]
    compiled = next((tmp_path / "target" / "compiled").rglob(f"not_null_columns_{model}.sql")).read_text()
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute(compiled).fetchall() == [("source_path", 1)]
