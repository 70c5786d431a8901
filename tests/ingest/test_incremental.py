"""Incremental landing equals a full landing of the same files, table by table over every raw.* table.

The raw folder is test_loader's small permits folder (an xlsx under a title block, its re-upload, a headerless
cp1252 CSV, a project CSV, a two-sheet permit workbook) plus an unrecognised CSV and an unsupported file.
Each case lands it once, changes the folder, lands again incrementally into the same database, and compares
the result with a full landing of the changed folder into a fresh database. The one column left out of the
comparison is raw.ingest_files.ingested_at: the time a file was landed (a kept file keeps its earlier time).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import loader
from pipelines.ingest.landing import land_source
from pipelines.ingest.loader import FileReport
from pipelines.ingest.permits import FAMILIES
from pipelines.sample.writers import write_csv
from tests.ingest.test_loader import (
    NIB_COPY,
    NIB_CSV,
    NIB_CSV_ROWS,
    NIB_XLSX,
    PROJECT_CSV,
    PROJECT_HEADER,
    PROJECT_ROWS,
    build_raw_dir,
)

RUN_TIME_COLUMNS = {"ingest_files": ["ingested_at"]}
ODD_CSV = "permits/catatan_rapat.csv"
NEW_CSV = "permits/proyek_2024-08.csv"


def _build(raw: Path) -> None:
    build_raw_dir(raw)
    write_csv(raw / ODD_CSV, ["Agenda", "Peserta"], [["Rapat koordinasi", "12"]])  # unrecognised: rejects
    (raw / "permits" / "panduan.pdf").write_bytes(b"%PDF-1.4")  # unsupported


def _land(database: Path, raw: Path, *, full: bool = False) -> tuple[list[FileReport], bool, list[str]]:
    """Land the permits folder; also returns the files actually read (the reader is spied on)."""
    read: list[str] = []
    real = loader.read_sheets

    def spy(path: Path):
        read.append(path.relative_to(raw).as_posix())
        return real(path)

    with pytest.MonkeyPatch.context() as patch, duckdb.connect(str(database)) as con:
        patch.setattr(loader, "read_sheets", spy)
        reports, incremental = land_source(con, raw, "permits", FAMILIES, full=full)
    return reports, incremental, read


def _assert_same_raw(incremental_db: Path, full_db: Path) -> None:
    with duckdb.connect(str(incremental_db)) as con:
        con.execute(f"ATTACH '{full_db}' AS full_landing (READ_ONLY)")
        mine_db = con.execute("SELECT current_database()").fetchone()[0]
        tables = {
            catalog: sorted(
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
                    "AND table_schema = 'raw'",
                    [catalog],
                ).fetchall()
            )
            for catalog in (mine_db, "full_landing")
        }
        assert tables[mine_db] == tables["full_landing"]
        assert {"ingest_files", "ingest_rejects", *(f.name for f in FAMILIES)} <= set(tables["full_landing"])
        for table in tables["full_landing"]:
            exclude = RUN_TIME_COLUMNS.get(table, [])
            columns = "* EXCLUDE (" + ", ".join(exclude) + ")" if exclude else "*"
            mine = f"SELECT {columns} FROM {mine_db}.raw.{table}"
            theirs = f"SELECT {columns} FROM full_landing.raw.{table}"
            only_mine = con.execute(f"SELECT count(*) FROM ({mine} EXCEPT ALL {theirs})").fetchone()[0]
            only_theirs = con.execute(f"SELECT count(*) FROM ({theirs} EXCEPT ALL {mine})").fetchone()[0]
            assert (table, only_mine, only_theirs) == (table, 0, 0)


def _no_change(raw: Path) -> None:
    pass


def _add_files(raw: Path) -> None:
    # A new month's export, and a re-upload of an unchanged file (the duplicate rule applies to it).
    rows = [[f"P-9{i:02d}", *row[1:]] for i, row in enumerate(PROJECT_ROWS)]
    write_csv(raw / NEW_CSV, PROJECT_HEADER, rows)
    shutil.copyfile(raw / PROJECT_CSV, raw / "permits/proyek (1).csv")


def _change_file(raw: Path) -> None:
    write_csv(raw / NIB_CSV, None, NIB_CSV_ROWS[:2], delimiter=";", encoding="cp1252")


def _remove_file(raw: Path) -> None:
    # The original of a re-upload goes: the copy, a duplicate until now, is the file that lands.
    (raw / NIB_XLSX).unlink()


CASES: dict[str, tuple[Callable[[Path], None], set[str]]] = {  # change, the files an incremental run reads
    "no change": (_no_change, set()),
    "file added": (_add_files, {NEW_CSV}),
    "file changed": (_change_file, {NIB_CSV}),
    "file removed": (_remove_file, {NIB_COPY}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_incremental_landing_equals_full_landing(tmp_path: Path, case: str) -> None:
    change, expected_reads = CASES[case]
    raw = tmp_path / "raw"
    _build(raw)
    incremental_db, full_db = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    _, incremental, first_reads = _land(incremental_db, raw)
    assert not incremental  # nothing landed before: a full landing
    assert NIB_XLSX in first_reads and NIB_COPY not in first_reads  # a duplicate is never read

    change(raw)
    reports, incremental, reads = _land(incremental_db, raw)
    _, full, _ = _land(full_db, raw, full=True)
    assert incremental and not full
    assert set(reads) == expected_reads
    assert {r.path for r in reports if r.reused} >= {"permits/proyek.csv", "permits/registry_2024-07-15.xlsx"}
    assert not {r.path for r in reports if r.reused} & expected_reads
    _assert_same_raw(incremental_db, full_db)


def test_full_switch_and_changed_code_re_land_everything(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _build(raw)
    database = tmp_path / "warehouse.duckdb"
    _, _, first_reads = _land(database, raw)
    reports, incremental, reads = _land(database, raw, full=True)
    assert not incremental and sorted(reads) == sorted(first_reads)
    assert not any(r.reused for r in reports)
    # Rows landed by other landing code (another version of this package, DuckDB or the reader) are not
    # trusted: the next landing is a full one.
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE meta.ingest_landing SET landing_version = 'an earlier version'")
    _, incremental, reads = _land(database, raw)
    assert not incremental and sorted(reads) == sorted(first_reads)
    _, incremental, reads = _land(database, raw)
    assert incremental and reads == []
