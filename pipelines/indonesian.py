"""Indonesian words that more than one layer writes or reads: the month names (the sample's files, the
reports' headings). Spellings offices type (abbreviations, typos) are parsed in ingest/parse_macros.sql."""

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
