"""Register the parsing macros (parse_macros.sql) on a DuckDB connection."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb

MACROS_SQL = Path(__file__).with_name("parse_macros.sql")


@cache
def _statements() -> tuple[str, ...]:
    lines = [line for line in MACROS_SQL.read_text().splitlines() if not line.lstrip().startswith("--")]
    return tuple(stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip())


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _statements():
        con.execute(statement)
