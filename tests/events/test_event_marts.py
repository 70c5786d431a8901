"""Event marts end to end: raw workbooks in, the generator's figures out, and the summary section."""

from __future__ import annotations

import duckdb

from pipelines.summary.events import FIELDS, section

from .conftest import HAND_EVENT, EventWarehouse

GENERATED = ("Expo UMKM Hari Koperasi ke-77", "Temu Kemitraan UMKM")


def participation(warehouse: EventWarehouse) -> dict[str, dict]:
    columns = ("name", "start_date", "end_date", "venue", "organiser", *FIELDS[3:], "msmes_needing_review")
    rows = warehouse.query(f"SELECT {', '.join(columns)} FROM marts.event_participation")
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


def test_event_figures_equal_the_generated_truth(event_warehouse):
    marts = participation(event_warehouse)
    assert set(marts) == {*GENERATED, HAND_EVENT}
    for event in event_warehouse.events.events:
        got = marts[event["name"]]
        assert got["start_date"].isoformat() == event["start_date"]
        assert got["end_date"].isoformat() == event["end_date"]
        assert (got["venue"], got["organiser"]) == (event["venue"], event["organiser"])
        assert (got["groups"], got["msmes"], got["partners"]) == (
            event["groups"],
            event["msmes"],
            event["partners"],
        )
        assert got["msmes_with_permit"] == event["msmes_with_permit"]
    expo, temu = marts["Expo UMKM Hari Koperasi ke-77"], marts["Temu Kemitraan UMKM"]
    assert (expo["groups"], expo["msmes"], expo["partners"]) == (35, 120, 0)  # the published figures
    assert (temu["groups"], temu["msmes"], temu["partners"]) == (15, 60, 20)


def test_summary_section(event_warehouse):
    with duckdb.connect(str(event_warehouse.published), read_only=True) as con:
        events = section(con)
    assert [list(e) for e in events] == [list(FIELDS)] * 3
    by_name = {e["name"]: e for e in events}
    for event in event_warehouse.events.events:
        assert by_name[event["name"]] == {key: event[key] for key in FIELDS}
    assert [e["start_date"] for e in events] == sorted(e["start_date"] for e in events)


def test_segments_add_up_to_the_permit_holders(event_warehouse):
    unbalanced = event_warehouse.query(
        """SELECT p.name, p.msmes_with_permit, coalesce(sum(s.msmes), 0)
           FROM marts.event_participation p
           LEFT JOIN marts.event_participation_by_segment s USING (event_id)
           GROUP BY ALL HAVING p.msmes_with_permit <> coalesce(sum(s.msmes), 0)"""
    )
    assert unbalanced == []
    hand = event_warehouse.query(
        """SELECT scale, kbli_category, msmes FROM marts.event_participation_by_segment WHERE name = ?
           ORDER BY ALL""",
        [HAND_EVENT],
    )
    # Sinar Kenari and Makmur Jaya (10792, C), Bintang Samudera (47111, G, capital 2.5 bn: kecil),
    # the two Dapur Kenari (56101, I), Laundry Kilat (96200, S).
    assert hand == [("kecil", "G", 1), ("mikro", "C", 2), ("mikro", "I", 2), ("mikro", "S", 1)]


def test_repeat_participation(event_warehouse):
    expo, temu = (
        event_warehouse.query("SELECT event_id FROM marts.event_participation WHERE name = ?", [name])[0][0]
        for name in GENERATED
    )
    (both,) = event_warehouse.query(
        """SELECT count(*) FILTER (list_contains(event_ids, ?) AND list_contains(event_ids, ?)),
                  count(*) FILTER (is_repeat_participant) >= count(*) FILTER (events_attended = 2)
           FROM marts.event_msme_attendance""",
        [expo, temu],
    )
    assert both == (event_warehouse.events.msmes_in_both_events, True)
    # One row per MSME: the registered NIB when matched, so every matched business appears once.
    assert event_warehouse.query(
        "SELECT count(*) - count(DISTINCT nib) FROM marts.event_msme_attendance WHERE nib IS NOT NULL"
    ) == [(0,)]


def test_follow_up_points_at_the_raw_row_and_holds_no_personal_data(event_warehouse):
    (missing,) = event_warehouse.query(
        """SELECT count(*) FROM marts.event_permit_followup f
           LEFT JOIN raw.event_participant r
             ON r._path = f.source_path AND r._sheet = f.source_sheet AND r._row_number = f.source_row
                AND r.nama_usaha = f.business_name
           WHERE r._path IS NULL"""
    )[0]
    assert missing == 0
    (followups, unmatched) = event_warehouse.query(
        """SELECT (SELECT count(*) FROM marts.event_permit_followup),
                  (SELECT sum(msmes_without_permit + msmes_needing_review) FROM marts.event_participation)"""
    )[0]
    assert followups == unmatched > 0
    columns = {
        name
        for (name,) in event_warehouse.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' "
            "AND table_name LIKE 'event%'"
        )
    }
    assert not columns & {"nama_pemilik", "owner", "no_hp", "phone", "nama_pic", "email"}
