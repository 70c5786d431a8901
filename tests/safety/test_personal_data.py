"""Personal data, nowhere: a NIK, a phone number, an e-mail address and a person's name are typed into
every column of every export family (one row each), the real refresh runs, and neither the published warehouse
(every table, every column) nor any file under the marts folder (logs, status, Data Docs, Dagster storage, the
build file) holds any of them.

Two kinds of column are not seeded with everything, by necessity: a person's name in a free-text column
(business name, address) cannot be told from a business named after its owner ("Warung Bu Sri"), so names go
into every coded, numeric and date column and every personal-data column; and an id column (Id Proyek, Id
Permohonan Izin) is the row's own identity, kept as typed. A 16-digit NIK in the Nomor Induk Koperasi column
is a cooperative number there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.cooperatives import FAMILIES as COOP_FAMILIES
from pipelines.ingest.events import FAMILIES as EVENT_FAMILIES
from pipelines.ingest.permits import FAMILIES as PERMIT_FAMILIES
from pipelines.ingest.spec import PII_KINDS, Column, Family, Kind
from pipelines.sample.writers import SheetSpec, write_csv, write_workbook

from .conftest import refresh

NIK = "3275012345670001"
PHONE = "081298765432"
EMAIL = "siti.rahma@contoh.id"
NAME = "Siti Nurhaliza Rahmawati"
PERSONAL = {"nik": NIK, "phone": PHONE, "email": EMAIL, "name": NAME}

_VALID = {
    Kind.TEXT: "Teks Biasa",
    Kind.NIB: "0101230002777",
    Kind.KBLI: "56101",
    Kind.KOPERASI_ID: "6471020100000123",
    Kind.DATE: "13/01/2023",
    Kind.YEAR: "2023",
    Kind.MONEY: "Rp 1.000.000",
    Kind.INTEGER: "5",
    Kind.DECIMAL: "1,5",
}
_PLACES = {"kab_kota": "Kota Balikpapan", "kab_kota_usaha": "Kota Balikpapan", "kecamatan": "Balikpapan Kota"}


def _seeded(column: Column) -> list[str]:
    """Which personal values go into this column (see the module docstring)."""
    if column.name.startswith("id_"):
        return []
    kinds = ["nik", "phone", "email", "name"]
    if column.kind is Kind.TEXT:
        kinds.remove("name")
    if column.kind is Kind.KOPERASI_ID:
        kinds.remove("nik")
    return kinds


def _base_row(family: Family, index: int) -> dict[str, str]:
    row = {}
    for column in family.columns:
        if column.kind in PII_KINDS:
            row[column.name] = NAME if column.kind is Kind.PII_NAME else PHONE
        else:
            row[column.name] = _PLACES.get(column.name, _VALID[column.kind])
        if column.name.startswith("id_"):
            row[column.name] = f"{column.name.upper()}-{index}"
    if "kecamatan_usaha" in row:
        row["kecamatan_usaha"] = "Balikpapan Kota"
    return row


def _rows(family: Family) -> list[list[str]]:
    rows, index = [], 0
    for column in family.columns:
        for kind in _seeded(column):
            row = _base_row(family, index)
            row[column.name] = PERSONAL[kind]
            rows.append([row[c.name] for c in family.columns])
            index += 1
    rows.append([_base_row(family, index)[c.name] for c in family.columns])  # one clean row
    return rows


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("personal")
    raw, marts = root / "raw", root / "marts"
    for family in PERMIT_FAMILIES:
        write_csv(
            raw / "permits" / f"{family.name}_2024-07.csv", [c.name for c in family.columns], _rows(family)
        )
    for family in COOP_FAMILIES:
        write_workbook(
            raw / "cooperatives" / f"{family.name}_2024-07-15.xlsx",
            [SheetSpec("Data", [c.name for c in family.columns], _rows(family), ["KEADAAN 15 JULI 2024"])],
        )
    write_workbook(
        raw / "events" / "kegiatan_uji.xlsx",
        [SheetSpec(f.name, [c.name for c in f.columns], _rows(f), ()) for f in EVENT_FAMILIES],
    )
    result = refresh(raw, marts)
    assert result.returncode == 0, result.stdout + result.stderr
    return marts


@pytest.mark.parametrize("kind", sorted(PERSONAL))
def test_no_personal_value_in_any_published_table(refreshed: Path, kind: str):
    value = PERSONAL[kind]
    hits = []
    with duckdb.connect(str(refreshed / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_schema NOT IN ('information_schema', 'pg_catalog')"
        ).fetchall()
        for schema, table, column in columns:
            found = con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" '
                f'WHERE contains(lower(CAST("{column}" AS VARCHAR)), lower(?))',
                [value],
            ).fetchone()[0]
            if found:
                hits.append(f"{schema}.{table}.{column}")
    assert hits == []


@pytest.mark.parametrize("kind", sorted(PERSONAL))
def test_no_personal_value_in_any_file_under_the_marts_folder(refreshed: Path, kind: str):
    """Logs, status.json, Data Docs, Dagster's SQLite storage, compute logs; the DuckDB files are compressed
    on disk, so they are read through DuckDB above (the build file's tables included below)."""
    needle = PERSONAL[kind].encode()
    hits = [
        str(path.relative_to(refreshed))
        for path in refreshed.rglob("*")
        if path.is_file() and not path.is_symlink() and needle in path.read_bytes()
    ]
    assert hits == []


def test_no_personal_value_in_the_build_file(refreshed: Path):
    with duckdb.connect(str(refreshed / "build" / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_schema NOT IN ('information_schema', 'pg_catalog')"
        ).fetchall()
        hits = [
            f"{schema}.{table}.{column}:{kind}"
            for schema, table, column in columns
            for kind, value in PERSONAL.items()
            if con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" '
                f'WHERE contains(lower(CAST("{column}" AS VARCHAR)), lower(?))',
                [value],
            ).fetchone()[0]
        ]
    assert hits == []
