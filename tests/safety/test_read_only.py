"""Read-only means read-only: every escape of issue 14 through `umkm query` fails with one clear line and
leaves the published release, the build file and the file system untouched; analysts' documented read-only
opening still works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ENV, WITHOUT_FILE_OVERRIDE, Published, error_lines, needs_setpriv, sha256, umkm


def _catalog(release: Path) -> str:
    return release.name.removesuffix(".duckdb")


ESCAPES = {
    # ATTACH an in-memory database, detach the release, then COPY a CSV over the release file.
    "copy_over_release": "ATTACH ':memory:' AS m; DETACH \"{catalog}\"; COPY (SELECT 1 AS a) TO '{release}'",
    "attach_release_read_write": "ATTACH '{release}' AS rw (READ_WRITE); "
    "UPDATE rw.marts.msme_businesses SET business_name = 'x'",
    "attach_build_drop_table": "ATTACH '{build}' AS b; DROP TABLE b.marts.data_quality_gaps",
    "copy_to_anywhere": "COPY (SELECT 1 AS a) TO '{outside}'",
    "read_text_shadow": "SELECT * FROM read_text('/etc/shadow')",
    "read_csv_any_file": "SELECT * FROM read_csv('/etc/passwd')",
    "glob_files": "SELECT * FROM glob('/etc/*')",
    "install_extension": "INSTALL httpfs",
    "load_extension": "LOAD httpfs",
    "unlock_settings": "SET enable_external_access = true",
    "create_table": "CREATE TABLE marts.x (a INT)",
    "export_database": "EXPORT DATABASE '{outside_dir}'",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_each_escape_fails_with_one_line_and_changes_nothing(published_tiny: Published, tmp_path, name):
    release = published_tiny.release
    build = published_tiny.marts / "build" / "warehouse.duckdb"
    outside = tmp_path / "written.csv"
    before = (sha256(release), sha256(build))
    sql = ESCAPES[name].format(
        catalog=_catalog(release),
        release=release,
        build=build,
        outside=outside,
        outside_dir=tmp_path / "export",
    )
    result = umkm("query", "--marts-dir", str(published_tiny.marts), sql)
    assert result.returncode == 2, result.stdout
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("umkm: refused:"), lines[0]
    assert "Traceback" not in result.stderr
    assert (sha256(release), sha256(build)) == before
    assert not outside.exists() and not (tmp_path / "export").exists()


def test_reading_still_works(published_tiny: Published):
    marts = str(published_tiny.marts)
    result = umkm("query", "--marts-dir", marts, "SELECT count(*) AS n FROM marts.msme_businesses")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.splitlines()[1]) > 0
    assert umkm("summary", "--json", "--marts-dir", marts).returncode == 0
    status = umkm("status", "--marts-dir", marts)
    assert status.returncode == 0, status.stderr
    assert "Disk           marts folder" in status.stdout


def test_analysts_documented_read_only_opening_works(published_tiny: Published):
    """README: `duckdb.connect(path, read_only=True)` from any client (no DuckDB CLI binary here)."""
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(con.execute('SELECT count(*) FROM marts.msme_businesses').fetchone()[0])"
    )
    path = published_tiny.marts / "warehouse.duckdb"
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0
    assert not path.resolve().with_name(path.resolve().name + ".wal").exists()


def test_release_files_and_folder_are_read_only(published_tiny: Published):
    release = published_tiny.release
    assert oct(release.stat().st_mode & 0o777) == "0o444"
    assert oct(release.parent.stat().st_mode & 0o777) == "0o555"


@needs_setpriv
def test_file_modes_stop_writes_to_releases(published_tiny: Published):
    """Held to file modes (see WITHOUT_FILE_OVERRIDE): the release reads, but no write to it, no new file
    beside it, no removal."""
    release = published_tiny.release
    code = (
        "import sys, pathlib\n"
        "r = pathlib.Path(sys.argv[1])\n"
        "print('read' if open(r, 'rb').read(16) else 'empty')\n"
        "for attempt in (lambda: open(r, 'r+b'), lambda: open(r.with_name('x.duckdb'), 'wb'), r.unlink):\n"
        "    try:\n        attempt()\n        print('WROTE')\n"
        "    except PermissionError:\n        print('refused')\n"
    )
    result = subprocess.run(
        [*WITHOUT_FILE_OVERRIDE, sys.executable, "-c", code, str(release)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert result.stdout.split() == ["read"] + ["refused"] * 3, result.stdout + result.stderr
