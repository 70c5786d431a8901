"""End to end on the small synthetic fixture: raw files in, published marts out, figures equal to the truth
the generator recorded while writing the files."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.warehouse import WarehousePaths

from .conftest import refresh, summary

REPO = Path(__file__).resolve().parents[2]


def test_summary_reproduces_the_generated_truth(tiny_warehouse, capsys):
    _, marts, truth = tiny_warehouse
    figures = summary(marts, capsys)
    assert figures["region_code"] == "64.71"
    assert figures["region_name"] == "Kota Balikpapan"
    msme = figures["msme"]
    assert msme["businesses"] == truth.businesses
    assert msme["businesses_by_scale"] == truth.businesses_by_scale
    assert msme["registrations_by_year"] == truth.registrations_by_year
    assert msme["permits"] == truth.permits
    assert msme["largest_sector_new"] == truth.largest_sector_new


def test_every_file_reconciles_and_nothing_is_lost(tiny_warehouse, capsys):
    _, marts, truth = tiny_warehouse
    quality = summary(marts, capsys)["data_quality"]
    assert quality["rows_read"] == quality["rows_loaded"] + quality["rows_rejected"]
    assert quality["rows_rejected"] == truth.rows_rejected
    assert quality["files_skipped_duplicate"] == truth.duplicate_files
    assert quality["files_seen"] == truth.files_written
    with duckdb.connect(str(marts / "warehouse.duckdb"), read_only=True) as con:
        unbalanced = con.execute(
            "SELECT path, sheet FROM raw.ingest_files WHERE rows_read <> rows_loaded + rows_rejected"
        ).fetchall()
        rejects_without_place = con.execute(
            "SELECT count(*) FROM raw.ingest_rejects WHERE path IS NULL OR row_number IS NULL OR rule IS NULL"
        ).fetchone()[0]
    assert unbalanced == []
    assert rejects_without_place == 0


def test_no_personal_data_reaches_the_marts(tiny_warehouse):
    _, marts, _ = tiny_warehouse
    with duckdb.connect(str(marts / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema || '.' || table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema IN ('raw', 'staging', 'intermediate', 'marts')"
        ).fetchall()
        emails = con.execute(
            "SELECT count(*) FROM marts.msme_businesses WHERE contains(CAST(msme_businesses AS VARCHAR), '@')"
        ).fetchone()[0]
    names = {c[0].rsplit(".", 1)[1] for c in columns}
    assert not names & {"email", "nomor_telp", "nama_user", "nik", "no_hp"}
    assert emails == 0


def test_query_prints_csv_and_is_read_only(tiny_warehouse, capsys):
    _, marts, truth = tiny_warehouse
    capsys.readouterr()
    assert main(["query", "--marts-dir", str(marts), "SELECT count(*) AS n FROM marts.msme_businesses"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", str(truth.businesses)]
    assert main(["query", "--marts-dir", str(marts), "CREATE TABLE marts.x (a INT)"]) == 2
    assert "read-only" in capsys.readouterr().err


def test_published_file_is_a_read_only_release_without_wal(tiny_warehouse):
    _, marts, _ = tiny_warehouse
    paths = WarehousePaths(marts)
    release = paths.published.resolve()
    assert paths.published.is_symlink()
    assert release.parent == paths.releases_dir
    assert not os.access(release, os.W_OK) or os.geteuid() == 0  # root ignores file modes
    assert oct(release.stat().st_mode & 0o777) == "0o444"
    assert not Path(str(release) + ".wal").exists()


def test_dbt_artifacts_stay_in_one_folder_of_the_marts_folder(tiny_warehouse):
    """dbt writes into build/dbt_target of the marts folder (not a new dbt_project/target/<run> per refresh),
    so the next refresh finds the build's partial_parse.msgpack; the build's vars are those of the refresh."""
    _, marts, _ = tiny_warehouse
    target = WarehousePaths(marts).dbt_target_dir
    for artifact in ("manifest.json", "run_results.json", "partial_parse.msgpack"):
        assert (target / artifact).is_file(), artifact
    assert not (target / "dbt.log").exists()  # dbt's output is in the refresh log
    run = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    assert run["args"]["vars"] == {"region_code": "64.71"}
    assert run["results"] and {r["status"] for r in run["results"]} <= {"success", "pass", "warn"}


def test_a_new_marts_folder_starts_from_the_projects_partial_parse(tiny_warehouse):
    """The first dbt build in a fresh marts folder reuses dbt_project/target's partial parse (same profile:
    the build file by its name, from the build folder; same vars) instead of parsing the whole project."""
    _, marts, _ = tiny_warehouse
    log = next((marts / "logs").glob("refresh-*.log")).read_text(encoding="utf-8")
    assert re.search(r"Found \d+ models", log)  # dbt's own output reached the log
    assert "Unable to do partial parsing" not in log, [
        line for line in log.splitlines() if "partial pars" in line
    ]
    assert (WarehousePaths(marts).build_dir / "warehouse.duckdb").is_file()
    assert not (REPO / "dbt_project" / "warehouse.duckdb").exists()  # dbt opened it in the build folder


def test_second_refresh_swaps_atomically_and_open_readers_keep_their_version(tiny_warehouse, tmp_path):
    raw, refreshed_once, truth = tiny_warehouse
    marts = tmp_path / "marts"  # a copy of the folder the first refresh published (same raw files)
    shutil.copytree(
        refreshed_once, marts, symlinks=True, ignore=shutil.ignore_patterns("dagster", "refresh.lock")
    )
    paths = WarehousePaths(marts)
    first = paths.published.resolve()
    reader = duckdb.connect(str(paths.published), read_only=True)
    try:
        assert refresh(raw, marts) == 0
        second = paths.published.resolve()
        assert second != first and first.exists()
        # The open reader still answers from its version; a new reader sees the new one.
        assert reader.execute("SELECT count(*) FROM marts.msme_businesses").fetchone()[0] == truth.businesses
        with duckdb.connect(str(paths.published), read_only=True) as fresh:
            assert (
                fresh.execute("SELECT run_id FROM meta.refresh").fetchone()
                != reader.execute("SELECT run_id FROM meta.refresh").fetchone()
            )
    finally:
        reader.close()


def test_region_filter_and_unknown_region(tiny_sample, tmp_path, capsys):
    raw, _ = tiny_sample
    # Issue 14: Balikpapan files with a province code holding none of them are refused, not published empty.
    assert refresh(raw, tmp_path / "kaltara", region="65") == 1
    err = capsys.readouterr().err
    assert "none falls in region 65" in err and "Kota Balikpapan (64.71)" in err
    assert not WarehousePaths(tmp_path / "kaltara").published.exists()
    assert refresh(raw, tmp_path / "nowhere", region="99.99") == 2
    assert "99.99" in capsys.readouterr().err


def test_refresh_with_no_source_folders_is_refused_and_says_so(tmp_path, capsys):
    """Issue 14: a raw folder without any recognised export is a mistake (a moved folder, a typo): nothing is
    published and one line says why."""
    (tmp_path / "raw").mkdir()
    assert refresh(tmp_path / "raw", tmp_path / "marts") == 1
    err = capsys.readouterr().err
    assert "no recognised export file" in err
    assert not WarehousePaths(tmp_path / "marts").published.exists()


@pytest.mark.parametrize("command", [["summary", "--json"], ["query", "SELECT 1"]])
def test_commands_before_any_refresh_explain_what_to_do(tmp_path, capsys, command):
    assert main([*command, "--marts-dir", str(tmp_path)]) == 2
    assert "umkm refresh" in capsys.readouterr().err


def test_a_refresh_while_another_holds_the_lock_fails_and_publishes_nothing(tiny_sample, tmp_path, capsys):
    from pipelines.warehouse import refresh_lock

    raw, _ = tiny_sample
    marts = tmp_path / "marts"
    with refresh_lock(WarehousePaths(marts)):  # another run (UI, schedule, a second CLI) holds the folder
        assert refresh(raw, marts) == 1
    assert "another refresh is running" in capsys.readouterr().err
    assert not WarehousePaths(marts).published.exists()
