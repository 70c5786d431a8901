"""The project's own dbt generic tests (dbt_project/macros/test_*.sql), run on hand-made tables: a test passes
when its query returns no rows, and a failure's rows must say what is wrong."""

from __future__ import annotations

import re

import duckdb
import jinja2
import pytest

from pipelines.dbt_project import DBT_PROJECT_DIR


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
