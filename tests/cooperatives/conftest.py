"""Warehouses for the cooperative tests. The samples are the session-wide bundled samples of tests/conftest.py
(`umkm sample`, then the real `umkm refresh`: Dagster job in-process, dbt build with its tests, publish),
shared with tests/pipeline and tests/quality; the cooperative tests read only their cooperative marts. The
hand-made rule files go through the same loader and the same dbt models and tests, but only the cooperative
part of the project (`build_cooperatives`, ~10 s), so the rule parameters can be re-run with other values
cheaply."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

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

    def query(self, sql: str) -> list[tuple]:
        """The rows of ``sql`` on the published warehouse."""
        with self.connect() as con:
            return con.execute(sql).fetchall()


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _with_truth(sample: tuple[Path, Path], profile: str, scratch: Path) -> Refreshed:
    """The refreshed sample with the generator's truth for its cooperatives: the generator writes the same
    files again into ``scratch`` (seeded, byte-identical) and returns the figures it wrote them for."""
    raw, marts = sample
    truth = write_cooperative_exports(scratch, profile)
    assert _files(scratch) == _files(raw / "cooperatives")
    return Refreshed(raw, marts, truth)


@pytest.fixture(scope="session")
def balikpapan_coops(balikpapan_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    return _with_truth(balikpapan_warehouse, "balikpapan", tmp_path_factory.mktemp("coop_truth_balikpapan"))


@pytest.fixture(scope="session")
def kaltara_coops(kaltara_warehouse, tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    return _with_truth(kaltara_warehouse, "kaltara", tmp_path_factory.mktemp("coop_truth_kaltara"))


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
