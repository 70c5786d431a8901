"""OSS RBA permit exports (via DPMPTSP): the NIB list, the project list and the permit list ("List izin").

Column order is each report screen's standard order (used for headerless files); aliases are the spellings
seen in real exports after pipelines.ingest.headers.normalise_header.
"""

from __future__ import annotations

from pipelines.ingest.spec import Column, Family, Kind

OSS_NIB = Family(
    name="oss_nib",
    source="permits",
    description="OSS NIB list: one row per business identification number (NIB)",
    key=("nib",),
    columns=(
        Column("nib", Kind.NIB, ("nomor_induk_berusaha",), required=True),
        # Not required: the NIB is the business's identity; an unreadable date lands NULL and is a gap.
        Column("tanggal_terbit_oss", Kind.DATE, ("tgl_terbit_oss", "tanggal_terbit_nib", "tanggal_terbit")),
        Column("nama_perusahaan", aliases=("nama_usaha", "nama_pelaku_usaha")),
        Column("status_penanaman_modal", aliases=("uraian_status_penanaman_modal", "status_pm")),
        Column("uraian_jenis_perusahaan", aliases=("jenis_perusahaan", "jenis_badan_usaha")),
        Column("uraian_skala_usaha", aliases=("skala_usaha", "skala")),
        Column("alamat_perusahaan", aliases=("alamat",)),
        Column("kelurahan", aliases=("kelurahan_desa", "desa_kelurahan", "kel_desa")),
        Column("kecamatan", aliases=("kec",)),
        Column("kab_kota", aliases=("kabupaten_kota", "kota_kabupaten", "kota")),
        Column("email", Kind.PII_EMAIL, ("e_mail", "email_perusahaan")),
        Column("nomor_telp", Kind.PII_PHONE, ("no_telp", "telepon", "nomor_telepon", "no_hp")),
    ),
)

OSS_PROJECT = Family(
    name="oss_project",
    source="permits",
    description="OSS project list: one row per project (a business has many); KBLI lives here",
    key=("id_proyek",),
    columns=(
        Column("id_proyek", required=True),
        Column("uraian_jenis_proyek", aliases=("jenis_proyek",)),
        # A reference to the business, not the project's own identity: blank or malformed lands NULL (a gap).
        Column("nib", Kind.NIB),
        Column("nama_perusahaan"),
        Column("tanggal_terbit_oss", Kind.DATE, ("tgl_terbit_oss",)),
        Column("uraian_status_penanaman_modal", aliases=("status_penanaman_modal",)),
        Column("uraian_jenis_perusahaan", aliases=("jenis_perusahaan",)),
        Column("uraian_risiko_proyek", aliases=("risiko_proyek", "tingkat_risiko")),
        Column("nama_proyek"),
        Column("uraian_skala_usaha", aliases=("skala_usaha",)),
        Column("alamat_usaha"),
        Column("kab_kota_usaha", aliases=("kabupaten_kota_usaha",)),
        Column("kecamatan_usaha"),
        Column("kelurahan_usaha", aliases=("kelurahan_desa_usaha",)),
        Column("longitude", Kind.DECIMAL),
        Column("latitude", Kind.DECIMAL),
        Column("tanggal_pengajuan_proyek", Kind.DATE, ("tgl_pengajuan_proyek",)),
        Column("kbli", Kind.KBLI, ("kode_kbli",)),
        Column("judul_kbli", aliases=("uraian_kbli",)),
        Column("kl_sektor_pembina", aliases=("kl_sektor", "sektor_pembina")),
        Column("nama_user", Kind.PII_NAME, ("nama_pemohon",)),
        Column("email", Kind.PII_EMAIL, ("e_mail",)),
        Column("nomor_telp", Kind.PII_PHONE, ("no_telp", "telepon")),
        Column("luas_tanah", Kind.DECIMAL),
        Column("satuan_tanah"),
        Column("jumlah_investasi", Kind.MONEY, ("investasi", "nilai_investasi", "total_investasi")),
        Column("tki", Kind.INTEGER, ("jumlah_tki", "tenaga_kerja", "jumlah_tenaga_kerja")),
        # Not in the standard screen, but some offices add it: annual sales, the second scale criterion.
        Column(
            "hasil_penjualan_tahunan",
            Kind.MONEY,
            ("omzet", "omset", "penjualan_tahunan"),
            in_standard_order=False,
        ),
    ),
)

OSS_PERMIT = Family(
    name="oss_permit",
    source="permits",
    description="OSS permit list (List izin): one row per permit application",
    key=("id_permohonan_izin",),
    columns=(
        Column("no", aliases=("nomor", "no_urut")),
        Column("id_permohonan_izin", aliases=("id_permohonan",), required=True),
        Column("nama_perusahaan"),
        # A reference to the business, not the permit's own identity: blank or malformed lands NULL (a gap).
        Column("nib", Kind.NIB),
        Column("tanggal_terbit_oss", Kind.DATE, ("tgl_terbit_oss",)),
        Column("uraian_status_penanaman_modal", aliases=("status_penanaman_modal",)),
        Column("propinsi", aliases=("provinsi",)),
        Column("kab_kota", aliases=("kabupaten_kota",)),
        Column("id_proyek"),
        Column("kd_resiko", aliases=("kode_resiko", "kd_risiko", "kode_risiko", "risiko")),
        Column("kbli", Kind.KBLI),
        Column("tgl_izin", Kind.DATE, ("tanggal_izin", "tanggal_terbit_izin")),
        Column("uraian_jenis_perizinan", aliases=("jenis_perizinan",)),
        Column("nama_dokumen"),
        Column("uraian_kewenangan"),
        Column("uraian_status_respon", aliases=("status_respon",)),
        Column("kewenangan"),
        Column("kl_sektor", aliases=("kl_sektor_pembina",)),
    ),
)

FAMILIES: tuple[Family, ...] = (OSS_NIB, OSS_PROJECT, OSS_PERMIT)
