"""Great Expectations expectations evaluated in DuckDB: each suite costs one scan plus one query per
uniqueness check and one small ``LIMIT`` query per failed expectation (the rows it names). Nothing is pulled
into pandas, so the gate's memory stays flat from a thousand rows to ten million (benchmarks/quality_gate.py).

Semantics follow GE 1.x: column map expectations ignore NULLs (except ``..._to_not_be_null``),
``mostly`` is the share of non-null rows that must pass, uniqueness counts every row of a duplicated value,
regexes search (``re.search``, DuckDB ``regexp_matches``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipelines.ingest.macros import register_macros
from pipelines.quality.suites import Expectation, Suite

SAMPLE_ROWS = 20  # rows named per failed expectation (file, row, value)
PROVENANCE_CANDIDATES = (("_path", "_sheet", "_row_number"), ("source_path", "source_sheet", "source_row"))


@dataclass
class Outcome:
    """The result of one expectation, shaped like GE's ExpectationValidationResult.result."""

    expectation: Expectation
    kwargs: dict[str, Any]  # resolved ($PARAMETER replaced)
    success: bool = False
    element_count: int | None = None
    missing_count: int | None = None
    unexpected_count: int | None = None
    observed_value: Any = None
    samples: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    sql: str | None = None

    @property
    def severity(self) -> str:
        return self.expectation.severity

    @property
    def unexpected_percent(self) -> float | None:
        domain = (self.element_count or 0) - (self.missing_count or 0)
        if self.unexpected_count is None or domain <= 0:
            return None
        return 100.0 * self.unexpected_count / domain


@dataclass(frozen=True)
class Relation:
    name: str  # schema.table
    columns: dict[str, str]  # name -> DuckDB type
    file_column: str | None
    sheet_column: str | None
    row_column: str | None


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A SQL literal for a kwarg value (suites are repository files, but quote properly anyway)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | decimal.Decimal):
        return repr(value) if not isinstance(value, decimal.Decimal) else str(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def describe_relation(con: duckdb.DuckDBPyConnection, suite: Suite) -> Relation | None:
    schema, table = suite.relation.split(".", 1)
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    if not rows:
        return None
    columns = {name: kind for name, kind in rows}
    meta = suite.meta
    file_column = meta.get("file_column")
    sheet_column = meta.get("sheet_column")
    row_column = meta.get("row_column")
    if file_column is None:
        for path_col, sheet_col, row_col in PROVENANCE_CANDIDATES:
            if path_col in columns:
                file_column, row_column = path_col, row_col if row_col in columns else None
                sheet_column = sheet_col if sheet_col in columns else None
                break
    return Relation(suite.relation, columns, file_column, sheet_column, row_column)


# ---- predicates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCheck:
    """A row-level expectation: rows in ``domain`` are evaluated, rows matching ``unexpected`` fail."""

    domain: str
    unexpected: str


def _nonnull(column: str) -> str:
    return f"{quote(column)} IS NOT NULL"


def _pair_domain(a: str, b: str, ignore_row_if: str) -> str:
    if ignore_row_if == "either_value_is_missing":
        return f"{_nonnull(a)} AND {_nonnull(b)}"
    if ignore_row_if == "neither":
        return "TRUE"
    return f"NOT ({quote(a)} IS NULL AND {quote(b)} IS NULL)"  # GE default: both_values_are_missing


def _in_list(values: Sequence[Any]) -> str:
    return "(" + ", ".join(literal(v) for v in values) + ")" if values else "(NULL)"


def map_check(kind: str, kw: Mapping[str, Any]) -> MapCheck | None:
    column = kw.get("column")
    col = quote(column) if column else ""
    text = f"CAST({col} AS VARCHAR)"
    if kind == "expect_column_values_to_not_be_null":
        return MapCheck("TRUE", f"{col} IS NULL")
    if kind == "expect_column_values_to_be_null":
        return MapCheck("TRUE", f"{col} IS NOT NULL")
    if kind == "expect_column_values_to_be_in_set":
        return MapCheck(_nonnull(column), f"NOT coalesce({col} IN {_in_list(kw['value_set'])}, FALSE)")
    if kind == "expect_column_values_to_not_be_in_set":
        return MapCheck(_nonnull(column), f"coalesce({col} IN {_in_list(kw['value_set'])}, FALSE)")
    if kind == "expect_column_values_to_be_between":
        bounds = []
        if kw.get("min_value") is not None:
            bounds.append(f"{col} {'>' if kw.get('strict_min') else '>='} {literal(kw['min_value'])}")
        if kw.get("max_value") is not None:
            bounds.append(f"{col} {'<' if kw.get('strict_max') else '<='} {literal(kw['max_value'])}")
        return MapCheck(_nonnull(column), f"NOT ({' AND '.join(bounds) or 'TRUE'})")
    if kind == "expect_column_values_to_match_regex":
        return MapCheck(_nonnull(column), f"NOT regexp_matches({text}, {literal(kw['regex'])})")
    if kind == "expect_column_values_to_not_match_regex":
        return MapCheck(_nonnull(column), f"regexp_matches({text}, {literal(kw['regex'])})")
    if kind == "expect_column_value_lengths_to_equal":
        return MapCheck(_nonnull(column), f"length({text}) <> {int(kw['value'])}")
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = kw["column_A"], kw["column_B"]
        op = ">=" if kw.get("or_equal") else ">"
        return MapCheck(
            _pair_domain(a, b, kw.get("ignore_row_if", "both_values_are_missing")),
            f"NOT coalesce({quote(a)} {op} {quote(b)}, FALSE)",
        )
    if kind == "expect_column_pair_values_to_be_equal":
        a, b = kw["column_A"], kw["column_B"]
        return MapCheck(
            _pair_domain(a, b, kw.get("ignore_row_if", "both_values_are_missing")),
            f"{quote(a)} IS DISTINCT FROM {quote(b)}",
        )
    return None


def unique_columns(kind: str, kw: Mapping[str, Any]) -> tuple[str, ...] | None:
    if kind == "expect_column_values_to_be_unique":
        return (kw["column"],)
    if kind == "expect_compound_columns_to_be_unique":
        return tuple(kw["column_list"])
    return None


AGGREGATES = {
    "expect_column_min_to_be_between": "min",
    "expect_column_max_to_be_between": "max",
    "expect_column_sum_to_be_between": "sum",
}


def _within(value: Any, low: Any, high: Any) -> bool:
    if value is None:
        return False
    value, low, high = (_comparable(value, v) for v in (value, low, high))
    return (low is None or value >= low) and (high is None or value <= high)


def _comparable(reference: Any, value: Any) -> Any:
    """Compare dates with ISO strings from JSON kwargs, decimals with floats."""
    if value is None:
        return None
    if isinstance(reference, dt.date) and isinstance(value, str):
        return (
            dt.date.fromisoformat(value[:10])
            if not isinstance(reference, dt.datetime)
            else dt.datetime.fromisoformat(value)
        )
    if isinstance(reference, decimal.Decimal) and isinstance(value, int | float):
        return decimal.Decimal(str(value))
    return value


def _passes(unexpected: int, domain: int, mostly: float | None) -> bool:
    if mostly is None or domain == 0:
        return unexpected == 0
    return (domain - unexpected) / domain >= float(mostly)


# ---- evaluation ----------------------------------------------------------------------------------------


def evaluate_suite(
    con: duckdb.DuckDBPyConnection, suite: Suite, parameters: Mapping[str, Any]
) -> tuple[Relation | None, list[Outcome]]:
    """Evaluate every expectation of the suite against its relation in the open DuckDB connection."""
    outcomes = [Outcome(e, e.resolved_kwargs(parameters)) for e in suite.expectations]
    relation = describe_relation(con, suite)
    if relation is None:
        for outcome in outcomes:
            outcome.error = f"relation {suite.relation} does not exist in the warehouse"
        return None, outcomes
    usable = []
    for outcome in outcomes:
        missing = [c for c in outcome.expectation.columns if c not in relation.columns]
        if missing and outcome.expectation.type != "expect_column_to_exist":
            outcome.error = f"column {', '.join(missing)} does not exist in {relation.name}"
        else:
            usable.append(outcome)
    _evaluate_scan(con, relation, [o for o in usable if _is_scanned(o)], suite)
    for outcome in usable:
        kind, kw = outcome.expectation.type, outcome.kwargs
        if unique_columns(kind, kw):
            _evaluate_unique(con, relation, outcome, suite)
        elif kind in ("expect_table_columns_to_match_set", "expect_column_to_exist"):
            _evaluate_columns(relation, outcome)
    return relation, outcomes


def _is_scanned(outcome: Outcome) -> bool:
    kind = outcome.expectation.type
    return (
        kind == "expect_table_row_count_to_be_between"
        or kind in AGGREGATES
        or map_check(kind, outcome.kwargs) is not None
    )


def _evaluate_scan(
    con: duckdb.DuckDBPyConnection, relation: Relation, outcomes: list[Outcome], suite: Suite
) -> None:
    """One pass over the relation for every row-level, aggregate and row-count expectation."""
    select = ["count(*)"]
    for outcome in outcomes:
        kind, kw = outcome.expectation.type, outcome.kwargs
        check = map_check(kind, kw)
        if check is not None:
            select.append(f"count(*) FILTER (WHERE NOT ({check.domain}))")
            select.append(f"count(*) FILTER (WHERE ({check.domain}) AND ({check.unexpected}))")
        elif kind in AGGREGATES:
            select.append(f"{AGGREGATES[kind]}({quote(kw['column'])})")
    sql = f"SELECT {', '.join(select)} FROM {relation.name}"
    try:
        row = con.execute(sql).fetchone()
    except duckdb.Error as error:  # one broken predicate must not hide the others: evaluate one by one
        if len(outcomes) > 1:
            for outcome in outcomes:
                _evaluate_scan(con, relation, [outcome], suite)
        else:
            for outcome in outcomes:
                outcome.error, outcome.sql = str(error).splitlines()[0], sql
        return
    total, position = int(row[0]), 1
    for outcome in outcomes:
        kind, kw = outcome.expectation.type, outcome.kwargs
        outcome.element_count, outcome.sql = total, sql
        check = map_check(kind, kw)
        if check is not None:
            outcome.missing_count, outcome.unexpected_count = int(row[position]), int(row[position + 1])
            position += 2
            outcome.success = _passes(
                outcome.unexpected_count, total - outcome.missing_count, kw.get("mostly")
            )
            if outcome.unexpected_count:
                where = f"({check.domain}) AND ({check.unexpected})"
                outcome.samples = _samples(con, relation, suite, outcome, where)
        elif kind in AGGREGATES:
            outcome.observed_value = row[position]
            position += 1
            outcome.success = _within(outcome.observed_value, kw.get("min_value"), kw.get("max_value"))
        else:  # row count
            outcome.observed_value = total
            outcome.success = _within(total, kw.get("min_value"), kw.get("max_value"))


def _evaluate_unique(
    con: duckdb.DuckDBPyConnection, relation: Relation, outcome: Outcome, suite: Suite
) -> None:
    columns = unique_columns(outcome.expectation.type, outcome.kwargs) or ()
    keys = ", ".join(quote(c) for c in columns)
    domain = " OR ".join(_nonnull(c) for c in columns)  # GE: ignore rows whose values are all missing
    sql = (
        f"SELECT (SELECT count(*) FROM {relation.name}), "
        f"(SELECT count(*) FROM {relation.name} WHERE NOT ({domain})), "
        f"(SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {relation.name} WHERE {domain} "
        f"GROUP BY {keys} HAVING count(*) > 1))"
    )
    outcome.sql = sql
    try:
        total, missing, unexpected = con.execute(sql).fetchone()
    except duckdb.Error as error:
        outcome.error = str(error).splitlines()[0]
        return
    outcome.element_count, outcome.missing_count, outcome.unexpected_count = (
        int(total),
        int(missing),
        int(unexpected),
    )
    outcome.success = _passes(
        outcome.unexpected_count, outcome.element_count - outcome.missing_count, outcome.kwargs.get("mostly")
    )
    if unexpected:
        duplicated = (
            f"({keys}) IN (SELECT ({keys}) FROM {relation.name} WHERE {domain} "
            f"GROUP BY {keys} HAVING count(*) > 1)"
        )
        outcome.samples = _samples(con, relation, suite, outcome, duplicated)


def _evaluate_columns(relation: Relation, outcome: Outcome) -> None:
    present = list(relation.columns)
    outcome.observed_value = present
    if outcome.expectation.type == "expect_column_to_exist":
        outcome.success = outcome.kwargs["column"] in relation.columns
        return
    expected = set(outcome.kwargs["column_set"])
    exact = outcome.kwargs.get("exact_match", True)
    outcome.success = expected == set(present) if exact else expected <= set(present)
    outcome.samples = [{"column": c, "problem": "missing"} for c in sorted(expected - set(present))]
    if exact:
        outcome.samples += [{"column": c, "problem": "unexpected"} for c in sorted(set(present) - expected)]


def _samples(
    con: duckdb.DuckDBPyConnection, relation: Relation, suite: Suite, outcome: Outcome, where: str
) -> list[dict[str, Any]]:
    """The first failing rows, by file and row: what staff open to fix the data."""
    wanted: list[str] = []
    for column in (
        relation.file_column,
        relation.sheet_column,
        relation.row_column,
        *suite.key_columns,
        *outcome.expectation.columns,
    ):
        if column and column in relation.columns and column not in wanted:
            wanted.append(column)
    order = ", ".join(quote(c) for c in (relation.file_column, relation.row_column) if c) or "ALL"
    # Samples travel into status.json, Data Docs and Dagster's run history: a phone number or NIK typed into a
    # checked text column must not (umkm_shown_text masks it; provenance columns are shown as they are).
    provenance = {relation.file_column, relation.sheet_column, relation.row_column}
    shown = [
        f"umkm_shown_text({quote(c)}) AS {quote(c)}"
        if c not in provenance and relation.columns.get(c, "").upper() == "VARCHAR"
        else quote(c)
        for c in wanted
    ]
    register_macros(con)
    sql = f"SELECT {', '.join(shown)} FROM {relation.name} WHERE {where} ORDER BY {order} LIMIT {SAMPLE_ROWS}"
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
