"""The SQL gate (pipelines/quality/sql.py): each supported GE expectation, evaluated in DuckDB, agrees with
Great Expectations 1.x itself on the same rows, and names the failing rows by file and row."""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import pytest

from pipelines.quality.runner import default_parameters, failure_lines, run_suite
from pipelines.quality.suites import SUPPORTED_TYPES, parse_suite

ROWS = [
    # _path, _row_number, code, amount, day, label, other
    ("a.csv", 2, "0123456789012", 10.0, dt.date(2020, 1, 5), "Mikro", 10.0),
    ("a.csv", 3, "0123456789012", -5.0, dt.date(1930, 1, 5), "Kecil", 1.0),
    ("a.csv", 4, "12345", 7.0, dt.date(2099, 8, 15), "besar!", 7.0),
    ("b.xlsx", 2, None, None, None, None, None),
    ("b.xlsx", 3, "9999999999999", 3.0, dt.date(2024, 5, 3), "Menengah", 4.0),
]
TODAY = dt.date(2026, 1, 1)

CASES = [
    ("expect_column_values_to_not_be_null", {"column": "code"}),
    ("expect_column_values_to_be_null", {"column": "label"}),
    ("expect_column_values_to_be_in_set", {"column": "label", "value_set": ["Mikro", "Kecil", "Menengah"]}),
    ("expect_column_values_to_not_be_in_set", {"column": "label", "value_set": ["Mikro"]}),
    ("expect_column_values_to_be_between", {"column": "amount", "min_value": 0, "max_value": 9}),
    ("expect_column_values_to_be_between", {"column": "amount", "min_value": 3, "strict_min": True}),
    ("expect_column_values_to_be_between", {"column": "day", "max_value": {"$PARAMETER": "today"}}),
    ("expect_column_values_to_be_between", {"column": "day", "min_value": "1945-01-01"}),
    ("expect_column_values_to_match_regex", {"column": "code", "regex": "^[0-9]{13}$"}),
    ("expect_column_values_to_not_match_regex", {"column": "label", "regex": "!"}),
    ("expect_column_value_lengths_to_equal", {"column": "code", "value": 13}),
    ("expect_column_values_to_be_unique", {"column": "code"}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["_path", "code"]}),
    (
        "expect_column_pair_values_a_to_be_greater_than_b",
        {"column_A": "amount", "column_B": "other", "or_equal": True},
    ),
    ("expect_column_pair_values_to_be_equal", {"column_A": "amount", "column_B": "other"}),
    ("expect_column_values_to_not_be_null", {"column": "code", "mostly": 0.7}),
    ("expect_column_values_to_match_regex", {"column": "code", "regex": "^[0-9]{13}$", "mostly": 0.7}),
    ("expect_table_row_count_to_be_between", {"min_value": 1, "max_value": 4}),
    ("expect_table_columns_to_match_set", {"column_set": ["code", "amount"], "exact_match": False}),
    ("expect_column_to_exist", {"column": "nope"}),
    ("expect_column_min_to_be_between", {"column": "amount", "min_value": 0}),
    ("expect_column_max_to_be_between", {"column": "amount", "max_value": 10}),
    ("expect_column_sum_to_be_between", {"column": "amount", "min_value": 0, "max_value": 100}),
]


def _suite(cases):
    return parse_suite(
        {
            "name": "raw.sample",
            "expectations": [
                {"type": kind, "kwargs": kwargs, "severity": "critical"} for kind, kwargs in cases
            ],
        }
    )


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute(
        "CREATE SCHEMA raw; CREATE TABLE raw.sample (_path VARCHAR, _row_number BIGINT, code VARCHAR, "
        "amount DOUBLE, day DATE, label VARCHAR, other DOUBLE)"
    )
    con.executemany("INSERT INTO raw.sample VALUES (?, ?, ?, ?, ?, ?, ?)", ROWS)
    yield con
    con.close()


def test_every_supported_type_is_covered_here():
    assert {kind for kind, _ in CASES} == set(SUPPORTED_TYPES)


def test_sql_gate_agrees_with_great_expectations(con):
    """Success and unexpected counts equal GE 1.x's own (pandas engine) for every case."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    import pandas as pd
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    params = {"today": TODAY}
    ours = run_suite(con, _suite(CASES), params).outcomes
    frame = con.execute("SELECT * FROM raw.sample").df()
    frame["day"] = pd.to_datetime(frame["day"])
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("p")
        .add_dataframe_asset("s")
        .add_batch_definition_whole_dataframe("b")
    )

    def ge_kwargs(kwargs):
        resolved = {k: params[v["$PARAMETER"]] if isinstance(v, dict) else v for k, v in kwargs.items()}
        return {
            k: pd.Timestamp(v) if isinstance(v, dt.date) or (isinstance(v, str) and v[:2] == "19") else v
            for k, v in resolved.items()
        }

    suite = context.suites.add(
        gx.ExpectationSuite(
            name="s",
            expectations=[
                ExpectationConfiguration(type=kind, kwargs=ge_kwargs(kwargs)).to_domain_obj()
                for kind, kwargs in CASES
            ],
        )
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="v", data=batch, suite=suite)
    )
    by_id = {
        r.expectation_config.id: r for r in definition.run(batch_parameters={"dataframe": frame}).results
    }
    theirs = [by_id[e.id] for e in suite.expectations]  # GE reports in its own order
    for (kind, kwargs), mine, ge in zip(CASES, ours, theirs, strict=True):
        assert ge.expectation_config.type == kind
        assert not ge.exception_info.get("raised_exception"), (kind, ge.exception_info)
        assert mine.success == ge.success, (kind, kwargs, mine, ge.result)
        if "unexpected_count" in ge.result:
            assert mine.unexpected_count == ge.result["unexpected_count"], (kind, kwargs, ge.result)


def test_failing_rows_are_named_by_file_row_column_and_rule(con):
    suite = _suite(
        [("expect_column_values_to_be_between", {"column": "day", "max_value": {"$PARAMETER": "today"}})]
    )
    result = run_suite(con, suite, {"today": TODAY})
    (outcome,) = result.outcomes
    assert not outcome.success and outcome.unexpected_count == 1
    assert outcome.samples == [{"_path": "a.csv", "_row_number": 4, "day": dt.date(2099, 8, 15)}]
    lines = failure_lines(result, outcome)
    assert "rule expect_column_values_to_be_between(column=day, max_value=2026-01-01)" in lines[0]
    assert lines[1].strip() == (
        "file a.csv, row 4, column day, value 2099-08-15, rule expect_column_values_to_be_between"
    )


def test_missing_table_or_column_fails_the_expectation_instead_of_crashing(con):
    missing_column = run_suite(
        con,
        _suite(
            [
                ("expect_column_values_to_not_be_null", {"column": "nope"}),
                ("expect_column_values_to_not_be_null", {"column": "code"}),
            ]
        ),
        default_parameters(),
    )
    assert [o.success for o in missing_column.outcomes] == [False, False]
    assert "does not exist" in missing_column.outcomes[0].error
    assert missing_column.outcomes[1].error is None and missing_column.outcomes[1].unexpected_count == 1
    no_table = run_suite(
        con,
        parse_suite(
            {
                "name": "marts.nothing",
                "expectations": [
                    {
                        "type": "expect_table_row_count_to_be_between",
                        "kwargs": {"min_value": 0},
                        "severity": "warning",
                    }
                ],
            }
        ),
        default_parameters(),
    )
    assert not no_table.success and "does not exist" in no_table.outcomes[0].error
    assert not no_table.blocking  # a warning never blocks


def test_one_scan_per_suite_whatever_the_number_of_row_rules(con):
    result = run_suite(con, _suite(CASES[:11]), {"today": TODAY})
    scans = {o.sql for o in result.outcomes if o.expectation.type != "expect_column_values_to_be_unique"}
    assert len(scans) == 1


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Usaha Super Mikro", "Usaha Super Mikro"),  # an unexpected spelling: staff must see it
        ("081234567890", "[disamarkan: tampak seperti data pribadi]"),  # a phone typed into a category column
        ("6471012345670001", "[disamarkan: tampak seperti data pribadi]"),  # a NIK
        ("Mikro (hub. 0852 1234 5678)", "[disamarkan: tampak seperti data pribadi]"),
        ("budi@gmail.com", "[disamarkan: tampak seperti data pribadi]"),
        ("x" * 60, "[teks 60 karakter]"),
    ],
)
def test_failing_row_samples_never_carry_personal_data(typed, shown):
    """Samples travel into status.json, Data Docs and Dagster metadata: the value is shown only when safe."""
    con = duckdb.connect()
    con.execute(
        "CREATE SCHEMA raw; CREATE TABLE raw.sample (_path VARCHAR, _row_number BIGINT, label VARCHAR)"
    )
    con.execute("INSERT INTO raw.sample VALUES ('a.csv', 2, ?)", [typed])
    suite = _suite([("expect_column_values_to_be_in_set", {"column": "label", "value_set": ["Mikro"]})])
    (outcome,) = run_suite(con, suite, default_parameters()).outcomes
    assert outcome.samples == [{"_path": "a.csv", "_row_number": 2, "label": shown}]
