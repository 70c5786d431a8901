"""The two event workbooks: event header, sheets, header rows and title rows (``data/events.json``), with the
published figures and the planted counts of calibration.py.

In ``info_row`` a {"date": "yyyy-mm-dd"} is an Excel date cell; anything else is written as it stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pipelines.sample.datafiles import read_json
from pipelines.sample.events.calibration import PLANTED, PUBLISHED
from pipelines.sample.writers import Cell


@dataclass(frozen=True)
class EventSpec:
    code: str
    name: str
    start: dt.date
    end: dt.date
    venue: str
    organiser: str
    file_name: str
    n_groups: int
    n_msmes: int
    n_partners: int
    n_known: int  # known (permit) businesses wanted, hard cases excluded
    n_dup_rows: int
    rejected_names: tuple[str | None, ...]  # the Nama Usaha cell of each invalid row
    participant_sheet: str
    participant_header: tuple[str, ...]
    title_rows: tuple[str, ...]
    info_sheet: str
    info_header: tuple[str, ...]
    info_row: tuple[Cell, ...]
    partner_sheet: str | None = None
    partner_header: tuple[str, ...] = ()
    partner_titles: tuple[str, ...] = ()


def _cell(value: Any) -> Cell:
    return dt.date.fromisoformat(value["date"]) if isinstance(value, dict) else value


def _event(code: str, layout: dict[str, Any]) -> EventSpec:
    n_groups, n_msmes, n_partners = PUBLISHED[code]
    n_known, n_dup_rows = PLANTED[code]
    tuples = {key: tuple(value) for key, value in layout.items() if isinstance(value, list)}
    return EventSpec(
        **{
            **layout,
            **tuples,
            "code": code,
            "start": dt.date.fromisoformat(layout["start"]),
            "end": dt.date.fromisoformat(layout["end"]),
            "info_row": tuple(_cell(value) for value in layout["info_row"]),
            "n_groups": n_groups,
            "n_msmes": n_msmes,
            "n_partners": n_partners,
            "n_known": n_known,
            "n_dup_rows": n_dup_rows,
        }
    )


_EVENTS = {code: _event(code, layout) for code, layout in read_json(__file__, "events.json").items()}
TEMU = _EVENTS["temu"]
EXPO = _EVENTS["expo"]
