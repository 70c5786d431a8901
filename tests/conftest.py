"""Session-wide fixtures shared by every area's tests: the two bundled samples (`umkm sample`) and the tiny
sample, each refreshed once per test session and only read by the tests (those that change things work on
copies).

`balikpapan_warehouse` serves tests/pipeline (published MSME figures), tests/quality (the sample's gaps) and
tests/cooperatives (published cooperative figures); `kaltara_warehouse` serves tests/pipeline (a province as
the region) and tests/cooperatives (the Kalimantan Utara register); `published_tiny_run` serves tests/safety,
tests/publish and tests/operations. Under pytest-xdist (`make test` runs two workers) each is built once for
both workers (tests/shared_build.py), so their readers run on either; the tests that share any other fixture
wider than a test run on one worker (see `pytest_collection_modifyitems` below)."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipelines.cli import main
from tests.shared_build import BUILT_ONCE, build_once

if TYPE_CHECKING:
    from tests.safety.conftest import Published


def _sample(root: Path, profile: str, region: str) -> tuple[Path, Path]:
    raw, marts = root / "raw", root / "marts"
    assert main(["sample", "--profile", profile, "--out", str(raw)]) == 0
    code = main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", region])
    assert code == 0, f"umkm refresh exited {code} (log under {marts / 'logs'})"
    return raw, marts


@pytest.fixture(scope="session")
def balikpapan_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw_dir, marts_dir) of the full bundled sample (`umkm sample --profile balikpapan`: permits,
    cooperatives, events), refreshed once per session for region 64.71."""
    return build_once(tmp_path_factory, "balikpapan", lambda root: _sample(root, "balikpapan", "64.71"))


@pytest.fixture(scope="session")
def kaltara_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw_dir, marts_dir) of the Kalimantan Utara sample (`umkm sample --profile kaltara`: permits and
    cooperatives), refreshed once per session with the province as the region (--region 65)."""
    return build_once(tmp_path_factory, "kaltara", lambda root: _sample(root, "kaltara", "65"))


def _tiny_refresh(root: Path) -> tuple[Published, str]:
    from tests.safety.conftest import Published, refresh, write_tiny_raw  # that folder's helpers

    write_tiny_raw(root / "raw")
    result = refresh(root / "raw", root / "marts")
    assert result.returncode == 0, result.stdout + result.stderr
    return Published(root / "raw", root / "marts"), result.stdout


@pytest.fixture(scope="session")
def published_tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Published, str]:
    """The tiny permit sample plus a 50-cooperative register, refreshed once per session by a real
    `umkm refresh` (a separate process), and that refresh's stdout: read by tests/publish and
    tests/operations (its progress lines), copied by tests/safety and tests/operations before anything
    changes it."""
    return build_once(tmp_path_factory, "tiny", _tiny_refresh)


@pytest.fixture(scope="session")
def published_tiny(published_tiny_run: tuple[Published, str]) -> Published:
    return published_tiny_run[0]


def pytest_configure(config: pytest.Config) -> None:
    """Parse the dbt project once, before any worker starts: on a clean clone every refresh would otherwise
    find no manifest and the two workers' first refreshes would write it at the same time. A project that
    does not parse is left to the tests that build it to report."""
    if not hasattr(config, "workerinput") and not config.option.collectonly:
        from pipelines.dbt_project import ensure_manifest

        with contextlib.suppress(subprocess.CalledProcessError):
            ensure_manifest()


def _shared_fixtures(item: pytest.Item) -> set[str]:
    """The fixtures of this test suite (not pytest's own) that outlive one test and that the test uses: a
    session- or package-scoped one by name, a module- or class-scoped one by its module and name. Those built
    once for the whole session (tests/shared_build.py) are left out: any worker may read them."""
    shared = set()
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        fixture = definitions[-1]  # the one that applies here (an override is last)
        if not fixture.baseid or fixture.scope == "function" or name in BUILT_ONCE:
            continue
        shared.add(
            name if fixture.scope in ("session", "package") else f"{item.nodeid.split('::')[0]}::{name}"
        )
    return shared


GROUPS_FILE = "xdist-groups.json"  # written by each worker next to its basetemp, read by the scheduler
# The session's shared refreshes, longest first: the first reader of each goes out first, so that the two
# workers build different ones at the same time instead of one waiting for the other's.
BUILD_FIRST = (
    "balikpapan_warehouse",
    "published_tiny_run",
    "kaltara_warehouse",
    "event_warehouse",
    "quality_tiny",
    "tiny_warehouse",
)
# Then the areas by the time their tests take, longest first, so that the two workers finish together:
# tests/operations and tests/safety (refreshes as separate processes, killed and repeated), the samples
# (generation and refresh), the rest.
SLOWEST_FIRST = (
    "tests/operations/",
    "tests/safety/",
    "tests/pipeline/",
    "tests/quality/",
    "tests/cooperatives/",
    "tests/events/",
)


def _first_readers(items: list[pytest.Item], groups: dict[str, str]) -> dict[str, int]:
    """nodeid -> rank in BUILD_FIRST of the first reader of each of those fixtures (a test outside any group
    when there is one: a group goes out whole)."""
    first: dict[str, int] = {}
    for rank, name in enumerate(BUILD_FIRST):
        readers = [item for item in items if name in item.fixturenames and item.nodeid not in first]
        if readers:
            first[min(readers, key=lambda item: item.nodeid in groups).nodeid] = rank
    return first


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that share a fixture wider than a test, directly or through other tests, form one group; under
    pytest-xdist the scheduler below sends each group to one worker, so that the refresh such a fixture runs
    happens once; a test outside any group is spread on its own. The order: the first reader of each
    BUILD_FIRST refresh, then SLOWEST_FIRST areas, and in an area the tests marked slow, then the groups of
    most shared fixtures first. Without xdist only the order changes."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    uses = {item.nodeid: sorted(_shared_fixtures(item)) for item in items}
    for shared in uses.values():
        for other in shared[1:]:
            first, second = find(shared[0]), find(other)
            if first != second:
                parent[max(first, second)] = min(first, second)  # the smallest name names the group
    groups = {nodeid: find(shared[0]) for nodeid, shared in uses.items() if shared}
    weight: dict[str, int] = {}
    for key in parent:
        weight[find(key)] = weight.get(find(key), 0) + 1
    position = {nodeid: index for index, nodeid in enumerate(uses)}
    first = _first_readers(items, groups)
    items.sort(
        key=lambda item: (
            first.get(item.nodeid, len(BUILD_FIRST)),
            next((rank for rank, area in enumerate(SLOWEST_FIRST) if item.nodeid.startswith(area)), 99),
            item.get_closest_marker("slow") is None,  # marked slow: more than a minute on its own
            -weight.get(groups.get(item.nodeid, ""), 0),
            position[item.nodeid],
        )
    )
    if hasattr(config, "workerinput"):
        (Path(config.option.basetemp).parent / f"{config.workerinput['workerid']}-{GROUPS_FILE}").write_text(
            json.dumps(groups), encoding="utf-8"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """pytest-xdist's own `--dist loadgroup` reads a group off the test id, which pytest 9.2 no longer lets
    it change (pytest-xdist issue 1386): this scheduler reads the groups the workers wrote instead. A group
    is one unit of work; a test outside any group is one unit; units go out in collection order."""
    if config.getvalue("dist") != "loadgroup":  # another --dist asked for on the command line
        return None
    from xdist.scheduler import LoadScopeScheduling

    basetemp = config._tmp_path_factory.getbasetemp()
    config.option.loadscopereorder = False  # keep the order the workers collected in (heaviest first)

    class SharedFixtureScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                written = sorted(basetemp.glob(f"*-{GROUPS_FILE}"))
                self.groups = json.loads(written[0].read_text(encoding="utf-8")) if written else {}
            return self.groups.get(nodeid, nodeid)

    return SharedFixtureScheduling(config, log)
