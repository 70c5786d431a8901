"""Real-process safety tests (issue 14, docs/security.md): each runs `umkm` as a separate process
(``python -m pipelines.cli`` from this checkout) on the tiny synthetic sample in temporary folders."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENV = {
    **os.environ,
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "GX_ANALYTICS_ENABLED": "false",
}
REFRESH_TIMEOUT = 600


def umkm(*args: str, timeout: float = REFRESH_TIMEOUT, **kwargs) -> subprocess.CompletedProcess:
    """Run `umkm ARGS` as its own process, as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=REPO,
        env={**ENV, **kwargs.pop("env", {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def refresh(raw: Path, marts: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return umkm("refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), *extra, **kwargs)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def status_json(marts: Path) -> dict:
    result = umkm("status", "--json", "--marts-dir", str(marts))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write_coop_register(path: Path, count: int) -> None:
    """A small cooperative register (one update) of ``count`` active cooperatives in Kota Balikpapan."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "No,Nomor Induk Koperasi,Nama Koperasi,Kecamatan,Kab Kota,Bentuk Koperasi,Jenis Koperasi,"
        "Status Koperasi,Tanggal Pemutakhiran"
    ]
    for i in range(1, count + 1):
        lines.append(
            f"{i},6471{i:012d},Koperasi Uji {i},Balikpapan Kota,Kota Balikpapan,Primer,Konsumen,Aktif,"
            "31/12/2024"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Published:
    raw: Path
    marts: Path

    @property
    def release(self) -> Path:
        return (self.marts / "warehouse.duckdb").resolve()

    def copy(self, target: Path) -> Published:
        """An independent copy of raw files and marts folder (releases, build, symlink) to break things in."""
        shutil.copytree(self.raw, target / "raw")
        shutil.copytree(self.marts, target / "marts", symlinks=True)
        return Published(target / "raw", target / "marts")


def write_tiny_raw(raw: Path) -> None:
    """The tiny permit sample plus a 50-cooperative register."""
    from pipelines.sample.permits import write_permit_exports

    write_permit_exports(raw / "permits", "tiny")
    write_coop_register(raw / "cooperatives" / "Data Koperasi Kota Balikpapan 2024.csv", 50)


# Root ignores file modes; a root process without the capabilities that override them (CAP_DAC_OVERRIDE,
# CAP_DAC_READ_SEARCH) is held to them like any user: what the modes promise is checked that way.
WITHOUT_FILE_OVERRIDE = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]
needs_setpriv = pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs util-linux setpriv")
