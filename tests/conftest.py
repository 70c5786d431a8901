"""Session-wide fixtures shared by every area's tests: the two bundled samples (`umkm sample`), each refreshed
once per test session and only read by the tests (those that change things work on copies).

`balikpapan_warehouse` serves tests/pipeline (published MSME figures), tests/quality (the sample's gaps) and
tests/cooperatives (published cooperative figures); `kaltara_warehouse` serves tests/pipeline (a province as
the region) and tests/cooperatives (the Kalimantan Utara register). Under pytest-xdist (`make test` runs two
workers) the tests that share such a fixture run on one worker, so each sample is built once (see
`pytest_collection_modifyitems` below)."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

import pytest

from pipelines.cli import main


def _sample(tmp_path_factory: pytest.TempPathFactory, profile: str, region: str) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp(profile)
    raw, marts = root / "raw", root / "marts"
    assert main(["sample", "--profile", profile, "--out", str(raw)]) == 0
    code = main(["refresh", "--raw-dir", str(raw), "--marts-dir", str(marts), "--region", region])
    assert code == 0, f"umkm refresh exited {code} (log under {marts / 'logs'})"
    return raw, marts


@pytest.fixture(scope="session")
def balikpapan_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw_dir, marts_dir) of the full bundled sample (`umkm sample --profile balikpapan`: permits,
    cooperatives, events), refreshed once for region 64.71."""
    return _sample(tmp_path_factory, "balikpapan", "64.71")


@pytest.fixture(scope="session")
def kaltara_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(raw_dir, marts_dir) of the Kalimantan Utara sample (`umkm sample --profile kaltara`: permits and
    cooperatives), refreshed once with the province as the region (--region 65)."""
    return _sample(tmp_path_factory, "kaltara", "65")


@pytest.fixture(scope="session")
def published_tiny(tmp_path_factory: pytest.TempPathFactory):
    """The tiny permit sample plus a 50-cooperative register, refreshed once by a real `umkm refresh` (a
    separate process): read by tests/publish, copied by tests/safety before anything changes it."""
    from tests.safety.conftest import Published, refresh, write_tiny_raw

    root = tmp_path_factory.mktemp("tiny")
    write_tiny_raw(root / "raw")
    result = refresh(root / "raw", root / "marts")
    assert result.returncode == 0, result.stdout + result.stderr
    return Published(root / "raw", root / "marts")


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
    session- or package-scoped one by name, a module- or class-scoped one by its module and name."""
    shared = set()
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        fixture = definitions[-1]  # the one that applies here (an override is last)
        if not fixture.baseid or fixture.scope == "function":
            continue
        shared.add(
            name if fixture.scope in ("session", "package") else f"{item.nodeid.split('::')[0]}::{name}"
        )
    return shared


GROUPS_FILE = "xdist-groups.json"  # written by each worker next to its basetemp, read by the scheduler
# Areas by the time their groups take, longest first, so that the two workers finish together: tests/safety
# (refreshes as separate processes; the disk test's four), the samples (generation and refresh), the rest.
SLOWEST_FIRST = ("tests/safety/", "tests/pipeline/", "tests/quality/", "tests/cooperatives/", "tests/events/")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that share a fixture wider than a test, directly or through other tests, form one group; under
    pytest-xdist the scheduler below sends each group to one worker, so that the refresh such a fixture runs
    happens once; a test outside any group is spread on its own. The order: SLOWEST_FIRST areas first, and in
    an area the groups of most shared fixtures first. Without xdist only the order changes."""
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
    items.sort(
        key=lambda item: (
            next((rank for rank, area in enumerate(SLOWEST_FIRST) if item.nodeid.startswith(area)), 99),
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
