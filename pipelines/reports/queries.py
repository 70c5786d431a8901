"""The report's tables, each one SQL query on the published marts: the database does the grouping and the
label joins (rules.* and reference.* seeds), Python receives a few dozen rows per table.

Figures are "as of" the period's last day: cooperatives from the registry update in force that day
(marts.cooperative_history: update_date <= end < next_update_date), businesses registered up to that day
(marts.msme_businesses.registered_on), health assessments of the years up to the period's year, events and
registrations inside the period. A period outside the data's dates gets empty tables ("no data"), never
zeros."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import duckdb

from pipelines import settings
from pipelines.reports.layout import AreaLayout, layout_for
from pipelines.reports.period import Period, date_id
from pipelines.reports.tables import Chart, Column, Report, Section, Table, listed_note

# The cooperatives in force on the period's last day ($end), one row each.
COOPERATIVES_AS_OF = """
    WITH coop AS (
        SELECT * FROM marts.cooperative_history
        WHERE update_date <= $end AND (next_update_date > $end OR next_update_date IS NULL)
    )
"""
# The mart's own label column (from the seeds, tidak_diketahui included): no label text is made up here.
JENIS_LABEL = "coop.jenis_label"
COOPERATIVE_FIGURES = """
    count(*) AS terdaftar,
    count(*) FILTER (WHERE is_active) AS aktif,
    count(*) FILTER (WHERE NOT is_active) AS tidak_aktif,
    count(*) FILTER (WHERE rat_held_last_book_year) AS rat_tahun_buku_terakhir
"""
MONEY_FIGURES = """
    coalesce(sum(members_male), 0) AS anggota_laki_laki,
    coalesce(sum(members_female), 0) AS anggota_perempuan,
    coalesce(sum(modal_sendiri), 0) AS modal_sendiri,
    coalesce(sum(modal_luar), 0) AS modal_luar,
    coalesce(sum(volume_usaha), 0) AS volume_usaha,
    coalesce(sum(shu), 0) AS shu,
    coalesce(sum(aset), 0) AS aset
"""
BUSINESSES_AS_OF = "WITH biz AS (SELECT * FROM marts.msme_businesses WHERE registered_on <= $end)"
SCALES = (
    ("mikro", "Mikro"),
    ("kecil", "Kecil"),
    ("menengah", "Menengah"),
    ("besar", "Besar"),
    ("tidak_diketahui", "Skala tidak diketahui"),
)
SCALE_COUNTS = ", ".join(f"count(*) FILTER (WHERE scale = '{key}') AS {key}" for key, _ in SCALES)
SCALE_COLUMNS = [Column(key, label) for key, label in SCALES]
HEALTH_LABELS = (
    "(SELECT DISTINCT category, category_label, category_order FROM rules.cooperative_health_bands)"
)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, period: Period) -> list[tuple[Any, ...]]:
    parameters = {"start": period.start, "end": period.end}
    used = {name: value for name, value in parameters.items() if f"${name}" in sql}
    return [tuple(_plain(value) for value in row) for row in con.execute(sql, used).fetchall()]


def _plain(value: Any) -> Any:
    """DECIMAL sums arrive as Decimal: an int when whole (counts, rupiah), else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, period: Period) -> Any:
    rows = _rows(con, sql, period)
    return rows[0][0] if rows else None


def data_dates(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any mart has data for (registrations, registry updates, events)."""
    return con.execute(
        """
        SELECT min(first), max(last) FROM (
            SELECT min(registered_on) AS first, max(registered_on) AS last FROM marts.msme_businesses
            UNION ALL SELECT min(update_date), max(update_date) FROM marts.cooperative_history
            UNION ALL SELECT min(start_date), max(end_date) FROM marts.event_participation
        )
        """
    ).fetchone()


def has_data(con: duckdb.DuckDBPyConnection, period: Period) -> bool:
    first, last = data_dates(con)
    return first is not None and first <= period.end and period.start <= last


# --- Koperasi -------------------------------------------------------------------------------------------


def cooperatives_by_area(con, period: Period, layout: AreaLayout) -> Table:
    sql = f"""{COOPERATIVES_AS_OF}
        SELECT * FROM (SELECT {layout.cooperative_name} AS wilayah, {COOPERATIVE_FIGURES}
        FROM coop GROUP BY ALL) ORDER BY (wilayah = '{_unknown()}'), terdaftar DESC, wilayah"""
    return Table(
        key=f"koperasi_per_{layout.key}",
        title=f"Koperasi per {layout.label.lower()}",
        columns=[Column(layout.key, layout.label, "text"), *_cooperative_columns()],
        rows=_rows(con, sql, period),
        chart=Chart(
            f"Koperasi aktif dan tidak aktif per {layout.label.lower()}", layout.key, ("aktif", "tidak_aktif")
        ),
    )


def _unknown() -> str:
    from pipelines.reports.layout import UNKNOWN_AREA

    return UNKNOWN_AREA


def _cooperative_columns() -> list[Column]:
    return [
        Column("terdaftar", "Terdaftar"),
        Column("aktif", "Aktif"),
        Column("tidak_aktif", "Tidak aktif"),
        Column("rat_tahun_buku_terakhir", "RAT tahun buku terakhir"),
    ]


def _money_columns() -> list[Column]:
    return [
        Column("anggota_laki_laki", "Anggota laki-laki"),
        Column("anggota_perempuan", "Anggota perempuan"),
        Column("modal_sendiri", "Modal sendiri (Rp)", "rupiah"),
        Column("modal_luar", "Modal luar (Rp)", "rupiah"),
        Column("volume_usaha", "Volume usaha (Rp)", "rupiah"),
        Column("shu", "SHU (Rp)", "rupiah"),
        Column("aset", "Aset (Rp)", "rupiah"),
    ]


def cooperatives_by_jenis(con, period: Period) -> Table:
    sql = f"""{COOPERATIVES_AS_OF}
        SELECT * FROM (SELECT {JENIS_LABEL} AS jenis, {COOPERATIVE_FIGURES}, {MONEY_FIGURES}
        FROM coop
        GROUP BY ALL) ORDER BY (jenis = 'Tidak diketahui'), aktif DESC, jenis"""
    return Table(
        key="koperasi_per_jenis",
        title="Koperasi per jenis",
        columns=[Column("jenis", "Jenis koperasi", "text"), *_cooperative_columns(), *_money_columns()],
        rows=_rows(con, sql, period),
    )


def cooperatives_by_area_and_jenis(con, period: Period, layout: AreaLayout) -> Table:
    sql = f"""{COOPERATIVES_AS_OF}
        SELECT * FROM (SELECT {layout.cooperative_name} AS wilayah, {JENIS_LABEL} AS jenis,
            {COOPERATIVE_FIGURES}, {MONEY_FIGURES}
        FROM coop
        GROUP BY ALL) ORDER BY (wilayah = '{_unknown()}'), wilayah, (jenis = 'Tidak diketahui'), jenis"""
    return Table(
        key=f"koperasi_per_{layout.key}_jenis",
        title=f"Koperasi per {layout.label.lower()} dan jenis",
        columns=[
            Column(layout.key, layout.label, "text"),
            Column("jenis", "Jenis koperasi", "text"),
            *_cooperative_columns(),
            *_money_columns(),
        ],
        rows=_rows(con, sql, period),
    )


def cooperative_health(con, period: Period) -> Table:
    sql = """
        SELECT h.assessment_year AS tahun_penilaian,
            h.category_label AS kategori,
            h.cooperatives AS koperasi, h.from_recorded AS dari_predikat_tercatat,
            h.from_scores AS dari_skor
        FROM marts.cooperative_health_by_year AS h
        WHERE h.assessment_year <= year($end)
        ORDER BY tahun_penilaian DESC, h.category_order, kategori"""
    return Table(
        key="kesehatan_koperasi",
        title="Kesehatan koperasi per tahun penilaian",
        columns=[
            Column("tahun_penilaian", "Tahun penilaian", "text"),
            Column("kategori", "Kategori kesehatan", "text"),
            Column("koperasi", "Koperasi dinilai"),
            Column("dari_predikat_tercatat", "Dari predikat tercatat"),
            Column("dari_skor", "Dari rata-rata skor"),
        ],
        rows=[(str(year), *rest) for year, *rest in _rows(con, sql, period)],
        note="Kategori dari predikat yang tercatat; predikat kosong ditentukan dari rata-rata skor "
        "empat aspek (Perdep KUKM 06/2016).",
    )


# --- UMKM -----------------------------------------------------------------------------------------------


def businesses_by_scale(con, period: Period) -> Table:
    sql = f"""{BUSINESSES_AS_OF}
        SELECT label AS skala, count(biz.nib) AS usaha
        FROM (VALUES {", ".join(f"('{key}', '{label}', {n})" for n, (key, label) in enumerate(SCALES))})
            AS scales(scale, label, position)
        LEFT JOIN biz USING (scale)
        GROUP BY label, position ORDER BY position"""
    return Table(
        key="umkm_per_skala",
        title="Usaha terdaftar per skala",
        columns=[Column("skala", "Skala usaha", "text"), Column("usaha", "Usaha terdaftar")],
        rows=_rows(con, sql, period),
        chart=Chart("Usaha terdaftar per skala", "skala", ("usaha",)),
    )


def businesses_by_sector(con, period: Period) -> Table:
    """KBLI category titles; the kuliner grouping (KBLI 10, 11, 56) as its own row after them: its businesses
    are also counted in their categories (C Industri pengolahan, I Penyediaan akomodasi dan makan minum)."""
    sql = f"""{BUSINESSES_AS_OF},
        kuliner AS (SELECT DISTINCT sector_group, sector_label FROM rules.kbli_sector_groups
                    WHERE sector_group = 'kuliner'),
        categories AS (SELECT kode, judul FROM reference.kbli_2020 WHERE tingkat = 'kategori'),
        rows AS (
            SELECT 0 AS part, coalesce(categories.judul, 'KBLI tidak diketahui') AS sektor,
                biz.kbli_category AS code, {SCALE_COUNTS}, count(*) AS jumlah
            FROM biz LEFT JOIN categories ON categories.kode = biz.kbli_category GROUP BY ALL
            UNION ALL
            SELECT 1, kuliner.sector_label || ' - KBLI 10, 11, 56', NULL, {SCALE_COUNTS}, count(*)
            FROM biz JOIN kuliner USING (sector_group) GROUP BY ALL
        )
        SELECT sektor, {", ".join(key for key, _ in SCALES)}, jumlah FROM rows
        ORDER BY part, code IS NULL, code"""
    return Table(
        key="umkm_per_sektor_skala",
        title="Usaha terdaftar per sektor (kategori KBLI 2020) dan skala",
        columns=[
            Column("sektor", "Sektor (kategori KBLI)", "text"),
            *SCALE_COLUMNS,
            Column("jumlah", "Jumlah"),
        ],
        rows=_rows(con, sql, period),
        note="Baris Kuliner (makanan dan minuman) = KBLI golongan pokok 10, 11 dan 56; usahanya juga sudah "
        "terhitung di kategori C dan I di atas, jadi baris ini tidak ikut dijumlahkan.",
        chart=Chart("Usaha terdaftar per sektor", "sektor", ("jumlah",)),
    )


def businesses_by_area(con, period: Period, layout: AreaLayout) -> Table:
    sql = f"""{BUSINESSES_AS_OF}
        SELECT * FROM (SELECT {layout.business_name} AS wilayah, {SCALE_COUNTS}, count(*) AS jumlah,
            count(*) FILTER (WHERE registered_on >= $start) AS baru_dalam_periode
        FROM biz GROUP BY ALL) ORDER BY (wilayah = '{_unknown()}'), jumlah DESC, wilayah"""
    return Table(
        key=f"umkm_per_{layout.key}",
        title=f"Usaha terdaftar per {layout.label.lower()} dan skala",
        columns=[
            Column(layout.key, layout.label, "text"),
            *SCALE_COLUMNS,
            Column("jumlah", "Jumlah"),
            Column("baru_dalam_periode", "Terdaftar dalam periode"),
        ],
        rows=_rows(con, sql, period),
    )


def registrations_by_month(con, period: Period) -> Table:
    sql = f"""
        SELECT month AS bulan, coalesce(r.new_registrations, 0) AS registrasi_baru,
            {", ".join(f"coalesce(r.{key}, 0) AS {key}" for key, _ in SCALES)}
        FROM (SELECT unnest($months::VARCHAR[]) AS month) AS months
        LEFT JOIN marts.msme_registrations_by_period AS r ON r.registration_month = months.month
        WHERE months.month <= (SELECT max(registration_month) FROM marts.msme_registrations_by_period)
        ORDER BY bulan"""
    rows = con.execute(sql, {"months": period.months()}).fetchall()
    return Table(
        key="registrasi_per_bulan",
        title="Registrasi usaha baru per bulan",
        columns=[
            Column("bulan", "Bulan", "text"),
            Column("registrasi_baru", "Registrasi baru"),
            *SCALE_COLUMNS,
        ],
        rows=rows,
        note="Bulan sesudah registrasi terakhir dalam data tidak ditampilkan.",
        chart=Chart("Registrasi usaha baru per bulan", "bulan", ("registrasi_baru",), "column"),
    )


# --- Kegiatan, celah data, metadata ---------------------------------------------------------------------


def events(con, period: Period) -> Table:
    sql = """
        SELECT name AS kegiatan, start_date AS tanggal_mulai, end_date AS tanggal_selesai, venue AS tempat,
            organiser AS penyelenggara, groups AS kelompok, msmes AS umkm, partners AS mitra,
            msmes_with_permit AS umkm_berizin, share_with_permit AS porsi_umkm_berizin
        FROM marts.event_participation
        WHERE start_date BETWEEN $start AND $end ORDER BY start_date, name"""
    return Table(
        key="kegiatan",
        title="Kegiatan, peserta dan mitra",
        columns=[
            Column("kegiatan", "Kegiatan", "text"),
            Column("tanggal_mulai", "Tanggal mulai", "date"),
            Column("tanggal_selesai", "Tanggal selesai", "date"),
            Column("tempat", "Tempat", "text"),
            Column("penyelenggara", "Penyelenggara", "text"),
            Column("kelompok", "Kelompok/komunitas"),
            Column("umkm", "UMKM peserta"),
            Column("mitra", "Mitra"),
            Column("umkm_berizin", "UMKM ber-NIB"),
            Column("porsi_umkm_berizin", "Porsi UMKM ber-NIB", "share"),
        ],
        rows=_rows(con, sql, period),
        note="UMKM ber-NIB: peserta yang cocok dengan usaha terdaftar di OSS.",
    )


def gaps_by_type(con, period: Period) -> Table:
    """Every open gap counted by type (the recap's view of the follow-up list below, which may be cut)."""
    sql = """
        SELECT coalesce(g.gap_type_label, g.gap_type) AS jenis_celah, g.severity_label AS tingkat,
            g.source_label AS sumber, count(*) AS jumlah
        FROM marts.data_quality_gaps AS g
        WHERE g.is_open
        GROUP BY ALL
        ORDER BY bool_or(g.severity = 'critical') DESC, jumlah DESC, jenis_celah, sumber"""
    return Table(
        key="celah_per_jenis",
        title="Jumlah celah data terbuka per jenis",
        columns=[
            Column("jenis_celah", "Jenis celah", "text"),
            Column("tingkat", "Tingkat", "text"),
            Column("sumber", "Sumber", "text"),
            Column("jumlah", "Jumlah"),
        ],
        rows=_rows(con, sql, period),
    )


def gaps(con, period: Period) -> Table:
    """The gaps open now, whatever the period: the follow-up list (first_seen is when the warehouse first
    saw a gap, not a date in the data). Business and cooperative names appear (public); personal data never
    reaches the marts (README "Privacy"). The workbook and page list the first settings.REPORT_LISTED_GAPS,
    critical first; the CSV every one."""
    sql = """
        SELECT coalesce(g.gap_type_label, g.gap_type) AS jenis_celah,
            g.severity_label AS tingkat,
            g.source_label AS sumber, g.record_label AS data, g.message AS pesan, g.column_name AS kolom,
            g.value AS nilai, g.source_path AS berkas, g.source_row AS baris,
            g.first_seen::DATE AS pertama_terlihat
        FROM marts.data_quality_gaps AS g
        WHERE g.is_open
        ORDER BY g.severity = 'critical' DESC, jenis_celah, berkas, baris, data"""
    rows = _rows(con, sql, period)
    listed = settings.REPORT_LISTED_GAPS
    return Table(
        key="celah_data",
        title="Celah data yang masih terbuka",
        columns=[
            Column("jenis_celah", "Jenis celah", "text"),
            Column("tingkat", "Tingkat", "text"),
            Column("sumber", "Sumber", "text"),
            Column("data", "Data", "text"),
            Column("pesan", "Yang perlu diperbaiki", "text"),
            Column("kolom", "Kolom", "text"),
            Column("nilai", "Nilai tertulis", "text"),
            Column("berkas", "Berkas", "text"),
            Column("baris", "Baris", "count"),
            Column("pertama_terlihat", "Pertama terlihat", "date"),
        ],
        rows=rows,
        note=listed_note(listed, len(rows), "celah_data") if len(rows) > listed else None,
        listed=listed,
    )


def headline(con, period: Period) -> Table:
    """The figures an official quotes, each with what it counts."""
    end = date_id(period.end)
    rows: list[tuple[Any, ...]] = []
    biz = _rows(
        con,
        """SELECT count(*) FILTER (WHERE registered_on <= $end),
                  count(*) FILTER (WHERE registered_on BETWEEN $start AND $end)
           FROM marts.msme_businesses""",
        period,
    )[0]
    rows.append(("Usaha (NIB) terdaftar", biz[0], f"terdaftar sampai {end}"))
    rows.append(("Registrasi usaha baru dalam periode", biz[1], period.label))
    sector = _rows(
        con,
        """SELECT coalesce(s.sector_label, k.judul, 'KBLI tidak diketahui'), count(*) AS n
           FROM marts.msme_businesses AS b
           LEFT JOIN (SELECT DISTINCT sector_group, sector_label FROM rules.kbli_sector_groups) AS s
               USING (sector_group)
           LEFT JOIN reference.kbli_2020 AS k ON k.tingkat = 'kategori' AND k.kode = b.sector_group
           WHERE registered_on BETWEEN $start AND $end
           GROUP BY ALL ORDER BY n DESC, 1 LIMIT 1""",
        period,
    )
    if sector:
        rows.append(("Sektor terbesar registrasi baru", sector[0][1], sector[0][0]))
    coop = _rows(
        con,
        f"""{COOPERATIVES_AS_OF}
            SELECT {COOPERATIVE_FIGURES}, count(*) FILTER (WHERE reports_digitally),
                max(last_closed_book_year), max(update_date)
            FROM coop""",
        period,
    )[0]
    if coop[0]:
        as_of = f"pemutakhiran {date_id(coop[6])}"
        rows += [
            ("Koperasi terdaftar", coop[0], as_of),
            ("Koperasi aktif", coop[1], as_of),
            ("Koperasi tidak aktif", coop[2], as_of),
            ("Koperasi yang melaksanakan RAT", coop[3], f"tahun buku {coop[5]}"),
            ("Koperasi melapor secara digital", coop[4], as_of),
        ]
    rows += _health_headline(con, period)
    for name, groups, msmes, partners in _rows(
        con,
        """SELECT name, groups, msmes, partners FROM marts.event_participation
           WHERE start_date BETWEEN $start AND $end ORDER BY start_date, name""",
        period,
    ):
        rows += [
            (f"{name}: kelompok/komunitas", groups, "kegiatan dalam periode"),
            (f"{name}: UMKM peserta", msmes, "kegiatan dalam periode"),
            (f"{name}: mitra", partners, "kegiatan dalam periode"),
        ]
    return Table(
        key="ringkasan",
        title="Angka utama",
        columns=[
            Column("indikator", "Indikator", "text"),
            Column("nilai", "Nilai"),
            Column("keterangan", "Keterangan", "text"),
        ],
        rows=rows,
    )


def _health_headline(con, period: Period) -> list[tuple[Any, ...]]:
    """Health categories of the latest assessment year up to the period's year."""
    sql = f"""
        WITH year AS (SELECT max(assessment_year) AS y FROM marts.cooperative_health_by_year
                      WHERE assessment_year <= year($end))
        SELECT labels.category_label, coalesce(h.cooperatives, 0), year.y
        FROM year CROSS JOIN {HEALTH_LABELS} AS labels
        LEFT JOIN marts.cooperative_health_by_year AS h
            ON h.assessment_year = year.y AND h.category = labels.category
        WHERE year.y IS NOT NULL ORDER BY labels.category_order"""
    return [
        (f"Kesehatan koperasi: {label}", count, f"penilaian tahun {year}")
        for label, count, year in _rows(con, sql, period)
    ]


def metadata(
    con, period: Period, layout: AreaLayout, region: tuple[str, str], built: tuple[str, str]
) -> Table:
    first, last = data_dates(con)
    rows = [
        ("Periode", f"{period.label} ({period.code})"),
        ("Awal periode", period.start.isoformat()),
        ("Akhir periode (keadaan per)", period.end.isoformat()),
        ("Wilayah", f"{region[1]} ({region[0]})"),
        ("Rincian wilayah", layout.label),
        ("Waktu pembangunan data (WITA)", built[0]),
        ("Run id", built[1]),
        ("Rentang tanggal dalam data", f"{first} s.d. {last}"),
        *_rule_versions(con),
    ]
    return Table(
        key="metadata",
        title="Metadata",
        columns=[Column("butir", "Butir", "text"), Column("nilai", "Nilai", "text")],
        rows=rows,
    )


def _rule_versions(con) -> list[tuple[str, str]]:
    """The rule versions the published build used, read from the build itself."""
    queries = {
        "Aturan skala usaha": "SELECT string_agg(DISTINCT rule_set || ' (' || rule_set_version || ')', ', ') "
        "FROM intermediate.int_msme_scale_thresholds_ranged",
        "Versi KBLI": "SELECT string_agg(DISTINCT kbli_version, ', ') FROM staging.stg_reference__kbli",
        "Aturan koperasi aktif (jumlah koperasi per dasar penentuan)": "SELECT string_agg(rule || ': ' "
        "|| n, ', ' ORDER BY rule) FROM (SELECT active_rule AS rule, count(*) AS n FROM marts.cooperatives "
        "GROUP BY 1)",
        "Versi pita kesehatan koperasi": "SELECT string_agg(DISTINCT bands_version, ', ') "
        "FROM marts.cooperative_health_assessments",
    }
    rows = []
    for label, sql in queries.items():
        try:
            value = con.execute(sql).fetchone()[0]
        except duckdb.CatalogException:  # a build without that model: say so rather than fail the export
            value = None
        rows.append((label, value or "tidak tercatat"))
    return rows


def input_files(con) -> Table:
    sql = """
        SELECT source AS sumber, regexp_extract(path, '[^/]+$') AS berkas, sheet AS lembar, status,
            file_hash AS sha256, rows_read AS baris_dibaca, rows_loaded AS baris_dimuat,
            rows_rejected AS baris_ditolak
        FROM raw.ingest_files ORDER BY sumber, berkas, lembar"""
    return Table(
        key="berkas_masukan",
        title="Berkas masukan",
        columns=[
            Column("sumber", "Sumber", "text"),
            Column("berkas", "Berkas", "text"),
            Column("lembar", "Lembar", "text"),
            Column("status", "Status", "text"),
            Column("sha256", "SHA-256", "text"),
            Column("baris_dibaca", "Baris dibaca"),
            Column("baris_dimuat", "Baris dimuat"),
            Column("baris_ditolak", "Baris ditolak"),
        ],
        rows=[tuple(_plain(v) for v in row) for row in con.execute(sql).fetchall()],
    )


def check_results(con) -> Table:
    sql = """
        SELECT suite, CASE severity WHEN 'critical' THEN 'Kritis' ELSE 'Peringatan' END AS tingkat,
            count(*) FILTER (WHERE success) AS lulus, count(*) FILTER (WHERE NOT success) AS gagal
        FROM meta.quality_checks GROUP BY ALL ORDER BY suite, tingkat"""
    return Table(
        key="hasil_pemeriksaan",
        title="Hasil pemeriksaan mutu data (gerbang mutu)",
        columns=[
            Column("suite", "Rangkaian pemeriksaan", "text"),
            Column("tingkat", "Tingkat", "text"),
            Column("lulus", "Lulus"),
            Column("gagal", "Gagal"),
        ],
        rows=[tuple(_plain(v) for v in row) for row in con.execute(sql).fetchall()],
    )


def build_report(con: duckdb.DuckDBPyConnection, period: Period) -> Report:
    """Every table of the report for `period`, from the published warehouse `con` (read-only)."""
    region_code, built_at, run_id = con.execute(
        "SELECT region_code, built_at, run_id FROM meta.refresh LIMIT 1"
    ).fetchone()
    layout = layout_for(region_code)
    built = (built_at.astimezone(settings.TIMEZONE).strftime("%Y-%m-%d %H:%M WITA"), run_id)
    report = Report(
        region_code=region_code,
        region_name=settings.region_name(region_code),
        period_code=period.code,
        period_label=period.label,
        period_end=period.end,
        has_data=has_data(con, period),
        built_at=built[0],
        run_id=run_id,
        area_label=layout.label,
    )
    report.sections = _sections(con, period, layout, report.has_data)
    report.sections.append(
        Section(
            "Metadata",
            "Metadata",
            [
                metadata(con, period, layout, (region_code, report.region_name), built),
                input_files(con),
                check_results(con),
            ],
        )
    )
    return report


def _sections(con, period: Period, layout: AreaLayout, with_data: bool) -> list[Section]:
    sections = [
        Section("Ringkasan", "Ringkasan", [headline(con, period)]),
        Section(
            "Koperasi",
            "Koperasi",
            [
                cooperatives_by_area(con, period, layout),
                cooperatives_by_jenis(con, period),
                cooperatives_by_area_and_jenis(con, period, layout),
            ],
            note="Keadaan menurut pemutakhiran data koperasi yang berlaku pada akhir periode.",
        ),
        Section("Kesehatan Koperasi", "Kesehatan koperasi", [cooperative_health(con, period)]),
        Section(
            "UMKM per Skala dan Sektor",
            "UMKM per skala dan sektor",
            [
                businesses_by_scale(con, period),
                businesses_by_sector(con, period),
                businesses_by_area(con, period, layout),
                registrations_by_month(con, period),
            ],
            note="Usaha = NIB berbeda yang tercatat di ekspor OSS, terdaftar sampai akhir periode.",
        ),
        Section("Kegiatan", "Kegiatan", [events(con, period)]),
        Section(
            "Celah Data",
            "Celah data untuk ditindaklanjuti",
            [gaps_by_type(con, period), gaps(con, period)],
        ),
    ]
    if not with_data:  # a period outside the data's dates: say so, never a page of zeros
        for section in sections:
            for table in section.tables:
                table.rows = []
    return sections
