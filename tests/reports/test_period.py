"""Periods as officials type them, and the layout a region gets."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.reports.layout import KAB_KOTA, KECAMATAN, layout_for
from pipelines.reports.period import parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Tahun 2024"),
        ("2024-Q2", dt.date(2024, 4, 1), dt.date(2024, 6, 30), "Triwulan II 2024"),
        ("2024-Q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31), "Triwulan IV 2024"),
        ("2024-07", dt.date(2024, 7, 1), dt.date(2024, 7, 31), "Juli 2024"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Februari 2024"),
        ("2023-12", dt.date(2023, 12, 1), dt.date(2023, 12, 31), "Desember 2023"),
    ],
)
def test_periods(text: str, start: dt.date, end: dt.date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label, period.code) == (start, end, label, text)


@pytest.mark.parametrize("text", ["24", "2024-Q5", "2024-13", "2024-7", "2024Q2", "Juli 2024", ""])
def test_bad_periods(text: str) -> None:
    with pytest.raises(ValueError, match="expected a year"):
        parse_period(text)


def test_months_of_a_quarter() -> None:
    assert parse_period("2024-Q3").months() == ["2024-07", "2024-08", "2024-09"]


def test_layout_by_region_level() -> None:
    assert layout_for("64.71") is KECAMATAN
    assert layout_for("65") is KAB_KOTA
