"""Issue 12: the published warehouse explains itself where analysts look (DBeaver, `duckdb_columns()`):
every mart and every mart column carries a comment, the raw tables' provenance columns too; every
`<code>_label` column sits right after its code and holds the label its seed gives; each mart's
`meta.example_query` runs and returns rows.

All checks read the PUBLISHED file of the shared refreshed Balikpapan sample (tests/conftest.py), opened
read-only as analysts open it. Checks are per mart so that a failure names the mart."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.dbt_project import DBT_PROJECT_DIR, ensure_manifest
from pipelines.warehouse import READ_ONLY_CONFIG, WarehousePaths

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
RULES = DBT_PROJECT_DIR / "seeds" / "rules"
# Every mart model (a .sql under models/marts/ outside an intermediate/ folder): known at collection time,
# so a mart missing from the published file fails here instead of being skipped.
MARTS = sorted(p.stem for p in MARTS_DIR.rglob("*.sql") if "intermediate" not in p.parts)
PROVENANCE = ("_file_id", "_path", "_sheet", "_row_number", "_file_hash", "_file_date")
# Label columns that are not "<code>_label" of a column before them: documented aliases.
ALIASES = {("data_quality_gaps", "gap_label"): "gap_type_label"}


@pytest.fixture(scope="module")
def published(balikpapan_warehouse: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    _, marts = balikpapan_warehouse
    con = duckdb.connect(str(WarehousePaths(marts).published), read_only=True, config=READ_ONLY_CONFIG)
    yield con
    con.close()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str | None]]:
    return con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        "ORDER BY column_index",
        [schema, table],
    ).fetchall()


def test_every_mart_is_published(published: duckdb.DuckDBPyConnection) -> None:
    query = "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'"
    tables = {name for (name,) in published.execute(query).fetchall()}
    assert tables == set(MARTS)


@pytest.mark.parametrize("mart", MARTS)
def test_mart_and_every_column_carry_a_comment(published: duckdb.DuckDBPyConnection, mart: str) -> None:
    (comment,) = published.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?", [mart]
    ).fetchone()
    assert comment and comment.strip(), f"marts.{mart} has no table comment"
    columns = _columns(published, "marts", mart)
    assert columns
    missing = [name for name, comment in columns if not (comment and comment.strip())]
    assert not missing, f"marts.{mart}: {len(missing)} of {len(columns)} columns without a comment: {missing}"


def test_raw_provenance_columns_carry_a_comment(published: duckdb.DuckDBPyConnection) -> None:
    rows = published.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() "
        "WHERE schema_name = 'raw' AND column_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(PROVENANCE)],
    ).fetchall()
    tables = {table for table, _, _ in rows}
    # the landed families of the sample: permits (3), cooperatives (2), events (3)
    assert len(tables) >= 8, tables
    assert len(rows) == len(tables) * len(PROVENANCE)
    missing = [f"raw.{t}.{column}" for t, column, comment in rows if not (comment and comment.strip())]
    assert not missing
    (path_comment,) = {comment for _, column, comment in rows if column == "_path"}
    assert "raw file" in path_comment and "Berkas sumber" in path_comment
    rejects = dict(_columns(published, "raw", "ingest_rejects"))
    assert all(rejects[c] for c in ("path", "sheet", "row_number", "file_hash")), rejects


@pytest.mark.parametrize("mart", MARTS)
def test_label_columns_sit_right_after_their_code(published: duckdb.DuckDBPyConnection, mart: str) -> None:
    names = [name for name, _ in _columns(published, "marts", mart)]
    for position, name in enumerate(names):
        before = ALIASES.get((mart, name), name.removesuffix("_label"))
        # a *_label without a code column of that name is a readable name, not a code's label (record_label)
        if not name.endswith("_label") or before not in names:
            continue
        assert position > 0 and names[position - 1] == before, f"marts.{mart}.{name} does not follow {before}"
    # the code labels this branch adds are all there (a missing one would pass the loop above silently)
    for table, code in EXPECTED_LABELS:
        if table == mart:
            assert f"{code}_label" in names, f"marts.{mart} has no {code}_label"


def _seed(name: str) -> list[dict[str, str]]:
    with (RULES / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _code_labels(seed: str, code_set: str) -> dict[str, str]:
    return {row["code"]: row["label"] for row in _seed(seed) if row["code_set"] == code_set}


def _expected_labels() -> dict[tuple[str, str], dict[str | None, str | None]]:
    """(mart, code column) -> {code: label}, straight from the seed CSVs (not through the warehouse)."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    variables = project["vars"]
    years = variables["cooperative_inactive_after_years"]
    jenis = {row["jenis"]: row["jenis_label"] for row in _seed("cooperative_jenis")}
    jenis |= _code_labels("cooperative_code_labels", "jenis")
    categories = {
        row["category"]: row["category_label"]
        for row in _seed("cooperative_health_bands")
        if row["bands_version"] == variables["cooperative_health_bands_version"]
    } | _code_labels("cooperative_code_labels", "category")
    rules = _code_labels("cooperative_code_labels", "active_rule")
    rules[f"rat_{years}_years"] = rules.pop("rat_n_years").replace("{n}", str(years))
    digital = _code_labels("cooperative_code_labels", "reports_digitally")
    digital_by_value: dict[str | None, str | None] = {
        True: digital["true"],
        False: digital["false"],
        None: digital["unknown"],
    }
    state = {
        "jenis": jenis,
        "bentuk": _code_labels("cooperative_code_labels", "bentuk"),
        "status_recorded": {None: None} | _code_labels("cooperative_code_labels", "status"),
        "activity": _code_labels("cooperative_code_labels", "activity"),
        "active_rule": rules,
        "reports_digitally": digital_by_value,
    }
    expected: dict[tuple[str, str], dict] = {}
    for mart in ("cooperatives", "cooperative_history"):
        expected |= {(mart, column): labels for column, labels in state.items()}
    expected[("cooperative_recap", "jenis")] = jenis
    expected[("cooperative_recap", "bentuk")] = state["bentuk"]
    expected[("cooperative_changes", "change_type")] = _code_labels("cooperative_code_labels", "change_type")
    expected[("cooperative_changes", "jenis")] = jenis
    expected[("cooperative_health_assessments", "category")] = categories
    expected[("cooperative_health_assessments", "category_source")] = _code_labels(
        "cooperative_code_labels", "category_source"
    )
    expected[("cooperative_health_by_year", "category")] = categories
    gap_types = {row["gap_type"]: row["label"] for row in _seed("gap_types")}
    expected[("data_quality_gaps", "gap_type")] = gap_types
    expected[("data_quality_gaps", "severity")] = _code_labels("gap_code_labels", "severity")
    expected[("data_quality_gaps", "source")] = _code_labels("gap_code_labels", "source")
    return expected


EXPECTED_LABELS = _expected_labels()


@pytest.mark.parametrize(("mart", "code"), sorted(EXPECTED_LABELS), ids=lambda v: v)
def test_label_equals_the_seed_label(published: duckdb.DuckDBPyConnection, mart: str, code: str) -> None:
    pairs = published.execute(f'SELECT DISTINCT "{code}", "{code}_label" FROM marts."{mart}"').fetchall()
    assert pairs, f"marts.{mart} is empty: nothing to compare"
    labels = EXPECTED_LABELS[(mart, code)]
    wrong = [(value, label) for value, label in pairs if value not in labels or labels[value] != label]
    assert not wrong, f"marts.{mart}.{code}_label differs from the seed: {wrong}"
    # a code whose label is missing would show as NULL beside a value: only a NULL status has no label
    assert all(label is not None for value, label in pairs if value is not None)


def test_gap_label_is_the_same_text_as_gap_type_label(published: duckdb.DuckDBPyConnection) -> None:
    (differing,) = published.execute(
        "SELECT count(*) FROM marts.data_quality_gaps WHERE gap_label IS DISTINCT FROM gap_type_label"
    ).fetchone()
    assert differing == 0


def test_cooperative_number_gap_names_no_personal_nik(published: duckdb.DuckDBPyConnection) -> None:
    rows = published.execute(
        "SELECT gap_type_label, message FROM marts.data_quality_gaps WHERE gap_type = 'nik_malformed'"
    ).fetchall()
    assert rows, "the sample flags malformed cooperative numbers"
    for label, message in rows:
        assert label == "Nomor Induk Koperasi salah format"
        assert "Nomor Induk Koperasi" in message and "NIK" not in message.replace("Nomor Induk Koperasi", "")


def _example_queries() -> dict[str, str | None]:
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    return {
        node["name"]: (node.get("meta") or node["config"].get("meta") or {}).get("example_query")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] in MARTS
    }


@pytest.mark.parametrize("mart", MARTS)
def test_example_query_runs_and_returns_rows(published: duckdb.DuckDBPyConnection, mart: str) -> None:
    query = _example_queries().get(mart)
    assert query, f"marts.{mart} has no meta.example_query in its .yml"
    assert f"marts.{mart}" in query
    assert published.execute(query).fetchall(), f"the example query of marts.{mart} returns no rows"


def _model_labels() -> dict[str, str | None]:
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    return {
        node["name"]: (node.get("meta") or node["config"].get("meta") or {}).get("label_id")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] in MARTS
    }


@pytest.mark.parametrize("mart", MARTS)
def test_mart_has_an_indonesian_title(mart: str) -> None:
    # The data dictionary's heading for the table; without it the page says "belum ada label".
    label = _model_labels().get(mart)
    assert label and label.strip(), f"marts.{mart} has no model-level meta.label_id in its .yml"
