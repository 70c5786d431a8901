"""The hard labelled participant list (issue 15): rows typed by hand against the Balikpapan sample's
registered
businesses, each with the answer written by hand (hard_participants.csv), and how the matcher does on it.

The list is landed by the real loader into a copy of a built warehouse and only the event models are rebuilt
(`build_hard_set`), so the matcher can be measured in seconds, with any dbt project (the committed one, to
measure "before") and any vars.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import xlsxwriter

from pipelines.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR
from pipelines.ingest.events import FAMILIES
from pipelines.ingest.loader import SourceLoader
from pipelines.sample.events import EXPO

FIXTURE = Path(__file__).with_name("hard_participants.csv")
EVENT_NAME = "Uji Daftar Peserta Ketik Tangan"
EVENT_FILE = "Daftar Hadir Uji Ketik Tangan 2025.xlsx"
SHEET = "Peserta"
FIRST_ROW = 2  # the header on Excel row 2, data from row 3
SELECTION = (
    "event_name_variants path:models/staging/events path:models/intermediate/events path:models/marts/events"
)
# Rows that no string rule can find: excluded from recall (the "other trading names").
OTHER_NAME = "other_trading_name"
LOOK_ALIKE = "not_registered_look_alike"
CATEGORIES = (
    "exact_name",
    "hand_typed_variant",
    "loose_kecamatan",
    "nib_typed_with_errors",
    LOOK_ALIKE,
    OTHER_NAME,
)


@dataclass(frozen=True)
class HardRow:
    category: str
    nama_usaha: str
    kecamatan: str
    nib: str
    expected_nib: str | None  # None: not registered (or not findable by name: other trading name)
    note: str


def hard_rows() -> list[HardRow]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return [
            HardRow(
                r["category"], r["nama_usaha"], r["kecamatan"], r["nib"], r["expected_nib"] or None, r["note"]
            )
            for r in csv.DictReader(handle)
        ]


def excel_row(index: int) -> int:
    return FIRST_ROW + 1 + index


def write_hard_list(folder: Path, rows: list[HardRow]) -> Path:
    """The list as the office would send it: an info sheet, the Expo's participant layout, text cells."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / EVENT_FILE
    workbook = xlsxwriter.Workbook(str(path))
    info = workbook.add_worksheet("Info")
    for col, value in enumerate(
        ("Nama Kegiatan", "Tanggal Mulai", "Tanggal Selesai", "Tempat", "Penyelenggara")
    ):
        info.write_string(0, col, value)
    info.write_string(1, 0, EVENT_NAME)
    info.write_datetime(1, 1, dt.datetime(2025, 3, 4), workbook.add_format({"num_format": "dd/mm/yyyy"}))
    info.write_string(1, 3, "Dome Balikpapan")
    sheet = workbook.add_worksheet(SHEET)
    for col, value in enumerate(EXPO.participant_header):
        sheet.write_string(FIRST_ROW - 1, col, value)
    for index, row in enumerate(rows):
        cells = (str(index + 1), row.nama_usaha, "", "Uji", "", "", row.kecamatan, row.nib)
        for col, value in enumerate(cells):
            if value:
                sheet.write_string(excel_row(index) - 1, col, value)
    workbook.close()
    return path


def build_hard_set(
    base: Path, work: Path, project_dir: Path | None = None, dbt_vars: dict | None = None
) -> Path:
    """Copy the built warehouse `base`, land the hard list into it, rebuild the event models (returned)."""
    work.mkdir(parents=True, exist_ok=True)
    database = work / "warehouse.duckdb"
    shutil.copyfile(base, database)
    database.chmod(0o644)
    raw = work / "raw"
    path = write_hard_list(raw / "events", hard_rows())
    with duckdb.connect(str(database)) as con:
        SourceLoader(con, raw, "events", FAMILIES).load_file(path)
    _dbt_build(database, {"region_code": "64.71", **(dbt_vars or {})}, work, project_dir or DBT_PROJECT_DIR)
    return database


def _dbt_build(database: Path, dbt_vars: dict, work: Path, project_dir: Path) -> None:
    """tests/dbt_build.py's build, for any copy of the dbt project (the committed one measures "before")."""
    result = subprocess.run(
        [DBT_EXECUTABLE, "build", "--select", SELECTION, "--vars", json.dumps(dbt_vars),
         "--profiles-dir", str(project_dir), "--project-dir", str(project_dir),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        cwd=project_dir, capture_output=True, text=True, timeout=600,
        env={**os.environ, "UMKM_WAREHOUSE_PATH": str(database), "DO_NOT_TRACK": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]


def outcomes(database: Path) -> dict[int, tuple[str, str | None]]:
    """Excel row -> (match_method, matched NIB) for every row of the hard list."""
    with duckdb.connect(str(database), read_only=True) as con:
        found = con.execute(
            """SELECT listing.source_row, matched.match_method, matched.matched_nib
               FROM staging.stg_events__participants AS listing
               JOIN intermediate.int_event_participants_matched AS matched USING (event_id, msme_key)
               WHERE listing.source_path LIKE ?""",
            [f"%{EVENT_FILE}"],
        ).fetchall()
    return {row: (method, nib) for row, method, nib in found}


@dataclass
class Tally:
    rows: int = 0
    right: int = 0
    wrong: int = 0
    review: int = 0
    none: int = 0
    findable: int = 0  # rows with a registered business a string rule can find

    @property
    def recall(self) -> float | None:
        return self.right / self.findable if self.findable else None


def score(database: Path) -> tuple[dict[str, Tally], list[str]]:
    """Per category: right / wrong links, review, none; and one line per row not answered as written."""
    got = outcomes(database)
    tallies = {category: Tally() for category in CATEGORIES}
    misses: list[str] = []
    for index, row in enumerate(hard_rows()):
        method, nib = got.get(excel_row(index), ("missing", None))
        tally = tallies[row.category]
        tally.rows += 1
        tally.findable += row.expected_nib is not None and row.category != OTHER_NAME
        if nib is not None and nib == row.expected_nib:
            tally.right += 1
            continue
        if nib is not None:
            tally.wrong += 1
        elif method == "ambiguous":
            tally.review += 1
        else:
            tally.none += 1
        misses.append(
            f"{row.category}: {row.nama_usaha!r} ({row.kecamatan}) -> {method} {nib}, want {row.expected_nib}"
        )
    return tallies, misses


def overall(tallies: dict[str, Tally]) -> tuple[float, float, int]:
    """(precision, recall without other trading names, rows sent to review)."""
    total = Counter()
    for tally in tallies.values():
        total.update(
            {"right": tally.right, "wrong": tally.wrong, "review": tally.review, "findable": tally.findable}
        )
    links = total["right"] + total["wrong"]
    return total["right"] / links if links else 1.0, total["right"] / total["findable"], total["review"]


def table(tallies: dict[str, Tally]) -> str:
    lines = [
        "| kind of row | rows | right | wrong | review | none | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for category, t in tallies.items():
        recall = "-" if t.recall is None else f"{t.recall:.2f}"
        lines.append(f"| {category} | {t.rows} | {t.right} | {t.wrong} | {t.review} | {t.none} | {recall} |")
    precision, recall, review = overall(tallies)
    lines.append(f"precision {precision:.3f}, recall {recall:.3f}, review {review}")
    return "\n".join(lines)
