"""The warehouse a real `umkm refresh` publishes (the tiny sample): a DuckDB 1.x client opens it and reads
every mart whole, and every mart's Parquet copy holds exactly the rows of its table."""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq

from pipelines.warehouse import PARQUET_SCHEMAS, WarehousePaths, parquet_select, parquet_tables

from .conftest import read_with_duckdb1


def _marts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        f"{schema}.{table}": con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()[0]
        for schema, table in parquet_tables(con)
    }


def test_duckdb1_client_reads_every_mart(published_tiny, duckdb1_python):
    paths = WarehousePaths(published_tiny.marts)
    with duckdb.connect(str(paths.published), read_only=True) as con:
        expected = _marts(con)
        columns = {name: [c[0] for c in con.execute(f"DESCRIBE {name}").fetchall()] for name in expected}
    assert len(expected) >= 10, expected  # the marts schema, not an empty file
    seen = read_with_duckdb1(duckdb1_python, paths.published, PARQUET_SCHEMAS)
    assert seen["version"].startswith("1.")
    assert {name: t["rows"] for name, t in seen["tables"].items()} == expected
    assert {name: t["columns"] for name, t in seen["tables"].items()} == columns


def test_every_mart_has_an_equal_parquet_copy(published_tiny):
    paths = WarehousePaths(published_tiny.marts)
    release = paths.published.resolve()
    assert paths.published_parquet.resolve() == paths.release_parquet_dir(release.name)
    with duckdb.connect(str(paths.published), read_only=True) as con:
        expected = _marts(con)
        files = {p.name.removesuffix(".parquet"): p for p in paths.published_parquet.glob("*.parquet")}
        assert sorted(files) == sorted(expected)
        for name, path in files.items():
            assert pq.ParquetFile(path).metadata.num_rows == expected[name], name
            schema, table = name.split(".")
            table_rows = parquet_select(con, schema, table)
            file_rows = "SELECT * FROM read_parquet('{}')".format(str(path).replace("'", "''"))
            for a, b in ((table_rows, file_rows), (file_rows, table_rows)):  # equal as multisets
                differing = con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchone()[0]
                assert differing == 0, f"{name}: {differing} rows differ between the table and {path.name}"
