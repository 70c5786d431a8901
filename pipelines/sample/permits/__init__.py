"""Sample OSS RBA permit exports (NIB, project and "List izin" lists) with the mess real DPMPTSP exports have.

``write_permit_exports`` writes one profile's files into a raw ``permits/`` folder and returns the figures the
pipeline must reproduce from them (``PermitTruth``). The truth is computed from the records actually written,
with the same rules the pipeline applies in SQL (see ``truth.compute_truth``), so changing the generator
cannot silently desynchronise the two.

What is planted: yearly exports plus overlapping quarterly, monthly and cumulative ones; one file uploaded
twice (byte-identical copy named "... (1).xlsx"); one headerless file; title rows above some headers; header
spelling variants; xlsx date cells next to day-first and Indonesian-month text dates; a Tableau download made
on a US-locale machine whose text dates are all month-first (the fourth-quarter NIB and project lists); an
export made early in the month whose slash dates are all ambiguous (day <= 12: the last month's NIB list,
where the NIBs' ddmmyy prefixes tell the order, and its permit list, where nothing does); NIBs shaped by era
(quirks.NIB_ERAS) and KBLI as numbers (leading zeros lost, at most one for a NIB); rupiah as
"Rp 1.250.000.000" text; one ';'-separated Windows-1252 CSV from Indonesian Excel; loosely spelled places; a
few businesses outside the region; a handful of invalid rows (quirks.PERMIT_INVALID_ROWS: those without their
own identity are counted in ``rows_rejected``, the others land with a gap and belong to businesses outside
the region). ``plan.py`` says which file carries what.

Where things are: calibration.py (profiles: businesses per scale, e.g. the 73,000 of Balikpapan, and
registrations per year), areas.py and data/areas.json (places), kbli.py and data/kbli.csv (KBLI codes),
vocabulary.py (name parts, capital ranges), records.py and build.py (businesses, projects, permits), plan.py
(which files), layouts.py and data/headers_*.csv (header styles), render.py (cells), families.py, invalid.py
(planted invalid rows), exports.py (``write_permit_exports``), truth.py (``PermitTruth``, the rules).
"""

from __future__ import annotations

from pipelines.sample.permits.areas import BALIKPAPAN, KALTARA, NEAR_BALIKPAPAN, NEAR_KALTARA, Area, Place
from pipelines.sample.permits.calibration import PROFILES, PermitProfile
from pipelines.sample.permits.exports import write_permit_exports
from pipelines.sample.permits.kbli import KBLI_CODES, Kbli
from pipelines.sample.permits.truth import SCALE_KEYS, SCALES, PermitTruth

__all__ = [
    "BALIKPAPAN",
    "KALTARA",
    "KBLI_CODES",
    "NEAR_BALIKPAPAN",
    "NEAR_KALTARA",
    "PROFILES",
    "SCALES",
    "SCALE_KEYS",
    "Area",
    "Kbli",
    "PermitProfile",
    "PermitTruth",
    "Place",
    "write_permit_exports",
]
