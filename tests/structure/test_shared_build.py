"""tests/shared_build.py: a session fixture built once for every pytest-xdist worker, and a failed build
never handed to the next worker as a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared_build import build_once


class _Factory:
    """The part of pytest's TempPathFactory that build_once uses, for a worker whose basetemp is given."""

    def __init__(self, basetemp: Path) -> None:
        self.basetemp = basetemp

    def getbasetemp(self) -> Path:
        return self.basetemp

    def mktemp(self, name: str) -> Path:
        folder = self.basetemp / name
        folder.mkdir(parents=True)
        return folder


def _as_worker(monkeypatch: pytest.MonkeyPatch, session: Path, worker: str) -> _Factory:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    return _Factory(session / f"popen-{worker}")


def test_the_second_worker_gets_the_first_workers_build(tmp_path: Path, monkeypatch) -> None:
    built: list[Path] = []

    def build(folder: Path) -> tuple[Path, int]:
        built.append(folder)
        (folder / "marts").mkdir()
        return folder / "marts", 42

    first = build_once(_as_worker(monkeypatch, tmp_path, "gw0"), "sample", build)
    second = build_once(_as_worker(monkeypatch, tmp_path, "gw1"), "sample", build)
    assert first == second == (tmp_path / "built-once" / "sample-gw0" / "marts", 42)
    assert built == [tmp_path / "built-once" / "sample-gw0"]  # built once, in the session's folder


def test_a_failed_build_is_built_again_and_fails_again(tmp_path: Path, monkeypatch) -> None:
    attempts: list[Path] = []

    def broken(folder: Path) -> int:
        attempts.append(folder)
        raise AssertionError("umkm refresh exited 1")

    for worker in ("gw0", "gw1"):
        with pytest.raises(AssertionError, match="exited 1"):
            build_once(_as_worker(monkeypatch, tmp_path, worker), "sample", broken)
    assert [a.name for a in attempts] == ["sample-gw0", "sample-gw1"]
    assert not (tmp_path / "built-once" / "sample.pickle").exists()


def test_without_xdist_it_is_an_ordinary_session_fixture(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert build_once(_Factory(tmp_path), "sample", lambda folder: folder) == tmp_path / "sample"
