"""`umkm export` as an official runs it, and the export the refresh writes after publishing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.warehouse import WarehousePaths


def test_refresh_wrote_the_current_year(balikpapan_warehouse: tuple[Path, Path]) -> None:
    """The asset after the publish: the year of the newest data (2024 in the sample), every format."""
    _, marts = balikpapan_warehouse
    folder = WarehousePaths(marts).exports_dir / "2024"
    assert (folder / "rekap_umkm_koperasi_6471_2024.xlsx").stat().st_size > 0
    assert (folder / "rekap_umkm_koperasi_6471_2024.html").stat().st_size > 0
    assert (folder / "csv" / "koperasi_per_kecamatan.csv").stat().st_size > 0


def test_export_command(balikpapan_warehouse, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, marts = balikpapan_warehouse
    out = tmp_path / "q2"
    code = main(
        ["export", "--period", "2024-Q2", "--format", "csv", "--marts-dir", str(marts), "--out", str(out)]
    )
    assert code == 0
    assert str(out) in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["csv"]
    months = (out / "csv" / "registrasi_per_bulan.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in months[1:]] == ["2024-04", "2024-05"]  # none after the data's last


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["--period", "2024-Q5"], "expected a year"), (["--period", "2024", "--format", "pdf"], "choose from")],
)
def test_bad_arguments(balikpapan_warehouse, arguments, message, capsys: pytest.CaptureFixture) -> None:
    _, marts = balikpapan_warehouse
    assert main(["export", *arguments, "--marts-dir", str(marts)]) == 2
    assert message in capsys.readouterr().err
