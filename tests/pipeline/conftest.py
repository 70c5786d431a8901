"""Refresh fixtures: each runs the real `umkm refresh` (Dagster job in-process, dbt build, publish)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipelines.cli import main
from tests.shared_build import build_once

if TYPE_CHECKING:
    from pipelines.sample.permits import PermitTruth


def refresh(raw: Path, marts: Path, region: str = "64.71") -> int:
    return main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", region])


def summary(marts: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["summary", "--json", "--marts-dir", str(marts)]) == 0
    return json.loads(capsys.readouterr().out)


def _write_tiny_sample(root: Path) -> tuple[Path, PermitTruth]:
    from pipelines.sample.permits import write_permit_exports

    raw = root / "raw"
    return raw, write_permit_exports(raw / "permits", "tiny")


@pytest.fixture(scope="session")
def tiny_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PermitTruth]:
    """(raw_dir, truth) of the tiny permit sample: refresh tests only read the raw folder."""
    return build_once(tmp_path_factory, "tiny_sample", _write_tiny_sample)


@pytest.fixture(scope="session")
def tiny_warehouse(
    tiny_sample: tuple[Path, PermitTruth], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, PermitTruth]:
    """(raw_dir, marts_dir, truth): the tiny permit sample refreshed once per session."""
    raw, truth = tiny_sample

    def build(root: Path) -> tuple[Path, Path, PermitTruth]:
        assert refresh(raw, root / "marts") == 0
        return raw, root / "marts", truth

    return build_once(tmp_path_factory, "tiny_warehouse", build)
