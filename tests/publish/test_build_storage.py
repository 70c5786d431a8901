"""The build file is written in the release storage version from its creation, so that a release can be a
plain byte copy of it: a fresh build file is in RELEASE_STORAGE_VERSION and stays in it through a real
refresh, an older build file (DuckDB's default 2.0 storage) is rewritten once by compact_build and then kept,
a release opens read-only with the same tables as the build, and publish refuses a copy in another version."""

from __future__ import annotations

import filecmp
import inspect
import os
import struct
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import pytest

import pipelines.warehouse as warehouse
from pipelines.settings import COMPACT_FREE_SHARE
from pipelines.warehouse import (
    RELEASE_STORAGE_VERSION,
    ReleaseCheckError,
    WarehousePaths,
    compact_build,
    connect_build,
    connect_read_only,
    database_blocks,
    publish,
    storage_version,
)

from .conftest import make_build

# The storage version number in a DuckDB file's header (after an 8-byte checksum and the magic "DUCK"):
# DuckDB's version map gives 65 for files readable from v1.2.0 on; DuckDB 1.x reads 64 to 68, 2.0's own
# storage is 999.
HEADER = struct.Struct("<8x4sQ")
HEADER_NUMBER_OF_RELEASE_VERSION = 65


def header_number(path: Path) -> int:
    """The storage version number of ``path``'s header, read from the bytes (no DuckDB open: no lock)."""
    with path.open("rb") as handle:
        magic, number = HEADER.unpack(handle.read(HEADER.size))
    assert magic == b"DUCK", path
    return number


def reported_version(path: Path) -> str:
    """The storage version DuckDB reports for ``path`` (duckdb_databases() tags), opened read-only."""
    with duckdb.connect(str(path), read_only=True) as con:
        return storage_version(con)


def user_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_type = 'BASE TABLE' ORDER BY 1, 2",
        [catalog],
    ).fetchall()


def differing_rows(con: duckdb.DuckDBPyConnection, left: str, right: str, schema: str, table: str) -> int:
    """Rows of one table that are not in the other, both ways (EXCEPT ALL: equal as multisets)."""
    a = f'SELECT * FROM {left}."{schema}"."{table}"'
    b = f'SELECT * FROM {right}."{schema}"."{table}"'
    return sum(
        con.execute(f"SELECT count(*) FROM ({x} EXCEPT ALL {y})").fetchone()[0] for x, y in ((a, b), (b, a))
    )


def test_a_fresh_build_file_is_created_in_the_release_storage_version(tmp_path: Path):
    paths = WarehousePaths(tmp_path / "marts")
    with connect_build(paths) as con:
        assert storage_version(con) == RELEASE_STORAGE_VERSION
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(100000)")
    # A later plain open (as dbt-duckdb's profile opens it) writes on in the file's own version.
    with duckdb.connect(str(paths.build_file)) as con:
        con.execute("CREATE TABLE u AS SELECT i * 2 AS j FROM t")
        con.execute("CHECKPOINT")
    assert reported_version(paths.build_file) == RELEASE_STORAGE_VERSION
    assert header_number(paths.build_file) == HEADER_NUMBER_OF_RELEASE_VERSION


def test_the_build_file_of_a_real_refresh_stays_in_the_release_storage_version(published_tiny):
    paths = WarehousePaths(published_tiny.marts)
    assert header_number(paths.build_file) == HEADER_NUMBER_OF_RELEASE_VERSION
    assert reported_version(paths.build_file) == RELEASE_STORAGE_VERSION
    assert header_number(paths.published.resolve()) == HEADER_NUMBER_OF_RELEASE_VERSION


def test_an_old_build_file_is_rewritten_once_into_the_release_storage_version(tmp_path: Path):
    paths = make_build(tmp_path / "marts")  # a plain duckdb.connect: DuckDB 2.0's default storage
    assert reported_version(paths.build_file) != RELEASE_STORAGE_VERSION
    before = tmp_path / "before.duckdb"
    before.write_bytes(paths.build_file.read_bytes())

    assert compact_build(paths).rebuilt is True
    assert reported_version(paths.build_file) == RELEASE_STORAGE_VERSION
    assert header_number(paths.build_file) == HEADER_NUMBER_OF_RELEASE_VERSION
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{before}' AS old (READ_ONLY)")
        con.execute(f"ATTACH '{paths.build_file}' AS new (READ_ONLY)")
        tables = user_tables(con, "old")
        assert tables == user_tables(con, "new") and len(tables) >= 3
        for schema, table in tables:
            assert differing_rows(con, "old", "new", schema, table) == 0, f"{schema}.{table}"

    # Kept from then on: a compact build in the right version is not rewritten again.
    rewritten = paths.build_file.stat().st_ino
    assert compact_build(paths).rebuilt is False
    assert paths.build_file.stat().st_ino == rewritten


def build_with_a_rebuilt_model(marts: Path) -> tuple[WarehousePaths, float]:
    """A build file in the release storage version as a refresh leaves it after dbt rebuilt a model: a kept
    table, and the blocks of the model's previous table free. Returns the paths and the file's free share."""
    paths = WarehousePaths(marts)
    with connect_build(paths) as con:
        for table in ("kept", "rebuilt_model"):
            con.execute(f"CREATE TABLE {table} AS SELECT range AS i, range::VARCHAR AS s FROM range(300000)")
        con.execute("CHECKPOINT")
        con.execute("DROP TABLE rebuilt_model")
        con.execute("CHECKPOINT")
        total, free = database_blocks(con)
    return paths, free / total


@pytest.mark.parametrize(("margin", "rebuilt"), [(-0.05, True), (+0.05, False)])
def test_the_build_file_is_rebuilt_only_when_more_than_the_free_share_of_its_blocks_are_free(
    tmp_path: Path, margin: float, rebuilt: bool
):
    paths, share = build_with_a_rebuilt_model(tmp_path / "marts")
    assert 0.2 < share < 0.8, share  # the dropped table's blocks, not an empty or a full file
    before = paths.build_file.stat().st_size

    found = compact_build(paths, free_share=share + margin)

    assert found.rebuilt is rebuilt
    assert found.size_bytes == before and found.free_share == pytest.approx(share)
    with connect_read_only(paths.build_file) as con:
        assert con.execute("SELECT count(*), sum(i) FROM kept").fetchone() == (300000, 44999850000)
        total, free = database_blocks(con)
    if rebuilt:
        assert free == 0 and paths.build_file.stat().st_size < before
    else:
        assert free / total == pytest.approx(share) and paths.build_file.stat().st_size == before


def test_publish_compacts_by_the_configured_free_share(tmp_path: Path):
    """One place for the threshold: settings.COMPACT_FREE_SHARE (environment UMKM_COMPACT_FREE_SHARE) is what
    compact_build applies when publish calls it."""
    assert inspect.signature(compact_build).parameters["free_share"].default == COMPACT_FREE_SHARE
    script = "from pipelines.settings import COMPACT_FREE_SHARE as share; print(share)"
    environment = {**os.environ, "UMKM_COMPACT_FREE_SHARE": "0.125"}
    shown = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert float(shown.stdout) == 0.125


def test_a_release_is_a_read_only_byte_copy_with_the_builds_tables(tmp_path: Path):
    paths = make_build(tmp_path / "marts")
    release = publish(paths, uuid.uuid4().hex)
    assert filecmp.cmp(paths.build_file, release, shallow=False)
    assert release.stat().st_mode & 0o222 == 0
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{release}' AS release (READ_ONLY)")
        con.execute(f"ATTACH '{paths.build_file}' AS build (READ_ONLY)")
        tables = user_tables(con, "release")
        assert tables == user_tables(con, "build")
        assert ("marts", "business_counts") in tables
        for schema, table in tables:
            assert differing_rows(con, "release", "build", schema, table) == 0, f"{schema}.{table}"
        comments = (
            "SELECT schema_name, table_name, comment FROM duckdb_tables() "
            "WHERE database_name = ? ORDER BY ALL"
        )
        assert con.execute(comments, ["release"]).fetchall() == con.execute(comments, ["build"]).fetchall()


def test_the_release_of_a_real_refresh_has_the_builds_tables(published_tiny):
    paths = WarehousePaths(published_tiny.marts)
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{paths.published.resolve()}' AS release (READ_ONLY)")
        con.execute(f"ATTACH '{paths.build_file}' AS build (READ_ONLY)")
        tables = user_tables(con, "release")
        assert tables == user_tables(con, "build")
        marts = [(schema, table) for schema, table in tables if schema == "marts"]
        assert len(marts) >= 5, tables
        for schema, table in marts[:6]:
            assert differing_rows(con, "release", "build", schema, table) == 0, f"{schema}.{table}"


def test_publish_refuses_a_release_in_another_storage_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    paths = make_build(tmp_path / "marts")  # DuckDB 2.0's default storage
    # Without the rewrite the copy would be in 2.0 storage, which DuckDB 1.x clients cannot open.
    monkeypatch.setattr(warehouse, "compact_build", lambda paths: warehouse.Compaction(0, 0.0, rebuilt=False))
    with pytest.raises(ReleaseCheckError, match=f"not {RELEASE_STORAGE_VERSION}"):
        publish(paths, uuid.uuid4().hex)
    assert not paths.published.exists() and not paths.published_parquet.exists()
    assert not [p.name for p in paths.releases_dir.iterdir()]  # no release, no .partial left behind
