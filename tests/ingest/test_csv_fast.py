"""The DuckDB CSV path (csv_fast.py) lands exactly what the Python csv path lands, or is not taken.

Each case is a small hand-written file. It is landed twice, once with every CSV through Python cells and
once with the fast path allowed; every raw table (records, rejects, the manifest) must be the same, row for
row, and the case says which path the fast landing must have taken.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest import csv_fast
from pipelines.ingest.loader import FileReport, SourceLoader
from pipelines.ingest.permits import FAMILIES
from pipelines.ingest.readers import CsvDialect

NIB_HEADER = [
    "NIB",
    "Tanggal Terbit Oss",
    "Nama Perusahaan",
    "Status Penanaman Modal",
    "Uraian Skala Usaha",
    "Alamat Perusahaan",
    "Kecamatan",
    "Kab Kota",
]


def _nib_row(i: int, name: str = "Toko Maju", address: str = "Jl. Mawar No. 5") -> list[str]:
    return [
        f"91200{i:08d}",
        "01/02/2023",
        name,
        "PMDN",
        "Usaha Mikro",
        address,
        "Balikpapan Kota",
        "Kota Balikpapan",
    ]


def _lines(rows: list[list[str]], delimiter: str = ";") -> list[str]:
    return [delimiter.join(row) for row in rows]


HEADER_SC = ";".join(NIB_HEADER)
HEADER_C = ",".join(NIB_HEADER)
DATA_SC = _lines([_nib_row(i) for i in range(3)])
DATA_C = _lines([_nib_row(i) for i in range(3)], ",")


@dataclass
class Case:
    id: str
    content: bytes
    fast: bool  # the path the fast landing must take
    loaded: int | None  # rows loaded (a case cannot pass by landing nothing on both paths); None: any
    name: str = "export.csv"


def _text(lines: list[str], end: str = "\r\n", encoding: str = "utf-8", final_end: bool = True) -> bytes:
    return (end.join(lines) + (end if final_end else "")).encode(encoding)


CASES = [
    Case("semicolon-crlf", _text([HEADER_SC, *DATA_SC]), fast=True, loaded=3),
    Case("comma-lf", _text([HEADER_C, *DATA_C], end="\n"), fast=True, loaded=3),
    Case("no-final-line-end", _text([HEADER_C, *DATA_C], final_end=False), fast=True, loaded=3),
    Case(
        "quoted-delimiters",
        _text([HEADER_C, *_lines([_nib_row(1, address='"Jl. Mawar, No. 5, RT 3"'), _nib_row(2)], ",")]),
        fast=True,
        loaded=2,
    ),
    Case(
        "doubled-quotes",
        _text(
            [
                HEADER_SC,
                *_lines(
                    [
                        _nib_row(1, name='"Toko ""Maju"" Jaya"'),
                        _nib_row(2, name='""""'),  # a cell that is one quote
                        _nib_row(3, name='""'),  # a quoted empty cell
                        _nib_row(4, name='"a;b"""'),
                    ]
                ),
            ]
        ),
        fast=True,
        loaded=4,
    ),
    # A quote inside a cell that does not start with one is plain text to the csv module.
    Case("quote-inside-unquoted", _text([HEADER_SC, *_lines([_nib_row(1, name='Toko "Maju"')])]), True, 1),
    # Text after a closing quote: the csv module glues it on; not the fast path's business.
    Case(
        "text-after-closing-quote", _text([HEADER_SC, *_lines([_nib_row(1, name='"Toko" Maju')])]), False, 1
    ),
    Case(
        "quote-never-closed",
        _text([HEADER_SC, *_lines([_nib_row(1, name='"Toko Maju')]), *DATA_SC]),
        False,
        1,  # the rest of the file is one cell of one record
    ),
    Case(
        "multi-line-quoted-cell",
        _text([HEADER_SC, *_lines([_nib_row(1, address='"Jl. Mawar\r\nNo. 5"'), _nib_row(2)])]),
        fast=False,
        loaded=2,
    ),
    Case(
        "cp1252-bytes",
        _text([HEADER_SC, *_lines([_nib_row(1, name="Caf\u00e9 \u2019Kopi\u2019")])], encoding="cp1252"),
        True,
        1,
    ),
    # 0x81 is not a Windows-1252 character: both paths must end with the file unreadable.
    Case("cp1252-undefined-byte", _text([HEADER_SC, *DATA_SC]) + b"9120000000009;x\x81\r\n", False, 0),
    Case(
        "utf8-bom", "\ufeff".encode() + _text([HEADER_SC, *_lines([_nib_row(1, name="Café Kopi")])]), True, 1
    ),
    Case("utf8-bom-twice", "\ufeff\ufeff".encode() + _text([HEADER_SC, *DATA_SC]), True, None),
    Case(
        "title-rows-above-the-header",
        _text(
            [
                "DAFTAR NIB KOTA BALIKPAPAN",
                "Periode: 1 Januari 2024 s.d. 31 Maret 2024",
                "",
                HEADER_SC,
                *DATA_SC,
            ]
        ),
        fast=True,
        loaded=3,
    ),
    Case(
        "blank-lines",
        _text(
            [
                HEADER_SC,
                "",
                DATA_SC[0],
                "   ",
                ";;;;;;;",
                "\u00a0;\u3000;\t",
                DATA_SC[1],
                "",
                "",
                DATA_SC[2],
                "",
            ]
        ),
        fast=True,
        loaded=3,
    ),
    Case(
        "notes-and-totals",
        _text(
            [
                HEADER_SC,
                "(1);(2);(3);(4);(5);(6);(7);(8)",
                DATA_SC[0],
                HEADER_SC,  # the header repeated on a new page
                DATA_SC[1],
                "JUMLAH HAL. 1;;;;;;;",
                DATA_SC[2],
                ";Toko tanpa NIB;;;;;;",  # no key: a reject, not a note
                "JUMLAH;;;;;;;",
                "",
                "Sumber: DPMPTSP Kota Balikpapan",
                "Balikpapan, 15 Juli 2024",
                "",
                "Kepala Dinas Penanaman Modal",
                "",
                ";Budi Santoso",  # under the signature line, past a blank line: part of it
                "NIP. 19700101 199001 1 001",  # six digits in the key column: a record (a reject)
                ";Andi",  # after a record: no longer in the note block (a reject: no key)
            ]
        ),
        fast=True,
        loaded=3,
    ),
    Case(
        "trailing-empty-columns",
        _text([HEADER_SC + ";;", *(line + ";;" for line in DATA_SC)]),
        fast=True,
        loaded=3,
    ),
    Case(
        "ragged-rows",
        _text(
            [
                HEADER_SC,
                "9120000000001;01/02/2023;Toko Pendek",  # fewer fields than the header
                DATA_SC[1] + ";lebih;;",  # more fields: an unknown column with data
                "9120000000003",
                DATA_SC[2] + ";;;",  # more fields, all empty
            ]
        ),
        fast=True,
        loaded=4,
    ),
    Case(
        "tab-delimiter", _text(["\t".join(NIB_HEADER), *_lines([_nib_row(1, name='"A\tB"')], "\t")]), True, 1
    ),
    Case("pipe-delimiter", _text(["|".join(NIB_HEADER), *_lines([_nib_row(1), _nib_row(2)], "|")]), True, 2),
    # No header: recognised by its width (the OSS NIB list's twelve standard columns).
    Case(
        "headerless", _text(_lines([[*_nib_row(i)[:2], "Toko", *["x"] * 9] for i in range(3)], ",")), True, 3
    ),
    Case("mixed-line-endings", _text([HEADER_SC, DATA_SC[0]]) + _text(DATA_SC[1:], end="\n"), False, 3),
    Case("bare-cr-line-endings", _text([HEADER_SC, *DATA_SC], end="\r"), False, 3),
    Case("leading-and-trailing-blank-lines", _text(["", "", "  ", HEADER_SC, *DATA_SC, "", ""]), True, 3),
    Case("nul-byte", _text([HEADER_SC, *DATA_SC]) + b"9120000000009;\x00\r\n", False, 4),
    Case(
        "unicode-spaces-in-cells",
        _text([HEADER_SC, *_lines([_nib_row(1, name="\u2003Toko\u00a0")])]),
        True,
        1,
    ),
]


def _land(raw: Path, *, fast: bool) -> tuple[duckdb.DuckDBPyConnection, list[FileReport]]:
    con = duckdb.connect()
    return con, SourceLoader(con, raw, "permits", FAMILIES, fast_csv=fast).load_all()


def _table(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    columns = "* EXCLUDE (ingested_at)" if table == "ingest_files" else "*"  # the landing's clock time
    return con.execute(f"SELECT {columns} FROM raw.{table} ORDER BY ALL").fetchall()


RAW_TABLES = ["ingest_files", "ingest_rejects", *(family.name for family in FAMILIES)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fast_path_lands_what_the_python_path_lands(tmp_path: Path, case: Case):
    for folder in ("python", "fast"):
        (tmp_path / folder / "permits").mkdir(parents=True)
        (tmp_path / folder / "permits" / case.name).write_bytes(case.content)
    python_con, python_reports = _land(tmp_path / "python", fast=False)
    fast_con, fast_reports = _land(tmp_path / "fast", fast=True)
    assert [r.fast_csv for r in python_reports] == [False] * len(python_reports)
    assert [r.fast_csv for r in fast_reports] == [case.fast] * len(fast_reports)
    if case.loaded is not None:
        assert sum(r.rows_loaded for r in fast_reports) == case.loaded
    for table in RAW_TABLES:
        assert (table, _table(fast_con, table)) == (table, _table(python_con, table))


def test_the_cases_cover_what_they_claim(tmp_path: Path):
    """Row numbers, skipped rows, unknown columns and rejects are part of what the cases compare: check a few
    land at all (a comparison of two empty results would prove nothing)."""
    by_id = {c.id: c for c in CASES}
    (tmp_path / "permits").mkdir()
    (tmp_path / "permits" / "notes.csv").write_bytes(by_id["notes-and-totals"].content)
    (tmp_path / "permits" / "ragged.csv").write_bytes(by_id["ragged-rows"].content)
    (tmp_path / "permits" / "titles.csv").write_bytes(by_id["title-rows-above-the-header"].content)
    con, reports = _land(tmp_path, fast=True)
    assert all(r.fast_csv for r in reports)
    manifest = dict(
        con.execute(
            "SELECT path, {'skipped': skipped_rows, 'unknown': unknown_columns} FROM raw.ingest_files"
        ).fetchall()
    )
    notes = manifest["permits/notes.csv"]
    assert [(s["row_number"], s["reason"]) for s in notes["skipped"]] == [
        (2, "baris nomor kolom"),
        (4, "judul kolom berulang"),
        (6, "baris jumlah/total"),
        (9, "baris jumlah/total"),
        (11, "catatan atau tanda tangan"),
        (12, "catatan atau tanda tangan"),
        (14, "catatan atau tanda tangan"),
        (16, "catatan atau tanda tangan"),
    ]
    assert manifest["permits/ragged.csv"]["unknown"] == ["(kolom 9 tanpa judul)"]
    rows = con.execute("SELECT _path, _row_number FROM raw.oss_nib ORDER BY ALL").fetchall()
    assert [n for p, n in rows if p == "permits/titles.csv"] == [5, 6, 7]
    rejects = con.execute("SELECT path, row_number FROM raw.ingest_rejects ORDER BY ALL").fetchall()
    # no key ("Toko tanpa NIB"), the NIP (six digits: a record), "Andi" (after that record, not a note)
    assert [n for p, n in rejects if p == "permits/notes.csv"] == [8, 17, 18]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"a;b\r\nc;d\r\n", None),
        (b"a;b\nc;d", None),
        (b"a;b\r\nc;d\n", "mixed or bare-CR line endings"),
        (b"a;b\rc;d\r", "mixed or bare-CR line endings"),
        (b"a;\x00b\n", "NUL byte"),
    ],
)
def test_scan_bytes(tmp_path: Path, content: bytes, problem: str | None):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert csv_fast.scan_bytes(path).problem == problem


def test_scan_bytes_sees_a_crlf_split_across_read_blocks(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(csv_fast, "_BLOCK", 4)
    path = tmp_path / "x.csv"
    path.write_bytes(b"abc\r\nabc\r\nab\r\n")  # the second CR ends a block, its LF starts the next
    assert csv_fast.scan_bytes(path) == csv_fast.ByteScan(None, 3)


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_sql_splits_every_line_it_accepts_as_the_csv_module_does(delimiter: str):
    """Random lines over an alphabet rich in delimiters, quotes and odd spaces: every line the fast path's
    pattern accepts gets the csv module's cells from the SQL split; the lines it refuses make a file fall
    back. Both kinds must occur, or the test proves nothing."""
    generator = random.Random(20261203)
    alphabet = [delimiter, delimiter, '"', '"', '"', "a", "b", " ", "\u00a0", "\u3000", "\t", "é", "7", "'"]
    lines = sorted({"".join(generator.choices(alphabet, k=generator.randint(1, 12))) for _ in range(3000)})
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE csv_lines (line VARCHAR)")
    con.executemany("INSERT INTO csv_lines VALUES (?)", [[line] for line in lines])
    fast = csv_fast.FastCsv(con, CsvDialect("utf-8-sig", delimiter))
    split = con.execute(
        f"SELECT line, {fast.cells_sql()} FROM csv_lines WHERE regexp_full_match(line, ?)",
        [fast.line_pattern()],
    ).fetchall()
    accepted = dict(split)
    assert 0.2 * len(lines) < len(accepted) < 0.9 * len(lines)
    for line, cells in accepted.items():
        rows = list(csv.reader([line], delimiter=delimiter))
        assert len(rows) == 1, line  # the csv module ends the record on this line too
        assert cells == [c if c.strip() else None for c in rows[0]], line


def _land_both(tmp_path: Path, content: bytes) -> tuple[list[FileReport], list[tuple], list[tuple]]:
    """Land one file both ways; returns the fast landing's reports and every raw table of each landing."""
    tables = {}
    for fast in (False, True):
        raw = tmp_path / str(fast)
        (raw / "permits").mkdir(parents=True)
        (raw / "permits" / "export.csv").write_bytes(content)
        con, reports = _land(raw, fast=fast)
        tables[fast] = [_table(con, table) for table in RAW_TABLES]
    return reports, tables[True], tables[False]


def test_a_line_duckdb_refuses_sends_the_file_to_the_python_path(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(csv_fast, "_MAX_LINE_BYTES", 200)  # DuckDB leaves the long line out: counts differ
    content = _text([HEADER_SC, DATA_SC[0], DATA_SC[1] + ";" + "x" * 300, DATA_SC[2]])
    reports, fast_tables, python_tables = _land_both(tmp_path, content)
    assert [(r.status, r.fast_csv, r.rows_loaded) for r in reports] == [("ingested", False, 3)]
    assert fast_tables == python_tables


def test_a_duckdb_error_while_reading_leaves_a_usable_transaction(tmp_path: Path, monkeypatch):
    """The error aborts the file's transaction: the loader starts it again and lands the Python way."""

    def failing_read(self, source: Path, expected: int) -> str | None:
        self.con.execute(
            "SELECT * FROM read_csv(?, columns = {'a': 'INTEGER'}, auto_detect = false)", [str(source)]
        )
        return None

    monkeypatch.setattr(csv_fast.FastCsv, "_read_lines", failing_read)
    reports, fast_tables, python_tables = _land_both(tmp_path, _text([HEADER_SC, *DATA_SC]))
    assert [(r.status, r.fast_csv, r.rows_loaded) for r in reports] == [("ingested", False, 3)]
    assert fast_tables == python_tables
