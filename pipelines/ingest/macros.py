"""Register the parsing macros (parse_macros.sql) on a DuckDB connection."""

from __future__ import annotations

import weakref
from functools import cache
from pathlib import Path

import duckdb

MACROS_SQL = Path(__file__).with_name("parse_macros.sql")


@cache
def _statements() -> tuple[str, ...]:
    lines = [line for line in MACROS_SQL.read_text().splitlines() if not line.lstrip().startswith("--")]
    return tuple(stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip())


# Connections that hold the macros: registering takes ~0.2 s (DuckDB binds every macro), and the quality gate
# asks for them once per failing expectation's samples.
_REGISTERED: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the macros in the connection's default database, once per connection. A build file
    keeps them from an earlier run; replacing them on each new connection makes this code's definitions the
    ones used."""
    if con in _REGISTERED:
        return
    for statement in _statements():
        con.execute(statement)
    _REGISTERED.add(con)
