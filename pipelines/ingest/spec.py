"""How a raw export family is described: its columns, their kinds, and the header spellings seen in practice.

Each source module (``permits.py``, ``cooperatives.py``, ``events.py`` beside this file) declares its families
with these classes. The generic loader (``loader.py``) reads any file, finds the header row (or recognises a
headerless file by its column count), maps header spellings to canonical names, lands every row as text with
provenance, then types and validates it in DuckDB with the macros in ``parse_macros.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a column's text is parsed (the macro in parse_macros.sql that does it)."""

    TEXT = "text"  # trimmed text, empty -> NULL
    NIB = "nib"  # 13-digit business id; lost leading zeros restored (umkm_parse_nib)
    KBLI = "kbli"  # 5-digit KBLI 2020 code; lost leading zero restored (umkm_parse_kbli)
    KOPERASI_ID = "koperasi_id"  # 16-digit Nomor Induk Koperasi, spaces allowed (umkm_parse_nomor_koperasi)
    # Excel serial, ISO, dd/mm/yy(yy) or mm/dd/yy(yy) as decided per file and column (date_order.py),
    # Indonesian month names (umkm_parse_date_ordered)
    DATE = "date"
    YEAR = "year"  # a (book) year: "2023", "TB 2023", "Th. 2022" (umkm_parse_year)
    MONEY = "money"  # "Rp 1.250.000.000", "1.250.000,50", plain numbers (umkm_parse_rupiah)
    INTEGER = "integer"  # whole numbers, thousands dots allowed (umkm_parse_integer)
    DECIMAL = "decimal"  # numbers with comma or dot decimals (umkm_parse_decimal)
    # Personal data never lands: only whether the value is present and well-formed is kept,
    # as column ``<name>_valid`` (NULL when empty).
    PII_PHONE = "pii_phone"
    PII_EMAIL = "pii_email"
    PII_NIK = "pii_nik"  # 16-digit national id number of a person
    PII_NAME = "pii_name"  # a person's name: dropped entirely


PII_KINDS = frozenset({Kind.PII_PHONE, Kind.PII_EMAIL, Kind.PII_NIK, Kind.PII_NAME})


@dataclass(frozen=True)
class Column:
    name: str  # canonical snake_case name, as it appears in the landed table
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()  # other header spellings, after normalise_header()
    required: bool = False  # a row whose value is missing or unparseable is rejected
    in_standard_order: bool = True  # part of the export's standard column order (for headerless files)
    # DATE only: a month and year without a day ("Maret 2024") is accepted as the 1st of that month, and the
    # column <name>_day_unknown records it. For dates officials often know only to the month (RAT, updates).
    day_optional: bool = False


@dataclass(frozen=True)
class Family:
    """One export layout (an OSS report screen, a registry export, an attendance list)."""

    name: str  # e.g. "oss_nib"; the landed table is raw.<name>
    source: str  # folder under the raw dir: "permits", "cooperatives", "events"
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key of one record (dedup across overlapping exports happens in dbt)
    min_header_matches: int = 3  # header row = first row matching at least this many known names
    extra: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def standard_order(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.in_standard_order)
