"""A province works as the region: the Kalimantan Utara sample, refreshed with --region 65, reproduces the
published MSME figures (mid 2020: 21,013 MSMEs = 12,459 mikro + 7,876 kecil + 678 menengah)."""

from __future__ import annotations

import pytest

from .conftest import summary

PUBLISHED_MSME_BY_SCALE = {"mikro": 12_459, "kecil": 7_876, "menengah": 678}


@pytest.fixture(scope="module")
def kaltara_marts(kaltara_warehouse):
    """The session-wide Kalimantan Utara sample (tests/conftest.py), refreshed with --region 65."""
    _, marts = kaltara_warehouse
    return marts


def test_kaltara_msme_figures(kaltara_marts, capsys):
    figures = summary(kaltara_marts, capsys)
    assert figures["region_code"] == "65"
    assert figures["region_name"] == "Kalimantan Utara"
    by_scale = figures["msme"]["businesses_by_scale"]
    assert {scale: by_scale[scale] for scale in PUBLISHED_MSME_BY_SCALE} == PUBLISHED_MSME_BY_SCALE
    assert sum(PUBLISHED_MSME_BY_SCALE.values()) == 21_013


def test_kaltara_businesses_lie_in_its_five_kab_kota(kaltara_marts):
    import duckdb

    with duckdb.connect(str(kaltara_marts / "warehouse.duckdb"), read_only=True) as con:
        regencies = {
            r[0] for r in con.execute("SELECT DISTINCT regency_code FROM marts.msme_businesses").fetchall()
        }
    assert regencies == {"65.01", "65.02", "65.03", "65.04", "65.71"}
