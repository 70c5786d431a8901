"""The national sample's cooperative registers and event lists (pipelines/sample/national/cooperatives.py,
events.py): deterministic, sized as documented, landed by the real loader without a reject, and the active
count the generator claims is the one the documented rules give on what the loader landed. Scale 0.001 (150
cooperatives, 1,000 participants): a few seconds, no refresh."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import cooperatives as coop_families
from pipelines.ingest import events as event_families
from pipelines.ingest.loader import FileReport, SourceLoader
from pipelines.sample.cooperatives.rules import is_active
from pipelines.sample.national import SEED, write_national_sample
from pipelines.sample.national.cooperatives import UPDATES, build_cooperatives, write_cooperatives
from pipelines.sample.national.events import build_participants, write_events
from pipelines.sample.national.permits import _lookups, build_tables, write_permits

SCALE = 0.001


def _businesses(scale: float) -> duckdb.DuckDBPyConnection:
    """A connection holding the permit sample's businesses table, as write_national_sample leaves it."""
    con = duckdb.connect()
    _lookups(con)
    build_tables(con, scale, SEED)
    return con


def _write(out: Path, scale: float = SCALE) -> dict[str, int]:
    con = _businesses(scale)
    try:
        return write_cooperatives(con, out / "cooperatives", scale, SEED) | write_events(
            con, out / "events", scale, SEED
        )
    finally:
        con.close()


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("national_families")
    return out, _write(out)


def _land(raw: Path, source: str) -> tuple[duckdb.DuckDBPyConnection, list[FileReport]]:
    con = duckdb.connect()
    families = coop_families.FAMILIES if source == "cooperatives" else event_families.FAMILIES
    return con, SourceLoader(con, raw, source, families).load_all()


def test_same_seed_same_bytes(written: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    out, counts = written
    assert _write(tmp_path) == counts
    assert _digest(tmp_path) == _digest(out)
    assert len(_digest(out)) == len(UPDATES) + counts["event_info"]


def test_permit_files_do_not_change_with_the_new_families(tmp_path: Path) -> None:
    """Each family draws from its own generator: the permit files are those of the permits alone."""
    write_national_sample(tmp_path / "all", 0.0003)
    con = duckdb.connect()
    write_permits(con, tmp_path / "alone" / "permits", 0.0003, SEED)
    assert _digest(tmp_path / "all" / "permits") == _digest(tmp_path / "alone" / "permits")
    assert (tmp_path / "all" / "cooperatives").is_dir() and (tmp_path / "all" / "events").is_dir()


@pytest.mark.parametrize("scale", [0.0001, 0.001, 0.004])
def test_counts_scale_linearly(scale: float) -> None:
    con = _businesses(scale)
    build_cooperatives(con, scale, SEED)
    plan = build_participants(con, scale, SEED)
    (cooperatives,) = con.execute("select count(distinct nik) from coop_rows").fetchall()[0]
    (participants,) = con.execute("select count(*) from participants").fetchall()[0]
    assert cooperatives == max(20, round(150_000 * scale))
    assert participants == max(3 * len(plan), round(1_000_000 * scale))
    assert len(plan) == 24  # one event a month of 2023-2024
    # Every cooperative is in at least one update, each update lists a cooperative at most once.
    (repeated,) = con.execute("select count(*) - count(distinct (u, nik)) from coop_rows").fetchall()[0]
    assert repeated == 0


def test_registers_land_whole_with_their_update_dates(written: tuple[Path, dict[str, int]]) -> None:
    out, counts = written
    con, reports = _land(out, "cooperatives")
    assert {(r.status, r.family) for r in reports} == {("ingested", "coop_registry")}
    assert len(reports) == len(UPDATES)
    assert sum(r.rows_read for r in reports) == sum(r.rows_loaded + r.rows_rejected for r in reports)
    assert sum(r.rows_rejected for r in reports) == 0  # nothing invalid is planted
    assert sum(r.rows_loaded for r in reports) == counts["coop_registry"]
    dates = con.execute("select distinct _file_date::date from raw.coop_registry order by 1").fetchall()
    assert [d for (d,) in dates] == [spec.update for spec in UPDATES]
    (distinct,) = con.execute(
        "select count(distinct nomor_induk_koperasi) from raw.coop_registry"
    ).fetchall()[0]
    assert distinct == counts["cooperatives"]
    formats = {Path(r.path).suffix for r in reports}
    assert formats == {".xlsx", ".csv"}


def test_active_rule_has_both_outcomes_and_matches_the_generator(
    written: tuple[Path, dict[str, int]],
) -> None:
    """The documented rules (the sample's own copy), applied to the landed rows of each kab/kota's latest
    update, give the generator's active and inactive counts; both the status and the RAT rule decide some."""
    out, counts = written
    con, _ = _land(out, "cooperatives")
    result = con.execute("""
        select *, upper(kab_kota) as kab from raw.coop_registry
        qualify _file_date = max(_file_date) over (partition by upper(kab_kota))
    """)
    names = [d[0] for d in result.description]
    rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
    decided = [(is_active(row, row["_file_date"].year - 1), row["status_koperasi"] is None) for row in rows]
    assert len(rows) == counts["cooperatives_latest"]
    assert sum(active for active, _ in decided) == counts["cooperatives_active"]
    assert len(rows) - counts["cooperatives_active"] == counts["cooperatives_inactive"]
    by_rat = {active for active, blank in decided if blank}
    by_status = {active for active, blank in decided if not blank}
    assert by_rat == {True, False} and by_status == {True, False}


def test_registers_change_between_updates(written: tuple[Path, dict[str, int]]) -> None:
    out, _ = written
    con, _ = _land(out, "cooperatives")
    query = "select nomor_induk_koperasi from raw.coop_registry where _file_date = ?"
    first, last = (
        {n for (n,) in con.execute(query, [u.update]).fetchall()} for u in (UPDATES[0], UPDATES[-1])
    )
    assert last - first, "no cooperative founded between the updates"
    assert first - last, "no cooperative dissolved between the updates"
    (changed,) = con.execute("""
        select count(distinct nomor_induk_koperasi) from raw.coop_registry
        group by nomor_induk_koperasi having count(distinct upper(status_koperasi)) > 1
    """).fetchall()[0]
    assert changed > 0, "no status changed between updates"


def test_event_lists_land_whole_and_link_to_permit_businesses(written: tuple[Path, dict[str, int]]) -> None:
    out, counts = written
    con, reports = _land(out, "events")
    assert {r.status for r in reports} == {"ingested"}
    assert sum(r.rows_rejected for r in reports) == 0
    assert sum(r.rows_read for r in reports) == sum(r.rows_loaded for r in reports)
    by_family: dict[str | None, int] = {}
    for report in reports:
        by_family[report.family] = by_family.get(report.family, 0) + report.rows_loaded
    assert by_family == {"event_info": counts["event_info"], "event_participant": counts["event_participant"]}
    # Every workbook names exactly one event: its participants can be linked through the file.
    (files,) = con.execute("select count(distinct _path) from raw.event_info").fetchall()[0]
    assert files == counts["event_info"]
    businesses = _businesses(SCALE)
    registered = dict(businesses.execute("select nib, registered from businesses").fetchall())
    landed = con.execute("""
        select p.nib, i.tanggal_mulai from raw.event_participant as p join raw.event_info as i using (_path)
        where p.nib is not null
    """).fetchall()
    assert len(landed) == counts["event_participant_with_nib"] > 0
    assert all(nib in registered and registered[nib] < start for nib, start in landed)
    assert 0.3 < len(landed) / counts["event_participant"] < 0.5
    (starts,) = con.execute(
        "select count(distinct date_trunc('month', tanggal_mulai)) from raw.event_info"
    ).fetchall()[0]
    assert starts == 24 and isinstance(landed[0][1], dt.date)
