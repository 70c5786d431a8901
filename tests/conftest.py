"""Session-wide fixtures shared by every area's tests: the bundled Balikpapan sample, refreshed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main


@pytest.fixture(scope="session")
def balikpapan_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw_dir, marts_dir) of the full bundled sample (`umkm sample --profile balikpapan`), refreshed once.
    About 90 s: generation ~45 s, refresh ~45 s."""
    root = tmp_path_factory.mktemp("balikpapan")
    raw, marts = root / "raw", root / "marts"
    assert main(["sample", "--profile", "balikpapan", "--out", str(raw)]) == 0
    assert main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts)]) == 0
    return raw, marts
