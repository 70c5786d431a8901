"""The 2024 export of the full bundled sample, written once per session from `balikpapan_warehouse` (its tests
run on that fixture's worker: tests/conftest.py groups them), plus SQL helpers on the published warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.reports import Export, export_period
from pipelines.reports.period import parse_period
from pipelines.warehouse import WarehousePaths, connect_published


@pytest.fixture(scope="session")
def export_2024(balikpapan_warehouse: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Export:
    _, marts = balikpapan_warehouse
    return export_period(
        WarehousePaths(marts), parse_period("2024"), out=tmp_path_factory.mktemp("export_2024")
    )


@pytest.fixture(scope="session")
def marts_sql(balikpapan_warehouse: tuple[Path, Path]):
    """Run SQL on the published warehouse (read-only), return its rows."""
    _, marts = balikpapan_warehouse

    def run(sql: str, parameters: list | None = None) -> list[tuple]:
        with connect_published(WarehousePaths(marts)) as con:
            return con.execute(sql, parameters or []).fetchall()

    return run
