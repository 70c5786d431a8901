"""The suites in expectations/: every file parses, uses only types the SQL gate evaluates, and names a table
the code location builds (so its check runs in every refresh)."""

from __future__ import annotations

import json

import pytest

from pipelines.quality.suites import SUITES_DIR, SuiteError, load_suites, parse_suite


def test_every_suite_parses_and_has_a_critical_expectation():
    suites = load_suites()
    assert len(suites) >= 20
    for suite in suites:
        assert suite.path is not None and suite.path.name == f"{suite.name}.json"
        assert suite.has_critical(), f"{suite.name} has no critical expectation"
        assert all(e.notes for e in suite.expectations), f"{suite.name}: every rule explains itself (notes)"


def test_there_is_a_suite_per_raw_source_table_and_per_mart():
    from pipelines.dbt_project import DBT_PROJECT_DIR
    from pipelines.ingest import cooperatives, events, permits

    names = {s.name for s in load_suites()}
    families = [f.name for module in (permits, cooperatives, events) for f in module.FAMILIES]
    assert {f"raw.{f}" for f in families} <= names
    # models/marts/<subject>/intermediate/: steps of a mart that read other marts (schema intermediate).
    marts_dir = DBT_PROJECT_DIR / "models" / "marts"
    marts = {p.stem for p in marts_dir.rglob("*.sql") if "intermediate" not in p.relative_to(marts_dir).parts}
    assert {"msme_businesses", "cooperatives", "event_participation", "data_quality_gaps"} <= marts
    assert {f"marts.{m}" for m in marts} <= names, sorted({f"marts.{m}" for m in marts} - names)


def test_every_suite_checks_an_asset_of_the_code_location():
    from pipelines.assets.checks import CHECK_NAME, suite_asset_key
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    check_keys = graph.asset_check_keys
    for suite in load_suites():
        key = suite_asset_key(suite)
        assert any(k.asset_key == key and k.name == CHECK_NAME for k in check_keys), suite.name


def test_the_refresh_job_runs_raw_checks_before_dbt_and_mart_checks_before_publish():
    from dagster._core.execution.api import create_execution_plan

    from pipelines.definitions import defs

    plan = create_execution_plan(defs.resolve_job_def("refresh"))
    upstream = {
        step.key: {h.step_key for i in step.step_inputs for h in i.get_step_output_handle_dependencies()}
        for step in plan.get_steps_to_execute_in_topo_order()
    }
    assert {"ingest_permits", "ingest_cooperatives", "ingest_events"} <= upstream["raw_expectations"]
    assert "raw_expectations" in upstream["warehouse_dbt_models"]
    assert "warehouse_dbt_models" in upstream["mart_expectations"]
    assert "mart_expectations" in upstream["warehouse__published"]


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            {
                "name": "raw.x",
                "expectations": [
                    {
                        "type": "expect_column_kl_divergence_to_be_less_than",
                        "kwargs": {"column": "a"},
                        "severity": "critical",
                    }
                ],
            },
            "not supported",
        ),
        (
            {
                "name": "raw.x",
                "expectations": [
                    {
                        "type": "expect_column_values_to_not_be_null",
                        "kwargs": {"column": "a"},
                        "severity": "fatal",
                    }
                ],
            },
            "severity",
        ),
        (
            {
                "name": "raw.x",
                "expectations": [
                    {
                        "type": "expect_column_values_to_be_in_set",
                        "kwargs": {"column": "a"},
                        "severity": "warning",
                    }
                ],
            },
            "value_set",
        ),
        (
            {
                "name": "x",
                "expectations": [
                    {
                        "type": "expect_column_values_to_not_be_null",
                        "kwargs": {"column": "a"},
                        "severity": "warning",
                    }
                ],
            },
            "relation",
        ),
    ],
)
def test_a_broken_suite_is_refused_with_the_reason(document, problem):
    with pytest.raises(SuiteError, match=problem):
        parse_suite(document)


def test_suite_files_are_plain_ge_json():
    """The files stay readable by GE 1.x tooling: name + expectations of {type, kwargs, severity, notes}."""
    for path in SUITES_DIR.glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert set(document) <= {"name", "meta", "expectations"}
        for expectation in document["expectations"]:
            assert set(expectation) <= {"type", "kwargs", "severity", "notes"}
