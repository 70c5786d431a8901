"""Indonesian words and number forms that more than one layer writes or reads: the month names (the sample's
files, the reports' headings), whole numbers with a dot between thousands (the reports' pages, charts and
notes). Spellings offices type (abbreviations, typos) are parsed in ingest/parse_macros.sql."""

from __future__ import annotations

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def thousands(value: float) -> str:
    """1234567 -> "1.234.567": a whole number as Indonesian readers write it."""
    return f"{value:,.0f}".replace(",", ".")
