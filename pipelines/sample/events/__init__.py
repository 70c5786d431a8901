"""Sample event attendance lists (Kota Balikpapan) that reproduce the published event figures.

Writes two workbooks into ``out_dir`` (the ``events/`` folder of a raw dir):

- ``Daftar Hadir Temu Kemitraan UMKM 23 Mei 2023.xlsx``: sheets ``Info`` (event header, one row),
  ``Daftar Hadir`` (participants, two title rows above the header), ``Mitra`` (partner companies, one title
  row).
- ``Peserta Expo UMKM Harkop ke-77 Juli 2024.xlsx``: sheets ``Peserta`` (participants, two title rows) and
  ``Kegiatan`` (event header, one row).

The families are declared in ``pipelines/ingest/events.py``. The counting rules the figures below are
computed with live, for production, as dbt macros (``dbt_project/macros/events.sql``); rules.py keeps their
Python twin (``msme_key``, ``group_key``, ``business_name_key``, ``kecamatan_key``) as the generator's test
oracle, pinned row by row against the rendered macros in ``tests/sample/test_event_sample.py``.

Participants are built from the caller's ``known_businesses`` (businesses that exist in the permit sample):
about 55% typed with their NIB (as text, as a number that lost its leading zero, with spaces, with a leading
apostrophe), about 45% without a NIB but with the name typed loosely (case, "UD."/"CV" added or dropped, at
most one typo), all with the right kecamatan (spelled loosely). Similarity below is rapidfuzz on
business_name_key. A business is typed without NIB only when its key is unique in its kecamatan and no other
known business there scores >= 90 (ratio or token_sort_ratio); a typo is kept only if the typed name still
scores >= 85 (ratio) against its business and at least 10 more than against any other known business in that
kecamatan (ratio and token_sort_ratio); otherwise the name is typed without typo (an exact key
match). Everyone else is a new business without a permit; new names stay below 75 (ratio, token_sort_ratio
and token_set_ratio) against every known name in the whole city. Some businesses (known and new) attend both
events with the same msme_key in both (``EventTruth.msmes_in_both_events``). Two hard cases are planted when
``known_businesses`` contains them (the permit sample should):

- ``same_name_other_kecamatan``: two known businesses whose ``business_name_key`` is equal, in different
  kecamatan; both attend the Expo without NIB; each must be matched to the one in its own kecamatan.
- ``ambiguous_review``: two known businesses with equal ``business_name_key`` in the same kecamatan (different
  NIBs); one Expo participant without NIB carries that name and kecamatan. The matcher must flag it for
  review, not match it: its label has ``expected_nib=None`` and it is NOT counted in ``msmes_with_permit``.

Labels: ``EventTruth.labels`` has one ParticipantLabel per valid participant row (file, sheet, Excel row
number = the loader's ``_row_number``) with the expected NIB or None; ``labelled_matches(truth)`` gives the
plain mapping. Nothing but the exports is written into ``out_dir``.

Deterministic: a fixed seed gives byte-identical files (the order of ``known_businesses`` does not matter).
The workbooks have several sheets, so they are written by ``writers.write_workbook`` (the multi-sheet form of
``writers.write_xlsx``: same cell typing, same fixed creation date).

Where things are: calibration.py (the published figures and the planted counts), data/events.json and
layouts.py (the workbooks: sheets, headers, title rows), data/vocabulary.json and vocabulary.py (words names
are made of), rules.py (the counting rules' twin), truth.py (EventTruth, labels), known.py (the known
businesses indexed by name and kecamatan), build.py (who attends which event, in which group), render.py and
typos.py (the rows as typed), exports.py (``write_event_exports``).
"""

from __future__ import annotations

from pipelines.sample.events.calibration import PROFILES
from pipelines.sample.events.exports import write_event_exports
from pipelines.sample.events.layouts import EXPO, TEMU, EventSpec
from pipelines.sample.events.rules import (
    CITY,
    LEGAL_FORMS,
    business_name_key,
    clean_text,
    group_key,
    kecamatan_key,
    msme_key,
    parse_nib,
)
from pipelines.sample.events.truth import (
    CASE_AMBIGUOUS,
    CASE_NAME,
    CASE_NIB,
    CASE_NO_PERMIT,
    CASE_SAME_NAME,
    WITH_PERMIT,
    EventTruth,
    KnownBusiness,
    ParticipantLabel,
    labelled_matches,
)

__all__ = [
    "CASE_AMBIGUOUS",
    "CASE_NAME",
    "CASE_NIB",
    "CASE_NO_PERMIT",
    "CASE_SAME_NAME",
    "CITY",
    "EXPO",
    "LEGAL_FORMS",
    "PROFILES",
    "TEMU",
    "WITH_PERMIT",
    "EventSpec",
    "EventTruth",
    "KnownBusiness",
    "ParticipantLabel",
    "business_name_key",
    "clean_text",
    "group_key",
    "kecamatan_key",
    "labelled_matches",
    "msme_key",
    "parse_nib",
    "write_event_exports",
]
