"""The gate inside `umkm refresh`, end to end on the tiny sample: a critical error refuses the publish and
says where; update checks flag a registry update that lost a third of its rows and a column that went empty;
gaps keep their history across refreshes; Data Docs render offline; status and summary report it all."""

from __future__ import annotations

import hashlib
import json
import os
import re

import duckdb
import pytest

from pipelines.cli import main
from pipelines.quality.data_docs import external_references
from pipelines.quality.suites import load_suites
from pipelines.sample.writers import write_csv
from pipelines.warehouse import WarehousePaths
from tests.dbt_build import dbt_build

from .conftest import COOPERATIVES, KEPT, NIB_A, NIB_B, coop_number, refresh

BROKEN_FILE = "permits/NIB Juni 2024 rusak.csv"
NIB_HEADER = ("NIB", "Tanggal Terbit OSS", "Nama Perusahaan", "Uraian Skala Usaha", "Kecamatan", "Kab Kota")


def _gaps(marts, where: str = "TRUE") -> list[dict]:
    with duckdb.connect(str(WarehousePaths(marts).published), read_only=True) as con:
        cursor = con.execute(
            f"SELECT * FROM marts.data_quality_gaps WHERE {where} ORDER BY gap_type, record_key"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_critical_error_refuses_the_publish_and_names_file_row_column_rule(quality_tiny, tmp_path, capsys):
    work = quality_tiny.copy(tmp_path)
    paths = WarehousePaths(work.marts)
    release_before = os.readlink(paths.published)
    digest_before = _sha256(paths.published.resolve())
    # A NIB registered "in 2099": one such date would make every real registration look old.
    write_csv(
        work.raw / BROKEN_FILE,
        NIB_HEADER,
        [
            (
                "8120012345012",
                "12/06/2024",
                "Warung Uji",
                "Usaha Mikro",
                "Balikpapan Kota",
                "Kota Balikpapan",
            ),
            (
                "8120012345013",
                "15/08/2099",
                "Toko Masa Depan",
                "Usaha Mikro",
                "Balikpapan Kota",
                "Kota Balikpapan",
            ),
        ],
    )
    capsys.readouterr()
    assert refresh(work.raw, work.marts) == 1
    err = capsys.readouterr().err
    assert os.readlink(paths.published) == release_before
    assert _sha256(paths.published.resolve()) == digest_before
    critical = [line for line in err.splitlines() if line.startswith("umkm: critical check failed:")]
    assert critical, err
    assert any(
        f"file {BROKEN_FILE}" in line
        and "row 3" in line
        and "column tanggal_terbit_oss" in line
        and "value 2099-08-15" in line
        and "rule expect_column_values_to_be_between" in line
        for line in critical
    ), critical
    assert "is unchanged" in err

    assert main(["status", "--marts-dir", str(work.marts)]) == 0
    status = capsys.readouterr().out
    assert "failed (not published)" in status
    assert f"file {BROKEN_FILE}" in status and "CRITICAL" in status
    assert "from an earlier refresh, the last one was not published" in status
    index = (work.marts / "quality" / "data_docs" / "index.html").read_text(encoding="utf-8")
    assert "raw.oss_nib" in index and "gagal (kritis" in index


def test_update_checks_flag_lost_rows_vanished_cooperatives_and_an_emptied_column(quality_tiny):
    flagged = {
        (g["gap_type"], g["column_name"]): g for g in _gaps(quality_tiny.marts, "source = 'cooperatives'")
    }
    drop = flagged[("update_row_count_drop", None)]
    assert drop["value"] == f"{COOPERATIVES} menjadi {KEPT}" and drop["is_open"]
    assert "turun" in drop["message"] and "33%" in drop["message"]
    emptied = flagged[("update_column_emptied", "members_female")]
    assert "kosong seluruhnya" in emptied["message"]
    assert flagged[("update_records_vanished", None)]["value"] == str(COOPERATIVES - KEPT)
    missing = [g for g in _gaps(quality_tiny.marts, "gap_type = 'coop_missing_from_latest'")]
    assert sorted(g["record_key"] for g in missing) == [
        coop_number(i) for i in range(KEPT + 1, COOPERATIVES + 1)
    ]
    assert all(g["source_path"].endswith("2024-01-31.csv") for g in missing)
    # Columns that were filled in both updates are not flagged.
    assert ("update_column_emptied", "members_male") not in flagged


@pytest.mark.parametrize(
    ("gap_type", "record_key", "column_name", "value"),
    [
        ("nib_conflicting", NIB_A, "tanggal_terbit_oss", "12-06-2020 (daftar NIB) / 13-06-2021 (daftar NIB)"),
        ("kecamatan_unmatched", NIB_A, "kecamatan", "Balikpapan Baru"),
        ("phone_malformed", NIB_A, "nomor_telp", None),
        ("scale_inconsistent", NIB_A, "capital_amount", "mikro"),
        ("kbli_unknown", "R-UJI-1", "kbli", "99999"),
        ("date_before_1945", NIB_B, "tanggal_terbit_oss", "01-02-1930"),
        ("kbli_invalid", "R-UJI-2", "kbli", None),
        ("money_negative", "R-UJI-2", "jumlah_investasi", "-5.000.000"),
        ("money_implausible", "R-UJI-3", "jumlah_investasi", "500.000.000.000.000"),
    ],
)
def test_planted_permit_gaps_are_flagged_with_where_to_fix_them(
    quality_tiny, gap_type, record_key, column_name, value
):
    (gap,) = _gaps(quality_tiny.marts, f"gap_type = '{gap_type}' AND record_key = '{record_key}'")
    assert (gap["column_name"], gap["value"], gap["is_open"]) == (column_name, value, True)
    assert (
        gap["source_path"].startswith("permits/") and "Uji Celah" in gap["source_path"] and gap["source_row"]
    )
    assert gap["severity"] == "warning" and "{" not in gap["message"]


def test_the_sample_publishes_with_its_gaps_and_reports_them(quality_tiny, capsys):
    capsys.readouterr()
    assert main(["summary", "--json", "--marts-dir", str(quality_tiny.marts)]) == 0
    quality = json.loads(capsys.readouterr().out)["data_quality"]
    gaps = _gaps(quality_tiny.marts, "is_open")
    expected = {}
    for gap in gaps:
        expected[gap["gap_type"]] = expected.get(gap["gap_type"], 0) + 1
    assert quality["gaps_by_type"] == expected
    assert {"kbli_missing", "scale_missing", "nib_malformed", "row_rejected", "update_row_count_drop"} <= set(
        expected
    )
    assert quality["checks_passed"] > 100 and quality["checks_failed"] >= 1  # warnings only: it published
    assert all("{" not in g["message"] and g["severity"] == "warning" for g in gaps)
    rejected_nib = next(g for g in gaps if g["gap_type"] == "nib_malformed")
    assert (
        rejected_nib["source_path"]
        and rejected_nib["source_row"]
        and rejected_nib["value"] in rejected_nib["message"]
    )

    assert main(["status", "--marts-dir", str(quality_tiny.marts)]) == 0
    status = capsys.readouterr().out
    assert ": published" in status and "0 critical failed" in status
    assert "update_row_count_drop 1" in status


def test_data_docs_cover_every_suite_and_render_offline(quality_tiny):
    docs = quality_tiny.marts / "quality" / "data_docs"
    index = (docs / "index.html").read_text(encoding="utf-8")
    for suite in load_suites():
        page = docs / "validations" / f"{suite.name}.html"
        assert suite.name in index and page.exists(), suite.name
    for page in [docs / "index.html", *(docs / "validations").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert external_references(html) == [], page.name
        assert "<script" not in html and "cdn" not in html.lower(), page.name
    counts = re.search(r"Aturan: <b>(\d+)</b> lolos, <b>(\d+)</b> gagal kritis", index)
    with duckdb.connect(str(WarehousePaths(quality_tiny.marts).published), read_only=True) as con:
        passed, critical = con.execute(
            "SELECT count(*) FILTER (success), count(*) FILTER (NOT success AND severity = 'critical') "
            "FROM meta.quality_checks"
        ).fetchone()
    assert counts and (int(counts[1]), int(counts[2])) == (passed, critical) == (passed, 0)
    nib_page = (docs / "validations" / "raw.oss_nib.html").read_text(encoding="utf-8")
    assert "Expectation Validation Result" in nib_page and "NIB harus 13 digit angka" in nib_page


def _dbt_quality(database, target) -> None:
    dbt_build(database, "int_ingest_gaps_flagged+", {"region_code": "64.71"}, target)


def _history(database) -> dict[str, tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "SELECT record_key, first_seen, last_seen, resolved_at FROM marts.data_quality_gaps "
            "WHERE gap_type = 'nib_malformed'"
        ).fetchall()
    return {key: (first, last, resolved) for key, first, last, resolved in rows}


def test_a_gap_resolves_when_it_disappears_and_reopens_with_its_first_seen(quality_tiny, tmp_path):
    database = tmp_path / "warehouse.duckdb"
    database.write_bytes(WarehousePaths(quality_tiny.marts).build_file.read_bytes())
    before = _history(database)
    with duckdb.connect(str(database), read_only=True) as con:  # a NIB-list row the loader rejected
        rejected = {
            f"{path}#{sheet or ''}#{row}"
            for path, sheet, row in con.execute(
                "SELECT path, sheet, row_number FROM raw.ingest_rejects WHERE rule = 'nib_format'"
            ).fetchall()
        }
    fixed = sorted(set(before) & rejected)[0]
    path, sheet, row = fixed.split("#")
    with duckdb.connect(str(database)) as con:  # the office fixed that row in its file
        kept = con.execute(
            "SELECT * FROM raw.ingest_rejects WHERE path = ? AND coalesce(sheet, '') = ? AND row_number = ?",
            [path, sheet, int(row)],
        ).fetchall()
        con.execute(
            "DELETE FROM raw.ingest_rejects WHERE path = ? AND coalesce(sheet, '') = ? AND row_number = ?",
            [path, sheet, int(row)],
        )
    _dbt_quality(database, tmp_path)
    after = _history(database)
    assert after[fixed][2] is not None and after[fixed][2] > before[fixed][1]  # resolved_at, after last seen
    for key, (first, last, resolved) in after.items():
        assert first == before[key][0]  # first_seen survives refreshes
        if key != fixed:
            assert resolved is None and last > before[key][1]
    with duckdb.connect(str(database)) as con:  # the same mistake comes back in a later export
        con.executemany(f"INSERT INTO raw.ingest_rejects VALUES ({', '.join(['?'] * len(kept[0]))})", kept)
    _dbt_quality(database, tmp_path)
    again = _history(database)
    assert again[fixed][0] == before[fixed][0] and again[fixed][2] is None
