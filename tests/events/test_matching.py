"""The participant matcher: hand-made cases; precision and recall on the sample generator's labelled rows."""

from __future__ import annotations

from collections import Counter

from pipelines.sample.events import CASE_AMBIGUOUS

from .conftest import HAND_EVENT, HAND_EVENT_FILE, HAND_ROWS, HAND_SHEET, EventWarehouse, hand_row_number

PRECISION_BAR = 0.98  # of the links the matcher makes, at least this share point at the right business
RECALL_BAR = 0.90  # of the participants that have a permit, at least this share are found

ROW_MATCHES = """
    SELECT listing.source_path, listing.source_sheet, listing.source_row,
           matched.match_method, matched.matched_nib, matched.match_score, matched.review_candidate_nibs
    FROM staging.stg_events__participants AS listing
    JOIN intermediate.int_event_participants_matched AS matched USING (event_id, msme_key)
"""


def row_matches(warehouse: EventWarehouse) -> dict[tuple[str, str, int], tuple]:
    """(file name, sheet, Excel row) -> (method, matched NIB, score, review candidates) for every listing."""
    return {
        (path.split("/", 1)[1], sheet, row): rest for path, sheet, row, *rest in warehouse.query(ROW_MATCHES)
    }


def test_hand_made_cases(event_warehouse):
    got = row_matches(event_warehouse)
    for index, case in enumerate(HAND_ROWS):
        method, nib, score, candidates = got[(HAND_EVENT_FILE, HAND_SHEET, hand_row_number(index))]
        assert (method, nib) == (case.expected_method, case.expected_nib), case.case
        if method == "name":
            assert score >= 85, case.case
        if method == "ambiguous":
            assert sorted(candidates) == ["0220009990005", "8120009990006"], case.case
            assert score >= 85


def test_same_name_in_two_kecamatan_goes_to_each_ones_own(event_warehouse):
    rows = event_warehouse.query(
        """SELECT kecamatan_typed, kecamatan_code, matched_nib, registered_kecamatan_code
           FROM intermediate.int_event_participants_matched
           WHERE business_name_key = 'DAPUR KENARI INDAH' AND event_id LIKE '%UJI PENCOCOKAN%'
           ORDER BY kecamatan_code"""
    )
    assert rows == [
        ("Timur", "64.71.01", "9120009990003", "64.71.01"),
        ("Kec. Balikpapan Barat", "64.71.02", "9120009990004", "64.71.02"),
    ]


def test_follow_up_reasons_and_messages(event_warehouse):
    rows = event_warehouse.query(
        """SELECT source_row, reason, message, review_candidate_nibs, listings
           FROM marts.event_permit_followup WHERE event_name = ? ORDER BY source_row""",
        [HAND_EVENT],
    )
    expected = {hand_row_number(i): c.expected_reason for i, c in enumerate(HAND_ROWS) if c.expected_reason}
    assert {row: reason for row, reason, *_ in rows} == expected
    messages = {reason: message for _, reason, message, _, _ in rows}
    assert messages["belum_ada_nib"] == "Belum memiliki NIB / izin usaha: tindak lanjut tim kurasi"
    assert "0220009990005" in messages["perlu_tinjauan"] and "8120009990006" in messages["perlu_tinjauan"]
    assert "tidak ditemukan" in messages["nib_tidak_ditemukan"]


def test_hand_event_figures(event_warehouse):
    (row,) = event_warehouse.query(
        """SELECT groups, msmes, partners, msmes_with_permit, msmes_needing_review, msmes_without_permit,
                  msmes_matched_by_nib, msmes_matched_by_name, listings, share_with_permit,
                  start_date, end_date
           FROM marts.event_participation WHERE name = ?""",
        [HAND_EVENT],
    )
    methods = Counter(c.expected_method for c in HAND_ROWS if c.case != "listed_twice")
    assert row[:9] == (
        3,  # Kel. Uji A, B (also typed in capitals), C
        len(HAND_ROWS) - 1,  # the business listed twice counts once
        0,
        methods["nib"] + methods["name"],
        methods["ambiguous"],
        methods["none"],
        methods["nib"],
        methods["name"],
        len(HAND_ROWS),
    )
    assert float(row[9]) == round((methods["nib"] + methods["name"]) / (len(HAND_ROWS) - 1), 4)
    assert row[10] == row[11]  # one-day event: end date left empty


def test_precision_and_recall_on_the_labelled_sample(event_warehouse):
    """Every valid row the generator wrote carries the NIB it is (or None: no permit, or ambiguous)."""
    got = row_matches(event_warehouse)
    truth = event_warehouse.events
    true_links = false_links = missed = 0
    wrong: list[str] = []
    for label in truth.labels:
        method, nib, score, _ = got[(label.file, label.sheet, label.row_number)]
        if label.case == CASE_AMBIGUOUS:
            assert method == "ambiguous", label
        if nib is not None and nib == label.expected_nib:
            true_links += 1
        elif nib is not None:
            false_links += 1
            wrong.append(f"{label.nama_usaha!r} -> {nib} ({score}), expected {label.expected_nib}")
        elif label.expected_nib is not None:
            missed += 1
            wrong.append(
                f"{label.nama_usaha!r} not linked ({method}, {score}), expected {label.expected_nib}"
            )
    precision = true_links / (true_links + false_links)
    recall = true_links / (true_links + missed)
    print(
        f"\nmatcher on {len(truth.labels)} labelled rows ({true_links + missed} with a permit): "
        f"precision {precision:.3f}, recall {recall:.3f} ({true_links} right, {false_links} wrong, "
        f"{missed} missed); hard cases planted: {', '.join(truth.hard_cases) or 'none'}"
    )
    for line in wrong:
        print("  ", line)
    assert true_links + missed >= 50
    assert precision >= PRECISION_BAR
    assert recall >= RECALL_BAR
