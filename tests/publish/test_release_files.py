"""The release and its Parquet copies, on a hand-written build (tests/publish/conftest.py): a DuckDB 1.x
client opens the release with its comments, every mart is a Parquet file equal to its table, the pointers
move together at publish and rollback, and pruning and the next refresh's tidying remove folders with their
releases."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.operations.releases import rollback
from pipelines.warehouse import (
    PARQUET_CASTS,
    RELEASES_KEPT,
    WarehousePaths,
    parquet_select,
    publish,
    remove_unpublished,
)

from .conftest import make_build, read_with_duckdb1

MARTS = ("marts.business_counts", "marts.business_totals", "marts.empty_mart")


@pytest.fixture
def published(tmp_path: Path) -> WarehousePaths:
    paths = make_build(tmp_path / "marts")
    publish(paths, uuid.uuid4().hex)
    return paths


def _parquet_files(paths: WarehousePaths) -> dict[str, Path]:
    return {p.name.removesuffix(".parquet"): p for p in sorted(paths.published_parquet.glob("*.parquet"))}


def test_duckdb1_client_opens_the_release_with_its_comments(published: WarehousePaths, duckdb1_python):
    seen = read_with_duckdb1(duckdb1_python, published.published, ("marts", "raw", "meta"))
    assert seen["version"].startswith("1.")
    assert {name: t["rows"] for name, t in seen["tables"].items()} == {
        "marts.business_counts": 3,
        "marts.business_totals": 3,
        "marts.empty_mart": 0,
        "meta.refresh": 1,
        "raw.not_a_mart": 1,
    }
    assert seen["table_comments"] == [["marts.business_counts", "Jumlah usaha per kecamatan dan skala"]]
    assert seen["column_comments"] == [
        ["marts.business_counts.businesses", "Number of businesses (Jumlah usaha)"],
        ["marts.business_counts.kecamatan", "Kecamatan name as in the Kemendagri code list"],
    ]


def test_release_is_read_only_and_in_the_old_storage_version(published: WarehousePaths):
    release = published.published.resolve()
    with duckdb.connect(str(release), read_only=True) as con:
        version = con.execute(
            "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]
    assert version is not None and version.startswith("v1."), version
    assert release.stat().st_mode & 0o222 == 0
    assert not release.with_name(release.name + ".wal").exists()


def test_every_mart_has_a_parquet_copy_equal_to_its_table(published: WarehousePaths):
    files = _parquet_files(published)
    assert sorted(files) == sorted(MARTS)  # marts only: raw and meta are not copied
    assert published.published_parquet.resolve() == published.release_parquet_dir(
        published.published.resolve().name
    )
    with duckdb.connect(str(published.published), read_only=True) as con:
        for name, path in files.items():
            schema, table = name.split(".")
            expected = con.sql(parquet_select(con, schema, table)).to_arrow_table()
            read = pq.read_table(path)  # an independent reader (pyarrow, as pandas uses)
            assert read.num_rows == expected.num_rows, name
            assert read.column_names == expected.column_names, name
            assert read.to_pylist() == expected.to_pylist(), name
            assert path.stat().st_mode & 0o222 == 0
    assert not list(published.published_parquet.glob(".*partial*"))


def test_awkward_types_get_the_documented_casts(published: WarehousePaths):
    schema = pq.read_schema(_parquet_files(published)["marts.business_counts"])
    types = {field.name: str(field.type) for field in schema}
    assert types["revenue"] == "int64"  # HUGEINT -> BIGINT
    assert types["waiting"] == "string"  # INTERVAL -> VARCHAR
    assert types["attributes"] == "string"  # JSON -> VARCHAR
    assert types["businesses"] == "int64" and types["share"] == "double"
    assert types["loaded_at"].startswith("timestamp[") and "UTC" in types["loaded_at"]
    frame = pq.read_table(_parquet_files(published)["marts.business_counts"]).to_pandas()
    assert frame["revenue"].tolist() == [1250000000, 9000000000000000000, -5]
    assert PARQUET_CASTS["HUGEINT"] == "BIGINT"


def test_a_value_that_does_not_fit_the_cast_fails_the_publish(tmp_path: Path):
    paths = make_build(tmp_path / "marts")
    with duckdb.connect(str(paths.build_file)) as con:
        con.execute("INSERT INTO marts.business_counts (kecamatan, revenue) VALUES ('x', 1e30::HUGEINT)")
    with pytest.raises(duckdb.ConversionException):
        publish(paths, uuid.uuid4().hex)
    assert not paths.published.exists() and not paths.published_parquet.exists()


def _publish_in_a_new_second(paths: WarehousePaths) -> Path:
    """Release names carry the publish time to the second (then the run id), and "earlier" is name order: a
    real refresh never publishes twice in one second, these back-to-back publishes can."""
    second = int(time.time())
    while int(time.time()) == second:
        time.sleep(0.05)
    return publish(paths, uuid.uuid4().hex)


def test_rollback_moves_both_pointers_and_pruning_removes_folders(tmp_path: Path):
    paths = make_build(tmp_path / "marts")
    first = publish(paths, uuid.uuid4().hex)
    with duckdb.connect(str(paths.build_file)) as con:
        con.execute("DELETE FROM marts.business_counts WHERE scale = 'menengah'")
    second = _publish_in_a_new_second(paths)
    assert paths.published.resolve() == second
    assert pq.read_table(paths.published_parquet / "marts.business_counts.parquet").num_rows == 2

    rollback(paths)
    assert paths.published.resolve() == first
    assert paths.published_parquet.resolve() == paths.release_parquet_dir(first.name)
    assert pq.read_table(paths.published_parquet / "marts.business_counts.parquet").num_rows == 3

    # A release kept from before the Parquet copies: rolling back to it leaves no published_parquet that
    # would name another release's files.
    paths.releases_dir.chmod(0o755)
    for root, _, _ in os.walk(paths.release_folder(second.name)):
        os.chmod(root, 0o755)
    shutil.rmtree(paths.release_parquet_dir(second.name))
    paths.releases_dir.chmod(0o555)
    rollback(paths, second.name)
    assert paths.published.resolve() == second
    assert not paths.published_parquet.exists() and not paths.published_parquet.is_symlink()

    for _ in range(RELEASES_KEPT + 1):
        _publish_in_a_new_second(paths)
    releases = sorted(paths.releases_dir.glob("warehouse-*.duckdb"))
    folders = sorted(p for p in paths.releases_dir.iterdir() if p.is_dir())
    assert len(releases) == RELEASES_KEPT
    assert [f.name for f in folders] == [r.name.removesuffix(".duckdb") for r in releases]
    assert paths.published_parquet.resolve() == paths.release_parquet_dir(releases[-1].name)


def test_tidying_removes_unpublished_folders_and_partial_files(published: WarehousePaths):
    current = published.published.resolve()
    releases = published.releases_dir
    releases.chmod(0o755)
    orphan = releases / "warehouse-29991231T000000Z-deadbeef" / "parquet"
    orphan.mkdir(parents=True)
    (orphan / ".marts.business_counts.parquet.partial").write_bytes(b"half")
    orphan.chmod(0o555)
    (releases / "warehouse-29991231T000001Z-cafebabe.partial").write_bytes(b"half")
    releases.chmod(0o555)
    removed = remove_unpublished(published)
    assert sorted(removed) == [
        "warehouse-29991231T000000Z-deadbeef/",
        "warehouse-29991231T000001Z-cafebabe.partial",
    ]
    assert sorted(p.name for p in releases.iterdir()) == sorted(
        [current.name, current.name.removesuffix(".duckdb")]
    )
    assert published.published.resolve() == current and published.published_parquet.is_dir()
