"""Warehouses for the cooperative tests. The samples run the real `umkm refresh` (Dagster job in-process,
dbt build with its tests, publish) on a raw folder holding only cooperatives/ (~20 s each). The hand-made
rule files go through the same loader and the same dbt models and tests, but only the cooperative part of
the project (`build_cooperatives`, ~10 s), so the rule parameters can be re-run with other values cheaply."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.ingest.cooperatives import FAMILIES
from pipelines.ingest.loader import SourceLoader
from pipelines.sample.cooperatives import CooperativeTruth, write_cooperative_exports
from pipelines.warehouse import WarehousePaths, connect_published
from tests.cooperatives.rule_files import write_rule_exports
from tests.dbt_build import dbt_build


@dataclass(frozen=True)
class Refreshed:
    raw: Path
    marts: Path
    truth: CooperativeTruth | None = None

    def connect(self) -> duckdb.DuckDBPyConnection:
        return connect_published(WarehousePaths(self.marts))


def refresh(raw: Path, marts: Path, region: str) -> None:
    code = main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", region])
    assert code == 0, f"umkm refresh exited {code} (log under {marts / 'logs'})"


def _sample(tmp_path_factory: pytest.TempPathFactory, profile: str, region: str) -> Refreshed:
    root = tmp_path_factory.mktemp(f"coop_{profile}")
    truth = write_cooperative_exports(root / "raw" / "cooperatives", profile)
    refresh(root / "raw", root / "marts", region)
    return Refreshed(root / "raw", root / "marts", truth)


@pytest.fixture(scope="session")
def balikpapan_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    return _sample(tmp_path_factory, "balikpapan", "64.71")


@pytest.fixture(scope="session")
def kaltara_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    return _sample(tmp_path_factory, "kaltara", "65")


def build_cooperatives(raw: Path, work: Path, dbt_vars: dict[str, object]) -> Path:
    """Land raw/cooperatives/ into a new DuckDB file and `dbt build` the cooperative marts and everything they
    depend on (seeds, staging, intermediate, with their dbt tests) into it. Returns the file."""
    work.mkdir(parents=True, exist_ok=True)
    database = work / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        SourceLoader(con, raw, "cooperatives", FAMILIES).load_all()
    dbt_build(database, "+path:models/marts/cooperatives", dbt_vars, work)
    return database


@pytest.fixture(scope="session")
def rules_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("coop_rules") / "raw"
    write_rule_exports(raw / "cooperatives")
    return raw


@pytest.fixture(scope="session")
def rules_warehouse(rules_raw: Path) -> Path:
    return build_cooperatives(rules_raw, rules_raw.parent / "build", {"region_code": "64.71"})


@pytest.fixture(scope="module")
def rules_con(rules_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(rules_warehouse), read_only=True)
    yield con
    con.close()
