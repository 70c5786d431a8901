"""Sample cooperative registry exports and health-assessment files for Kota Balikpapan and Kalimantan Utara.

``write_cooperative_exports`` writes one profile's files into a raw ``cooperatives/`` folder and returns the
figures the pipeline must reproduce (``CooperativeTruth``). The truth is computed from the cells actually
written, with the rules of docs/cooperatives.md (``compute_truth``), and checked against the published
figures (``CALIBRATION``, from domain.md): a change that breaks them fails at generation time.
Seeded and deterministic: the same seed gives byte-identical files.

What is planted (``layouts.FILES`` says which file carries what): one registry export per data update with
its own header spellings and column order; the update date in a title row, in the file name only, or in a
``Tgl Pemutakhiran`` column; xlsx numbers and dates next to dd/mm/yyyy, dd/mm/yy, ISO and "26 Juli 1998" text;
rupiah as "Rp 1.250.000.000" / "(Rp 2.350.000)" text; one ';'-separated Windows-1252 CSV (en dashes in
addresses) and one UTF-8 CSV with a BOM; Nomor Induk Koperasi as xlsx numbers, as text and with spaces;
loosely spelled kecamatan, kab/kota, jenis and status; blank status (about 7%) so that the RAT rule decides;
RAT given only as Tanggal RAT; values as offices type them (issue 16, tables in quirks.py: "TDK AKTIF",
"Pasif", "aktif (RAT 2023)", "KSP", "Kop. Konsumen", "Primer Kota", "Kota Bpp", "Kodya Balikpapan", "TB 2023",
"12 Mrt 2024", "1,2 M", "850 jt", "12 orang"), each read by the rules as the class it was written for;
non-data rows (column numbers "(1) ... (n)", the header repeated on a second printed page, "JUMLAH HAL. n",
"TOTAL"/"JUMLAH", "Sumber:"/"Keterangan:" notes) and a "Rekap" sheet beside the data, none of them a record;
an exact duplicate row; invalid cooperative numbers (blank, "-", "6,47102E+15", 15 or 17 digits, a letter O,
"BELUM ADA"), counted in ``rows_rejected``; history between updates (new, dissolved, became inactive,
reactivated, moved kecamatan, changed jenis, started digital reporting); health assessments with blank
predikat decided by the score bands, band-edge means, assessor categories that disagree with the scores, and
legacy five-class labels in 2023.

Where things are:

- calibration.py: the published figures (587 registered, 440 active, ...) and the profile names
- data/groups.csv, data/regions.json, regions.py: the plan of each register (groups by status and RAT year,
  history between updates); data/places.json, places.py: kab/kota, kecamatan, kelurahan, streets;
  data/vocabulary.json, vocabulary.py: code lists and names as exports spell them
- layouts.py, data/headers.json: the files of each profile, their header layouts and cell styles
- build.py (one cooperative), plan.py (the register, its history, snapshots), health.py (assessments)
- render.py (a cooperative's cells), spellings.py (values as offices type them), sheets.py (non-data rows,
  recap sheet, writing a file), exports.py (``write_cooperative_exports``)
- rules.py (the rules as the oracle) and truth.py (``compute_truth``: the figures counted from the cells)
"""

from __future__ import annotations

from pipelines.sample.cooperatives.calibration import (
    CALIBRATION,
    COOP_PROFILES,
    HEALTH_KEYS,
    JENIS_KEYS,
    UNKNOWN_DISTRICT,
)
from pipelines.sample.cooperatives.exports import write_cooperative_exports
from pipelines.sample.cooperatives.rules import is_active, rat_book_year, spelling_classes
from pipelines.sample.cooperatives.truth import CooperativeTruth, compute_truth

__all__ = [
    "CALIBRATION",
    "COOP_PROFILES",
    "HEALTH_KEYS",
    "JENIS_KEYS",
    "UNKNOWN_DISTRICT",
    "CooperativeTruth",
    "compute_truth",
    "is_active",
    "rat_book_year",
    "spelling_classes",
    "write_cooperative_exports",
]
