"""Reading a written cell back: blank text, Indonesian month names and the date forms the samples write.

Shared by the generators (their truth reads the cells they wrote) and by tests/sample (which re-count the
files on their own): only how a cell is read lives here, never a rule that decides a figure.
"""

from __future__ import annotations

import datetime as dt
import re

from pipelines.indonesian import MONTHS
from pipelines.sample.quirks import COOP_MONTH_ABBREVIATIONS

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des")
# Lower-case month word -> month number: full names, short forms and the abbreviations offices type.
MONTH_NUMBERS = {
    **{word.lower(): n for n, word in enumerate(MONTHS, start=1)},
    **{word.lower(): n for n, word in enumerate(MONTHS_SHORT, start=1)},
    **{word.lower(): n for n, word in COOP_MONTH_ABBREVIATIONS.items()},
}


def cell_text(value: object) -> str | None:
    """The cell as text with whitespace runs collapsed; blank and '-' are no value."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in ("", "-") else text


def parse_date(value: object) -> dt.date | None:
    """Date cells or day-first text: ISO, dd/mm/yyyy, dd/mm/yy (< 50: 20yy), '26 Juli 1998', '12 Mrt 2024'."""
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if text is None:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text):
        year = int(m[3]) if len(m[3]) == 4 else int(m[3]) + (2000 if int(m[3]) < 50 else 1900)
        return dt.date(year, int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", text):
        return dt.date(int(m[3]), MONTH_NUMBERS[m[2].lower()], int(m[1]))
    raise ValueError(f"unparsed date {value!r}")
