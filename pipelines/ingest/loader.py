"""Land every export file of a source into DuckDB: raw.<family> rows with provenance, rejects, a manifest.

Python finds files, reads cells and recognises layouts; DuckDB types and validates the rows in one set-based
statement per file (parse_macros.sql). Every file reconciles: rows read = rows loaded + rows rejected.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import hashlib
import itertools
import logging
import queue
import re
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import duckdb
import pyarrow as pa

from pipelines import settings
from pipelines.ingest.csv_fast import FastCsv, LandedText
from pipelines.ingest.date_order import DateOrder, decide, gather_evidence
from pipelines.ingest.headers import match_header, normalise_header
from pipelines.ingest.macros import register_macros
from pipelines.ingest.non_data import RECAP_SHEET, NonDataRows
from pipelines.ingest.readers import READ_ERRORS, SUPPORTED_SUFFIXES, Row, Sheet, read_sheets
from pipelines.ingest.spec import Family, Kind
from pipelines.ingest.typed_stages import TypedStages, day_unknown_name, form_name, landed_name, typed_stages

log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30  # title blocks above a header are never longer than this
BATCH_ROWS = 100_000  # rows per Arrow batch handed to DuckDB: bounds Python memory at national scale
# DuckDB threads while landing (_landing_threads): a sheet is typed by many small statements, each over at
# most BATCH_ROWS rows, fewer than one row group (122,880 rows, DuckDB's unit of parallel work).
LANDING_THREADS = 1

_SQL_TYPE = {
    Kind.TEXT: "VARCHAR",
    Kind.NIB: "VARCHAR",
    Kind.KBLI: "VARCHAR",
    Kind.KOPERASI_ID: "VARCHAR",
    Kind.DATE: "DATE",
    Kind.YEAR: "BIGINT",
    Kind.MONEY: "DECIMAL(20, 2)",
    Kind.INTEGER: "BIGINT",
    Kind.DECIMAL: "DOUBLE",
    Kind.PII_PHONE: "BOOLEAN",
    Kind.PII_EMAIL: "BOOLEAN",
    Kind.PII_NIK: "BOOLEAN",
}
PROVENANCE_COLUMNS = (
    ("_file_id", "VARCHAR"),
    ("_path", "VARCHAR"),
    ("_sheet", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_file_hash", "VARCHAR"),
    ("_file_date", "DATE"),
)

MANIFEST_DDL = """
CREATE TABLE IF NOT EXISTS raw.ingest_files (
    source VARCHAR, path VARCHAR, sheet VARCHAR, file_id VARCHAR, file_hash VARCHAR, size_bytes BIGINT,
    family VARCHAR, status VARCHAR, duplicate_of VARCHAR, header_row BIGINT, headerless BOOLEAN,
    file_date DATE, rows_read BIGINT, rows_blank BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
    unknown_columns VARCHAR[], missing_columns VARCHAR[], message VARCHAR, ingested_at TIMESTAMP,
    rows_skipped BIGINT, skipped_rows STRUCT(row_number BIGINT, reason VARCHAR)[],
    date_orders STRUCT(column_name VARCHAR, date_order VARCHAR, day_first_rows BIGINT,
                       month_first_rows BIGINT, ambiguous_rows BIGINT, evidence VARCHAR, certain BOOLEAN)[]
)"""
MANIFEST_COLUMNS = (
    "source",
    "path",
    "sheet",
    "file_id",
    "file_hash",
    "size_bytes",
    "family",
    "status",
    "duplicate_of",
    "header_row",
    "headerless",
    "file_date",
    "rows_read",
    "rows_blank",
    "rows_loaded",
    "rows_rejected",
    "unknown_columns",
    "missing_columns",
    "message",
    "rows_skipped",
    "skipped_rows",
    "date_orders",
)
REJECTS_DDL = """
CREATE TABLE IF NOT EXISTS raw.ingest_rejects (
    source VARCHAR, family VARCHAR, path VARCHAR, sheet VARCHAR, row_number BIGINT, column_name VARCHAR,
    rule VARCHAR, value VARCHAR, message VARCHAR, file_hash VARCHAR
)"""


def landed_columns(family: Family) -> list[tuple[str, str]]:
    columns = []
    for column in family.columns:
        if column.kind is Kind.PII_NAME:
            continue
        columns.append((landed_name(column), _SQL_TYPE[column.kind]))
        if column.day_optional:
            columns.append((day_unknown_name(column), "BOOLEAN"))
    return columns


def ensure_tables(con: duckdb.DuckDBPyConnection, families: Iterable[Family]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(MANIFEST_DDL)
    con.execute(REJECTS_DDL)
    for family in families:
        columns = [
            *PROVENANCE_COLUMNS,
            *landed_columns(family),
            ("_unparsed_columns", "VARCHAR[]"),
            ("_unparsed_values", "MAP(VARCHAR, VARCHAR)"),
        ]
        ddl = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{family.name} ({ddl})")


@dataclass
class Layout:
    family: Family
    columns: list[str | None]  # canonical name per cell position
    header_row: int | None  # 0-based index of the header row; None for a headerless file
    data_start: int  # 0-based index of the first data row
    title_lines: list[str] = field(default_factory=list)
    sub_header: Row = field(default_factory=list)  # the second row of a two-row header
    # canonical name -> the header as it appears in the file ("ID Proyek"): what messages to officials name
    headers: dict[str, str] = field(default_factory=dict)


def detect_layout(first_rows: Sequence[Row], families: Sequence[Family]) -> Layout | None:
    """The header row is the first row naming enough of one family's columns (with the row below it when
    the header is two rows deep: "Jumlah Anggota" merged over "L" / "P"); else a headerless file whose width
    is one family's standard column count."""
    for index, row in enumerate(first_rows[:HEADER_SCAN_ROWS]):
        scored = []
        for family in families:
            names = match_header(list(row), family)
            matches = sum(1 for n in names if n)
            if matches >= family.min_header_matches:
                scored.append((matches, matches / len(family.columns), family, names))
        if scored:
            _, _, family, names = max(scored, key=lambda s: (s[0], s[1]))
            titles = [" ".join(c for c in r if c) for r in first_rows[:index] if any(r)]
            below = first_rows[index + 1] if index + 1 < len(first_rows) else []
            two_row = _two_row_header(list(row), list(below), family)
            if two_row and sum(1 for n in two_row if n) > sum(1 for n in names if n):
                shown = _header_texts(two_row, _combined_header(list(row), list(below)))
                return Layout(family, two_row, index, index + 2, titles, list(below), shown)
            return Layout(family, names, index, index + 1, titles, headers=_header_texts(names, list(row)))
    first_data = next((i for i, r in enumerate(first_rows) if any(r)), None)
    if first_data is None:
        return None
    # The widest scanned row: a first record whose last cells are empty (no phone number) is still full width.
    width = max(len(_trim_trailing(r)) for r in first_rows[first_data:])
    candidates = [f for f in families if len(f.standard_order) == width]
    if not candidates:
        # A trailing column the report screen added (often all zeros): the standard columns come first.
        candidates = [
            f
            for f in families
            if len(f.standard_order) < width
            and _only_zeros_beyond(first_rows[first_data:], len(f.standard_order))
        ]
    if len(candidates) == 1:
        family = candidates[0]
        # No header in the file: messages name the column by its position, as the official sees it.
        shown = {c.name: f"kolom ke-{i + 1}" for i, c in enumerate(family.standard_order)}
        return Layout(family, [c.name for c in family.standard_order], None, first_data, headers=shown)
    return None


def _header_texts(names: Sequence[str | None], cells: Sequence[str | None]) -> dict[str, str]:
    """Canonical name -> its header cell as typed (spaces collapsed)."""
    return {
        name: " ".join(str(cell).split())
        for name, cell in zip(names, cells, strict=False)
        if name and cell and str(cell).strip()
    }


_ZERO = re.compile(r"^\s*0*([.,]0*)?\s*$")


def _only_zeros_beyond(rows: Sequence[Row], width: int) -> bool:
    return all(cell is None or _ZERO.match(cell) for row in rows for cell in row[width:])


def _two_row_header(top: Row, below: Row, family: Family) -> list[str | None] | None:
    """Names of a header whose group cells are merged over sub-headers: the group's text is carried right over
    the empty cells of its merge, then joined with the cell below ("Jumlah Anggota" + "L" ->
    jumlah_anggota_l)."""
    if not any(below):
        return None
    return match_header(_combined_header(top, below), family)


def _combined_header(top: Row, below: Row) -> list[str | None]:
    combined: list[str | None] = []
    group: str | None = None
    for position in range(max(len(top), len(below))):
        cell = top[position] if position < len(top) else None
        sub = below[position] if position < len(below) else None
        group = cell if cell else group
        combined.append(f"{group} {sub}" if sub and group else cell)
    return combined


def _trim_trailing(row: Row) -> Row:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


_TITLE_DATE = re.compile(
    r"\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}", re.IGNORECASE
)
_TITLE_MONTH = re.compile(r"[A-Za-z]+\.?\s+\d{4}")
_NAME_DAY = re.compile(r"(\d{4})[-_](\d{2})[-_](\d{2})")
_NAME_MONTH = re.compile(r"(\d{4})[-_](\d{2})(?!\d)")


def file_date(con: duckdb.DuckDBPyConnection, title_lines: Sequence[str], filename: str) -> dt.date | None:
    """The export's 'as of' date: the latest date in its title rows, else a date in its file name
    (yyyy-mm-dd; yyyy-mm means the month's last day), else the latest Indonesian date in the name."""
    candidates = [m.group(0) for line in title_lines for m in _TITLE_DATE.finditer(line)]
    dates = [d for d in (_parse_date(con, c) for c in candidates) if d]
    if dates:
        return max(dates)
    # "Keadaan s.d. Juni 2024": a month without a day means the month's end.
    months = [m.group(0) for line in title_lines for m in _TITLE_MONTH.finditer(line)]
    month_starts = [d for d in (_parse_month_year(con, c) for c in months) if d]
    if month_starts:
        start = max(month_starts)
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    stem = Path(filename).stem
    if match := _NAME_DAY.search(stem):
        return _parse_date(con, "-".join(match.groups()))
    if match := _NAME_MONTH.search(stem):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
    dates = [
        d for d in (_parse_date(con, m.group(0)) for m in _TITLE_DATE.finditer(stem.replace("_", " "))) if d
    ]
    return max(dates) if dates else None


def _parse_date(con: duckdb.DuckDBPyConnection, text: str) -> dt.date | None:
    return con.execute("SELECT umkm_parse_date(?)", [text]).fetchall()[0][0]


def _parse_month_year(con: duckdb.DuckDBPyConnection, text: str) -> dt.date | None:
    return con.execute("SELECT umkm_parse_month_year(?)", [text]).fetchall()[0][0]


# Outcomes that depend on a file's content alone: an incremental landing reuses such a file's rows. Not
# "unreadable" (the cause may pass: a file still being copied), nor "duplicate"/"unsupported" (recorded
# afresh each time).
REUSABLE_STATUSES = frozenset({"ingested", "unrecognised", "empty", "skipped"})


@dataclass
class FileReport:
    path: str
    sheet: str | None
    status: str  # ingested | duplicate | unrecognised | unreadable | unsupported | empty | skipped
    family: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    message: str = ""
    rows_skipped: int = 0
    reused: bool = False  # an unchanged file of an incremental landing: its earlier rows kept, not read again
    fast_csv: bool = False  # its text landed through DuckDB (csv_fast.py), not Python cells


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_COPY_SUFFIX = re.compile(r"\s*\(\d+\)(?=\.[^.]+$)")


def source_files(source_dir: Path) -> list[Path]:
    if not source_dir.is_dir():
        return []
    files = [
        p
        for p in source_dir.rglob("*")
        if p.is_file() and not p.name.startswith(("~$", ".")) and p.name.lower() != "readme.md"
    ]
    # "laporan (1).xlsx" is the re-upload of "laporan.xlsx": list the original first so the copy is the one
    # skipped (a plain string sort would put "laporan (1).xlsx" first: " " sorts before ".").
    return sorted(
        files,
        key=lambda p: (_COPY_SUFFIX.sub("", p.as_posix()), bool(_COPY_SUFFIX.search(p.name)), p.as_posix()),
    )


@contextmanager
def _landing_threads(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """LANDING_THREADS for the landing, the connection's own setting again afterwards. A statement over less
    than a row group runs in one thread whatever the setting: a second one only waits for work, which cost
    CPU and time on the 2-core machine (N=0.03 national sample, 108 files: 35.6 s CPU with 2 threads, 27.3 s
    with 1)."""
    previous = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute(f"SET threads = {LANDING_THREADS}")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(previous)}")


@dataclass(frozen=True)
class _ToLand:
    """A file whose rows are to be landed, and its manifest values (path, hash, id, size)."""

    path: Path
    base: dict


class SourceLoader:
    """Loads all files of one source folder; one instance per source per refresh."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        raw_dir: Path,
        source: str,
        families: Sequence[Family],
        *,
        fast_csv: bool = True,
    ):
        self.con = con
        self.fast_csv = fast_csv  # False: every CSV through Python cells (tests compare the two paths)
        self.raw_dir = raw_dir
        self.source = source
        self.families = list(families)
        self.seen_hashes: dict[str, str] = {}
        register_macros(con)
        ensure_tables(con, self.families)

    def load_all(self, *, reuse: bool = False) -> list[FileReport]:
        """Land every file of the source folder. With ``reuse`` (incremental landing) the tables already hold
        an earlier landing of this source by this same code: a file landed then under the same path with the
        same SHA-256, as the first file of its content, keeps its rows, rejects and manifest rows and is not
        read again; the rows of every other file (removed, changed, now a duplicate, or unreadable then) are
        deleted, and those files land as in a full landing. Files are visited in the same order either way,
        so the duplicate-upload rule picks the same file."""
        with _landing_threads(self.con):
            return self._load_all(reuse)

    def _load_all(self, reuse: bool) -> list[FileReport]:
        paths = source_files(self.raw_dir / self.source)
        hashes = {path: sha256_of(path) for path in paths}
        kept = self._reusable(paths, hashes) if reuse else {}
        claimed: dict[Path, list[FileReport] | _ToLand] = {}
        for path in paths:
            key = (path.relative_to(self.raw_dir).as_posix(), hashes[path])
            if key in kept and key[1] not in self.seen_hashes:
                self.seen_hashes[key[1]] = key[0]
                claimed[path] = kept[key]
            else:
                claimed[path] = self._claim(path, hashes[path])
        to_land = [item for item in claimed.values() if isinstance(item, _ToLand)]
        landed = dict(zip((item.path for item in to_land), self._land_files(to_land), strict=True))
        return [report for path in paths for report in landed.get(path, claimed[path])]

    def _reusable(
        self, paths: Sequence[Path], hashes: dict[Path, str]
    ) -> dict[tuple[str, str], list[FileReport]]:
        """(path, hash) -> the earlier landing's reports of each file that keeps its rows; the rows of every
        other file of this source are deleted."""
        earlier = self._landed_before()
        kept: dict[tuple[str, str], list[FileReport]] = {}
        first_of_content: set[str] = set()
        for path in paths:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue  # never takes part in the duplicate rule (load_file)
            key = (path.relative_to(self.raw_dir).as_posix(), hashes[path])
            if key[1] in first_of_content:
                continue  # a re-upload: recorded as a duplicate again below
            first_of_content.add(key[1])
            if key in earlier:
                kept[key] = earlier[key]
        self._delete_landed_except(set(kept))
        return kept

    def _landed_before(self) -> dict[tuple[str, str], list[FileReport]]:
        """(path, hash) -> manifest rows of the files an earlier landing read whole: a file's rows are reused
        only when every sheet ended in a state that depends on its content alone."""
        rows = self.con.execute(
            "SELECT path, file_hash, sheet, status, family, rows_read, rows_loaded, rows_rejected, message, "
            "rows_skipped FROM raw.ingest_files WHERE source = ? ORDER BY rowid",
            [self.source],
        ).fetchall()
        landed: dict[tuple[str, str], list[FileReport]] = {}
        for path, file_hash, sheet, status, family, read, loaded, rejected, message, skipped in rows:
            report = FileReport(
                path, sheet, status, family, read, loaded, rejected, message or "", skipped, reused=True
            )
            landed.setdefault((path, file_hash), []).append(report)
        return {
            key: reports
            for key, reports in landed.items()
            if all(r.status in REUSABLE_STATUSES for r in reports)
        }

    def _delete_landed_except(self, kept: set[tuple[str, str]]) -> None:
        """Remove this source's rows, rejects and manifest rows of every file not in ``kept``, in one
        transaction (the manifest never names rows that are gone)."""
        self.con.execute("CREATE OR REPLACE TEMP TABLE kept_files (path VARCHAR, file_hash VARCHAR)")
        if kept:
            self.con.executemany("INSERT INTO kept_files VALUES (?, ?)", sorted(kept))
        self.con.execute("BEGIN TRANSACTION")
        try:
            for family in self.families:
                self.con.execute(
                    f"DELETE FROM raw.{family.name} t WHERE NOT EXISTS (SELECT 1 FROM kept_files k "
                    "WHERE k.path = t._path AND k.file_hash = t._file_hash)"
                )
            for table in ("ingest_rejects", "ingest_files"):
                self.con.execute(
                    f"DELETE FROM raw.{table} t WHERE t.source = ? AND NOT EXISTS "
                    "(SELECT 1 FROM kept_files k WHERE k.path = t.path AND k.file_hash = t.file_hash)",
                    [self.source],
                )
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        self.con.execute("DROP TABLE kept_files")

    def load_file(self, path: Path, file_hash: str | None = None) -> list[FileReport]:
        """Land one file. A file with the same content as one this loader has already seen is not landed:
        it is recorded as a duplicate."""
        claimed = self._claim(path, file_hash or sha256_of(path))
        return claimed if isinstance(claimed, list) else self._land_file(claimed)

    def _claim(self, path: Path, file_hash: str) -> list[FileReport] | _ToLand:
        """The manifest row of a file that is not landed (unsupported, a duplicate of an earlier file of the
        source), or the file to land."""
        relative = path.relative_to(self.raw_dir).as_posix()
        base = {
            "path": relative,
            "file_hash": file_hash,
            "file_id": file_hash[:16],
            "size": path.stat().st_size,
        }
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            return [
                self._record(base, None, "unsupported", message=f"jenis berkas {path.suffix} tidak didukung")
            ]
        if file_hash in self.seen_hashes:
            first = self.seen_hashes[file_hash]
            return [
                self._record(
                    base,
                    None,
                    "duplicate",
                    duplicate_of=first,
                    message=f"isi berkas sama persis dengan {first}; dilewati",
                )
            ]
        self.seen_hashes[file_hash] = relative
        return _ToLand(path, base)

    def _land_files(self, files: Sequence[_ToLand]) -> list[list[FileReport]]:
        """Each file's reports, in the order given, landed settings.LANDING_FILES_AT_ONCE at a time, each by
        its own thread on its own connection to the build file (a DuckDB cursor: its own transaction and temp
        tables). A file's statements use one DuckDB thread, and DuckDB lets go of Python's GIL while it runs
        them, so a second file keeps the other core busy, reading cells in Python or typing in DuckDB: the
        bundled sample's permits land in ~14.5 s instead of ~21 s on 2 cores (docs/scale.md, tenth run).
        Which file is a duplicate of which was decided before, in file order (_claim), so what lands does not
        depend on which file finishes first; the order rows are appended in does.

        When a file fails, no further file starts; the one in progress beside it ends (its own transaction)
        and the failure is raised. An interrupt of this thread (Ctrl-C, Dagster's termination) interrupts
        both files' statements."""
        workers = min(settings.LANDING_FILES_AT_ONCE, len(files))
        if workers < 2:
            return [self._land_file(item) for item in files]
        idle: queue.SimpleQueue[SourceLoader] = queue.SimpleQueue()
        cursors = [self.con.cursor() for _ in range(workers)]
        for cursor in cursors:
            idle.put(self._on(cursor))
        failed = threading.Event()

        def land(item: _ToLand) -> list[FileReport] | None:
            if failed.is_set():
                return None  # not started: the failure is raised from its own file
            loader = idle.get()
            try:
                return loader._land_file(item)
            except BaseException:
                failed.set()
                raise
            finally:
                idle.put(loader)

        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"land-{self.source}")
        try:
            futures = [pool.submit(land, item) for item in files]
            reports = [future.result() for future in futures]
        except BaseException:
            if not failed.is_set():  # raised in this thread, not by a file: stop what runs
                failed.set()
                for cursor in cursors:
                    cursor.interrupt()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            for cursor in cursors:
                cursor.close()
        # A file returns None only when it did not start because another failed first, and the loop above
        # raised that failure on reaching it: whatever gets here landed.
        return cast("list[list[FileReport]]", reports)

    def _on(self, con: duckdb.DuckDBPyConnection) -> SourceLoader:
        """This loader on another connection to the same database, for another thread."""
        other = copy.copy(self)
        other.con = con
        return other

    def _land_file(self, item: _ToLand) -> list[FileReport]:
        path, base = item.path, item.base
        relative = base["path"]
        # One transaction per file: a file that fails halfway leaves nothing behind but its "unreadable" row,
        # so every file still reconciles (rows read = loaded + rejected).
        self.con.execute("BEGIN TRANSACTION")
        try:
            reports = [self._load_sheet(base, sheet) for sheet in read_sheets(path)]
        except READ_ERRORS as error:  # a corrupt workbook must not stop the other files
            self.con.execute("ROLLBACK")
            log.exception("cannot read %s", relative)
            return [self._record(base, None, "unreadable", message=f"berkas tidak dapat dibaca: {error}")]
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        return reports

    def _load_sheet(self, base: dict, source: Sheet) -> FileReport:
        sheet, rows = source.name or None, source.rows
        first_rows = list(itertools.islice(rows, HEADER_SCAN_ROWS))
        if not any(any(r) for r in first_rows):
            return self._record(base, sheet, "empty", message="lembar kosong")
        layout = detect_layout(first_rows, self.families)
        all_rows = itertools.chain(first_rows, rows)
        if layout is None:
            if sheet and RECAP_SHEET.match(sheet):
                return self._record(
                    base,
                    sheet,
                    "skipped",
                    message="lembar rekap di samping data: dilewati, bukan data per baris",
                )
            return self._reject_sheet(base, sheet, all_rows)
        as_of = file_date(self.con, layout.title_lines, base["path"])
        # Decided before a row is landed: the fast path reads and checks the whole file first.
        fast = self._fast_csv(source)
        landed = self._land_text(layout, all_rows) if fast is None else self._land_fast(layout, fast)
        try:
            loaded, rejected, orders = self._type_and_store(layout, base, sheet, as_of)
        finally:
            self.con.execute("DROP TABLE IF EXISTS landing_text; DROP TABLE IF EXISTS normalised_rows")
        if landed.read != loaded + rejected:
            raise AssertionError(
                f"{base['path']} [{sheet}]: {landed.read} read != {loaded} loaded + {rejected} rejected"
            )
        known = {normalise_header(n) for n in layout.columns if n}
        missing = [c.name for c in layout.family.columns if normalise_header(c.name) not in known]
        report = self._record(
            base,
            sheet,
            "ingested",
            family=layout.family.name,
            header_row=layout.header_row,
            file_date=as_of,
            rows_read=landed.read,
            rows_blank=landed.blank,
            rows_loaded=loaded,
            rows_rejected=rejected,
            unknown=self._unknown_columns(layout, first_rows, landed.unnamed_with_data),
            missing=missing,
            skipped=landed.skipped,
            date_orders=list(orders.values()),
        )
        report.fast_csv = fast is not None
        return report

    def _fast_csv(self, source: Sheet) -> FastCsv | None:
        if not self.fast_csv or source.path is None or source.dialect is None:
            return None
        try:
            fast = FastCsv.open(self.con, source.path, source.dialect)
        except duckdb.Error:
            # The error aborted the file's transaction, which holds nothing yet (a CSV is one sheet and none
            # of its rows is landed before this): start it again and read the file the Python way.
            log.warning(
                "%s: DuckDB could not read it; the Python CSV path instead", source.path, exc_info=True
            )
            self.con.execute("ROLLBACK")
            self.con.execute("BEGIN TRANSACTION")
            return None
        if fast is not None and isinstance(source.rows, Generator):
            source.rows.close()  # the Python reader's file: only its first rows were needed
        return fast

    @staticmethod
    def _unknown_columns(layout: Layout, first_rows: Sequence[Row], unnamed_with_data: set[int]) -> list[str]:
        """Header cells the family does not know, and columns without a header that hold values."""
        header = first_rows[layout.header_row] if layout.header_row is not None else []
        unknown = []
        for position in sorted(
            {p for p, n in enumerate(layout.columns) if not n and p < len(header) and header[p]}
            | unnamed_with_data
        ):
            cell = header[position] if position < len(header) else None
            unknown.append(cell if cell else f"(kolom {position + 1} tanpa judul)")
        return unknown

    def _create_landing_text(self, layout: Layout) -> tuple[list[tuple[int, str]], NonDataRows]:
        """The empty temp table landing_text (_row_number, one VARCHAR per named column); returns the named
        positions and the sheet's non-data rule."""
        positions = [(i, name) for i, name in enumerate(layout.columns) if name]
        key_positions = [i for i, name in positions if layout.family.column(name).required]
        columns = ", ".join(f'"{name}" VARCHAR' for _, name in positions)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE landing_text (_row_number BIGINT, {columns})")
        return positions, NonDataRows(layout.family, key_positions, layout.sub_header)

    def _land_fast(self, layout: Layout, fast: FastCsv) -> LandedText:
        """landing_text from DuckDB's reading of the CSV (csv_fast.py): the same rows as _land_text."""
        positions, non_data = self._create_landing_text(layout)
        try:
            return fast.land(layout.data_start, len(layout.columns), positions, non_data)
        finally:
            fast.close()

    def _land_text(self, layout: Layout, rows: Iterator[Row]) -> LandedText:
        """Store the sheet's data rows as text in the temp table landing_text, batch by batch (memory stays
        bounded whatever the file's size); non-data rows are skipped with their reason, blank rows counted."""
        positions, non_data = self._create_landing_text(layout)
        named = {i for i, _ in positions}
        landed = LandedText()
        batch: list[tuple[int, Row]] = []
        for index, row in enumerate(rows):
            if index < layout.data_start:
                continue
            if not any(row):
                landed.blank += 1
                continue
            reason = non_data.reason(row)
            if reason:
                landed.skipped.append((index + 1, reason))
                continue
            landed.read += 1
            if len(row) > len(layout.columns) or None in layout.columns:
                landed.unnamed_with_data.update(
                    p for p, cell in enumerate(row) if cell is not None and p not in named
                )
            batch.append((index + 1, row))
            if len(batch) >= BATCH_ROWS:
                self._append_text(positions, batch)
                batch = []
        if batch:
            self._append_text(positions, batch)
        return landed

    def _append_text(self, positions: list[tuple[int, str]], batch: list[tuple[int, Row]]) -> None:
        arrays = {"_row_number": pa.array([n for n, _ in batch], pa.int64())}
        for position, name in positions:
            arrays[name] = pa.array(
                [row[position] if position < len(row) else None for _, row in batch], pa.string()
            )
        self.con.register("landing_batch", pa.table(arrays))
        try:
            self.con.execute("INSERT INTO landing_text SELECT * FROM landing_batch")
        finally:
            self.con.unregister("landing_batch")

    def _decide_date_orders(self, layout: Layout) -> dict[str, DateOrder]:
        """The date orders from the normalised stage (normalised_rows): each date column's date text and the
        NIB's digits, as computed once for the typing."""
        present = {name for name in layout.columns if name}
        dates = {
            c.name: form_name(c, "date_text")
            for c in layout.family.columns
            if c.kind is Kind.DATE and c.name in present
        }
        nib = next(
            (c for c in layout.family.columns if c.kind is Kind.NIB and c.name in present),
            None,
        )
        nib_digits = form_name(nib, "digits") if nib else None
        evidence, nib_order = gather_evidence(self.con, "normalised_rows", dates, nib_digits)
        return decide(evidence, nib_order)

    def _type_and_store(
        self,
        layout: Layout,
        base: dict,
        sheet: str | None,
        as_of: dt.date | None,
    ) -> tuple[int, int, dict[str, DateOrder]]:
        """Type the landed text in DuckDB: every row normalised first (the date orders are decided from
        those forms), then parsed and checked a row-number range at a time; loaded rows to raw.<family>, rows
        without their own identity to rejects. Returns (rows loaded, rows rejected, the date orders)."""
        family = layout.family
        present = {n for n in layout.columns if n}
        ranges = self._row_ranges()
        self._normalise(typed_stages(family, present), ranges)
        orders = self._decide_date_orders(layout)
        month_first = {name for name, order in orders.items() if order.month_first}
        stages = typed_stages(family, present, month_first, layout.headers)
        loaded = rejected = 0
        for where in ranges:
            ok, bad = self._store_range(family, stages, where, base, sheet, as_of)
            loaded, rejected = loaded + ok, rejected + bad
        return loaded, rejected, orders

    def _row_ranges(self) -> list[str]:
        """landing_text's rows in ranges of BATCH_ROWS, as conditions on _row_number; one range over no rows
        for a header-only export (an empty month), so that its normalised stage exists all the same."""
        bounds = self.con.execute(
            "SELECT _row_number FROM (SELECT _row_number, row_number() OVER (ORDER BY _row_number) - 1 AS i "
            f"FROM landing_text) WHERE i % {BATCH_ROWS} = 0 ORDER BY 1"
        ).fetchall()
        starts = [b[0] for b in bounds]
        if not starts:
            return ["true"]
        ends = [*starts[1:], None]
        return [
            f"_row_number >= {start}" + (f" AND _row_number < {end}" if end is not None else "")
            for start, end in zip(starts, ends, strict=True)
        ]

    def _normalise(self, stages: TypedStages, ranges: Sequence[str]) -> None:
        """normalised_rows: stages 1 and 2 of every landed row, a range at a time (each stage materialised, so
        that every normalised form is computed once per cell, typed_stages.py); landing_text then goes."""
        for index, where in enumerate(ranges):
            plain = f"SELECT {stages.plain} FROM landing_text WHERE {where}"
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE plain_rows AS {plain}")
            into = (
                "INSERT INTO normalised_rows" if index else "CREATE OR REPLACE TEMP TABLE normalised_rows AS"
            )
            self.con.execute(f"{into} SELECT {stages.normalised} FROM plain_rows")
            self.con.execute("DROP TABLE plain_rows")
        self.con.execute("DROP TABLE landing_text")

    def _store_range(
        self,
        family: Family,
        stages: TypedStages,
        where: str,
        base: dict,
        sheet: str | None,
        as_of: dt.date | None,
    ) -> tuple[int, int]:
        # Each stage materialised, so that every normalised form is computed once per cell (typed_stages.py).
        steps = (
            ("parsed_rows", f"SELECT {stages.parse} FROM normalised_rows WHERE {where}"),
            ("typed_rows", f"SELECT {stages.check} FROM parsed_rows"),
        )
        for table, select in steps:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select}")
        self.con.execute("DROP TABLE parsed_rows")
        provenance = "?, ?, ?, _row_number, ?, ?"
        params = [base["file_id"], base["path"], sheet, base["file_hash"], as_of]
        columns = ", ".join(f'"{name}"' for name, _ in landed_columns(family))
        self.con.execute(
            f"INSERT INTO raw.{family.name} SELECT {provenance}, {columns}, _unparsed_columns, "
            "_unparsed_values FROM typed_rows WHERE _reject_column IS NULL",
            params,
        )
        self.con.execute(
            """INSERT INTO raw.ingest_rejects
                SELECT ?, ?, ?, ?, t._row_number, t._reject_column, t._reject_rule, t._reject_value,
                       t._reject_message, ?
                FROM typed_rows t WHERE t._reject_column IS NOT NULL""",
            [self.source, family.name, base["path"], sheet, base["file_hash"]],
        )
        counts = self.con.execute(
            "SELECT count(*) FILTER (_reject_column IS NULL), count(*) FILTER (_reject_column IS NOT NULL) "
            "FROM typed_rows"
        ).fetchall()[0]
        self.con.execute("DROP TABLE typed_rows")
        return int(counts[0]), int(counts[1])

    def _reject_sheet(self, base: dict, sheet: str, rows: Iterator[Row]) -> FileReport:
        """No family recognised: every non-blank row goes to rejects, so nothing disappears silently."""
        names = ", ".join(f.name for f in self.families)
        message = f"tata letak tidak dikenali: baris judul kolom tidak cocok dengan {names}"
        rejects = [
            (
                self.source,
                None,
                base["path"],
                sheet,
                i + 1,
                None,
                "layout_unrecognised",
                None,
                message,
                base["file_hash"],
            )
            for i, row in enumerate(rows)
            if any(row)
        ]
        if rejects:
            self.con.executemany(
                "INSERT INTO raw.ingest_rejects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rejects
            )
        log.warning("%s [%s]: %s", base["path"], sheet, message)
        return self._record(
            base, sheet, "unrecognised", rows_read=len(rejects), rows_rejected=len(rejects), message=message
        )

    def _record(
        self,
        base: dict,
        sheet: str | None,
        status: str,
        *,
        family: str | None = None,
        duplicate_of: str | None = None,
        header_row: int | None = None,
        file_date: dt.date | None = None,
        rows_read: int = 0,
        rows_blank: int = 0,
        rows_loaded: int = 0,
        rows_rejected: int = 0,
        unknown: Sequence[str] = (),
        missing: Sequence[str] = (),
        message: str = "",
        skipped: Sequence[tuple[int, str]] = (),
        date_orders: Sequence[DateOrder] = (),
    ) -> FileReport:
        values = [
            self.source,
            base["path"],
            sheet,
            base["file_id"],
            base["file_hash"],
            base["size"],
            family,
            status,
            duplicate_of,
            None if header_row is None else header_row + 1,
            status == "ingested" and header_row is None,
            file_date,
            rows_read,
            rows_blank,
            rows_loaded,
            rows_rejected,
            list(unknown),
            list(missing),
            message,
            len(skipped),
            [{"row_number": row, "reason": reason} for row, reason in skipped],
            [order.as_row() for order in date_orders],
        ]
        self.con.execute(
            f"INSERT INTO raw.ingest_files ({', '.join(MANIFEST_COLUMNS)}, ingested_at) "
            f"VALUES ({', '.join(['?'] * len(MANIFEST_COLUMNS))}, now())",
            values,
        )
        return FileReport(
            base["path"], sheet, status, family, rows_read, rows_loaded, rows_rejected, message, len(skipped)
        )
