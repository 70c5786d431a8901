"""The national sample (`umkm sample --profile national`) and the smoke version of `make bench`: the floor
(benchmarks/floor.py + floor.sql) and the pandas baseline give the same marts as `umkm refresh` on the same
files. Run at scale 0.001 (about 10,500 permit-family rows), not 0.01: a refresh of 0.01 took several minutes
on the shared 2-core machine."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from pipelines.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCALE = "0.001"


def _benchmark(name: str) -> ModuleType:
    """benchmarks/ is a folder of scripts, not a package: load one by path."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(raw, marts, work): the scale-0.001 national sample refreshed once for region 65."""
    root = tmp_path_factory.mktemp("national")
    raw, marts = root / "raw", root / "marts"
    assert main(["sample", "--profile", "national", "--scale", SCALE, "--out", str(raw)]) == 0
    code = main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", "65"])
    assert code == 0, f"umkm refresh exited {code} (log under {marts / 'logs'})"
    return raw, marts, root


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_national_sample_is_deterministic_and_in_the_export_formats(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert main(["sample", "--profile", "national", "--scale", "0.0003", "--out", str(out)]) == 0
    assert _digest(first) == _digest(second)
    names = sorted(p.name for p in (first / "permits").iterdir())
    assert len(names) == 3 * 36  # three families, one file each per month of 2022-2024
    assert sum(n.endswith(".xlsx") for n in names) == 9  # every June
    semicolon = (first / "permits" / "Daftar Proyek 2023-09.csv").read_text().splitlines()[0]
    assert semicolon.startswith("id_proyek;")
    tableau = (first / "permits" / "daftar_nib_kaltara_2024_12.csv").read_text().splitlines()
    assert tableau[0].startswith("Nib,Day of Tanggal Terbit Oss,")
    assert all(line.split(",")[1].startswith("12/") for line in tableau[1:])  # month-first


def test_scale_only_with_the_national_profile(tmp_path: Path) -> None:
    assert main(["sample", "--profile", "tiny", "--scale", "0.1", "--out", str(tmp_path / "x")]) == 2


def test_floor_and_pandas_equal_the_marts(national: tuple[Path, Path, Path]) -> None:
    raw, marts, work = national
    _benchmark("floor").run(raw, work / "floor.duckdb", "65")
    _benchmark("pandas_baseline").run(raw, work / "pandas", "65")
    con = duckdb.connect(str(work / "floor.duckdb"))
    con.execute(f"attach '{marts / 'warehouse.duckdb'}' as ours (read_only)")
    pairs = {
        "registrations": (
            "select * from ours.marts.msme_registrations_by_period",
            "select * from floor_registrations_by_period",
            f"select * from read_csv('{work / 'pandas' / 'registrations_by_period.csv'}')",
        ),
        "permits": (
            "select issue_month, sum(permits)::bigint from ours.marts.msme_permit_counts group by 1",
            "select * from floor_permits_by_month",
            f"select * from read_csv('{work / 'pandas' / 'permits_by_month.csv'}')",
        ),
    }
    for name, (ours, floor, pandas) in pairs.items():
        rows = con.execute(f"select count(*) from ({ours})").fetchall()[0][0]
        assert rows >= 36, name  # every month of 2022-2024 has registrations and permits
        for other in (floor, pandas):
            for a, b in ((ours, other), (other, ours)):
                extra = con.execute(f"select * from ({a}) except all select * from ({b})").fetchall()
                assert extra == [], f"{name}: {extra[:3]}"


def test_bench_inputs_leave_out_only_the_named_top_level_sources(tmp_path: Path) -> None:
    """`make bench WITHOUT=events`: every step reads a hard-linked copy of the sample without events/; a
    folder of that name deeper down (none today) is not the source and stays."""
    bench = _benchmark("bench")
    source = tmp_path / "raw"
    for relative in ("permits/a.csv", "permits/events/b.csv", "events/c.xlsx", "cooperatives/d.csv"):
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text(relative)
    bench._tree_copy(source, tmp_path / "copy", ("events",))
    copied = sorted(str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*.*"))
    assert copied == ["cooperatives/d.csv", "permits/a.csv", "permits/events/b.csv"]
    linked = tmp_path / "copy" / "permits" / "a.csv"
    assert linked.stat().st_ino == (source / "permits" / "a.csv").stat().st_ino
