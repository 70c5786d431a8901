"""Event attendance lists (expos, partnership meetings) sent by the office's event team.

One workbook per event, several sheets; the loader recognises each sheet by its header row, so sheet names do
not matter (the sample uses "Peserta"/"Daftar Hadir", "Mitra", "Kegiatan"/"Info"):

- ``event_info``: the event's header information as a one-row table (Nama Kegiatan, Tanggal Mulai,
  Tanggal Selesai, Tempat, Penyelenggara). A single-day event may leave Tanggal Selesai empty: end = start.
- ``event_participant``: one row per listed participant, listed per kelompok/komunitas (or cooperative).
  Title rows above the header ("DAFTAR PESERTA ...") are skipped by the loader.
- ``event_partner``: partner companies (mitra / "bapak angkat": hotels, supermarkets, malls), only for
  partnership meetings.

Linking: a participant or partner row belongs to the event whose ``event_info`` row came from the same file
(provenance column ``_path``). Attendance lists carry no event id of their own.

A participant row is valid when ``nama_usaha`` is present (``umkm_clean_text`` not NULL), else a reject; a
partner row when ``nama_perusahaan`` is. Everything after landing (deduplicating a business listed twice,
counting groups, MSMEs and partners, matching participants to registered businesses) is dbt's: the counting
rules live once, as macros in ``dbt_project/macros/events.sql``; the sample generator keeps a Python twin of
them as its test oracle (``pipelines/sample/events/rules.py``).
"""

from __future__ import annotations

from pipelines.ingest.spec import Column, Family, Kind

EVENT_INFO = Family(
    name="event_info",
    source="events",
    description="Event header information: name, start/end dates, venue, organiser (one row per event file)",
    key=("nama_kegiatan", "tanggal_mulai"),
    columns=(
        Column("nama_kegiatan", aliases=("kegiatan", "nama_acara", "acara", "judul_kegiatan"), required=True),
        Column("tanggal_mulai", Kind.DATE, ("tgl_mulai", "tanggal_awal", "mulai", "tanggal"), required=True),
        Column("tanggal_selesai", Kind.DATE, ("tgl_selesai", "tanggal_akhir", "selesai", "sampai")),
        Column("tempat", aliases=("lokasi", "venue", "tempat_kegiatan")),
        Column("penyelenggara", aliases=("penyelenggara_kegiatan", "pelaksana", "organizer")),
    ),
)

EVENT_PARTICIPANT = Family(
    name="event_participant",
    source="events",
    description="Event participants (attendance list): one row per listed MSME, by kelompok/komunitas",
    # Rows are never deduplicated at landing; the same business listed twice is deduplicated per event in dbt
    # (macro event_msme_key). This key only identifies a typed row (for overlapping re-uploads of one list).
    key=("nama_usaha", "kelompok_komunitas", "kecamatan", "nib"),
    columns=(
        Column("no", Kind.INTEGER, ("nomor", "no_urut")),
        Column("nama_usaha", aliases=("nama_umkm", "nama_usaha_umkm", "usaha"), required=True),
        Column("nama_pemilik", Kind.PII_NAME, ("pemilik", "nama_peserta", "nama_pelaku_usaha")),
        Column(
            "kelompok_komunitas",
            aliases=(
                "kelompok",
                "komunitas",
                "nama_kelompok",
                "kelompok_koperasi",
                "komunitas_koperasi",
                "kelompok_komunitas_koperasi",
            ),
        ),
        Column("produk", aliases=("jenis_produk", "produk_usaha", "produk_unggulan")),
        Column("no_hp", Kind.PII_PHONE, ("no_hp_wa", "no_wa", "hp", "nomor_hp", "no_telp", "telepon")),
        Column("kecamatan", aliases=("kec",)),
        Column(
            "nib", Kind.NIB, ("no_nib", "nomor_induk_berusaha")
        ),  # not required: blank/"belum ada" -> NULL
    ),
)

EVENT_PARTNER = Family(
    name="event_partner",
    source="events",
    description="Partner companies (mitra) of a partnership meeting: hotels, supermarkets, malls",
    key=("nama_perusahaan",),
    columns=(
        Column("no", Kind.INTEGER, ("nomor", "no_urut")),
        Column(
            "nama_perusahaan",
            aliases=("nama_mitra", "mitra", "perusahaan_mitra", "nama_perusahaan_mitra"),
            required=True,
        ),
        Column("jenis_mitra", aliases=("jenis", "kategori", "kategori_mitra", "jenis_usaha", "bidang_usaha")),
        Column("alamat", aliases=("alamat_perusahaan",)),
        Column("nama_pic", Kind.PII_NAME, ("pic", "narahubung", "contact_person", "nama_kontak")),
        Column("no_hp", Kind.PII_PHONE, ("no_hp_wa", "no_telp", "telepon", "kontak")),
    ),
)

FAMILIES: tuple[Family, ...] = (EVENT_INFO, EVENT_PARTICIPANT, EVENT_PARTNER)
