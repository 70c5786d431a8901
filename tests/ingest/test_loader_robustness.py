"""Failure modes of real files: late non-UTF-8 bytes, a file breaking halfway, personal data as a key."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import loader as loader_module
from pipelines.ingest.csv_fast import FastCsv
from pipelines.ingest.loader import SourceLoader
from pipelines.ingest.permits import FAMILIES
from pipelines.sample.writers import write_csv

HEADER = ["NIB", "Tanggal Terbit Oss", "Nama Perusahaan", "Kab Kota"]


def _rows(count: int, name: str = "Toko Maju") -> list[list[str]]:
    return [[f"91200{i:08d}", "01/02/2023", name, "Kota Balikpapan"] for i in range(count)]


def _load(raw: Path) -> tuple[duckdb.DuckDBPyConnection, list]:
    con = duckdb.connect()
    return con, SourceLoader(con, raw, "permits", FAMILIES).load_all()


def test_windows_1252_byte_far_past_the_first_64_kib_still_loads_every_row(tmp_path):
    rows = [*_rows(3000), ["9120000009999", "01/02/2023", "Café Kopi", "Kota Balikpapan"]]
    write_csv(tmp_path / "permits" / "nib.csv", HEADER, rows, delimiter=";", encoding="cp1252")
    assert (tmp_path / "permits" / "nib.csv").stat().st_size > 65536
    con, reports = _load(tmp_path)
    assert [r.status for r in reports] == ["ingested"]
    assert reports[0].rows_loaded == 3001
    names = con.execute("SELECT nama_perusahaan FROM raw.oss_nib WHERE nib = '9120000009999'").fetchall()
    assert names == [("Café Kopi",)]


@pytest.mark.parametrize("fast_csv", [False, True], ids=["python-cells", "duckdb-csv"])
def test_a_file_that_breaks_halfway_leaves_nothing_but_its_unreadable_row(tmp_path, monkeypatch, fast_csv):
    write_csv(tmp_path / "permits" / "a_good.csv", HEADER, _rows(5))
    write_csv(tmp_path / "permits" / "b_broken.csv", HEADER, _rows(50))
    real_read_sheets = loader_module.read_sheets
    real_land = FastCsv.land

    def breaking_read_sheets(path: Path):
        for sheet in real_read_sheets(path):
            if path.name.startswith("b_"):
                sheet.rows = _break_after(sheet.rows, 30)
            yield sheet

    def breaking_land(self, *args, **kwargs):
        landed = real_land(self, *args, **kwargs)  # every row already in landing_text
        if self.con.execute("SELECT count(*) FROM landing_text").fetchall()[0][0] == 50:
            raise OSError("disk read error")
        return landed

    if fast_csv:  # the Python rows past the header scan are not read: break the DuckDB landing instead
        monkeypatch.setattr(FastCsv, "land", breaking_land)
    else:
        monkeypatch.setattr(loader_module, "read_sheets", breaking_read_sheets)
    monkeypatch.setattr(loader_module, "BATCH_ROWS", 10)  # several batches were stored before the break
    con = duckdb.connect()
    reports = SourceLoader(con, tmp_path, "permits", FAMILIES, fast_csv=fast_csv).load_all()
    assert [r.fast_csv for r in reports] == [fast_csv, False]
    assert [(r.path, r.status) for r in reports] == [
        ("permits/a_good.csv", "ingested"),
        ("permits/b_broken.csv", "unreadable"),
    ]
    paths = con.execute("SELECT DISTINCT _path FROM raw.oss_nib").fetchall()
    assert paths == [("permits/a_good.csv",)]
    manifest = con.execute("SELECT path, status FROM raw.ingest_files ORDER BY path").fetchall()
    assert manifest == [("permits/a_good.csv", "ingested"), ("permits/b_broken.csv", "unreadable")]


def _break_after(rows, count: int):
    for index, row in enumerate(rows):
        if index == count:
            raise OSError("disk read error")
        yield row


@pytest.mark.parametrize(
    ("typed_nib", "shown"),
    [
        ("6471012304850001", "[disamarkan: tampak seperti data pribadi]"),  # a person's NIK in the NIB column
        ("0812-3456-7890", "[disamarkan: tampak seperti data pribadi]"),
        ("budi@contoh.id", "[disamarkan: tampak seperti data pribadi]"),
        ("ABC123", "ABC123"),  # an ordinary typo stays visible so staff can fix it
    ],
)
def test_rejected_values_never_show_personal_data(tmp_path, typed_nib, shown):
    write_csv(
        tmp_path / "permits" / "nib.csv", HEADER, [[typed_nib, "01/02/2023", "Toko", "Kota Balikpapan"]]
    )
    con, _ = _load(tmp_path)
    assert con.execute("SELECT column_name, value FROM raw.ingest_rejects").fetchall() == [("nib", shown)]


@pytest.mark.parametrize("fast_csv", [False, True], ids=["python-cells", "duckdb-csv"])
def test_a_header_only_export_lands_as_an_empty_file_beside_the_others(tmp_path, fast_csv):
    """An office's export for a month without new permits is its header alone: it reconciles as 0 rows read,
    loaded and rejected, and the other files of the folder still land (it once stopped the whole landing)."""
    write_csv(tmp_path / "permits" / "nib_empty.csv", HEADER, [], delimiter=";")
    write_csv(tmp_path / "permits" / "nib_one.csv", HEADER, _rows(1), delimiter=";")
    con = duckdb.connect()
    SourceLoader(con, tmp_path, "permits", FAMILIES, fast_csv=fast_csv).load_all()
    files = con.execute(
        "SELECT regexp_extract(path, '[^/]+$'), status, rows_read, rows_loaded, rows_rejected "
        "FROM raw.ingest_files ORDER BY path"
    ).fetchall()
    assert files == [("nib_empty.csv", "ingested", 0, 0, 0), ("nib_one.csv", "ingested", 1, 1, 0)]
    assert con.execute("SELECT nib FROM raw.oss_nib").fetchall() == [("9120000000000",)]
