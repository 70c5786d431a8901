"""Land every export file of a source into DuckDB: raw.<family> rows with provenance, rejects, a manifest.

Python finds files, reads cells and recognises layouts; DuckDB types and validates the rows in one set-based
statement per file (parse_macros.sql). Every file reconciles: rows read = rows loaded + rows rejected.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.ingest.headers import match_header, normalise_header
from pipelines.ingest.macros import register_macros
from pipelines.ingest.readers import READ_ERRORS, SUPPORTED_SUFFIXES, Row, read_sheets
from pipelines.ingest.spec import PII_KINDS, Column, Family, Kind

log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30  # title blocks above a header are never longer than this
BATCH_ROWS = 100_000  # rows per Arrow batch handed to DuckDB: bounds Python memory at national scale

_PARSER = {
    Kind.NIB: "umkm_parse_nib",
    Kind.KBLI: "umkm_parse_kbli",
    Kind.KOPERASI_ID: "umkm_parse_nomor_koperasi",
    Kind.DATE: "umkm_parse_date",
    Kind.MONEY: "umkm_parse_rupiah",
    Kind.INTEGER: "umkm_parse_integer",
    Kind.DECIMAL: "umkm_parse_decimal",
    Kind.PII_PHONE: "umkm_valid_phone",
    Kind.PII_EMAIL: "umkm_valid_email",
    Kind.PII_NIK: "umkm_valid_nik",
}
_SQL_TYPE = {
    Kind.TEXT: "VARCHAR",
    Kind.NIB: "VARCHAR",
    Kind.KBLI: "VARCHAR",
    Kind.KOPERASI_ID: "VARCHAR",
    Kind.DATE: "DATE",
    Kind.MONEY: "DECIMAL(20, 2)",
    Kind.INTEGER: "BIGINT",
    Kind.DECIMAL: "DOUBLE",
    Kind.PII_PHONE: "BOOLEAN",
    Kind.PII_EMAIL: "BOOLEAN",
    Kind.PII_NIK: "BOOLEAN",
}
# What officials read when a row is rejected (Indonesian), by the kind of the failing column.
_REJECT_MESSAGE = {
    Kind.NIB: "NIB harus 13 digit angka (nol di depan yang hilang dipulihkan; notasi ilmiah tidak bisa)",
    Kind.DATE: "tanggal tidak dikenali (contoh yang diterima: 26/07/2024, 26 Juli 2024, tanggal Excel)",
    Kind.KBLI: "KBLI harus 5 digit angka",
    Kind.KOPERASI_ID: "Nomor Induk Koperasi harus 16 digit angka",
    Kind.MONEY: "nilai rupiah tidak dikenali",
    Kind.INTEGER: "bukan bilangan bulat",
    Kind.DECIMAL: "bukan angka",
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
    unknown_columns VARCHAR[], missing_columns VARCHAR[], message VARCHAR, ingested_at TIMESTAMP
)"""
REJECTS_DDL = """
CREATE TABLE IF NOT EXISTS raw.ingest_rejects (
    source VARCHAR, family VARCHAR, path VARCHAR, sheet VARCHAR, row_number BIGINT, column_name VARCHAR,
    rule VARCHAR, value VARCHAR, message VARCHAR, file_hash VARCHAR
)"""


def landed_name(column: Column) -> str:
    """Personal data lands only as a validity flag; names of persons do not land at all."""
    return f"{column.name}_valid" if column.kind in PII_KINDS else column.name


def landed_columns(family: Family) -> list[tuple[str, str]]:
    return [(landed_name(c), _SQL_TYPE[c.kind]) for c in family.columns if c.kind is not Kind.PII_NAME]


def ensure_tables(con: duckdb.DuckDBPyConnection, families: Iterable[Family]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(MANIFEST_DDL)
    con.execute(REJECTS_DDL)
    for family in families:
        columns = [*PROVENANCE_COLUMNS, *landed_columns(family), ("_unparsed_columns", "VARCHAR[]")]
        ddl = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{family.name} ({ddl})")


@dataclass
class Layout:
    family: Family
    columns: list[str | None]  # canonical name per cell position
    header_row: int | None  # 0-based index of the header row; None for a headerless file
    data_start: int  # 0-based index of the first data row
    title_lines: list[str] = field(default_factory=list)


def detect_layout(first_rows: Sequence[Row], families: Sequence[Family]) -> Layout | None:
    """The header row is the first row naming enough of one family's columns; else a headerless file whose
    width is one family's standard column count."""
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
            return Layout(family, names, index, index + 1, titles)
    first_data = next((i for i, r in enumerate(first_rows) if any(r)), None)
    if first_data is None:
        return None
    # The widest scanned row: a first record whose last cells are empty (no phone number) is still full width.
    width = max(len(_trim_trailing(r)) for r in first_rows[first_data:])
    candidates = [f for f in families if len(f.standard_order) == width]
    if len(candidates) == 1:
        family = candidates[0]
        return Layout(family, [c.name for c in family.standard_order], None, first_data)
    return None


def _trim_trailing(row: Row) -> Row:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


_TITLE_DATE = re.compile(
    r"\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}", re.IGNORECASE
)
_NAME_DAY = re.compile(r"(\d{4})[-_](\d{2})[-_](\d{2})")
_NAME_MONTH = re.compile(r"(\d{4})[-_](\d{2})(?!\d)")


def file_date(con: duckdb.DuckDBPyConnection, title_lines: Sequence[str], filename: str) -> dt.date | None:
    """The export's 'as of' date: the latest date in its title rows, else a date in its file name
    (yyyy-mm-dd; yyyy-mm means the month's last day), else the latest Indonesian date in the name."""
    candidates = [m.group(0) for line in title_lines for m in _TITLE_DATE.finditer(line)]
    dates = [d for d in (_parse_date(con, c) for c in candidates) if d]
    if dates:
        return max(dates)
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


@dataclass
class FileReport:
    path: str
    sheet: str | None
    status: str  # ingested | duplicate | unrecognised | unreadable | unsupported | empty
    family: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    message: str = ""


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


class SourceLoader:
    """Loads all files of one source folder; one instance per source per refresh."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, raw_dir: Path, source: str, families: Sequence[Family]
    ):
        self.con = con
        self.raw_dir = raw_dir
        self.source = source
        self.families = list(families)
        self.seen_hashes: dict[str, str] = {}
        register_macros(con)
        ensure_tables(con, self.families)

    def load_all(self) -> list[FileReport]:
        reports: list[FileReport] = []
        for path in source_files(self.raw_dir / self.source):
            reports.extend(self.load_file(path))
        return reports

    def load_file(self, path: Path) -> list[FileReport]:
        relative = path.relative_to(self.raw_dir).as_posix()
        file_hash = sha256_of(path)
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
        # One transaction per file: a file that fails halfway leaves nothing behind but its "unreadable" row,
        # so every file still reconciles (rows read = loaded + rejected).
        self.con.execute("BEGIN TRANSACTION")
        try:
            reports = [self._load_sheet(base, sheet.name or None, sheet.rows) for sheet in read_sheets(path)]
        except READ_ERRORS as error:  # a corrupt workbook must not stop the other files
            self.con.execute("ROLLBACK")
            log.exception("cannot read %s", relative)
            return [self._record(base, None, "unreadable", message=f"berkas tidak dapat dibaca: {error}")]
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        return reports

    def _load_sheet(self, base: dict, sheet: str | None, rows: Iterator[Row]) -> FileReport:
        first_rows = list(itertools.islice(rows, HEADER_SCAN_ROWS))
        if not any(any(r) for r in first_rows):
            return self._record(base, sheet, "empty", message="lembar kosong")
        layout = detect_layout(first_rows, self.families)
        all_rows = itertools.chain(first_rows, rows)
        if layout is None:
            return self._reject_sheet(base, sheet, all_rows)
        as_of = file_date(self.con, layout.title_lines, base["path"])
        read, blank, loaded, rejected = self._load_rows(layout, all_rows, base, sheet, as_of)
        if read != loaded + rejected:
            raise AssertionError(
                f"{base['path']} [{sheet}]: {read} read != {loaded} loaded + {rejected} rejected"
            )
        known = {normalise_header(n) for n in layout.columns if n}
        header_cells = first_rows[layout.header_row] if layout.header_row is not None else []
        unknown = [c for c, n in zip(header_cells, layout.columns, strict=False) if c and not n]
        missing = [c.name for c in layout.family.columns if normalise_header(c.name) not in known]
        return self._record(
            base,
            sheet,
            "ingested",
            family=layout.family.name,
            header_row=layout.header_row,
            file_date=as_of,
            rows_read=read,
            rows_blank=blank,
            rows_loaded=loaded,
            rows_rejected=rejected,
            unknown=unknown,
            missing=missing,
        )

    def _load_rows(
        self, layout: Layout, rows: Iterator[Row], base: dict, sheet: str | None, as_of: dt.date | None
    ) -> tuple[int, int, int, int]:
        """Type and store the data rows batch by batch, so memory stays bounded whatever the file's size.
        Returns (rows read, blank rows, rows loaded, rows rejected)."""
        positions = [(i, name) for i, name in enumerate(layout.columns) if name]
        read = blank = loaded = rejected = 0
        batch: list[tuple[int, Row]] = []
        for index, row in enumerate(rows):
            if index < layout.data_start:
                continue
            if not any(row):
                blank += 1
                continue
            read += 1
            batch.append((index + 1, row))
            if len(batch) >= BATCH_ROWS:
                ok, bad = self._store_batch(layout.family, positions, batch, base, sheet, as_of)
                loaded, rejected, batch = loaded + ok, rejected + bad, []
        if batch:
            ok, bad = self._store_batch(layout.family, positions, batch, base, sheet, as_of)
            loaded, rejected = loaded + ok, rejected + bad
        return read, blank, loaded, rejected

    def _store_batch(
        self,
        family: Family,
        positions: list[tuple[int, str]],
        batch: list[tuple[int, Row]],
        base: dict,
        sheet: str | None,
        as_of: dt.date | None,
    ) -> tuple[int, int]:
        """Parse one batch of text rows in DuckDB; loaded rows to raw.<family>, failed ones to rejects."""
        arrays = {"_row_number": pa.array([n for n, _ in batch], pa.int64())}
        for position, name in positions:
            arrays[name] = pa.array(
                [row[position] if position < len(row) else None for _, row in batch], pa.string()
            )
        parse, check = typed_select(family, {name for _, name in positions})
        self.con.register("landing_batch", pa.table(arrays))
        try:
            # Materialised in two steps so that each (regex-heavy) parse runs once per cell.
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE parsed_rows AS SELECT {parse} FROM landing_batch")
        finally:
            self.con.unregister("landing_batch")
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE typed_rows AS SELECT {check} FROM parsed_rows")
        self.con.execute("DROP TABLE parsed_rows")
        provenance = "?, ?, ?, _row_number, ?, ?"
        params = [base["file_id"], base["path"], sheet, base["file_hash"], as_of]
        columns = ", ".join(f'"{name}"' for name, _ in landed_columns(family))
        self.con.execute(
            f"INSERT INTO raw.{family.name} SELECT {provenance}, {columns}, _unparsed_columns "
            f"FROM typed_rows WHERE _reject_column IS NULL",
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
    ) -> FileReport:
        self.con.execute(
            f"INSERT INTO raw.ingest_files VALUES ({', '.join(['?'] * 19)}, now())",
            [
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
            ],
        )
        return FileReport(base["path"], sheet, status, family, rows_read, rows_loaded, rows_rejected, message)


def typed_select(family: Family, present: set[str]) -> tuple[str, str]:
    """Two SELECT lists: the first parses every column once (from the landing table), the second (over the
    first's result) lists the unparsed columns and names the first failed rule of each row."""
    parse, check, unparsed, reject_checks = ["_row_number"], ["_row_number"], [], []
    for column in family.columns:
        if column.kind is Kind.PII_NAME:
            continue
        raw = f'"{column.name}"' if column.name in present else "NULL::VARCHAR"
        landed = f'"{landed_name(column)}"'
        parse.append(f"{_PARSER.get(column.kind, 'umkm_clean_text')}({raw}) AS {landed}")
        check.append(landed)
        if column.kind in PII_KINDS:
            continue
        has_value = f'"{column.name}__has_value"'
        if column.kind is not Kind.TEXT or column.required:
            parse.append(f"umkm_clean_text({raw}) IS NOT NULL AS {has_value}")
        if column.kind is not Kind.TEXT:
            unparsed.append(f"CASE WHEN {has_value} AND {landed} IS NULL THEN '{column.name}' END")
        if column.required:
            raw_copy = f'"{column.name}__raw"'
            parse.append(f"umkm_mask_personal({raw}) AS {raw_copy}")
            bad_message = f"{column.name}: {_REJECT_MESSAGE.get(column.kind, 'nilai tidak valid')}"
            reject_checks.append(
                (
                    f"NOT {has_value}",
                    column.name,
                    "required_missing",
                    f"kolom wajib {column.name} kosong",
                    raw_copy,
                )
            )
            reject_checks.append(
                (f"{landed} IS NULL", column.name, f"{column.kind.value}_format", bad_message, raw_copy)
            )
    check.append(
        f"list_filter([{', '.join(unparsed)}]::VARCHAR[], lambda x: x IS NOT NULL) AS _unparsed_columns"
    )
    for alias, index in (("_reject_column", 1), ("_reject_rule", 2), ("_reject_message", 3)):
        cases = " ".join(f"WHEN {c[0]} THEN '{c[index]}'" for c in reject_checks)
        check.append(f"CASE {cases} END AS {alias}" if cases else f"NULL::VARCHAR AS {alias}")
    value_cases = " ".join(f"WHEN {c[0]} THEN {c[4]}" for c in reject_checks)
    check.append(
        f"CASE {value_cases} END AS _reject_value" if value_cases else "NULL::VARCHAR AS _reject_value"
    )
    separator = ",\n       "
    return separator.join(parse), separator.join(check)
