"""The publish guard: never publish an empty or shrunken warehouse by mistake (issue 14, docs/security.md).

Three refusals, each one readable line (PublishRefusedError; `umkm refresh` prints it and exits 1, the
published warehouse stays as it was, `umkm status` shows it):
- inputs (checked after ingest, before dbt): the raw folder is missing, or holds no recognised export file;
- region (before publishing): rows were read from exports that name a region, but none falls in the chosen
  region: the message names the regions the files do hold, with their Kemendagri codes;
- shrink (before publishing): a headline figure (MSME businesses, permits, registered cooperatives) falls by
  more than ``max_shrink_share`` (default 0.5) against the published warehouse. ``umkm refresh
  --allow-shrink`` publishes such a drop on purpose; the decision is stored in ``meta.refresh``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.warehouse import table_exists

# Headline figures compared against the published warehouse: name -> (label, table).
HEADLINES = {
    "msme_businesses": ("MSME businesses", "marts.msme_businesses"),
    "msme_permits": ("permits", "marts.msme_permits"),
    "cooperatives": ("registered cooperatives", "marts.cooperatives"),
}
# Raw columns that name a place, most specific first (they decide whether rows fall in the region).
REGION_COLUMNS = ("kab_kota", "kab_kota_usaha", "propinsi")
RECOGNISED = ("ingested", "duplicate")


class PublishRefusedError(Exception):
    """The guard refused to publish; the message is one line for the operator."""


def _exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, table = relation.split(".")
    return table_exists(con, schema, table)


def check_inputs(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> None:
    """After ingest: refuse when the raw folder is missing or none of its files is a recognised export."""
    if not raw_dir.is_dir():
        raise PublishRefusedError(
            f"the raw folder {raw_dir} does not exist (a typo in --raw-dir, or a moved folder?)"
        )
    seen = recognised = 0
    if _exists(con, "raw.ingest_files"):
        seen, recognised = con.execute(
            "SELECT count(DISTINCT path), "
            "count(DISTINCT path) FILTER (WHERE status IN ('ingested', 'duplicate')) FROM raw.ingest_files"
        ).fetchone()
    if not recognised:
        found = f"{seen} file(s) found, none recognised as an export" if seen else "no export files found"
        raise PublishRefusedError(
            f"the raw folder {raw_dir} holds no recognised export file ({found} under "
            "permits/, cooperatives/, events/)"
        )


def headline_figures(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    return {
        name: (con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if _exists(con, table) else None)
        for name, (_, table) in HEADLINES.items()
    }


def _regions_in_files(con: duckdb.DuckDBPyConnection) -> tuple[int, list[tuple[str, str | None, int]]]:
    """(rows loaded from region-bearing exports, [(name, Kemendagri code or None, rows)], most rows first)."""
    columns = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'raw' "
        f"AND column_name IN ({', '.join(repr(c) for c in REGION_COLUMNS)})"
    ).fetchall()
    by_table: dict[str, list[str]] = {}
    for table, column in columns:
        by_table.setdefault(table, []).append(column)
    have_lookup = _exists(con, "intermediate.int_region_names_keyed") and _exists(
        con, "staging.stg_reference__regions"
    )
    total = 0
    counts: dict[tuple[str, str | None], int] = {}
    for table, present in sorted(by_table.items()):
        column = min(present, key=REGION_COLUMNS.index)  # the most specific place column of the table
        level = "provinsi" if column == "propinsi" else "kab_kota"
        rows = con.execute(f'SELECT "{column}" AS name, count(*) FROM raw."{table}" GROUP BY 1').fetchall()
        for name, n in rows:
            total += n
            if name is None or not str(name).strip():
                continue
            code = _region_code(con, str(name), level) if have_lookup else None
            key = (str(name).strip(), code)
            counts[key] = counts.get(key, 0) + n
    merged: dict[tuple[str | None, str], list] = {}
    for (name, code), n in counts.items():  # spellings of one code count together
        entry = merged.setdefault((code, "" if code else name), [name, code, 0])
        entry[2] += n
    return total, sorted((tuple(e) for e in merged.values()), key=lambda e: -e[2])


def _region_code(con: duckdb.DuckDBPyConnection, name: str, level: str) -> str | None:
    text = name.strip().upper()
    if level == "provinsi":
        row = con.execute(
            "SELECT region_code, region_name FROM staging.stg_reference__regions "
            "WHERE region_level = 'provinsi' AND name_key = regexp_replace(regexp_replace(?, "
            r"'^(PROVINSI|PROV\.?)\s+', ''), '[^A-Z0-9]', '', 'g')",
            [text],
        ).fetchone()
    else:
        row = con.execute(
            "SELECT region_code, region_name FROM intermediate.int_region_names_keyed "
            "WHERE match_level = 'kab_kota' AND name_key IN ("
            r"regexp_replace(regexp_replace(?, '^KAB(\.|UPATEN)?\s*', 'KABUPATEN '), '[^A-Z0-9]', '', 'g'), "
            r"regexp_replace(regexp_replace(?, '^(KOTA|KAB(\.|UPATEN)?)\s*', ''), '[^A-Z0-9]', '', 'g')) "
            "ORDER BY length(name_key) DESC LIMIT 1",
            [text, text],
        ).fetchone()
    return f"{row[0]}" if row else None


def _region_label(con: duckdb.DuckDBPyConnection, name: str, code: str | None) -> str:
    if code is None:
        return f"{name} (no Kemendagri code)"
    official = con.execute(
        "SELECT region_name FROM staging.stg_reference__regions WHERE region_code = ?", [code]
    ).fetchone()
    return f"{official[0] if official else name} ({code})"


def check_region(
    con: duckdb.DuckDBPyConnection, region_code: str, region_name: str, figures: dict[str, int | None]
) -> None:
    """Refuse when exports that name places were loaded but nothing landed in the chosen region."""
    if any(figures.values()):
        return
    total, regions = _regions_in_files(con)
    if not total:
        return
    listed = ", ".join(f"{_region_label(con, name, code)} {n:,} rows" for name, code, n in regions[:6])
    more = f" and {len(regions) - 6} more" if len(regions) > 6 else ""
    raise PublishRefusedError(
        f"{total:,} rows were read but none falls in region {region_code} ({region_name}); "
        f"the files hold {listed or 'no region names'}{more}: choose one of these with --region"
    )


@dataclass
class ShrinkDecision:
    drops: list[str]  # "registered cooperatives 587 -> 117 (-80%)"
    before: dict[str, int | None]
    after: dict[str, int | None]

    @property
    def text(self) -> str | None:
        return "; ".join(self.drops) or None


def compare_with_published(
    after: dict[str, int | None], before: dict[str, int | None] | None, max_share: float
) -> ShrinkDecision:
    drops = []
    for name, (label, _) in HEADLINES.items():
        old, new = (before or {}).get(name), after.get(name)
        if old and new is not None and new < old * (1 - max_share):
            drops.append(f"{label} {old:,} -> {new:,} ({(new - old) / old:+.0%})")
    return ShrinkDecision(drops, before or {}, after)


def check_shrink(decision: ShrinkDecision, max_share: float, allow_shrink: bool) -> None:
    if decision.drops and not allow_shrink:
        raise PublishRefusedError(
            f"{decision.text}: a fall of more than {max_share:.0%} against the published warehouse; "
            "check the raw folder, or publish this drop on purpose with `umkm refresh --allow-shrink`"
        )
