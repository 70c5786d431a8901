"""The bundled sample reproduces the published Balikpapan MSME figures (../shared/domain.md) end to end:
raw files in, `umkm summary --json` out. These numbers are the specification, not the generator's output."""

from __future__ import annotations

from .conftest import summary

PUBLISHED_BUSINESSES = 73_000  # MSME permits issued, all time, Kota Balikpapan, 3 May 2024
PUBLISHED_REGISTERED_2023 = 12_323
PUBLISHED_LARGEST_NEW_SECTOR = "kuliner"


def test_balikpapan_msme_figures(balikpapan_warehouse, capsys):
    _, marts = balikpapan_warehouse
    figures = summary(marts, capsys)
    assert figures["region_code"] == "64.71"
    assert figures["region_name"] == "Kota Balikpapan"
    msme = figures["msme"]
    assert msme["businesses"] == PUBLISHED_BUSINESSES
    assert sum(msme["businesses_by_scale"].values()) == PUBLISHED_BUSINESSES
    assert msme["registrations_by_year"]["2023"] == PUBLISHED_REGISTERED_2023
    assert sum(msme["registrations_by_year"].values()) == PUBLISHED_BUSINESSES
    assert msme["largest_sector_new"] == PUBLISHED_LARGEST_NEW_SECTOR
    assert max(msme["registrations_by_year"]) <= "2024"


def test_balikpapan_sample_reconciles(balikpapan_warehouse, capsys):
    _, marts = balikpapan_warehouse
    quality = summary(marts, capsys)["data_quality"]
    assert quality["rows_read"] == quality["rows_loaded"] + quality["rows_rejected"]
    assert quality["files_skipped_duplicate"] >= 1
    assert quality["rows_rejected"] > 0
