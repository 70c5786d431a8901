"""The "events" section of `umkm summary --json`: one entry per event, oldest first.

Read from marts.event_participation (docs/events.md).
"""

from __future__ import annotations

from typing import Any

import duckdb

FIELDS = ("name", "start_date", "end_date", "groups", "msmes", "partners", "msmes_with_permit")


def section(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute(
        f"SELECT {', '.join(FIELDS)} FROM marts.event_participation ORDER BY start_date, name"
    ).fetchall()
    return [
        {
            **dict(zip(FIELDS, row, strict=True)),
            "start_date": row[1].isoformat(),
            "end_date": row[2].isoformat(),
        }
        for row in rows
    ]
