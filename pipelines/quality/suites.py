"""Expectation suites (Great Expectations 1.x JSON) in ``expectations/``: one per raw source table and mart.

A suite file::

    {"name": "raw.oss_nib",                      # the relation it validates (schema.table)
     "meta": {"file_column": "_path", "row_column": "_row_number", "key_columns": ["nib"]},   # optional
     "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nib"},
         "severity": "critical",                 # critical blocks the publish; warning is reported
         "notes": "NIB wajib ada"}               # optional: what the rule means, in Indonesian
     ]}

``type`` and ``kwargs`` are GE 1.x expectation names and arguments (``{"$PARAMETER": "today"}`` works as in
GE).
Only the types in :data:`SUPPORTED_TYPES` are allowed: the gate evaluates them in DuckDB SQL
(``pipelines/quality/sql.py``), never by pulling rows into pandas.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).resolve().parent.parent.parent / "expectations"
SEVERITIES = ("critical", "warning")

# type -> (required kwargs, optional kwargs)
SUPPORTED_TYPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "expect_table_row_count_to_be_between": (frozenset(), frozenset({"min_value", "max_value"})),
    "expect_table_columns_to_match_set": (frozenset({"column_set"}), frozenset({"exact_match"})),
    "expect_column_to_exist": (frozenset({"column"}), frozenset()),
    "expect_column_values_to_not_be_null": (frozenset({"column"}), frozenset({"mostly"})),
    "expect_column_values_to_be_null": (frozenset({"column"}), frozenset({"mostly"})),
    "expect_column_values_to_be_in_set": (frozenset({"column", "value_set"}), frozenset({"mostly"})),
    "expect_column_values_to_not_be_in_set": (frozenset({"column", "value_set"}), frozenset({"mostly"})),
    "expect_column_values_to_be_between": (
        frozenset({"column"}),
        frozenset({"min_value", "max_value", "strict_min", "strict_max", "mostly"}),
    ),
    "expect_column_values_to_match_regex": (frozenset({"column", "regex"}), frozenset({"mostly"})),
    "expect_column_values_to_not_match_regex": (frozenset({"column", "regex"}), frozenset({"mostly"})),
    "expect_column_value_lengths_to_equal": (frozenset({"column", "value"}), frozenset({"mostly"})),
    "expect_column_values_to_be_unique": (frozenset({"column"}), frozenset({"mostly"})),
    "expect_compound_columns_to_be_unique": (frozenset({"column_list"}), frozenset({"mostly"})),
    "expect_column_pair_values_a_to_be_greater_than_b": (
        frozenset({"column_A", "column_B"}),
        frozenset({"or_equal", "ignore_row_if", "mostly"}),
    ),
    "expect_column_pair_values_to_be_equal": (
        frozenset({"column_A", "column_B"}),
        frozenset({"ignore_row_if", "mostly"}),
    ),
    "expect_column_min_to_be_between": (frozenset({"column"}), frozenset({"min_value", "max_value"})),
    "expect_column_max_to_be_between": (frozenset({"column"}), frozenset({"min_value", "max_value"})),
    "expect_column_sum_to_be_between": (frozenset({"column"}), frozenset({"min_value", "max_value"})),
}


class SuiteError(ValueError):
    """A suite file that the gate cannot run (unknown type, missing kwarg, bad severity)."""


@dataclass(frozen=True)
class Expectation:
    type: str
    kwargs: Mapping[str, Any]
    severity: str
    notes: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation is about (for messages: 'column X')."""
        kw = self.kwargs
        if "column" in kw:
            return (kw["column"],)
        if "column_list" in kw:
            return tuple(kw["column_list"])
        if "column_A" in kw:
            return (kw["column_A"], kw["column_B"])
        return ()

    def resolved_kwargs(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """kwargs with GE-style ``{"$PARAMETER": name}`` values replaced from ``parameters``."""
        return {key: _resolve(value, parameters) for key, value in self.kwargs.items()}

    def describe(self, parameters: Mapping[str, Any] | None = None) -> str:
        """'expect_column_values_to_be_between(column=tgl_izin, max_value=2026-11-23)'."""
        kwargs = self.resolved_kwargs(parameters or {})
        shown = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
        return f"{self.type}({shown})"


@dataclass(frozen=True)
class Suite:
    name: str
    expectations: tuple[Expectation, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def relation(self) -> str:
        return self.meta.get("table", self.name)

    @property
    def layer(self) -> str:
        """'raw' suites run after ingest (before dbt); every other schema after dbt."""
        return self.relation.split(".", 1)[0]

    @property
    def key_columns(self) -> tuple[str, ...]:
        return tuple(self.meta.get("key_columns", ()))

    def has_critical(self) -> bool:
        return any(e.severity == "critical" for e in self.expectations)


def _resolve(value: Any, parameters: Mapping[str, Any]) -> Any:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        name = value["$PARAMETER"]
        if name not in parameters:
            raise SuiteError(f"suite parameter {name!r} is not provided (known: {sorted(parameters)})")
        return parameters[name]
    return value


def _short(value: Any) -> str:
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def parse_suite(document: Mapping[str, Any], path: Path | None = None) -> Suite:
    where = path.name if path else document.get("name", "?")
    name = document.get("name")
    if not isinstance(name, str) or "." not in document.get("meta", {}).get("table", name):
        raise SuiteError(f"{where}: 'name' must be the relation it validates, e.g. 'raw.oss_nib'")
    raw_expectations = document.get("expectations")
    if not isinstance(raw_expectations, list) or not raw_expectations:
        raise SuiteError(f"{where}: 'expectations' must be a non-empty list")
    return Suite(
        name=name,
        expectations=tuple(
            _parse_expectation(item, f"{where}[{i}]") for i, item in enumerate(raw_expectations)
        ),
        meta=document.get("meta", {}),
        path=path,
    )


def _parse_expectation(item: Mapping[str, Any], where: str) -> Expectation:
    kind = item.get("type")
    if kind not in SUPPORTED_TYPES:
        raise SuiteError(
            f"{where}: expectation type {kind!r} is not supported by the SQL gate "
            f"(supported: {', '.join(sorted(SUPPORTED_TYPES))})"
        )
    kwargs = dict(item.get("kwargs", {}))
    required, optional = SUPPORTED_TYPES[kind]
    missing = required - kwargs.keys()
    unknown = kwargs.keys() - required - optional
    if missing or unknown:
        raise SuiteError(
            f"{where}: {kind}: missing kwargs {sorted(missing)}, unknown kwargs {sorted(unknown)}"
        )
    severity = item.get("severity")
    if severity not in SEVERITIES:
        raise SuiteError(f"{where}: severity must be one of {SEVERITIES}, got {severity!r}")
    return Expectation(type=kind, kwargs=kwargs, severity=severity, notes=item.get("notes"))


def load_suites(directory: Path = SUITES_DIR, names: Iterable[str] | None = None) -> list[Suite]:
    """Every ``*.json`` suite in the folder (sorted by name), or only the named ones."""
    wanted = set(names) if names is not None else None
    suites = []
    for path in sorted(directory.glob("*.json")):
        suite = parse_suite(json.loads(path.read_text(encoding="utf-8")), path)
        if wanted is None or suite.name in wanted:
            suites.append(suite)
    names_seen = [s.name for s in suites]
    duplicates = {n for n in names_seen if names_seen.count(n) > 1}
    if duplicates:
        raise SuiteError(f"suite names used twice in {directory}: {sorted(duplicates)}")
    return suites
