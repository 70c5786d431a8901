"""Issue 12 for the MSME and event marts, on the refreshed Balikpapan sample: every code an analyst reads has
its Indonesian label beside it, equal to the label in its seed (read here from the seed files, not from the
warehouse); every column is documented (English description, Indonesian meta.label_id) in its model's .yml,
with a model example query that runs; the deprecated names equal the new ones; the KBLI-category breakdown and
the kuliner grouping are both there and differ exactly by the food and drink divisions."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

DBT = Path(__file__).resolve().parents[2] / "dbt_project"
SEEDS = DBT / "seeds"
MART_DIRS = (DBT / "models" / "marts" / "msme", DBT / "models" / "marts" / "events")
UNKNOWN = ("tidak_diketahui", "Tidak diketahui")

# (mart, code column, label column, label set): every *_label column of the msme_* / event_* marts.
LABELLED = [
    ("msme_businesses", "scale", "scale_label", "scale"),
    ("msme_businesses", "kbli_category", "kbli_category_label", "kbli_category"),
    ("msme_businesses", "kbli_division", "kbli_division_label", "kbli_division"),
    ("msme_businesses", "sector_group", "sector_group_label", "sector_group"),
    ("msme_business_counts", "scale", "scale_label", "scale"),
    ("msme_business_counts", "kbli_category", "kbli_category_label", "kbli_category"),
    ("msme_business_counts", "kbli_division", "kbli_division_label", "kbli_division"),
    ("msme_business_counts", "sector_group", "sector_group_label", "sector_group"),
    ("msme_sectors", "sector_group", "sector_group_label", "sector_group"),
    ("msme_kbli_categories", "kbli_category", "kbli_category_label", "kbli_category"),
    ("msme_permits", "business_scale", "business_scale_label", "scale"),
    ("msme_permits", "kbli_category", "kbli_category_label", "kbli_category"),
    ("msme_permits", "kbli_division", "kbli_division_label", "kbli_division"),
    ("msme_permits", "sector_group", "sector_group_label", "sector_group"),
    ("msme_permits", "risk_level", "risk_level_label", "risk_level"),
    ("msme_permit_counts", "business_scale", "business_scale_label", "scale"),
    ("msme_permit_counts", "kbli_category", "kbli_category_label", "kbli_category"),
    ("msme_permit_counts", "kbli_division", "kbli_division_label", "kbli_division"),
    ("msme_permit_counts", "sector_group", "sector_group_label", "sector_group"),
    ("msme_permit_counts", "risk_level", "risk_level_label", "risk_level"),
    ("event_participation_by_segment", "scale", "scale_label", "scale"),
    ("event_participation_by_segment", "kbli_category", "kbli_category_label", "kbli_category"),
    ("event_msme_attendance", "scale", "scale_label", "scale"),
    ("event_msme_attendance", "kbli_category", "kbli_category_label", "kbli_category"),
    ("event_msme_attendance", "sector_group", "sector_group_label", "sector_group"),
]

# (mart, column kept for existing queries, the column that replaces it): equal on every row.
DEPRECATED = [
    ("msme_businesses", "is_new_registration", "is_recent_registration"),
    ("msme_businesses", "sector_label", "sector_group_label"),
    ("msme_business_counts", "new_businesses", "recent_businesses"),
    ("msme_sectors", "new_businesses", "recent_businesses"),
    ("msme_sectors", "rank_by_new_businesses", "rank_by_recent_businesses"),
    ("msme_sectors", "sector_label", "sector_group_label"),
    ("event_participation_by_segment", "kbli_category_title", "kbli_category_label"),
]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _active_scale_rule_set() -> str:
    return yaml.safe_load((DBT / "dbt_project.yml").read_text())["vars"]["msme_scale_rule_set"]


def seed_labels() -> dict[str, dict[str, str]]:
    """label set -> code -> Indonesian label, straight from the seed files."""
    kbli = list(_rows(SEEDS / "reference" / "kbli_2020.csv"))
    categories = {r["kode"]: r["judul"] for r in kbli if r["tingkat"] == "kategori"}
    rule_set, rules = _active_scale_rule_set(), SEEDS / "rules"
    labels = {
        "scale": {
            r["scale"]: r["scale_label"]
            for r in _rows(rules / "msme_scale_thresholds.csv")
            if r["rule_set"] == rule_set
        },
        "kbli_category": categories,
        "kbli_division": {r["kode"]: r["judul"] for r in kbli if r["tingkat"] == "golongan_pokok"},
        "sector_group": {
            **categories,
            **{
                r["sector_group"]: r["sector_label"]
                for r in _rows(SEEDS / "rules" / "kbli_sector_groups.csv")
            },
        },
        "risk_level": {
            r["risk_level"]: r["risk_label"] for r in _rows(SEEDS / "rules" / "oss_risk_levels.csv")
        },
    }
    for codes in labels.values():
        codes[UNKNOWN[0]] = UNKNOWN[1]
    return labels


def model_docs() -> dict[str, dict]:
    docs = {}
    for folder in MART_DIRS:
        for path in folder.glob("*.yml"):
            for model in yaml.safe_load(path.read_text())["models"]:
                docs[model["name"]] = model
    return docs


def _meta(node: dict) -> dict:
    """meta as dbt reads it: under config (dbt 1.10+) or, older style, beside description."""
    return {**node.get("meta", {}), **node.get("config", {}).get("meta", {})}


@pytest.fixture(scope="module")
def con(balikpapan_warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    _, marts = balikpapan_warehouse
    with duckdb.connect(str(marts / "warehouse.duckdb"), read_only=True) as connection:
        yield connection


def published_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        """SELECT table_name, column_name FROM duckdb_columns()
           WHERE schema_name = 'marts' AND (table_name LIKE 'msme\\_%' ESCAPE '\\'
                                            OR table_name LIKE 'event\\_%' ESCAPE '\\')
           ORDER BY table_name, column_index"""
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_every_label_column_is_checked(con):
    """A new *_label column without a line in LABELLED fails here (deprecated aliases are checked below)."""
    labelled = {(mart, label) for mart, _, label, _ in LABELLED}
    aliases = {(mart, old) for mart, old, _ in DEPRECATED}
    published = {
        (table, column)
        for table, columns in published_columns(con).items()
        for column in columns
        if column.endswith("_label") and (table, column) not in aliases
    }
    assert published == labelled


@pytest.mark.parametrize(("mart", "code", "label", "label_set"), LABELLED)
def test_label_beside_its_code_equals_the_seed(con, mart, code, label, label_set):
    columns = published_columns(con)[mart]
    assert columns.index(label) == columns.index(code) + 1, f"{label} is not right after {code}"
    pairs = con.execute(
        f"SELECT DISTINCT {code}, {label} FROM marts.{mart} WHERE {code} IS NOT NULL"
    ).fetchall()
    assert pairs, f"marts.{mart} has no {code}"
    expected = seed_labels()[label_set]
    wrong = [(c, got, expected.get(c)) for c, got in pairs if got is None or got != expected.get(c)]
    assert not wrong, wrong[:5]


def test_label_is_null_only_where_the_code_is(con):
    for mart, code, label, _ in LABELLED:
        (n,) = con.execute(
            f"SELECT count(*) FROM marts.{mart} WHERE ({code} IS NULL) <> ({label} IS NULL)"
        ).fetchone()
        assert n == 0, (mart, code)


@pytest.mark.parametrize(("mart", "old", "new"), DEPRECATED)
def test_deprecated_alias_equals_the_new_column(con, mart, old, new):
    total, differ = con.execute(
        f"SELECT count(*), count(*) FILTER ({old} IS DISTINCT FROM {new}) FROM marts.{mart}"
    ).fetchone()
    assert total > 0
    assert differ == 0
    description = {c["name"]: c["description"] for c in model_docs()[mart]["columns"]}[old]
    assert description.startswith("DEPRECATED alias of " + new)


def test_every_column_is_documented_with_an_indonesian_label(con):
    docs = model_docs()
    published = published_columns(con)
    assert published, "no msme_* / event_* marts published"
    missing = []
    for table, columns in published.items():
        model = docs.get(table)
        assert model is not None, f"no .yml for marts.{table}"
        assert model.get("description", "").strip(), table
        documented = {c["name"]: c for c in model.get("columns", [])}
        for column in columns:
            doc = documented.get(column, {})
            if not doc.get("description", "").strip() or not _meta(doc).get("label_id", "").strip():
                missing.append(f"{table}.{column}")
        assert set(documented) <= set(columns), f"{table}: documented columns not in the mart"
    assert not missing, missing


def test_every_example_query_runs_and_returns_rows(con):
    published = published_columns(con)
    for name, model in model_docs().items():
        query = _meta(model).get("example_query", "")
        assert f"marts.{name}" in query, name
        assert name in published
        assert con.execute(query).fetchall(), f"the example query of {name} returns nothing"


def test_kbli_category_and_kuliner_grouping_are_two_breakdowns(con):
    """The issue's misreading: C in msme_sectors (food and drink manufacturing moved to kuliner) is smaller
    than KBLI category C. Both are queryable without joins, and they differ by exactly divisions 10-11."""
    (category_c,) = con.execute(
        "SELECT businesses FROM marts.msme_kbli_categories WHERE kbli_category = 'C'"
    ).fetchone()
    (sector_c,) = con.execute("SELECT businesses FROM marts.msme_sectors WHERE sector_group = 'C'").fetchone()
    (food_manufacturing,) = con.execute(
        "SELECT count(*) FROM marts.msme_businesses WHERE kbli_division IN ('10', '11')"
    ).fetchone()
    assert food_manufacturing > 0
    assert category_c - sector_c == food_manufacturing
    (counts_c,) = con.execute(
        "SELECT sum(businesses) FROM marts.msme_business_counts WHERE kbli_category = 'C'"
    ).fetchone()
    assert counts_c == category_c
    totals = con.execute(
        "SELECT (SELECT sum(businesses) FROM marts.msme_kbli_categories), "
        "(SELECT sum(businesses) FROM marts.msme_sectors), (SELECT count(*) FROM marts.msme_businesses)"
    ).fetchone()
    assert len(set(totals)) == 1, totals


# (mart, kecamatan code column, its name column): the official Kemendagri name beside every kecamatan code.
KECAMATAN_NAMED = [
    ("msme_businesses", "kecamatan_code", "kecamatan_official_name"),
    ("msme_business_counts", "kecamatan_code", "kecamatan_name"),
    ("msme_permits", "kecamatan_code", "kecamatan_official_name"),
    ("msme_permit_counts", "kecamatan_code", "kecamatan_name"),
    ("event_msme_attendance", "kecamatan_code", "kecamatan_name"),
    ("event_permit_followup", "kecamatan_code", "kecamatan_name"),
]


@pytest.mark.parametrize(("mart", "code", "name"), KECAMATAN_NAMED)
def test_kecamatan_code_has_its_official_name(con, mart, code, name):
    official = {
        r["kode"]: r["nama"]
        for r in _rows(SEEDS / "reference" / "wilayah_kemendagri_2025.csv")
        if r["tingkat"] == "kecamatan"
    }
    query = f"SELECT DISTINCT {code}, {name} FROM marts.{mart} WHERE {code} IS NOT NULL"
    pairs = con.execute(query).fetchall()
    assert pairs, f"marts.{mart} has no {code}"
    wrong = [(c, got) for c, got in pairs if got != official.get(c)]
    assert not wrong, wrong[:5]
