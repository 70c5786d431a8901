"""The README's "Layout" block matches the tree: every path it names exists, and every module and folder of
the package, and every top-level folder of the repository, is named there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An entry: indentation, then a file or folder name (several joined by ", " on one line), then 2+ spaces.
ENTRY = re.compile(r"^(?P<indent> *)(?P<names>[\w./-]+(?:, [\w./-]+)*)(?:  +|$)")


def layout_block(readme: str) -> list[str]:
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1].strip("\n").splitlines()


def layout_paths(lines: list[str]) -> set[Path]:
    """Paths named by the block: an indented entry lives in the folder of the nearest less-indented one."""
    parents: list[tuple[int, Path]] = []
    paths: set[Path] = set()
    for line in lines:
        match = ENTRY.match(line)
        if not match or line[len(match["indent"]) :].startswith(" "):
            continue
        indent = len(match["indent"])
        while parents and parents[-1][0] >= indent:
            parents.pop()
        base = parents[-1][1] if parents else Path()
        for name in match["names"].split(", "):
            path = base / name.rstrip("/")
            paths.add(path)
            if name.endswith("/"):
                parents.append((indent, path))
    return paths


def named_paths() -> set[Path]:
    return layout_paths(layout_block((ROOT / "README.md").read_text(encoding="utf-8")))


def test_every_named_path_exists() -> None:
    missing = sorted(str(p) for p in named_paths() if not (ROOT / p).exists())
    assert not missing, f"the README's layout names paths that do not exist: {missing}"


def test_every_package_module_and_folder_is_named() -> None:
    named = named_paths()
    package = ROOT / "pipelines"
    expected = {
        p.relative_to(ROOT) for p in package.iterdir() if p.suffix == ".py" and p.name != "__init__.py"
    }
    expected |= {p.relative_to(ROOT) for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"}
    for folder in ("ingest", "quality", "assets"):
        expected |= {
            p.relative_to(ROOT)
            for p in (package / folder).iterdir()
            if p.is_file() and p.name != "__init__.py" and p.suffix in {".py", ".sql"}
        }
    missing = sorted(str(p) for p in expected - named)
    assert not missing, f"modules or folders the README's layout does not name: {missing}"


def test_every_top_level_folder_is_named() -> None:
    top = {
        Path(p.name)
        for p in ROOT.iterdir()
        if p.is_dir() and not p.name.startswith(".") and p.name != "__pycache__" and "egg-info" not in p.name
    }
    named = named_paths()
    named |= {parent for path in named for parent in path.parents}
    missing = sorted(str(p) for p in top - named)
    assert not missing, f"top-level folders the README's layout does not name: {missing}"


def test_the_parser_reads_nesting_and_continuations() -> None:
    lines = [
        "pipelines/                the package",
        "  ingest/                 sources",
        "    spec.py               families",
        "                          a continuation line, not a path",
        "  cli.py                  the command",
        "    writers.py, cells.py   shared helpers",
        "docs/                     prose",
    ]
    assert layout_paths(lines) == {
        Path("pipelines"),
        Path("pipelines/ingest"),
        Path("pipelines/ingest/spec.py"),
        Path("pipelines/cli.py"),
        Path("pipelines/writers.py"),
        Path("pipelines/cells.py"),
        Path("docs"),
    }
