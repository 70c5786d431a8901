"""Refresh fixtures: each runs the real `umkm refresh` (Dagster job in-process, dbt build, publish)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main


def refresh(raw: Path, marts: Path, region: str = "64.71") -> int:
    return main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", region])


def summary(marts: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["summary", "--json", "--marts-dir", str(marts)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="session")
def tiny_sample(tmp_path_factory: pytest.TempPathFactory):
    from pipelines.sample.permits import write_permit_exports

    raw = tmp_path_factory.mktemp("tiny") / "raw"
    truth = write_permit_exports(raw / "permits", "tiny")
    return raw, truth


@pytest.fixture(scope="session")
def tiny_warehouse(tiny_sample, tmp_path_factory: pytest.TempPathFactory):
    raw, truth = tiny_sample
    marts = tmp_path_factory.mktemp("tiny_marts")
    assert refresh(raw, marts) == 0
    return raw, marts, truth
