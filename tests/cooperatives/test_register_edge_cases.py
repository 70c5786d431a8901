"""Registers that would otherwise lose cooperatives without a word: an export with no update date anywhere, a
RAT dated after the update, a blank jenis. Hand-made rows; each must be visible as a gap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.cooperatives import FAMILIES
from pipelines.ingest.events import FAMILIES as EVENT_FAMILIES
from pipelines.ingest.loader import SourceLoader, ensure_tables
from pipelines.ingest.permits import FAMILIES as PERMIT_FAMILIES
from pipelines.sample.writers import write_xlsx
from tests.coop_exports import REGISTER_LEAD
from tests.dbt_build import dbt_build

HEADER = [*REGISTER_LEAD, "Status", "Tanggal RAT"]
_PLACE = ["Balikpapan Kota", "Kota Balikpapan"]
DATED_ROWS = [
    [
        "1",
        "6471010000005001",
        "Koperasi RAT Desember",
        *_PLACE,
        "Konsumen",
        "Aktif",
        "12/12/2024",
    ],  # after 15 Jul
    ["2", "6471010000005002", "Koperasi Tanpa Jenis", *_PLACE, None, "Aktif", "20/03/2024"],
    ["3", "6471010000005003", "Koperasi Biasa", *_PLACE, "Konsumen", "Aktif", "20/03/2024"],
]
UNDATED_ROWS = [
    ["1", "6471010000006001", "Koperasi Tanpa Tanggal A", *_PLACE, "Konsumen", "Aktif", "20/03/2024"],
    ["2", "6471010000006002", "Koperasi Tanpa Tanggal B", *_PLACE, "Jasa", "Aktif", "21/03/2024"],
]


def write_undated_register(raw: Path, title_rows: list[str]) -> None:
    """The undated rows in a workbook whose name carries no date; only ``title_rows`` might."""
    write_xlsx(raw / "cooperatives" / "Register Koperasi.xlsx", HEADER, UNDATED_ROWS, title_rows=title_rows)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    root = tmp_path_factory.mktemp("register_edges")
    raw = root / "raw"
    write_xlsx(
        raw / "cooperatives" / "data_koperasi.xlsx",
        HEADER,
        DATED_ROWS,
        title_rows=["DATA KOPERASI KOTA BALIKPAPAN", "KEADAAN 15 JULI 2024"],
    )
    # No date in the title, the file name or a Tanggal Pemutakhiran column: its update is unknown.
    write_undated_register(raw, ["DATA KOPERASI"])
    database = root / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        SourceLoader(con, raw, "cooperatives", FAMILIES).load_all()
        ensure_tables(con, [*PERMIT_FAMILIES, *EVENT_FAMILIES])  # every source's table, as a refresh has
    dbt_build(
        database, "+int_cooperative_gaps_flagged +int_ingest_gaps_flagged", {"region_code": "64.71"}, root
    )
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            """SELECT gap_type, record_key, column_name, value, source_path
               FROM intermediate.int_cooperative_gaps_flagged
               UNION ALL
               SELECT gap_type, record_key, column_name, value, source_path
               FROM intermediate.int_ingest_gaps_flagged
               ORDER BY ALL"""
        ).fetchall()


def test_a_register_without_update_date_is_a_gap_not_silence(gaps):
    undated = [g for g in gaps if g[0] == "tanggal_pemutakhiran_tidak_diketahui"]
    assert undated == [
        (
            "tanggal_pemutakhiran_tidak_diketahui",
            "cooperatives/Register Koperasi.xlsx#Sheet1",
            "tanggal_pemutakhiran",
            "2",
            "cooperatives/Register Koperasi.xlsx",
        )
    ]


def test_a_rat_after_the_update_is_a_gap(gaps):
    assert [g[1:4] for g in gaps if g[0] == "tanggal_rat_setelah_pemutakhiran"] == [
        ("6471010000005001", "tanggal_rat", "12-12-2024")
    ]


def test_a_blank_jenis_is_a_gap(gaps):
    assert [g[1:4] for g in gaps if g[0] == "jenis_tidak_dikenali"] == [
        ("6471010000005002", "jenis_koperasi", "(kosong)")
    ]


def test_a_register_month_in_the_title_is_its_update_date(tmp_path: Path):
    raw = tmp_path / "raw"
    write_undated_register(raw, ["DATA KOPERASI", "Keadaan s.d. Juni 2024"])
    with duckdb.connect() as con:
        SourceLoader(con, raw, "cooperatives", FAMILIES).load_all()
        assert con.execute("SELECT DISTINCT _file_date FROM raw.coop_registry").fetchall() == [
            (dt.date(2024, 6, 30),)
        ]
