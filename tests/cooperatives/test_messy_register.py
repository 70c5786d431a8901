"""Issue 16: a register as offices really type it (messy_register.py), landed by the real loader and built by
the real dbt models. Per row: either the answer counted by hand is right, or the row is visible in the gaps
with its typed text; nothing is wrong silently. Then the totals against the hand count. Cases with ids
"loader-..." need the loader side of issue 16 (year kind, month-year dates, money suffixes, counts, non-data
rows)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.dbt_project import DBT_PROJECT_DIR
from pipelines.ingest import events, permits
from pipelines.ingest.cooperatives import FAMILIES
from pipelines.ingest.loader import SourceLoader, ensure_tables
from pipelines.summary.cooperatives import section
from tests.cooperatives import messy_register as mr
from tests.dbt_build import dbt_build

SELECTION = "+path:models/marts/cooperatives +int_cooperative_gaps_flagged +int_ingest_gaps_flagged"
GAPS = """
    SELECT gap_type, column_name, value, detail, record_key, source_path, source_row
    FROM intermediate.int_cooperative_gaps_flagged
    UNION ALL
    SELECT gap_type, column_name, value, detail, record_key, source_path, source_row
    FROM intermediate.int_ingest_gaps_flagged
"""


def _build(raw: Path, work: Path, dbt_vars: dict[str, object]) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    database = work / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        SourceLoader(con, raw, "cooperatives", FAMILIES).load_all()
        # int_ingest_gaps_flagged reads every family's landed table: the others exist, empty.
        ensure_tables(con, (*permits.FAMILIES, *events.FAMILIES))
    dbt_build(database, SELECTION, {"region_code": "64.71", **dbt_vars}, work)
    return database


@pytest.fixture(scope="module")
def messy_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("coop_messy") / "raw"
    mr.write_messy_register(raw / "cooperatives")
    return raw


@pytest.fixture(scope="module")
def messy_con(messy_raw: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(_build(messy_raw, messy_raw.parent / "build", {})), read_only=True)
    yield con
    con.close()


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _by_number(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, tuple]:
    """The rows of ``sql`` keyed by their first column (the cooperative number): the other columns."""
    return {row[0]: row[1:] for row in con.execute(sql).fetchall()}


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    """A two-column query as a mapping of the first column to the second."""
    return dict(con.execute(sql).fetchall())


def _gap_keys(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {(g["record_key"], g["gap_type"]) for g in _rows(con, GAPS)}


def _gaps_of(con: duckdb.DuckDBPyConnection, number: str, path: str, row: int) -> list[dict]:
    """Gaps about one cooperative: keyed by its number, or on its file row (ingest gaps)."""
    return [
        g
        for g in _rows(con, GAPS)
        if g["record_key"] == number
        or (g["source_path"] == path and g["source_row"] == row and not g["record_key"].startswith("6471"))
    ]


ALL_CASES = (*mr.CASES, mr.SUSPECT)


def _param(case: mr.Case) -> object:
    side = "loader" if case.loader else "dbt"
    return pytest.param(case, id=f"{side}-{case.serial:02d}-{case.why[:40]}")


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_each_row_is_right_or_visible(messy_con: duckdb.DuckDBPyConnection, case: mr.Case) -> None:
    found = _rows(messy_con, "SELECT * FROM marts.cooperatives WHERE cooperative_number = ?", [case.number])
    assert len(found) == 1, f"{case.why}: {case.number} not registered (vanished)"
    state = found[0]
    assert state["activity"] == case.activity, case.why
    assert state["is_active"] == {"aktif": True, "tidak_aktif": False}.get(case.activity), case.why
    assert state["jenis"] == case.expect_jenis, case.why
    assert state["bentuk"] == case.expect_bentuk, case.why
    assert state["regency_code"] == "64.71", case.why
    assert state["kecamatan_official_name"] == case.expect_kecamatan, case.why
    assert state["rat_book_year"] == case.rat_book_year, case.why
    assert state["rat_held_last_book_year"] == case.rat_held, case.why
    assert state["reports_digitally"] == case.reports_digitally, case.why
    # the typed text is kept in the mart
    assert state["status_exported"] == case.status
    assert state["jenis_exported"] == case.jenis
    gaps = _gaps_of(messy_con, case.number, state["source_path"], state["source_row"])
    assert {g["gap_type"] for g in gaps} == case.gaps, f"{case.why}: {gaps}"
    for gap_type, value in case.gap_values:
        assert value in {g["value"] for g in gaps if g["gap_type"] == gap_type}, f"{case.why}: {gaps}"


def test_unknown_status_is_not_decided_by_the_rat_rule(messy_con: duckdb.DuckDBPyConnection) -> None:
    (state,) = _rows(
        messy_con, "SELECT * FROM marts.cooperatives WHERE cooperative_number = ?", [mr.number(8)]
    )
    assert (state["is_active"], state["active_rule"], state["status_match"]) == (
        None,
        "status_tidak_dikenali",
        "none",
    )
    assert state["rat_book_year"] == 2022  # the RAT rule would have said active


def test_fuzzy_matches_are_recorded_as_such(messy_con: duckdb.DuckDBPyConnection) -> None:
    match = _pairs(
        messy_con,
        "SELECT value_exported, match FROM intermediate.int_cooperative_values_matched "
        "WHERE vocabulary IN ('status', 'jenis', 'bentuk')",
    )
    assert match["AKTIP"] == match["Konsumsen"] == match["Simpan Pinajm"] == "fuzzy"
    assert (
        match["TDK AKTIF"]
        == match["KSP Syariah"]
        == match["Primer Kota"]
        == match["aktif (RAT 2023)"]
        == "exact"
    )
    assert match["Serba Usaha"] == match["Belum Jelas"] == match["Tersier"] == "none"


def test_fuzzy_fallback_is_a_var(messy_raw: Path, tmp_path: Path) -> None:
    """cooperative_fuzzy_max_distance = 0: typos are no longer read, they become unknown values with a gap."""
    database = _build(messy_raw, tmp_path, {"cooperative_fuzzy_max_distance": 0})
    with duckdb.connect(str(database), read_only=True) as con:
        state = _by_number(con, "SELECT cooperative_number, activity, jenis FROM marts.cooperatives")
        gaps = _gap_keys(con)
    assert state[mr.number(9)] == ("tidak_diketahui", "konsumen")  # AKTIP
    assert state[mr.number(15)] == ("aktif", "tidak_diketahui")  # Konsumsen
    assert (mr.number(9), "status_tidak_dikenali") in gaps
    assert (mr.number(16), "jenis_tidak_dikenali") in gaps


def test_dissolved_cooperatives_stay_registered_and_inactive(messy_con: duckdb.DuckDBPyConnection) -> None:
    got = dict(
        messy_con.execute(
            "SELECT status_exported, status_recorded FROM marts.cooperatives WHERE status_exported IN (?, ?)",
            ["Bubar", "Dalam Proses Pembubaran"],
        ).fetchall()
    )
    assert got == {"Bubar": "bubar", "Dalam Proses Pembubaran": "dalam_pembubaran"}


def test_newest_copy_wins_by_its_own_update_date(messy_con: duckdb.DuckDBPyConnection) -> None:
    (state,) = _rows(
        messy_con, "SELECT * FROM marts.cooperatives WHERE cooperative_number = ?", [mr.number(33)]
    )
    rows = messy_con.execute(
        "SELECT _row_number, tanggal_pemutakhiran FROM raw.coop_registry "
        "WHERE nomor_induk_koperasi = ? ORDER BY 1",
        [mr.number(33)],
    ).fetchall()
    assert len(rows) == 2 and rows[0][1] > rows[1][1]  # the newer row is above the stale copy
    assert (state["source_row"], state["status_exported"], state["rows_in_update"]) == (
        rows[0][0],
        "Tidak Aktif",
        2,
    )


def test_every_unrecognised_value_is_a_gap_with_its_typed_text(messy_con: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "status_tidak_dikenali": "status_match = 'none'",
        "jenis_tidak_dikenali": "jenis_match = 'none'",
        "bentuk_tidak_dikenali": "bentuk_match = 'none'",
        "pelaporan_digital_tidak_dikenali": "digital_reporting_match = 'none'",
        "kab_kota_tidak_dikenali": "regency_match = 'none'",
        "kecamatan_unmatched": "kecamatan_code IS NULL",
    }
    gaps = _rows(messy_con, GAPS)
    for gap_type, condition in checks.items():
        numbers = {
            n
            for (n,) in messy_con.execute(
                f"SELECT cooperative_number FROM marts.cooperatives WHERE {condition}"
            ).fetchall()
        }
        flagged = {g["record_key"] for g in gaps if g["gap_type"] == gap_type and g["value"]}
        assert numbers and numbers <= flagged, gap_type


def test_gap_types_are_declared(messy_con: duckdb.DuckDBPyConnection) -> None:
    with (DBT_PROJECT_DIR / "seeds" / "rules" / "gap_types.csv").open(encoding="utf-8") as f:
        declared = {row["gap_type"] for row in csv.DictReader(f)}
    assert {g["gap_type"] for g in _rows(messy_con, GAPS)} <= declared


def test_health_predikat_unknown_is_never_replaced_by_the_scores(
    messy_con: duckdb.DuckDBPyConnection,
) -> None:
    got = _by_number(
        messy_con,
        "SELECT cooperative_number, category, category_source FROM marts.cooperative_health_assessments",
    )
    gaps = _gap_keys(messy_con)
    for serial, _typed, category, gap_type in mr.HEALTH:
        assert got[mr.number(serial)][0] == category
        if gap_type:
            assert (f"{mr.number(serial)}/2024", gap_type) in gaps
    assert got[mr.number(14)] == ("tidak_diketahui", "recorded_unrecognised")  # scores (85) would say sehat


def test_kab_kota_aliases_resolve_for_every_family(messy_con: duckdb.DuckDBPyConnection) -> None:
    lookup = _pairs(
        messy_con,
        "SELECT name_key, region_code FROM intermediate.int_region_names_keyed "
        "WHERE match_level = 'kab_kota'",
    )
    for typed, code in [
        ("KOTABPP", "64.71"),
        ("BPP", "64.71"),
        ("SMD", "64.72"),
        ("KOTASMD", "64.72"),
        ("TRK", "65.71"),
        ("KOTATARAKAN", "65.71"),
        ("BALIKPAPAN", "64.71"),
    ]:
        assert lookup.get(typed) == code, typed


def test_totals_equal_the_hand_count(messy_con: duckdb.DuckDBPyConnection) -> None:
    got = section(messy_con)
    want = mr.HAND_COUNT
    for key in (
        "registered",
        "active",
        "inactive",
        "status_unknown",
        "rat_last_book_year",
        "digital_reporting",
    ):
        assert got[key] == want[key], key
    assert got["registered"] == got["active"] + got["inactive"] + got["status_unknown"]
    assert got["active_by_type"] == want["active_by_type"]
    assert got["active_by_district"].get("tidak_diketahui") == want["active_kecamatan_unknown"]
    recap = messy_con.execute(
        "SELECT sum(registered), sum(active), sum(inactive), sum(activity_unknown) "
        "FROM marts.cooperative_recap"
    ).fetchone()
    assert recap == (want["registered"], want["active"], want["inactive"], want["status_unknown"])
    # the hand count agrees with the per-row answers
    assert len(ALL_CASES) == want["registered"]
    assert sum(c.activity == "aktif" for c in ALL_CASES) == want["active"]


def test_loader_non_data_rows_are_skipped_not_rejected(messy_con: duckdb.DuckDBPyConnection) -> None:
    files = _rows(messy_con, "SELECT * FROM raw.ingest_files WHERE path = ? ORDER BY sheet", [mr.FILE])
    by_sheet = {f["sheet"]: f for f in files}
    assert by_sheet["Rekap"]["status"] == "skipped"
    data = by_sheet[mr.SHEET]
    # column numbers, repeated header, JUMLAH HAL. 1, TOTAL, Sumber, Keterangan
    assert data["rows_skipped"] >= 6
    rejects = messy_con.execute(
        "SELECT rule, value FROM raw.ingest_rejects WHERE path = ? ORDER BY row_number", [mr.FILE]
    ).fetchall()
    assert len(rejects) == len(mr.REJECTED)  # only the real problems
    assert rejects[0][0] == "nomor_koperasi_terpotong"


def test_loader_reads_money_counts_and_partial_dates(messy_con: duckdb.DuckDBPyConnection) -> None:
    state = {
        r["cooperative_number"]: r
        for r in _rows(
            messy_con,
            "SELECT * FROM marts.cooperatives WHERE cooperative_number IN (?, ?, ?)",
            [mr.number(40), mr.number(42), mr.number(43)],
        )
    }
    assert state[mr.number(40)]["rat_date_day_unknown"] is True
    assert (state[mr.number(42)]["modal_sendiri"], state[mr.number(42)]["aset"]) == (
        1_200_000_000,
        2_500_000_000,
    )
    assert state[mr.number(43)]["aset"] == 850_000_000
    assert (state[mr.number(43)]["members_male"], state[mr.number(43)]["members_female"]) == (12, 1234)
    assert not messy_con.execute(
        "SELECT count(*) FROM marts.cooperatives WHERE cooperative_number = ?", [str(mr.TRUNCATED)]
    ).fetchone()[0]
