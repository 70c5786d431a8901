"""What the event sample promises: the figures per event, and for every valid participant row the NIB the
matcher should find (labels), with the kinds of case planted."""

from __future__ import annotations

from dataclasses import dataclass

# Label cases (ParticipantLabel.case).
CASE_NIB = "nib_typed"  # valid NIB typed: expected_nib = that NIB
CASE_NAME = "name_match"  # no valid NIB; loosely typed name + kecamatan identify one known business
# As name_match, but another known business has the same name in another kecamatan.
CASE_SAME_NAME = "same_name_other_kecamatan"
CASE_AMBIGUOUS = "ambiguous_review"  # two known businesses fit equally: expected_nib None, flag for review
CASE_NO_PERMIT = "no_permit"  # new business, not in the permit sample: expected_nib None
WITH_PERMIT = frozenset({CASE_NIB, CASE_NAME, CASE_SAME_NAME})


@dataclass(frozen=True)
class KnownBusiness:
    """A business that exists in the permit sample."""

    nib: str
    name: str
    kecamatan: str


@dataclass(frozen=True)
class ParticipantLabel:
    """What the matcher should answer for one valid participant row."""

    event: str
    file: str  # file name inside out_dir
    sheet: str
    row_number: int  # 1-based row number as Excel shows it (= the loader's _row_number)
    nama_usaha: str  # as typed
    kecamatan: str | None  # as typed
    nib: str | None  # as the loader lands it (cell text), before parsing
    msme_key: str  # pipelines.ingest.events.msme_key of the row
    expected_nib: str | None  # the permit-sample NIB this business is, None if none (or ambiguous)
    case: str  # one of the CASE_* constants
    repeat_listing: bool  # a second listing of the same MSME within the event
    review_candidates: tuple[str, ...] = ()  # CASE_AMBIGUOUS: the NIBs a reviewer must choose between


@dataclass(frozen=True)
class EventTruth:
    events: list[dict]  # name, start_date, end_date, venue, organiser, file, groups, msmes, partners,
    #                     msmes_with_permit, rows_rejected
    rows_rejected: int
    labels: tuple[ParticipantLabel, ...] = ()
    msmes_in_both_events: int = 0  # equal msme_key in both events
    hard_cases: tuple[str, ...] = ()  # which of CASE_SAME_NAME / CASE_AMBIGUOUS could be planted


def labelled_matches(truth: EventTruth) -> dict[tuple[str, str, int], str | None]:
    """(file, sheet, row_number) -> expected NIB (None: no permit, or ambiguous and to be reviewed)."""
    return {(lab.file, lab.sheet, lab.row_number): lab.expected_nib for lab in truth.labels}
