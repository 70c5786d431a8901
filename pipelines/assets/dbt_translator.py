"""How dbt's seeds, sources and models appear in Dagster: grouped by layer and subject, described in the
analysts' words, with their column schema, and stored where analysts find them (the published warehouse).

dagster-dbt's defaults put every dbt node in group `default` and name its storage after the database the
manifest was parsed against (`scratch.marts...`, the hand-run profile's file): neither tells a reader where
a table sits in the pipeline or where to open it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetKey, AssetSpec, TableColumn, TableSchema
from dagster_dbt import DagsterDbtTranslator

from pipelines.docs.catalog import meta_of

# The catalog name of the published file `warehouse.duckdb` attached under its own name (`ATTACH
# '<marts>/warehouse.duckdb' AS warehouse`); `marts.<table>` alone works in any client.
PUBLISHED_CATALOG = "warehouse"
# Dagster's documented metadata keys for where an asset is stored and what columns it has.
TABLE_NAME, COLUMN_SCHEMA = "dagster/table_name", "dagster/column_schema"
# Asset groups in pipeline order (tests/pipeline/test_asset_groups.py pins them).
RAW, STAGING, INTERMEDIATE, QUALITY, PUBLISH = "raw", "staging", "intermediate", "quality", "publish"
MART_SUBJECTS = ("msme", "cooperatives", "events")
GROUPS = (RAW, STAGING, INTERMEDIATE, *(f"marts_{s}" for s in MART_SUBJECTS), QUALITY, PUBLISH)


def layer_group(props: Mapping[str, Any]) -> str:
    """The asset group of a dbt node, from what it is and the folder it lives in (its fqn):
    seeds (code lists, rule tables) and sources (raw.ingest_files, raw.ingest_rejects) are loaded as they
    are: raw; models/staging: staging; models/intermediate/quality and models/marts/quality (the gap flags,
    their union and history, the update checks): quality; other intermediate models: intermediate;
    models/marts/<subject>: marts_<subject>."""
    if props["resource_type"] in {"seed", "source"}:
        return RAW
    folders = list(props.get("fqn", []))[1:-1]  # [project, folder..., name]
    layer = folders[0] if folders else ""
    subject = folders[1] if len(folders) > 1 else ""
    if subject == QUALITY and layer in {"intermediate", "marts"}:
        return QUALITY
    if layer == "marts":
        return f"marts_{subject}"
    return layer or INTERMEDIATE


def published_table_name(props: Mapping[str, Any]) -> str:
    """`warehouse.<schema>.<table>`: the name analysts query once the build is published."""
    name = props["name"] if props["resource_type"] == "source" else props.get("alias") or props["name"]
    return f"{PUBLISHED_CATALOG}.{props['schema']}.{name}"


def _column_description(column: Mapping[str, Any]) -> str | None:
    """The column's English description, after its Indonesian label when it has one."""
    label = meta_of(column).get("label_id")
    text = (column.get("description") or "").strip()
    parts = [f"{label}." if label else "", text]
    return " ".join(p for p in parts if p) or None


class WarehouseTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return layer_group(dbt_resource_props)

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        label = meta_of(dbt_resource_props).get("label_id")
        lines = [
            f"**{label}**" if label else "",
            f"Published as `{published_table_name(dbt_resource_props)}`.",
            # The SQL under a model's description (dagster-dbt's default); a seed or source has none.
            super().get_description(dbt_resource_props)
            if dbt_resource_props["resource_type"] == "model"
            else dbt_resource_props.get("description"),
        ]
        return "\n\n".join(line for line in lines if line)

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        metadata = dict(super().get_metadata(dbt_resource_props))
        columns = dbt_resource_props.get("columns") or {}
        schema = (
            TableSchema(
                columns=[
                    TableColumn(
                        name=name,
                        type=column.get("data_type") or "?",
                        description=_column_description(column),
                        tags={tag: "" for tag in column.get("tags", [])},
                    )
                    for name, column in columns.items()
                ]
            )
            if columns
            else None
        )
        metadata[TABLE_NAME] = published_table_name(dbt_resource_props)
        if schema is not None:
            metadata[COLUMN_SCHEMA] = schema
        return metadata


def source_specs(manifest_path: Path, produced: set[AssetKey]) -> list[AssetSpec]:
    """The dbt sources no Python asset declares (raw.ingest_files, raw.ingest_rejects: every ingest asset
    writes rows into them), as asset specs of their own: otherwise Dagster shows them as stubs in group
    `default`, without description or columns."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    translator = WarehouseTranslator()
    specs = [translator.get_asset_spec(manifest, unique_id, None) for unique_id in manifest["sources"]]
    return [spec.replace_attributes(deps=[]) for spec in specs if spec.key not in produced]
