"""What the data dictionary says about each mart, read from the refresh's own dbt artifacts: the manifest
(descriptions, `meta.label_id`, `meta.values`, a model's `meta.example_query`, accepted_values tests) and the
catalog (the columns the built table really has, their order and types).

Any of these may be missing (a column nobody described yet, a model without an example, no catalog when
`dbt docs generate` could not read the build): the dictionary then says so instead of failing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARTS_SCHEMA = "marts"
# Subjects of models/marts/<subject>/, in the order the dictionary shows them, with their Indonesian titles.
SUBJECTS = {
    "msme": "UMKM",
    "cooperatives": "Koperasi",
    "events": "Kegiatan",
    "quality": "Kualitas data",
}


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    data_type: str | None = None
    label: str | None = None  # meta.label_id (Indonesian)
    description: str | None = None  # English, from the model's .yml
    values: list[tuple[str, str | None]] = field(default_factory=list)  # (value, its label if known)


@dataclass(frozen=True)
class TableDoc:
    schema: str
    name: str
    subject: str
    label: str | None
    description: str | None
    example_query: str | None
    columns: list[ColumnDoc]

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"


def meta_of(props: Mapping[str, Any]) -> dict[str, Any]:
    """meta of a node or column: dbt 1.10+ keeps it under config.meta, older projects at the top level."""
    return {**(props.get("meta") or {}), **((props.get("config") or {}).get("meta") or {})}


def text_or_none(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def value_list(values: Any) -> list[tuple[str, str | None]]:
    """meta.values in any of the shapes a .yml may give them: {code: label}, [code, ...],
    [{value|code: ..., label|label_id: ...}, ...] or one sentence. Returns (value, label) pairs."""
    if values is None:
        return []
    if isinstance(values, Mapping):
        return [(str(k), text_or_none(v)) for k, v in values.items()]
    if isinstance(values, list | tuple):
        pairs = []
        for item in values:
            if isinstance(item, Mapping):
                value = next((item[k] for k in ("value", "code", "name") if k in item), None)
                label = next((item[k] for k in ("label_id", "label", "description") if k in item), None)
                if value is None and len(item) == 1:  # [{code: label}, ...]
                    value, label = next(iter(item.items()))
                pairs.append((str(value), text_or_none(label)))
            else:
                pairs.append((str(item), None))
        return pairs
    return [(str(values), None)]


def _accepted_values(manifest: Mapping[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(model unique_id, column) -> the values its accepted_values test allows."""
    found: dict[tuple[str, str], list[str]] = {}
    for node in manifest.get("nodes", {}).values():
        metadata = node.get("test_metadata") or {}
        if node.get("resource_type") != "test" or metadata.get("name") != "accepted_values":
            continue
        kwargs = metadata.get("kwargs") or {}
        values = kwargs.get("values") or (kwargs.get("arguments") or {}).get("values")
        column = node.get("column_name") or kwargs.get("column_name")
        attached = node.get("attached_node")
        if attached and column and isinstance(values, list):
            found[(attached, column)] = [str(v) for v in values]
    return found


def _catalog_columns(catalog: Mapping[str, Any] | None, unique_id: str) -> list[tuple[str, str | None]]:
    """(name, type) of the built table's columns in table order, or [] when the catalog lacks it."""
    entry = ((catalog or {}).get("nodes") or {}).get(unique_id) or {}
    columns = sorted((entry.get("columns") or {}).values(), key=lambda c: c.get("index") or 0)
    return [(c["name"], c.get("type")) for c in columns]


def _subject(node: Mapping[str, Any]) -> str:
    folders = list(node.get("fqn", []))[1:-1]  # [project, "marts", subject, ..., name]
    return folders[1] if len(folders) > 1 and folders[0] == "marts" else "other"


def mart_tables(manifest: Mapping[str, Any], catalog: Mapping[str, Any] | None = None) -> list[TableDoc]:
    """Every model published in schema marts, by subject then name, each with every column the built table
    has (the catalog's, in table order) plus any the .yml documents but the catalog does not know."""
    accepted = _accepted_values(manifest)
    tables = []
    for unique_id, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model" or node.get("schema") != MARTS_SCHEMA:
            continue
        meta = meta_of(node)
        documented = {name.lower(): props for name, props in (node.get("columns") or {}).items()}
        built = _catalog_columns(catalog, unique_id)
        names = [(name, data_type) for name, data_type in built]
        known = {name.lower() for name, _ in built}
        names += [(props.get("name") or key, None) for key, props in documented.items() if key not in known]
        columns = []
        for name, data_type in names:
            props = documented.get(name.lower(), {})
            column_meta = meta_of(props)
            values = value_list(column_meta.get("values"))
            if not values and (unique_id, name) in accepted:
                values = [(v, None) for v in accepted[(unique_id, name)]]
            columns.append(
                ColumnDoc(
                    name=name,
                    data_type=data_type or props.get("data_type"),
                    label=text_or_none(column_meta.get("label_id")),
                    description=text_or_none(props.get("description")),
                    values=values,
                )
            )
        query = meta.get("example_query")
        tables.append(
            TableDoc(
                schema=node["schema"],
                name=node.get("alias") or node["name"],
                subject=_subject(node),
                label=text_or_none(meta.get("label_id")),
                description=text_or_none(node.get("description")),
                example_query=str(query).strip() if query and str(query).strip() else None,
                columns=columns,
            )
        )
    order = list(SUBJECTS)
    return sorted(
        tables,
        key=lambda t: (order.index(t.subject) if t.subject in order else len(order), t.name),
    )


def load_tables(manifest_path: Path, catalog_path: Path | None) -> list[TableDoc]:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    catalog = None
    if catalog_path is not None and catalog_path.exists():
        catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    return mart_tables(manifest, catalog)
