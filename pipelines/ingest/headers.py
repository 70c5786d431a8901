"""Header spellings: how a header cell is normalised before it is looked up in a Family's names and aliases.

The aliases themselves live with each family (permits.py, cooperatives.py, events.py): one place per family.
"""

from __future__ import annotations

import functools
import re

from pipelines.ingest.spec import Family

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Tableau-style OSS dashboards prefix date columns with "Day of ", "Month of ", ...
_AGGREGATE_PREFIX = re.compile(r"^(day|month|year|week|quarter)_of_")


@functools.lru_cache(maxsize=8192)  # the non-data-row check asks for the same few spellings on every row
def normalise_header(cell: str | None) -> str:
    """'Day of Tanggal Terbit Oss' -> 'tanggal_terbit_oss'; 'KL/Sektor Pembina' -> 'kl_sektor_pembina'."""
    if cell is None:
        return ""
    text = _NON_ALNUM.sub("_", str(cell).strip().lower()).strip("_")
    return _AGGREGATE_PREFIX.sub("", text)


def header_lookup(family: Family) -> dict[str, str]:
    """Normalised spelling -> canonical column name, for every name and alias of the family (built once per
    family: the loader asks for it on every row it checks for a repeated header)."""
    cached = _LOOKUPS.get(family.name)
    if cached is not None and cached[0] is family:
        return cached[1]
    lookup: dict[str, str] = {}
    for column in family.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(normalise_header(spelling), column.name)
    _LOOKUPS[family.name] = (family, lookup)
    return lookup


_LOOKUPS: dict[str, tuple[Family, dict[str, str]]] = {}


def match_header(cells: list[str | None], family: Family) -> list[str | None]:
    """Canonical name per cell position (None for cells the family does not know, or repeats)."""
    lookup = header_lookup(family)
    seen: set[str] = set()
    names: list[str | None] = []
    for cell in cells:
        name = lookup.get(normalise_header(cell))
        if name in seen:
            name = None
        if name:
            seen.add(name)
        names.append(name)
    return names
