"""Cooperative registry exports (Kemenkop ODS / the office's own register) and health-assessment files.

Registry: one row per cooperative per data update (pemutakhiran); the update date comes from the
``tanggal_pemutakhiran`` column when the export has one, else from the file's title rows / file name
(the loader's ``_file_date``). Health assessment (penilaian kesehatan): one row per cooperative per year.

Aliases are header spellings seen in real exports after pipelines.ingest.headers.normalise_header.
This module declares the export layouts only. The rules (active, RAT, jenis / status / predikat vocabularies,
health bands) live once, in dbt: seeds dbt_project/seeds/rules/cooperative_*.csv and the cooperative_* vars of
dbt_project.yml (docs/cooperatives.md). The sample generator keeps its own copy as the test oracle.
"""

from __future__ import annotations

from pipelines.ingest.spec import Column, Family, Kind

COOP_REGISTRY = Family(
    name="coop_registry",
    source="cooperatives",
    description="Cooperative register: one row per cooperative (Nomor Induk Koperasi) per data update",
    # tanggal_pemutakhiran = the column when present, else the loader's _file_date (title rows / file name).
    key=("nomor_induk_koperasi", "tanggal_pemutakhiran"),
    min_header_matches=5,
    columns=(
        Column("no", Kind.INTEGER, ("no_urut", "nomor_urut")),
        # 16-digit cooperative number (a certificate number, NOT personal data). Arrives as an xlsx number
        # (the reader renders it as integer text) or as text, sometimes with spaces ("6471 0201 0000 0123").
        # Anything but 16 digits after removing whitespace ("6,47102E+15", 15 digits, a letter O) is rejected.
        Column(
            "nomor_induk_koperasi",
            Kind.KOPERASI_ID,
            ("nik", "nik_koperasi", "nomor_induk_koperasi_nik", "no_induk_koperasi", "nomor_induk"),
            required=True,
        ),
        Column("nama_koperasi", aliases=("nama", "nama_kop")),
        Column("nomor_badan_hukum", aliases=("no_badan_hukum", "no_bh", "nomor_bh", "no_bh_koperasi")),
        Column("tanggal_badan_hukum", Kind.DATE, ("tgl_badan_hukum", "tgl_bh", "tanggal_bh")),
        Column("alamat", aliases=("alamat_lengkap", "alamat_koperasi")),
        Column("kelurahan", aliases=("desa_kelurahan", "kelurahan_desa", "kel_desa", "desa")),
        Column("kecamatan", aliases=("kec",)),
        Column("kab_kota", aliases=("kabupaten_kota", "kota_kabupaten", "kab_kota_koperasi")),
        Column("bentuk_koperasi", aliases=("bentuk",)),
        Column("jenis_koperasi", aliases=("jenis",)),
        Column("kelompok_koperasi", aliases=("kelompok",)),
        Column("sektor_usaha", aliases=("sektor",)),
        Column(
            "tahun_buku_rat_terakhir",
            Kind.YEAR,
            ("tahun_buku_rat", "tahun_rat_terakhir", "rat_terakhir_tahun_buku", "tahun_buku"),
        ),
        Column(
            "tanggal_rat",
            Kind.DATE,
            ("tgl_rat", "tanggal_rat_terakhir", "tgl_rat_terakhir"),
            day_optional=True,  # "Maret 2024": RAT month known, day not
        ),
        Column(
            "anggota_laki_laki",
            Kind.INTEGER,
            (
                "anggota_pria",
                "jml_anggota_l",
                "anggota_l",
                "anggota_lk",
                "jumlah_anggota_l",  # two-row header: "Jumlah Anggota" over "L"
                "jumlah_anggota_lk",
                "jumlah_anggota_pria",
                "jumlah_anggota_laki_laki",
            ),
        ),
        Column(
            "anggota_perempuan",
            Kind.INTEGER,
            (
                "anggota_wanita",
                "jml_anggota_p",
                "anggota_p",
                "anggota_pr",
                "jumlah_anggota_p",  # two-row header: "Jumlah Anggota" over "P"
                "jumlah_anggota_pr",
                "jumlah_anggota_wanita",
                "jumlah_anggota_perempuan",
            ),
        ),
        Column("jumlah_manajer", Kind.INTEGER, ("manajer", "manager", "jml_manajer")),
        Column("jumlah_karyawan", Kind.INTEGER, ("karyawan", "jml_karyawan")),
        Column("modal_sendiri", Kind.MONEY, ("modal_sendiri_rp",)),
        Column("modal_luar", Kind.MONEY, ("modal_luar_rp",)),
        Column("volume_usaha", Kind.MONEY, ("volume_usaha_rp",)),
        Column("aset", Kind.MONEY, ("aset_rp", "asset", "jumlah_aset", "total_aset")),
        Column("shu", Kind.MONEY, ("shu_rp", "sisa_hasil_usaha")),
        Column("status_koperasi", aliases=("status", "keaktifan", "status_aktif")),
        Column("pelaporan_digital", aliases=("lapor_digital", "pelaporan_online")),
        Column(
            "tahun_mulai_pelaporan_digital",
            Kind.YEAR,
            ("mulai_lapor_digital", "tahun_lapor_digital", "tahun_mulai_lapor_digital"),
        ),
        Column("nama_ketua", Kind.PII_NAME, ("ketua", "ketua_koperasi")),
        Column(
            "no_hp",
            Kind.PII_PHONE,
            ("no_hp_ketua", "hp_ketua", "no_telp_hp", "no_telp", "nomor_hp", "telepon"),
        ),
        Column("email", Kind.PII_EMAIL, ("e_mail", "email_koperasi")),
        Column(
            "tanggal_pemutakhiran",
            Kind.DATE,
            ("tgl_pemutakhiran", "tanggal_update", "tgl_update", "tanggal_data"),
            in_standard_order=False,
            day_optional=True,
        ),
    ),
    extra={
        "nomor_induk_koperasi_valid": r"^[0-9]{16}$ after removing whitespace; otherwise the row is rejected",
        "update_date": "tanggal_pemutakhiran, else _file_date (latest date in title rows, else file name)",
    },
)

COOP_HEALTH = Family(
    name="coop_health",
    source="cooperatives",
    description="Cooperative health assessment (penilaian kesehatan, Permenkop UKM 9/2020): one row per "
    "cooperative per assessment year, four aspect scores and the category the assessor recorded",
    key=("nomor_induk_koperasi", "tahun_penilaian"),
    min_header_matches=5,
    columns=(
        Column("no", Kind.INTEGER, ("no_urut",)),
        Column(
            "nomor_induk_koperasi",
            Kind.KOPERASI_ID,
            ("nik", "nik_koperasi", "no_induk_koperasi"),
            required=True,
        ),
        Column("nama_koperasi", aliases=("nama",)),
        Column("tahun_penilaian", Kind.YEAR, ("tahun", "tahun_pemeriksaan"), required=True),
        Column("skor_tata_kelola", Kind.DECIMAL, ("tata_kelola", "nilai_tata_kelola")),
        Column("skor_profil_risiko", Kind.DECIMAL, ("profil_risiko", "nilai_profil_risiko", "profil_resiko")),
        Column("skor_kinerja_keuangan", Kind.DECIMAL, ("kinerja_keuangan", "nilai_kinerja_keuangan")),
        Column("skor_permodalan", Kind.DECIMAL, ("permodalan", "nilai_permodalan")),
        Column("predikat", aliases=("predikat_kesehatan", "kategori", "hasil_penilaian")),
    ),
    extra={
        "nomor_induk_koperasi_valid": r"^[0-9]{16}$ after removing whitespace; otherwise the row is rejected",
    },
)

FAMILIES: tuple[Family, ...] = (COOP_REGISTRY, COOP_HEALTH)
