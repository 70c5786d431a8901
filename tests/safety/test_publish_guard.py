"""The publish guard: a typo, a wrong region or a lost register never replaces a good published warehouse.
Each refusal: exit 1, one line on stderr, the published release untouched, the refusal in `umkm status`."""

from __future__ import annotations

import json
import os

import duckdb

from .conftest import Published, error_lines, refresh, sha256, status_json, umkm, write_coop_register


def _assert_refused(result, work: Published, release_before, digest_before, *phrases: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("umkm: refused to publish:"), lines[0]
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    published = work.marts / "warehouse.duckdb"
    assert os.readlink(published) == release_before
    assert sha256(published.resolve()) == digest_before
    status = status_json(work.marts)
    assert status["last_refresh"]["outcome"] == "refused (not published)"
    assert status["last_refresh"]["refused"]
    text = umkm("status", "--marts-dir", str(work.marts)).stdout
    assert "Refused" in text
    return lines[0]


def _before(work: Published) -> tuple[str, str]:
    published = work.marts / "warehouse.duckdb"
    return os.readlink(published), sha256(published.resolve())


def test_a_missing_raw_folder_is_refused(published_tiny: Published, tmp_path):
    work = published_tiny.copy(tmp_path)
    before = _before(work)
    result = refresh(tmp_path / "no" / "such" / "folder", work.marts)
    _assert_refused(result, work, *before, "does not exist")


def test_a_raw_folder_without_recognised_files_is_refused(published_tiny: Published, tmp_path):
    work = published_tiny.copy(tmp_path)
    before = _before(work)
    empty = tmp_path / "empty_raw"
    (empty / "permits").mkdir(parents=True)
    (empty / "permits" / "catatan.csv").write_text("apa,ini\n1,2\n", encoding="utf-8")
    result = refresh(empty, work.marts)
    _assert_refused(result, work, *before, "no recognised export file")


def test_a_region_without_rows_is_refused_and_names_the_regions_in_the_files(
    published_tiny: Published, tmp_path
):
    work = published_tiny.copy(tmp_path)
    before = _before(work)
    result = refresh(work.raw, work.marts, "--region", "65")
    line = _assert_refused(result, work, *before, "none falls in region 65", "Kota Balikpapan (64.71)")
    assert "--region" in line


def test_a_cooperative_register_that_lost_80_percent_is_stopped_unless_allowed(
    published_tiny: Published, tmp_path
):
    work = published_tiny.copy(tmp_path)
    before = _before(work)
    register = work.raw / "cooperatives" / "Data Koperasi Kota Balikpapan 2024.csv"
    write_coop_register(register, 10)  # 50 -> 10 cooperatives
    result = refresh(work.raw, work.marts)
    _assert_refused(result, work, *before, "registered cooperatives 50 -> 10 (-80%)", "--allow-shrink")

    allowed = refresh(work.raw, work.marts, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    with duckdb.connect(str(work.marts / "warehouse.duckdb"), read_only=True) as con:
        allow, decision, after = con.execute(
            "SELECT allow_shrink, shrink_decision, headline_after FROM meta.refresh"
        ).fetchone()
        cooperatives = con.execute("SELECT count(*) FROM marts.cooperatives").fetchone()[0]
    assert allow is True
    assert "registered cooperatives 50 -> 10 (-80%)" in decision
    assert json.loads(after)["cooperatives"] == cooperatives == 10
    history = (work.marts / "published.jsonl").read_text().splitlines()
    assert "--allow-shrink" in json.loads(history[-1])["shrink_decision"]
    assert "Shrink" in umkm("status", "--marts-dir", str(work.marts)).stdout


def test_the_allowed_share_is_configurable():
    from pipelines.assets.guard import compare_with_published

    before = {"msme_businesses": 100, "msme_permits": 200, "cooperatives": 50}
    after = {"msme_businesses": 40, "msme_permits": 200, "cooperatives": 50}
    assert compare_with_published(after, before, 0.5).drops == ["MSME businesses 100 -> 40 (-60%)"]
    assert compare_with_published(after, before, 0.7).drops == []
    assert compare_with_published(after, None, 0.5).drops == []  # nothing published yet
