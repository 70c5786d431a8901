"""Rows and sheets that are not records: recognised and skipped (listed in the manifest), never rejected.

Offices' registers carry a row of column numbers under the header ("(1) (2) ... (29)"), the header repeated on
every printed page, page subtotals ("JUMLAH HAL. 1"), totals, notes ("Sumber: ...", "Keterangan: ..."),
signature blocks and recap sheets beside the data. Rejecting them as bad records would bury the real problems,
so the loader skips them with a reason (``raw.ingest_files.skipped_rows``). Only a row whose own key is empty
or not a key can be skipped: a row carrying a record's identity is always loaded or rejected.

The reasons are in Indonesian: staff read them in ``umkm status`` and the manifest.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from pipelines.ingest.headers import header_lookup, match_header, normalise_header
from pipelines.ingest.spec import Family

REPEATED_HEADER = "judul kolom berulang"
COLUMN_NUMBERS = "baris nomor kolom"
TOTAL_ROW = "baris jumlah/total"
NOTE_ROW = "catatan atau tanda tangan"

# Sheets that summarise the data beside it: skipped whole when no family recognises them.
RECAP_SHEET = re.compile(
    r"^\s*(rekap|rekapitulasi|ringkasan|summary|resume|grafik|chart|pivot|diagram)", re.I
)

_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?\.?$")
# The whole cell is the label: "JUMLAH", "JUMLAH HAL. 1", "SUB TOTAL", "Total Keseluruhan", "Jumlah Kecamatan
# Balikpapan Kota" ("Total Print", a business name, is not).
_TOTAL = re.compile(
    r"^(sub\s*-?\s*total|grand\s*total|total|jumlah|jml\.?)"
    r"(\s+(hal(aman)?\.?\s*\d+|keseluruhan|seluruhnya|akhir|semua"
    r"|(kecamatan|kec\.?|kelurahan|kel\.?|desa|kabupaten|kab\.?|kota|wilayah)\b.*))?\s*:?$",
    re.I,
)
_NOTE = re.compile(
    r"^(\*|(sumber|keterangan|ket|catatan|note|nb)\s*[:.]|mengetahui\b|nip\.?\s*[:\d]|"
    r"kepala\s+(dinas|bidang|seksi)\b|a\.\s?n\.|plt\.|dicetak\b|printed\b|halaman\s+\d)",
    re.I,
)
# "Balikpapan, 15 Juli 2024" above a signature.
_PLACE_AND_DATE = re.compile(r"^[A-Za-z .'-]+,\s*\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}$")
_KEY_LIKE = re.compile(r"\d{6}")
MAX_NOTE_CELLS = 2


def _filled(row: Sequence[str | None]) -> list[str]:
    return [c.strip() for c in row if c is not None and c.strip()]


def _looks_like_header(cells: list[str], family: Family) -> bool:
    """Cheap first test for a repeated header: one of its first cells is a column name of the family."""
    lookup = header_lookup(family)
    return any(normalise_header(c) in lookup for c in cells[:3])


def _is_column_numbers(cells: list[str]) -> bool:
    if len(cells) < 3 or not (_COLUMN_NUMBER.match(cells[0]) and _COLUMN_NUMBER.match(cells[-1])):
        return False
    numbers = [_COLUMN_NUMBER.match(c) for c in cells]
    if not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers if m]
    return all(b > a for a, b in itertools.pairwise(values))


def _repeats_sub_header(row: Sequence[str | None], sub_header: Sequence[str | None]) -> bool:
    """The second row of a two-row header, repeated: its filled cells are exactly the sub-header's."""
    filled = {p: c.strip().lower() for p, c in enumerate(row) if c is not None and c.strip()}
    expected = {p: c.strip().lower() for p, c in enumerate(sub_header) if c is not None and c.strip()}
    return bool(filled) and filled == expected


def non_data_reason(
    row: Sequence[str | None],
    family: Family,
    key_positions: Sequence[int],
    sub_header: Sequence[str | None] = (),
) -> str | None:
    """Why this row is not a record of ``family`` (None: it is one, to be loaded or rejected).
    ``sub_header`` is the second row of a two-row header, if the sheet has one."""
    keys = [row[p] for p in key_positions if p < len(row) and row[p] is not None]
    if any(_KEY_LIKE.search(k) for k in keys):
        return None  # carries an identity: a record, good or bad
    cells = _filled(row)
    if not cells:
        return None
    if _looks_like_header(cells, family) and (
        sum(1 for name in match_header(list(row), family) if name) >= family.min_header_matches
    ):
        return REPEATED_HEADER
    if sub_header and _repeats_sub_header(row, sub_header):
        return REPEATED_HEADER
    if _is_column_numbers(cells):
        return COLUMN_NUMBERS
    if any(_TOTAL.match(c) for c in cells[:3]):
        return TOTAL_ROW
    if len(cells) <= MAX_NOTE_CELLS and (_NOTE.match(cells[0]) or _PLACE_AND_DATE.match(cells[0])):
        return NOTE_ROW
    return None


def continues_note(row: Sequence[str | None], key_positions: Sequence[int]) -> bool:
    """A row under a note or signature line that carries no key and at most two cells (the signer's name and
    NIP under "Kepala Dinas ..."): part of the same block, skipped with it."""
    if any(p < len(row) and row[p] is not None and row[p].strip() for p in key_positions):
        return False
    return 0 < len(_filled(row)) <= MAX_NOTE_CELLS


class NonDataRows:
    """The non-data rule over a sheet's rows in file order: each row's own reason, and the rows continuing a
    note or signature block. Both landing paths (loader.py's Python rows, csv_fast.py's SQL rows) use it, so
    the rule lives here only."""

    def __init__(self, family: Family, key_positions: Sequence[int], sub_header: Sequence[str | None] = ()):
        self.family = family
        self.key_positions = list(key_positions)
        self.sub_header = sub_header
        self.in_note = False  # the rows under a note or signature line belong to it

    def reason(self, row: Sequence[str | None]) -> str | None:
        """Why this non-blank row is not a record (None: it is one). Blank rows are not passed: they neither
        start nor end a note block."""
        reason = non_data_reason(row, self.family, self.key_positions, self.sub_header)
        if reason is None and self.in_note and continues_note(row, self.key_positions):
            reason = NOTE_ROW
        self.in_note = reason == NOTE_ROW
        return reason

    def record_seen(self) -> None:
        """A row known to be a record without asking (a key cell holds six digits in a row): what
        ``reason`` would have said, None, and the end of any note block."""
        self.in_note = False


def key_like_pattern() -> str:
    """The test that makes a row a record whatever else it holds (``_KEY_LIKE``), for SQL (RE2): ASCII digits
    only, a subset of Python's ``\\d``, so a row SQL calls a record is one for ``non_data_reason`` too."""
    return "[0-9]{6}"
