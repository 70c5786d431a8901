"""``write_event_exports``: plan who attends, write the two event workbooks, and return the truth (figures per
event, counted from the labels of the rows written, and checked against the published ones)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pipelines.sample.events.build import Generator, Msme
from pipelines.sample.events.calibration import PROFILES
from pipelines.sample.events.layouts import EXPO, TEMU, EventSpec
from pipelines.sample.events.rules import group_key
from pipelines.sample.events.truth import WITH_PERMIT, EventTruth, KnownBusiness, ParticipantLabel
from pipelines.sample.writers import SheetSpec, write_workbook


def write_event_exports(
    out_dir: Path, profile: str, known_businesses: Sequence[KnownBusiness], seed: int = 20240726
) -> EventTruth:
    if profile not in PROFILES:
        raise ValueError(f"no event sample for profile {profile!r}; known: {', '.join(PROFILES)}")
    out_dir = Path(out_dir)
    generator = Generator(seed, known_businesses)
    attendance = generator.plan()
    out_dir.mkdir(parents=True, exist_ok=True)
    labels: list[ParticipantLabel] = []
    events = []
    keys: dict[str, set[str]] = {}
    for spec, msmes in ((TEMU, attendance.temu), (EXPO, attendance.expo)):
        event_labels = _write_event(generator, out_dir, spec, msmes)
        labels.extend(event_labels)
        keys[spec.code] = {lab.msme_key for lab in event_labels}
        events.append(_figures(spec, msmes, event_labels))
    both = keys[EXPO.code] & keys[TEMU.code]
    if len(both) != len(attendance.repeats):
        raise AssertionError(f"{len(both)} MSMEs at both events, planned {len(attendance.repeats)}")
    return EventTruth(
        events=events,
        rows_rejected=sum(e["rows_rejected"] for e in events),
        labels=tuple(labels),
        msmes_in_both_events=len(both),
        hard_cases=attendance.hard_cases,
    )


def _write_event(
    generator: Generator, out_dir: Path, spec: EventSpec, msmes: list[Msme]
) -> list[ParticipantLabel]:
    """One event's workbook; returns the labels of its participant rows."""
    rows, event_labels = generator.participant_rows(spec, msmes)
    sheets = [
        SheetSpec(spec.info_sheet, spec.info_header, [spec.info_row]),
        SheetSpec(spec.participant_sheet, spec.participant_header, rows, spec.title_rows),
    ]
    if spec.partner_sheet:
        sheets.append(
            SheetSpec(spec.partner_sheet, spec.partner_header, generator.partner_rows(), spec.partner_titles)
        )
    if spec is EXPO:
        sheets = [sheets[1], sheets[0]]  # the Expo list opens on its participants
    write_workbook(out_dir / spec.file_name, sheets)
    return event_labels


def _figures(spec: EventSpec, msmes: list[Msme], labels: list[ParticipantLabel]) -> dict:
    """The event's truth; the MSMEs and groups written must be the published counts."""
    keys = {lab.msme_key for lab in labels}
    with_permit = {lab.msme_key for lab in labels if lab.case in WITH_PERMIT}
    groups = {group_key(m.groups[spec.code]) for m in msmes}
    if len(keys) != spec.n_msmes or len(groups) != spec.n_groups:
        raise AssertionError(f"{spec.name}: built {len(keys)} MSMEs, {len(groups)} groups")
    return {
        "name": spec.name,
        "start_date": spec.start.isoformat(),
        "end_date": spec.end.isoformat(),
        "venue": spec.venue,
        "organiser": spec.organiser,
        "file": spec.file_name,
        "groups": spec.n_groups,
        "msmes": spec.n_msmes,
        "partners": spec.n_partners,
        "msmes_with_permit": len(with_permit),
        "rows_rejected": len(spec.rejected_names),
    }
