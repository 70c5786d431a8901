"""A renamed or removed dbt model leaves no stale table behind in the persistent build file (and so none in
the published warehouse)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.dbt_project import built_relations, ensure_manifest
from pipelines.warehouse import drop_orphan_relations


def test_orphans_in_dbt_schemas_are_dropped_and_nothing_else(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    for schema in ("intermediate", "marts", "raw", "meta"):
        con.execute(f"CREATE SCHEMA {schema}")
    con.execute("CREATE TABLE intermediate.int_kept AS SELECT 1 AS x")
    con.execute("CREATE TABLE intermediate.int_renamed_away AS SELECT 1 AS x")
    con.execute("CREATE VIEW marts.old_view AS SELECT 1 AS x")
    con.execute("CREATE TABLE marts.kept_mart AS SELECT 1 AS x")
    con.execute("CREATE TABLE raw.oss_nib AS SELECT 1 AS x")  # landed by ingest, not dbt
    con.execute("CREATE TABLE meta.refresh AS SELECT 1 AS x")  # written by the publish step
    built = {("intermediate", "int_kept"), ("marts", "kept_mart")}

    dropped = drop_orphan_relations(con, built)

    assert dropped == ["intermediate.int_renamed_away", "marts.old_view"]
    left = con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in left] == ["intermediate.int_kept", "marts.kept_mart", "meta.refresh", "raw.oss_nib"]
    assert drop_orphan_relations(con, built) == []


def test_the_manifest_names_the_models_and_seeds_as_built() -> None:
    built = built_relations(ensure_manifest())
    assert ("marts", "msme_businesses") in built
    assert ("intermediate", "int_region_names_keyed") in built
    assert ("reference", "kbli_2020") in built
    assert ("intermediate", "int_regions__name_lookup") not in built  # renamed in issue 9
    assert not {schema for schema, _ in built} & {"raw", "meta"}
