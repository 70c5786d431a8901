"""The HTML report in a real headless Chromium: nothing logged as an error, no request but the page itself
(no CDN, fonts or scripts from the network), no sideways scrolling on a phone, and the figures the browser
shows equal the report's tables and SQL on the marts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipelines.reports import Export
from pipelines.reports.layout import UNKNOWN_AREA
from tests.reports.chromium import CHROMIUM, Rendered, render

pytestmark = pytest.mark.skipif(
    not shutil.which(CHROMIUM), reason="chromium not installed (apt-get install chromium; .ci/run does)"
)


@pytest.fixture(scope="session")
def page_2024(export_2024: Export) -> Path:
    return next(p for p in export_2024.files if p.suffix == ".html")


@pytest.fixture(scope="session")
def rendered_2024(page_2024: Path) -> Rendered:
    return render(page_2024)


def shown_number(text: str) -> float:
    """What the page shows (1.234.567, Rp 1.250.000, 35,0%) as a number."""
    text = text.strip().removeprefix("Rp ").replace(".", "").replace(",", ".")
    return float(text.removesuffix("%")) / 100 if text.endswith("%") else float(text)


def test_page_loads_clean_and_offline(rendered_2024: Rendered, page_2024: Path) -> None:
    assert rendered_2024.errors == []
    assert rendered_2024.failed == []
    assert rendered_2024.requests == [page_2024.resolve().as_uri()]
    assert rendered_2024.layout["lang"] == "id"
    assert rendered_2024.layout["svgs"] == 4  # scale, sector, cooperatives by kecamatan, months
    assert "<script" not in page_2024.read_text(encoding="utf-8")


def test_page_prints_to_pdf(rendered_2024: Rendered) -> None:
    """Printable from the browser: Chromium's own print to PDF gives A4 landscape pages."""
    pdf = rendered_2024.pdf
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) > 3
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes)


def test_phone_width_does_not_scroll_sideways(page_2024: Path) -> None:
    phone = render(page_2024, width=390, height=844)
    assert phone.errors == [] and phone.failed == []
    assert phone.layout["scrollWidth"] <= phone.layout["innerWidth"]


def test_figures_shown_equal_the_report(rendered_2024: Rendered, export_2024: Export) -> None:
    tables = {t.key: t for t in export_2024.report.tables()}
    compared = 0
    for key, row, column, text, value in rendered_2024.cells:
        expected = tables[key].rows[row][[c.key for c in tables[key].columns].index(column)]
        if value is None or not isinstance(expected, int | float):
            continue  # text and dates
        assert shown_number(text) == pytest.approx(expected, abs=0.0005), (key, row, column, text)
        compared += 1
    assert compared > 1000


def test_figures_shown_equal_sql_on_the_marts(rendered_2024: Rendered, marts_sql) -> None:
    shown: dict[tuple[str, int], dict[str, str]] = {}
    for key, row, column, text, _ in rendered_2024.cells:
        shown.setdefault((key, row), {})[column] = text
    by_area = {
        cells["kecamatan"]: tuple(int(shown_number(cells[c])) for c in ("terdaftar", "aktif", "tidak_aktif"))
        for (key, _), cells in shown.items()
        if key == "koperasi_per_kecamatan"
    }
    area = f"CASE WHEN kecamatan_code IS NULL THEN '{UNKNOWN_AREA}' ELSE kecamatan_name END"
    expected = marts_sql(
        f"SELECT {area}, sum(registered), sum(active), sum(inactive) FROM marts.cooperative_recap GROUP BY 1"
    )
    assert by_area == {name: tuple(counts) for name, *counts in expected}
    headline = {
        cells["indikator"]: shown_number(cells["nilai"])
        for (k, _), cells in shown.items()
        if k == "ringkasan"
    }
    assert (
        headline["Usaha (NIB) terdaftar"]
        == marts_sql("SELECT count(*) FROM marts.msme_businesses WHERE registered_on <= DATE '2024-12-31'")[
            0
        ][0]
    )
    assert (
        headline["Registrasi usaha baru dalam periode"]
        == marts_sql(
            "SELECT sum(new_registrations) FROM marts.msme_registrations_by_period "
            "WHERE registration_year = 2024"
        )[0][0]
    )
    assert (headline["Koperasi aktif"], headline["Koperasi tidak aktif"]) == (440, 147)
    months = {
        cells["bulan"]: shown_number(cells["registrasi_baru"])
        for (k, _), cells in shown.items()
        if k == "registrasi_per_bulan"
    }
    assert months == dict(
        marts_sql(
            "SELECT registration_month, new_registrations FROM marts.msme_registrations_by_period "
            "WHERE registration_year = 2024"
        )
    )
