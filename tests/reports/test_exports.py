"""`umkm export --period 2024` on the full bundled sample: the workbook and the CSVs read back hold exactly
the figures of the marts. The report's tables come from one set of queries (pipelines/reports/queries.py);
here each is recomputed from a different mart where one exists (cooperative_recap, msme_business_counts,
msme_registrations_by_period, cooperative_health_by_year, event_participation, data_quality_gaps), and every
cell of every table is compared in the workbook and in the CSVs."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from pipelines.reports import Export, export_period
from pipelines.reports.csv_files import format_value
from pipelines.reports.layout import KAB_KOTA, UNKNOWN_AREA
from pipelines.reports.period import parse_period
from pipelines.reports.queries import businesses_by_area, cooperatives_by_area
from pipelines.warehouse import WarehousePaths, connect_published
from tests.reports.readback import by_label, csv_table, table, workbook_tables

# The recap marts name an unmatched kecamatan tidak_diketahui; the report says it is a data gap.
AREA = f"CASE WHEN kecamatan_code IS NULL THEN '{UNKNOWN_AREA}' ELSE kecamatan_name END"
SHEETS = [
    "Ringkasan",
    "Koperasi",
    "Kesehatan Koperasi",
    "UMKM per Skala dan Sektor",
    "Kegiatan",
    "Celah Data",
    "Metadata",
]


def test_files_and_sheets(export_2024: Export) -> None:
    names = sorted(p.name for p in export_2024.files)
    assert "rekap_umkm_koperasi_6471_2024.xlsx" in names and "rekap_umkm_koperasi_6471_2024.html" in names
    assert openpyxl.load_workbook(export_2024.files[0]).sheetnames == SHEETS


def test_every_cell_in_workbook_and_csv_equals_the_report(export_2024: Export) -> None:
    """Rendering loses nothing: each cell of the workbook, each CSV field, equals the query's value."""
    workbook = workbook_tables(export_2024)
    numbers = 0
    for report_table in export_2024.report.tables():
        sheet_rows, csv_rows = workbook[report_table.key], csv_table(export_2024, report_table)
        assert len(sheet_rows) == len(csv_rows) == len(report_table.rows), report_table.key
        for expected, in_sheet, in_csv in zip(report_table.rows, sheet_rows, csv_rows, strict=True):
            for column, value, cell in zip(report_table.columns, expected, in_sheet, strict=True):
                assert _cell(cell) == value, (report_table.key, column.key)
                assert in_csv[column.key] == format_value(value), (report_table.key, column.key)
                numbers += isinstance(value, int | float)
    assert numbers > 1000


def _cell(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_headline_is_the_published_figures(export_2024: Export) -> None:
    headline = {row[0]: row[1] for row in workbook_tables(export_2024)["ringkasan"]}
    assert headline["Usaha (NIB) terdaftar"] == 73_000
    assert (headline["Koperasi terdaftar"], headline["Koperasi aktif"], headline["Koperasi tidak aktif"]) == (
        587,
        440,
        147,
    )
    assert headline["Koperasi yang melaksanakan RAT"] == 70
    assert headline["Koperasi melapor secara digital"] == 10
    health = [headline[f"Kesehatan koperasi: {c}"] for c in ("Sehat", "Cukup Sehat", "Dalam Pengawasan")]
    assert health == [6, 14, 6]
    assert headline["Expo UMKM Hari Koperasi ke-77: kelompok/komunitas"] == 35
    assert headline["Expo UMKM Hari Koperasi ke-77: UMKM peserta"] == 120
    sector = next(
        r for r in workbook_tables(export_2024)["ringkasan"] if r[0] == "Sektor terbesar registrasi baru"
    )
    assert sector[2].startswith("Kuliner")


def test_cooperatives_equal_the_recap_mart(export_2024: Export, marts_sql) -> None:
    sheet = workbook_tables(export_2024)
    by_area = marts_sql(
        f"""SELECT {AREA}, sum(registered), sum(active), sum(inactive),
                   sum(rat_held)
            FROM marts.cooperative_recap GROUP BY 1"""
    )
    assert by_label(sheet["koperasi_per_kecamatan"], 1) == by_label([list(r) for r in by_area], 1)
    assert by_label(sheet["koperasi_per_kecamatan"], 1)["Balikpapan Kota"][1] == 143
    money = """sum(registered), sum(active), sum(inactive), sum(rat_held), sum(members_male),
               sum(members_female), sum(modal_sendiri), sum(modal_luar), sum(volume_usaha), sum(shu),
               sum(aset)"""
    # the seed's label (not the mart's own jenis_label): the export is checked against the rule seed itself
    labels = (
        "LEFT JOIN (SELECT DISTINCT jenis, jenis_label FROM rules.cooperative_jenis) AS seed USING (jenis)"
    )
    by_jenis = marts_sql(
        f"SELECT coalesce(seed.jenis_label, 'Tidak diketahui'), {money} FROM marts.cooperative_recap "
        f"{labels} GROUP BY 1"
    )
    assert by_label(sheet["koperasi_per_jenis"], 1) == by_label([list(r) for r in by_jenis], 1)
    assert by_label(sheet["koperasi_per_jenis"], 1)["Simpan Pinjam dan Pembiayaan Syariah"][1] == 5
    by_both = marts_sql(
        f"""SELECT {AREA}, coalesce(seed.jenis_label, 'Tidak diketahui'),
                   {money}
            FROM marts.cooperative_recap {labels} GROUP BY 1, 2"""
    )
    assert by_label(sheet["koperasi_per_kecamatan_jenis"], 2) == by_label([list(r) for r in by_both], 2)


def test_health_equals_its_mart(export_2024: Export, marts_sql) -> None:
    rows = marts_sql(
        """SELECT assessment_year::VARCHAR, category_label, cooperatives, from_recorded, from_scores
           FROM marts.cooperative_health_by_year WHERE assessment_year <= 2024"""
    )
    assert by_label(workbook_tables(export_2024)["kesehatan_koperasi"], 2) == by_label(
        [list(r) for r in rows], 2
    )


def test_businesses_equal_the_count_marts(export_2024: Export, marts_sql) -> None:
    sheet = workbook_tables(export_2024)
    scales = "mikro", "kecil", "menengah", "besar", "tidak_diketahui"
    pivot = ", ".join(f"sum(businesses) FILTER (WHERE scale = '{s}')" for s in scales)
    by_sector = marts_sql(
        f"""SELECT coalesce(judul, 'KBLI tidak diketahui'), {pivot}, sum(businesses)
            FROM marts.msme_business_counts LEFT JOIN reference.kbli_2020 ON tingkat = 'kategori'
                AND kode = kbli_category
            WHERE registration_month <= '2024-12' GROUP BY 1"""
    )
    sectors = by_label(sheet["umkm_per_sektor_skala"], 1)
    kuliner = next(k for k in sectors if k.startswith("Kuliner"))
    for name, *counts in by_sector:
        assert sectors[name] == tuple(c or 0 for c in counts), name
    assert (
        sectors[kuliner][-1]
        == marts_sql(
            "SELECT sum(businesses) FROM marts.msme_business_counts WHERE sector_group = 'kuliner' "
            "AND registration_month <= '2024-12'"
        )[0][0]
    )
    assert sum(row[-1] for name, row in sectors.items() if name != kuliner) == 73_000
    by_scale = dict(sheet["umkm_per_skala"])
    assert sum(by_scale.values()) == 73_000
    assert (
        by_scale["Mikro"]
        == marts_sql("SELECT sum(businesses) FROM marts.msme_business_counts WHERE scale = 'mikro'")[0][0]
    )
    by_area = marts_sql(
        f"""SELECT {AREA}, {pivot}, sum(businesses),
                   coalesce(sum(businesses) FILTER (WHERE registration_year = 2024), 0)
            FROM marts.msme_business_counts WHERE registration_month <= '2024-12' GROUP BY 1"""
    )
    assert by_label(sheet["umkm_per_kecamatan"], 1) == {
        name: tuple(c or 0 for c in counts) for name, *counts in by_area
    }
    months = marts_sql(
        f"""SELECT registration_month, new_registrations, {", ".join(scales)}
            FROM marts.msme_registrations_by_period WHERE registration_year = 2024"""
    )
    assert by_label(sheet["registrasi_per_bulan"], 1) == by_label([list(r) for r in months], 1)


def test_events_and_gaps_equal_their_marts(export_2024: Export, marts_sql) -> None:
    sheet = workbook_tables(export_2024)
    events = marts_sql(
        """SELECT name, groups, msmes, partners, msmes_with_permit, share_with_permit
           FROM marts.event_participation WHERE year(start_date) = 2024"""
    )
    assert [(r[0], *r[5:10]) for r in sheet["kegiatan"]] == [tuple(e) for e in events]
    assert (
        len(sheet["celah_data"])
        == marts_sql("SELECT count(*) FROM marts.data_quality_gaps WHERE is_open")[0][0]
    )


def test_workbook_is_made_for_officials(export_2024: Export) -> None:
    """Frozen header rows, landscape fit-to-width printing, labels not codes, native charts."""
    (path,) = [p for p in export_2024.files if p.suffix == ".xlsx"]
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert sheet.freeze_panes, sheet.title
        setup = sheet.page_setup  # fit to one page wide (1 is the default, left out), any number down
        assert setup.orientation == "landscape" and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    texts = {
        c.value for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)
    }
    assert "Simpan Pinjam dan Pembiayaan Syariah" in texts and "simpan_pinjam_syariah" not in texts
    assert "Industri pengolahan" in texts
    with zipfile.ZipFile(path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    titles = " ".join(charts)
    for title in ("per skala", "per sektor", "aktif dan tidak aktif per kecamatan", "per bulan"):
        assert title in titles
    assert book["Koperasi"]["B6"].number_format == "#,##0"


def test_no_personal_data(export_2024: Export, marts_sql) -> None:
    """No e-mail address, phone number or NIK in any export: every 16-digit number is a cooperative number."""
    text = "\n".join(
        p.read_text(encoding="utf-8-sig") for p in export_2024.files if p.suffix in (".csv", ".html")
    )
    book = openpyxl.load_workbook(next(p for p in export_2024.files if p.suffix == ".xlsx"))
    text += "\n".join(str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value)
    assert not re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
    assert not re.findall(r"(?:\+62|\b62)[\s-]?8\d{2}[\s-]?\d{3,4}[\s-]?\d{3,5}\b", text)
    mobile_like = set(re.findall(r"(?<![\d.])08\d{8,11}(?!\d)", text))  # 13-digit NIBs can start 08 too
    nibs = {r[0] for r in marts_sql("SELECT nib FROM marts.msme_businesses WHERE nib LIKE '08%'")}
    assert mobile_like <= nibs
    numbers = set(re.findall(r"(?<!\d)\d{16}(?!\d)", text))
    cooperatives = {
        r[0] for r in marts_sql("SELECT DISTINCT cooperative_number FROM marts.cooperative_history")
    }
    assert numbers <= cooperatives
    keys = {c.key for t in export_2024.report.tables() for c in t.columns}
    assert not keys & {"nik", "telepon", "no_hp", "email", "nama_pemilik", "pemilik", "nama_ketua"}


def test_international_dialect_and_quarter(balikpapan_warehouse, tmp_path) -> None:
    _, marts = balikpapan_warehouse
    export = export_period(
        WarehousePaths(marts), parse_period("2024-Q3"), ("csv",), tmp_path, "international"
    )
    events = csv_table(export, table(export, "kegiatan"), ",")
    assert events[0]["porsi_umkm_berizin"] == format_value(table(export, "kegiatan").rows[0][-1], ".")
    assert "." in events[0]["porsi_umkm_berizin"]
    assert [
        r["bulan"] for r in csv_table(export, table(export, "registrasi_per_bulan"), ",")
    ] == []  # no data


@pytest.mark.parametrize("period", ["2030", "2010-Q1"])
def test_period_without_data_says_so(balikpapan_warehouse, tmp_path, period: str) -> None:
    _, marts = balikpapan_warehouse
    export = export_period(WarehousePaths(marts), parse_period(period), out=tmp_path)
    assert not export.report.has_data
    assert all(not t.rows for s in export.report.sections[:-1] for t in s.tables)
    page = next(p for p in export.files if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Tidak ada data untuk periode ini." in page
    ringkasan = openpyxl.load_workbook(export.files[0])["Ringkasan"]
    assert "Tidak ada data untuk periode ini." in [c.value for row in ringkasan.iter_rows() for c in row]


def test_a_province_gets_kab_kota_rows(balikpapan_warehouse) -> None:
    """The province layout's queries on this warehouse: one kab/kota row holding every cooperative and
    business (the Kalimantan Utara sample, refreshed for region 65, gets its five kab/kota this way)."""
    _, marts = balikpapan_warehouse
    period = parse_period("2024")
    with connect_published(WarehousePaths(marts)) as con:
        cooperatives = cooperatives_by_area(con, period, KAB_KOTA)
        businesses = businesses_by_area(con, period, KAB_KOTA)
    assert cooperatives.key == "koperasi_per_kabupaten_kota"
    assert cooperatives.rows == [("Kota Balikpapan", 587, 440, 147, 70)]
    assert [(row[0], row[6]) for row in businesses.rows] == [("Kota Balikpapan", 73_000)]
