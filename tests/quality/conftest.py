"""Warehouses for the quality-gate tests: the tiny permit sample plus two small hand-made cooperative registry
updates (the second lost a third of its cooperatives and its Anggota Perempuan column), refreshed once per
session with the real `umkm refresh` (~40 s). Tests that break things work on copies."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.sample.writers import write_csv
from tests.coop_exports import REGISTER_LEAD
from tests.shared_build import build_once

REGISTRY_HEADER = (
    *REGISTER_LEAD,
    "Status Koperasi",
    "Tahun Buku RAT Terakhir",
    "Anggota Laki-laki",
    "Anggota Perempuan",
    "Aset",
)
KECAMATAN = (
    "Balikpapan Kota",
    "Balikpapan Selatan",
    "Balikpapan Utara",
    "Balikpapan Tengah",
    "Balikpapan Timur",
    "Balikpapan Barat",
)
COOPERATIVES = 30
KEPT = 20  # the July update lost a third of the January one
JANUARY_FILE = "cooperatives/data_koperasi_uji_2024-01-31.csv"
JULY_FILE = "cooperatives/data_koperasi_uji_2024-07-15.csv"


def coop_number(i: int) -> str:
    return f"6471{i:012d}"


def registry_rows(count: int, women: bool) -> list[tuple]:
    return [
        (
            i,
            coop_number(i),
            f"Koperasi Uji {i:02d}",
            KECAMATAN[i % 6],
            "Kota Balikpapan",
            "Konsumen",
            "Aktif",
            2023,
            20 + i,
            (10 + i) if women else None,
            f"Rp {100 + i}.000.000",
        )
        for i in range(1, count + 1)
    ]


def write_registry_updates(raw: Path) -> None:
    write_csv(raw / JANUARY_FILE, REGISTRY_HEADER, registry_rows(COOPERATIVES, women=True), delimiter=";")
    write_csv(raw / JULY_FILE, REGISTRY_HEADER, registry_rows(KEPT, women=False), delimiter=";")


# Planted permit-side gaps (the tiny sample has few): two NIB exports disagreeing on A's registration date,
# A's kecamatan a housing estate and its phone invalid, B registered "in 1930"; A's project with a KBLI
# unknown to KBLI 2020 and Rp 20 miliar capital for an "Usaha Mikro"; B's projects with an unreadable KBLI,
# a negative and an implausible investment.
NIB_A, NIB_B = "0220000000001", "0220000000002"  # plausible 2020-era NIBs
NIB_HEADER = (
    "NIB",
    "Tanggal Terbit OSS",
    "Nama Perusahaan",
    "Uraian Skala Usaha",
    "Kecamatan",
    "Kab Kota",
    "Nomor Telp",
)
PROJECT_HEADER = (
    "ID Proyek",
    "NIB",
    "Nama Proyek",
    "KBLI",
    "Jumlah Investasi",
    "Tanggal Pengajuan Proyek",
    "Kab Kota Usaha",
)
PLANTED = {
    "permits/NIB Uji Celah A.csv": (
        NIB_HEADER,
        [
            (
                NIB_A,
                "12/06/2020",
                "Usaha Celah",
                "Usaha Mikro",
                "Balikpapan Baru",
                "Kota Balikpapan",
                "12345",
            ),
            (NIB_B, "01/02/1930", "Usaha Lama", "Usaha Mikro", "Balikpapan Kota", "Kota Balikpapan", None),
        ],
    ),
    "permits/NIB Uji Celah B.csv": (
        NIB_HEADER,
        [
            (
                NIB_A,
                "13/06/2021",
                "Usaha Celah",
                "Usaha Mikro",
                "Balikpapan Baru",
                "Kota Balikpapan",
                "12345",
            ),
        ],
    ),
    "permits/Daftar Proyek Uji Celah.csv": (
        PROJECT_HEADER,
        [
            ("R-UJI-1", NIB_A, "Dapur Celah", "99999", "Rp 20.000.000.000", "12/06/2020", "Kota Balikpapan"),
            ("R-UJI-2", NIB_B, "Proyek Lama", "ABCDE", "(5.000.000)", "01/02/2020", "Kota Balikpapan"),
            (
                "R-UJI-3",
                NIB_B,
                "Proyek Besar",
                "47111",
                "Rp 500.000.000.000.000",
                "02/02/2020",
                "Kota Balikpapan",
            ),
        ],
    ),
}


def write_planted_gaps(raw: Path) -> None:
    for name, (header, rows) in PLANTED.items():
        write_csv(raw / name, header, rows, delimiter=";")


def refresh(raw: Path, marts: Path) -> int:
    return main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", "64.71"])


@dataclass(frozen=True)
class Refreshed:
    raw: Path
    marts: Path

    def copy(self, target: Path) -> Refreshed:
        """An independent copy (raw files, build, releases, published symlink) to break things in."""
        shutil.copytree(self.raw, target / "raw")
        shutil.copytree(
            self.marts,
            target / "marts",
            symlinks=True,
            ignore=shutil.ignore_patterns("dagster", "refresh.lock"),
        )
        return Refreshed(target / "raw", target / "marts")


def _build_quality_tiny(root: Path) -> Refreshed:
    from pipelines.sample.permits import write_permit_exports

    write_permit_exports(root / "raw" / "permits", "tiny")
    write_registry_updates(root / "raw")
    write_planted_gaps(root / "raw")
    assert refresh(root / "raw", root / "marts") == 0, f"refresh failed, see {root / 'marts' / 'logs'}"
    return Refreshed(root / "raw", root / "marts")


@pytest.fixture(scope="session")
def quality_tiny(tmp_path_factory: pytest.TempPathFactory) -> Refreshed:
    return build_once(tmp_path_factory, "quality_tiny", _build_quality_tiny)
