"""The floor of `make bench`: land the national sample's permit exports with plain DuckDB and run floor.sql.

    python benchmarks/floor.py RAW_DIR OUT.duckdb [--region 65]

CSV files go through DuckDB read_csv (all text, the delimiter read from the header line, ';' files as
latin-1); xlsx through python-calamine (DuckDB's excel extension needs the network). No orchestration,
no checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
from python_calamine import CalamineWorkbook

HERE = Path(__file__).resolve().parent
WILAYAH = HERE.parent / "dbt_project" / "seeds" / "reference" / "wilayah_kemendagri_2025.csv"
# File name prefix (lower case) -> landing table and column count, in each family's standard column order.
FAMILIES = {
    "daftar_nib": ("land_nib", 12),
    "daftar proyek": ("land_project", 27),
    "list izin": ("land_permit", 18),
}


def _family(path: Path) -> tuple[str, int] | None:
    name = path.name.lower()
    return next((spec for prefix, spec in FAMILIES.items() if name.startswith(prefix)), None)


def _cell(value: object) -> str | None:
    """An xlsx cell as the text a CSV export would hold: whole numbers without '.0', dates ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def land(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> None:
    for table, width in FAMILIES.values():
        columns = ", ".join(f"c{k} varchar" for k in range(width))
        con.execute(f"create or replace table {table} (source_path varchar, {columns})")
    for path in sorted(raw_dir.rglob("*")):
        spec = _family(path)
        if spec is None:
            continue
        table, width = spec
        names = [f"c{k}" for k in range(width)]
        if path.suffix.lower() == ".csv":
            with path.open("rb") as handle:
                header = handle.readline()
            delimiter = ";" if header.count(b";") > header.count(b",") else ","
            encoding = "latin-1" if delimiter == ";" else "utf-8"
            con.execute(
                f"insert into {table} select filename, {', '.join(names)} from read_csv(?, delim = ?, "
                "header = true, all_varchar = true, names = ?, filename = true, encoding = ?)",
                [str(path), delimiter, names, encoding],
            )
        elif path.suffix.lower() == ".xlsx":
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            rows = [[str(path), *(_cell(v) for v in row[:width])] for row in sheet[1:] if any(row)]
            # A DataFrame scan, not executemany (one statement per row is far slower).
            frame = pd.DataFrame(rows, columns=["source_path", *names], dtype="string")
            con.register("xlsx_rows", frame)
            con.execute(f"insert into {table} select * from xlsx_rows")
            con.unregister("xlsx_rows")


def run(raw_dir: Path, out: Path, region: str) -> None:
    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    try:
        land(con, raw_dir)
        con.execute("set variable wilayah_csv = ?", [str(WILAYAH)])
        con.execute("set variable region_code = ?", [region])
        con.execute((HERE / "floor.sql").read_text())
        con.execute("checkpoint")
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--region", default="65")
    args = parser.parse_args()
    run(args.raw_dir, args.out, args.region)


if __name__ == "__main__":
    main()
