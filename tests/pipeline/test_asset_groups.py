"""Dagster shows the pipeline's layers (issue 12): every asset in one of the groups raw, staging,
intermediate, marts_msme, marts_cooperatives, marts_events, quality, publish (none in `default`), the group
following the folder a dbt file lives in; every asset described; the dbt assets' column schemas from their
.yml; storage named as analysts open it (`warehouse.<schema>.<table>`, never the hand-run profile's
`scratch`), and each such name a table of the published warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import AssetKey

from pipelines.warehouse import WarehousePaths

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "dbt_project" / "models"
SEEDS = REPO / "dbt_project" / "seeds"
GROUPS = {
    "raw",
    "staging",
    "intermediate",
    "marts_msme",
    "marts_cooperatives",
    "marts_events",
    "quality",
    "publish",
}


@pytest.fixture(scope="module")
def graph():
    from pipelines.definitions import defs

    return defs.resolve_asset_graph()


def expected_group(model: Path) -> str:
    """The group a model belongs in, from its path alone: models/<layer>/<subject>/...; the quality
    subject (gap flags, their union and history, update checks) is its own group in any layer."""
    layer, subject = model.relative_to(MODELS).parts[:2]
    if subject == "quality":
        return "quality"
    return f"marts_{subject}" if layer == "marts" else layer


def model_files() -> list[Path]:
    return sorted(p for p in MODELS.rglob("*") if p.suffix in {".sql", ".py"})


def test_every_asset_in_a_layer_group_and_every_group_used(graph) -> None:
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert "default" not in groups.values()
    assert set(groups.values()) == GROUPS


@pytest.mark.parametrize("model", model_files(), ids=lambda p: p.stem)
def test_each_model_in_the_group_of_its_folder(graph, model: Path) -> None:
    keys = [k for k in graph.get_all_asset_keys() if k.path[-1] == model.stem]
    assert len(keys) == 1, keys
    assert graph.get(keys[0]).group_name == expected_group(model)


def test_loaded_inputs_are_raw_and_outputs_publish(graph) -> None:
    raw = [
        AssetKey(["raw", "oss_nib"]),  # an ingest asset
        AssetKey(["raw", "ingest_files"]),  # dbt sources every ingest asset writes into
        AssetKey(["raw", "ingest_rejects"]),
        *(AssetKey(["reference", p.stem]) for p in (SEEDS / "reference").glob("*.csv")),
        *(AssetKey(["rules", p.stem]) for p in (SEEDS / "rules").glob("*.csv")),
    ]
    assert {graph.get(key).group_name for key in raw} == {"raw"}
    published = ("published", "export", "dictionary")
    assert {graph.get(AssetKey(["warehouse", n])).group_name for n in published} == {"publish"}


def test_every_asset_described(graph) -> None:
    undescribed = [k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).description]
    assert undescribed == []


def _documented_columns(model: str) -> list[tuple[str, str | None]]:
    spec = yaml.safe_load(next(MODELS.rglob(f"{model}.yml")).read_text(encoding="utf-8"))
    node = next(m for m in spec["models"] if m["name"] == model)
    return [(c["name"], c.get("description")) for c in node.get("columns", [])]


def test_mart_column_schemas_come_from_the_yml(graph) -> None:
    marts = [k for k in graph.get_all_asset_keys() if k.path[0] == "marts"]
    assert len(marts) == len(list((MODELS / "marts").rglob("*.sql"))) - len(
        list((MODELS / "marts").rglob("intermediate/*.sql"))
    )
    for key in marts:
        schema = graph.get(key).metadata["dagster/column_schema"]
        shown = {c.name: c.description or "" for c in schema.columns}
        for name, description in _documented_columns(key.path[-1]):
            assert name in shown, (key, name)
            if description:
                assert " ".join(description.split()) in " ".join(shown[name].split()), (key, name)


def test_storage_is_the_published_warehouse(graph) -> None:
    names = {}
    for key in graph.get_all_asset_keys():
        if key.path[0] == "warehouse":
            continue  # the published file, its export and dictionary: files, not tables
        names[key] = str(graph.get(key).metadata["dagster/table_name"])
    assert all(name == f"warehouse.{'.'.join(key.path)}" for key, name in names.items()), names
    assert not [n for n in names.values() if "scratch" in n]


def test_storage_names_are_tables_of_the_published_file(graph, balikpapan_warehouse) -> None:
    """Each name shown is a table of the published file attached under its published name (DuckDB names a
    file opened through the symlink after the release it points to; `marts.<table>` works either way)."""
    _, marts = balikpapan_warehouse
    shown = {
        tuple(str(graph.get(key).metadata["dagster/table_name"]).split("."))
        for key in graph.get_all_asset_keys()
        if key.path[0] != "warehouse"
    }
    published = WarehousePaths(marts.resolve()).published
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{published}' AS warehouse (READ_ONLY)")
        sql = "SELECT table_catalog, table_schema, table_name FROM information_schema.tables"
        tables = set(con.execute(sql).fetchall())
    assert len(shown) > 60
    assert shown - tables == set()
