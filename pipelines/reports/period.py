"""The reporting period an official asks for: a year (2024), a quarter (2024-Q2) or a month (2024-07)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipelines.indonesian import MONTHS

PATTERN = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Period:
    code: str  # as typed: 2024, 2024-Q2, 2024-07 (also the exports' folder name)
    start: dt.date
    end: dt.date  # inclusive: figures are "as of" this day
    label: str  # Indonesian: "Tahun 2024", "Triwulan II 2024", "Juli 2024"

    def months(self) -> list[str]:
        """Every registration month (YYYY-MM) inside the period."""
        return [f"{self.start.year}-{month:02d}" for month in range(self.start.month, self.end.month + 1)]


def parse_period(text: str) -> Period:
    match = PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"period {text!r}: expected a year (2024), a quarter (2024-Q2) or a month (2024-07)")
    year = int(match["year"])
    if match["quarter"]:
        quarter = int(match["quarter"])
        first, last = 3 * quarter - 2, 3 * quarter
        label = f"Triwulan {('I', 'II', 'III', 'IV')[quarter - 1]} {year}"
    elif match["month"]:
        first = last = int(match["month"])
        label = f"{MONTHS[first - 1]} {year}"
    else:
        first, last, label = 1, 12, f"Tahun {year}"
    return Period(text.strip(), dt.date(year, first, 1), _month_end(year, last), label)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_of(day: dt.date) -> Period:
    """The calendar year holding `day`: the period the asset writes after a publish."""
    return parse_period(str(day.year))


def date_id(day: dt.date) -> str:
    """26 Juli 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_id(month: str) -> str:
    """2024-07 -> Juli 2024."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"
