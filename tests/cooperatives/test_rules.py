"""Each cooperative rule pinned on small hand-made registry and health files (rule_files.py), landed by the
real loader and built by the real dbt models, plus the rule parameters re-run with other values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from pipelines.summary.cooperatives import section
from tests.cooperatives import rule_files as rf
from tests.cooperatives.conftest import build_cooperatives

# The "active as of" query of docs/cooperatives.md: the state recorded by each kab/kota's latest update on
# or before the date.
ACTIVE_AS_OF = """
    SELECT cooperative_number, is_active
    FROM marts.cooperative_history
    WHERE update_date <= ?::DATE AND (next_update_date > ?::DATE OR next_update_date IS NULL)
"""


def _state(con: duckdb.DuckDBPyConnection, number: str, update: dt.date = rf.JULY) -> dict:
    cursor = con.execute(
        "SELECT * FROM marts.cooperative_history WHERE cooperative_number = ? AND update_date = ?",
        [number, update],
    )
    row = cursor.fetchone()
    assert row is not None, f"{number} not in the {update} update"
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _as_of(con: duckdb.DuckDBPyConnection, day: str) -> dict[str, bool]:
    return dict(con.execute(ACTIVE_AS_OF, [day, day]).fetchall())


@pytest.mark.parametrize(
    ("number", "active", "rule", "book_year", "basis"),
    [
        (rf.EDGE, True, "rat_3_years", 2021, "tahun_buku_rat_terakhir"),  # exactly last closed (2023) - 3 + 1
        (rf.BEFORE_EDGE, False, "rat_3_years", 2020, "tahun_buku_rat_terakhir"),  # one year before the edge
        (rf.DATE_ONLY, True, "rat_3_years", 2021, "tanggal_rat"),  # RAT held 15/03/2022 -> book year 2021
        (rf.DATE_ONLY_OLD, False, "rat_3_years", 2020, "tanggal_rat"),  # held 30/06/2021 -> book year 2020
        (rf.NO_RAT, False, "no_rat_recorded", None, None),  # blank status, neither RAT column
        (rf.REGISTER_ACTIVE, True, "register", None, None),  # "Aktif" decides without any RAT
        # "Tidak Aktif" decides despite a RAT for 2023
        (rf.REGISTER_INACTIVE, False, "register", 2023, "tahun_buku_rat_terakhir"),
    ],
)
def test_active_rule(
    rules_con: duckdb.DuckDBPyConnection,
    number: str,
    active: bool,
    rule: str,
    book_year: int | None,
    basis: str | None,
) -> None:
    state = _state(rules_con, number)
    assert (state["is_active"], state["active_rule"]) == (active, rule)
    assert (state["rat_book_year"], state["rat_book_year_basis"]) == (book_year, basis)
    assert state["last_closed_book_year"] == 2023


def test_rat_held_for_the_last_book_year_is_a_separate_flag(rules_con: duckdb.DuckDBPyConnection) -> None:
    held = {
        n
        for (n,) in rules_con.execute(
            "SELECT cooperative_number FROM marts.cooperatives WHERE rat_held_last_book_year"
        ).fetchall()
    }
    # RAT for book year 2023, whatever the status: REGISTER_INACTIVE is "Tidak Aktif" and still held it.
    assert held == {rf.LAST_BOOK_YEAR, rf.REGISTER_INACTIVE, rf.REACTIVATES, rf.MOVES, rf.CHANGES_JENIS}


def test_current_state_is_the_latest_update(rules_con: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT cooperative_number, is_active FROM marts.cooperatives"
    active = dict(rules_con.execute(sql).fetchall())
    july = {c.number for c in rf.JULY_ROWS}
    assert set(active) == july  # the repeated row counts once; MISSING (January only) is gone
    assert {n for n, a in active.items() if a} == rf.ACTIVE_IN_JULY
    got = section(rules_con)
    assert (got["registered"], got["active"], got["inactive"]) == (len(july), 8, len(july) - 8)
    assert got["digital_reporting"] == 1


def test_region_from_kab_kota_or_assumed(rules_con: duckdb.DuckDBPyConnection) -> None:
    bases = dict(
        rules_con.execute(
            "SELECT update_date, list_distinct(list(regency_basis)) FROM marts.cooperative_history GROUP BY 1"
        ).fetchall()
    )
    assert bases == {rf.JANUARY: ["kab_kota"], rf.JULY: ["region_assumed"]}  # the July file has no Kab/Kota
    assert not rules_con.execute(
        "SELECT count(*) FROM marts.cooperative_history WHERE cooperative_number = ?", [rf.OUT_OF_REGION]
    ).fetchone()[0]


def test_kecamatan_data_gap(rules_con: duckdb.DuckDBPyConnection) -> None:
    state = _state(rules_con, rf.GAP)
    assert (state["kecamatan_code"], state["kecamatan_name_exported"]) == (None, "Balikpapan Baru")
    assert section(rules_con)["active_by_district"]["tidak_diketahui"] == 1
    moved = _state(rules_con, rf.MOVES)
    assert (moved["kecamatan_code"], moved["kecamatan_official_name"]) == ("64.71.06", "Balikpapan Kota")


def test_changes_between_the_last_two_updates(rules_con: duckdb.DuckDBPyConnection) -> None:
    changes = rules_con.execute(
        "SELECT cooperative_number, change_type, value_before, value_after, previous_update_date, "
        "update_date FROM marts.cooperative_changes ORDER BY 1, 2"
    ).fetchall()
    assert {(n, t, b, a) for n, t, b, a, _, _ in changes} == {
        (rf.NEW, "new", None, None),
        (rf.MISSING, "missing_from_update", None, None),
        (rf.REACTIVATES, "reactivated", "tidak_aktif", "aktif"),
        (rf.BECOMES_INACTIVE, "became_inactive", "aktif", "tidak_aktif"),
        (rf.MOVES, "moved_kecamatan", "Balikpapan Tengah", "Balikpapan Kota"),
        (rf.CHANGES_JENIS, "changed_jenis", "jasa", "konsumen"),
    }
    assert {(p, u) for *_, p, u in changes} == {(rf.JANUARY, rf.JULY)}


def test_active_as_of_a_past_date_gives_the_earlier_update(rules_con: duckdb.DuckDBPyConnection) -> None:
    in_march = _as_of(rules_con, "2024-03-01")
    assert set(in_march) == {c.number for c in rf.JANUARY_ROWS} - {rf.OUT_OF_REGION}
    assert {n for n, a in in_march.items() if a} == rf.ACTIVE_IN_JANUARY
    assert in_march[rf.REACTIVATES] is False and in_march[rf.MISSING] is True
    on_update_day = _as_of(rules_con, "2024-07-15")
    assert {n for n, a in on_update_day.items() if a} == rf.ACTIVE_IN_JULY
    assert rf.MISSING not in on_update_day and rf.MISSING not in _as_of(rules_con, "2025-01-01")
    assert _as_of(rules_con, "2023-12-31") == {}  # before the first update: nothing known


def test_health_categories_at_the_band_edges_and_legacy_labels(rules_con: duckdb.DuckDBPyConnection) -> None:
    got = {
        (n, y): (c, s)
        for n, y, c, s in rules_con.execute(
            "SELECT cooperative_number, assessment_year, category, category_source "
            "FROM marts.cooperative_health_assessments"
        ).fetchall()
    }
    expected = {
        (n, y): (category, "recorded" if predikat else "scores")
        for n, y, _, predikat, category in rf.HEALTH_ROWS
    }
    assert got == expected
    by_year = section(rules_con)["health"]
    for year in (2023, 2024):
        counts = {k: 0 for k in ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus")}
        for _, y, _, _, category in rf.HEALTH_ROWS:
            counts[category] += y == year
        assert by_year[str(year)] == counts


def test_recorded_category_disagreeing_with_scores_is_flagged(rules_con: duckdb.DuckDBPyConnection) -> None:
    flagged = rules_con.execute(
        "SELECT cooperative_number, assessment_year, category_from_scores "
        "FROM marts.cooperative_health_assessments WHERE recorded_disagrees_with_scores ORDER BY 1, 2"
    ).fetchall()
    assert (rf.CHANGES_JENIS, 2024, "sehat") in flagged  # recorded Cukup Sehat at mean 90
    assert (rf.EDGE, 2023, "sehat") in flagged  # legacy Kurang Sehat at mean 90


def test_rule_parameters_are_vars(rules_raw: Path, tmp_path: Path) -> None:
    """N = 2 and the RAT rule first: the edge moves to 2022 and a stated status yields to a RAT."""
    dbt_vars = {
        "region_code": "64.71",
        "cooperative_inactive_after_years": 2,
        "cooperative_status_precedence": "rat",
    }
    with duckdb.connect(str(build_cooperatives(rules_raw, tmp_path, dbt_vars)), read_only=True) as con:
        state = {
            n: (a, r)
            for n, a, r in con.execute(
                "SELECT cooperative_number, is_active, active_rule FROM marts.cooperatives"
            ).fetchall()
        }
    assert state[rf.EDGE] == (False, "rat_2_years")  # 2021 < 2023 - 2 + 1
    assert state[rf.DATE_ONLY] == (False, "rat_2_years")
    assert state[rf.GAP] == (True, "rat_2_years")  # 2022: the new edge
    assert state[rf.REGISTER_INACTIVE] == (True, "rat_2_years")  # "Tidak Aktif", but RAT 2023
    assert state[rf.BECOMES_INACTIVE] == (True, "rat_2_years")  # "Non Aktif", but RAT 2022
    assert state[rf.REGISTER_ACTIVE] == (True, "register")  # no RAT: the register still decides
    assert state[rf.NO_RAT] == (False, "no_rat_recorded")
