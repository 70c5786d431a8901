"""Land a CSV's text through DuckDB instead of Python cells, with exactly the Python path's result.

The Python path (readers._csv_rows + loader._land_text) builds one csv module row, one Python list and the
non-data checks per record: 1.9 of the 9.3 s CPU the sample's permit CSVs take to land. Here DuckDB reads the
file's raw lines (one VARCHAR per line, the line number kept as the Excel row number), splits fields in SQL
(the file's delimiter; quoted fields with doubled quotes) and hands the same text cells to the same typing
stages (typed_stages.py): that step then takes 1.0 s, and a 1M-row CSV lands in 53 s CPU instead of 64.

Exact or not at all: the fast path is used only where the Python csv module provably splits the file line by
line into the same cells. Anything else (a quoted cell over several lines, a stray quote, mixed or bare-CR
line endings, NUL bytes, bytes the detected encoding refuses, a read error) falls back to the Python path for
the whole file, decided before a row of the file is landed. The non-data rules stay in non_data.py: SQL only
sorts rows into blank, surely a record (a key cell holds six ASCII digits: non_data_reason returns None for
them before anything else) and the rest, which go through ``NonDataRows`` in Python in file order.
"""

from __future__ import annotations

import codecs
import functools
import logging
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.ingest.non_data import NonDataRows, key_like_pattern
from pipelines.ingest.readers import CsvDialect
from pipelines.warehouse import sql_string

log = logging.getLogger(__name__)


@functools.cache
def _whitespace() -> str:
    """What Python's str.strip() removes: a cell that is only these is empty (None) on both paths. Computed
    on first use (a scan of every code point), not at import by every `umkm` command."""
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


# A line may hold a pasted document (readers.py lifts the csv module's field limit the same way).
_MAX_LINE_BYTES = 1 << 30
_BLOCK = 1 << 20


@dataclass
class LandedText:
    """What landing a sheet's text produced, by either path."""

    read: int = 0
    blank: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unnamed_with_data: set[int] = field(default_factory=set)


@dataclass
class ByteScan:
    """What the raw bytes say: the fast path's preconditions, and how many lines the csv module will see."""

    problem: str | None  # why the fast path is ruled out; None: it is not
    lines: int = 0


def scan_bytes(path: Path) -> ByteScan:
    """DuckDB splits lines on CR LF or LF, the csv module also on a bare CR: only files whose every line ends
    the same way split alike. NUL is the byte DuckDB is told separates columns: it must not occur."""
    carriage = line_feed = pairs = 0
    previous_cr = False
    last = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            if b"\x00" in block:
                return ByteScan("NUL byte")
            carriage += block.count(b"\r")
            line_feed += block.count(b"\n")
            pairs += block.count(b"\r\n") + (previous_cr and block.startswith(b"\n"))
            previous_cr = block.endswith(b"\r")
            last = block[-1:]
    if carriage and not carriage == pairs == line_feed:
        return ByteScan("mixed or bare-CR line endings")
    # The last line needs no line end.
    return ByteScan(None, line_feed + (last not in (b"", b"\n")))


@contextmanager
def utf8_source(path: Path, dialect: CsvDialect) -> Iterator[Path]:
    """The file as UTF-8 for DuckDB (whose Windows-1252 decoding needs an extension downloaded at run time):
    a Windows-1252 file is decoded by Python's own codec, as the Python path does, into a temporary copy.
    Raises UnicodeDecodeError on a byte Windows-1252 does not define (the Python path then fails alike)."""
    if dialect.encoding != "cp1252":
        # UTF-8 was checked whole by readers.detect_csv_dialect; DuckDB drops a BOM as utf-8-sig does.
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="umkm-csv-") as folder:
        copy = Path(folder) / "utf8.csv"
        decoder = codecs.getincrementaldecoder("cp1252")()
        with path.open("rb") as source, copy.open("w", encoding="utf-8", newline="") as target:
            for block in iter(lambda: source.read(_BLOCK), b""):
                target.write(decoder.decode(block))
            target.write(decoder.decode(b"", final=True))
        yield copy


class FastCsv:
    """One CSV file's lines in the temp table csv_lines, checked to split exactly as the csv module would."""

    def __init__(self, con: duckdb.DuckDBPyConnection, dialect: CsvDialect):
        self.con = con
        self.dialect = dialect
        self.first_rowid = 0  # csv_lines' rowid of the file's first line

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, path: Path, dialect: CsvDialect) -> FastCsv | None:
        """Read the file's lines; None (nothing kept, the reason logged) when the fast path is not exact.
        A line DuckDB cannot read is left out (ignore_errors) and shows as a line count that differs; any
        other DuckDB error is raised (it aborts the open transaction: the caller's to handle)."""
        scan = scan_bytes(path)
        reason = scan.problem
        fast = cls(con, dialect)
        if reason is None:
            try:
                with utf8_source(path, dialect) as source:
                    reason = fast._read_lines(source, scan.lines)
            except UnicodeDecodeError as error:
                reason = f"not Windows-1252: {error}"
            reason = reason or fast._quoting_problem()
        if reason is not None:
            fast.close()
            log.info("%s: Python CSV path (%s)", path.name, reason)
            return None
        return fast

    def _read_lines(self, source: Path, expected: int) -> str | None:
        """The file's lines into csv_lines, one VARCHAR column per line: the column delimiter is NUL, which
        scan_bytes found absent, and no quote character. A blank line reads as NULL and keeps its place.
        The table keeps the file's order
        (DuckDB preserves insertion order), so a line's number is its rowid's place after the first one's.
        Returns a problem when DuckDB saw another number of lines than the file holds."""
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE csv_lines AS SELECT line FROM read_csv(?, "
            "columns = {'line': 'VARCHAR'}, delim = chr(0), quote = '', escape = '', header = false, "
            "auto_detect = false, "
            f"encoding = 'utf-8', max_line_size = {_MAX_LINE_BYTES}, ignore_errors = true)",
            [str(source)],
        )
        first, last, lines = self.con.execute(
            "SELECT min(rowid), max(rowid), count(*) FROM csv_lines"
        ).fetchall()[0]
        self.first_rowid = first or 0
        if lines != expected or (lines and last - first + 1 != lines):
            return f"DuckDB read {lines} lines, the file has {expected}"
        return None

    def _field_pattern(self) -> str:
        """A field as the csv module reads it on one line: quoted (doubled quotes inside), or not starting
        with a quote (any quote inside is then plain text), or empty."""
        d, q = _re_escape(self.dialect.delimiter), _re_escape(self.dialect.quote)
        return f"{q}(?:[^{q}]|{q}{q})*{q}|[^{d}{q}][^{d}]*|"

    def line_pattern(self) -> str:
        """A line the csv module splits into exactly the fields that cells_sql makes of it."""
        d = _re_escape(self.dialect.delimiter)
        return f"(?:{self._field_pattern()})(?:{d}(?:{self._field_pattern()}))*"

    def _quoting_problem(self) -> str | None:
        """A line with a quote that is not a sequence of such fields: a cell over several lines or a stray
        quote, which the csv module reads otherwise (it joins lines, or glues text after a closing quote).
        Such lines are rare, so the line number is computed for them only."""
        pattern = self.line_pattern()
        first = self.con.execute(
            "SELECT min(rowid) - ? + 1 FROM csv_lines "
            "WHERE contains(line, ?) AND NOT regexp_full_match(line, ?)",
            [self.first_rowid, self.dialect.quote, pattern],
        ).fetchall()[0][0]
        return None if first is None else f"quoting read across lines or otherwise, line {first}"

    def cells_sql(self) -> str:
        """The line's cells as the Python path makes them: fields unquoted, whitespace-only ones NULL. Lines
        without a quote are split plainly; the others by the field pattern, each match led by its delimiter
        (no capture group: RE2 extracts whole matches about twice as fast)."""
        d, q = sql_string(self.dialect.delimiter), sql_string(self.dialect.quote)
        pattern = sql_string(f"{_re_escape(self.dialect.delimiter)}(?:{self._field_pattern()})")
        unquoted = (
            f"list_transform(regexp_extract_all({d} || line, {pattern}), "
            f"lambda f: CASE WHEN substr(f, 2, 1) = {q} "
            f"THEN replace(substr(f, 3, length(f) - 3), {q} || {q}, {q}) ELSE substr(f, 2) END)"
        )
        fields = (
            f"CASE WHEN line IS NULL THEN []::VARCHAR[] WHEN contains(line, {q}) THEN {unquoted} "
            f"ELSE string_split(line, {d}) END"
        )
        # Code points 33-132 are not whitespace: most cells are decided by their first character, cheaply.
        blank = (
            "CASE WHEN c = '' THEN NULL WHEN unicode(c) BETWEEN 33 AND 132 THEN c "
            f"WHEN trim(c, {sql_string(_whitespace())}) = '' THEN NULL ELSE c END"
        )
        return f"list_transform({fields}, lambda c: {blank})"

    def land(
        self,
        data_start: int,
        width: int,
        positions: Sequence[tuple[int, str]],
        non_data: NonDataRows,
    ) -> LandedText:
        """Fill the temp table landing_text (_row_number, one VARCHAR per named position) with the data rows
        from ``data_start`` (0-based) on, as loader._land_text does from Python rows. ``width`` is the
        layout's column count."""
        key_like = " OR ".join(
            f"coalesce(regexp_matches(cells[{p + 1}], {sql_string(key_like_pattern())}), false)"
            for p in non_data.key_positions
        )
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE csv_rows AS SELECT n, cells, list_count(cells) = 0 AS blank, "
            f"list_count(cells) > 0 AND NOT ({key_like or 'false'}) AS unsure "
            f"FROM (SELECT rowid - {self.first_rowid} + 1 AS n, {self.cells_sql()} AS cells "
            f"FROM csv_lines WHERE rowid >= {self.first_rowid + int(data_start)})"
        )
        self.con.execute("DROP TABLE csv_lines")
        landed = LandedText(blank=self._count("blank"))
        landed.skipped = self._skipped(non_data)
        # A list parameter, not a registered Arrow table: registering imports pandas (a second, once).
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE csv_skipped AS SELECT unnest(?::BIGINT[]) AS n",
            [[n for n, _ in landed.skipped]],
        )
        try:
            self.con.execute(
                "CREATE OR REPLACE TEMP VIEW csv_data AS SELECT n, cells FROM csv_rows "
                "WHERE NOT blank AND n NOT IN (SELECT n FROM csv_skipped)"
            )
            columns = ", ".join(f"cells[{p + 1}]" for p, _ in positions)
            self.con.execute(f"INSERT INTO landing_text SELECT n, {columns} FROM csv_data")
            landed.read = self.con.execute("SELECT count(*) FROM landing_text").fetchall()[0][0]
            landed.unnamed_with_data = self._unnamed_with_data(width, {p for p, _ in positions})
        finally:
            self.con.execute("DROP VIEW IF EXISTS csv_data")
            self.con.execute("DROP TABLE csv_skipped")
        return landed

    def _count(self, flag: str) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM csv_rows WHERE {flag}").fetchall()[0][0])

    def _skipped(self, non_data: NonDataRows) -> list[tuple[int, str]]:
        """The rows SQL cannot vouch for, through the non-data rule in file order. A sure record between two
        of them ends a note block (``record_seen``); that is asked only while a note block is open."""
        rows = self.con.execute("SELECT n, cells FROM csv_rows WHERE unsure ORDER BY n").fetchall()
        skipped = []
        last = None
        for n, cells in rows:
            if non_data.in_note and self._record_between(last, n):
                non_data.record_seen()
            if reason := non_data.reason(cells):
                skipped.append((n, reason))
            last = n
        return skipped

    def _record_between(self, first: int | None, last: int) -> bool:
        return bool(
            self.con.execute(
                "SELECT count(*) FROM csv_rows WHERE n > ? AND n < ? AND NOT blank AND NOT unsure",
                [first or 0, last],
            ).fetchall()[0][0]
        )

    def _unnamed_with_data(self, width: int, named: set[int]) -> set[int]:
        """Positions without a column name that hold a value in a data row (inside the header's width, or
        beyond it in a longer row)."""
        found: set[int] = set()
        inside = [p for p in range(width) if p not in named]
        if inside:
            flags = ", ".join(f"bool_or(cells[{p + 1}] IS NOT NULL)" for p in inside)
            values = self.con.execute(f"SELECT {flags} FROM csv_data").fetchall()[0]
            found.update(p for p, flag in zip(inside, values, strict=True) if flag)
        beyond = self.con.execute(
            f"SELECT DISTINCT p FROM (SELECT unnest(range({width}, len(cells))) AS p, cells FROM csv_data "
            f"WHERE len(cells) > {width}) WHERE cells[p + 1] IS NOT NULL"
        ).fetchall()
        found.update(p for (p,) in beyond)
        return found

    def close(self) -> None:
        for table in ("csv_lines", "csv_rows"):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")


def _re_escape(char: str) -> str:
    """One character for RE2, inside or outside a character class, whatever it is (tab, pipe, quote)."""
    return f"\\x{{{ord(char):x}}}"
