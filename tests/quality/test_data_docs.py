"""Data Docs pages (pipelines/quality/data_docs.py) rendered by one GE page view per process: a page does not
depend on the pages drawn before it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pipelines.quality import data_docs

# GE gives each collapsible block a random id; everything else on a page follows from its result.
_ELEMENT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _expectation(column: str, values: list[str], unexpected: list[str]) -> dict[str, Any]:
    return {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": column, "value_set": values},
        "severity": "critical",
        "notes": f"Kolom {column} hanya berisi nilai yang dikenal",
        "success": not unexpected,
        "element_count": 10,
        "missing_count": 0,
        "unexpected_count": len(unexpected),
        "unexpected_percent": 10.0 * len(unexpected),
        "observed_value": None,
        "samples": [
            {column: value, "_path": "izin.csv", "_row_number": 3 + i} for i, value in enumerate(unexpected)
        ],
        "error": None,
        "messages": [],
    }


def _suite(name: str, expectations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "suite": name,
        "relation": name,
        "layer": "raw",
        "checked_at": "2026-12-04T10:00:00+08:00",
        "seconds": 0.01,
        "success": all(e["success"] for e in expectations),
        "blocking": False,
        "parameters": {},
        "file_column": "_path",
        "row_column": "_row_number",
        "expectations": expectations,
    }


PASSING = _suite("raw.permits", [_expectation("skala_usaha", ["MIKRO", "KECIL"], [])])
FAILING = _suite(
    "raw.cooperatives", [_expectation("jenis_koperasi", ["KONSUMEN"], ["KONSUMSEN", "SIMPNPINJAM"])]
)


def _page(result: dict[str, Any]) -> str:
    return _ELEMENT_ID.sub("<id>", data_docs.render_validation_page(result, "run-1"))


@pytest.mark.parametrize(
    "first, second", [(PASSING, FAILING), (FAILING, PASSING)], ids=["pass-then-fail", "fail-then-pass"]
)
def test_a_page_is_the_same_whatever_was_drawn_before_it(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    data_docs._page_view.cache_clear()
    alone = _page(second)
    data_docs._page_view.cache_clear()
    _page(first)
    after_another = _page(second)
    assert after_another == alone
    assert ("KONSUMSEN" in after_another) == (second is FAILING)
    assert second["suite"] in after_another and first["suite"] not in after_another


def test_the_page_view_is_made_once_per_process() -> None:
    data_docs._page_view.cache_clear()
    _page(PASSING)
    _page(FAILING)
    assert data_docs._page_view.cache_info().misses == 1
