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

Counting rules (the sample's calibration figures depend on them; ``msme_key`` etc. below are the reference
implementation that dbt must mirror exactly, SQL given in each docstring):

- a participant row is valid when ``nama_usaha`` is present (``umkm_clean_text`` not NULL), else a reject;
- distinct MSMEs of an event = distinct ``msme_key`` over its valid rows (dedup within the event only);
- groups of an event = distinct non-NULL ``group_key(kelompok_komunitas)``;
- partners of an event = distinct non-NULL ``group_key(nama_perusahaan)`` over partner rows.
"""

from __future__ import annotations

import re

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
    # with msme_key(). This key only identifies a typed row (for overlapping re-uploads of one list).
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


# ----------------------------------------------------------------------------------------------------
# Reference implementation of the counting rules. Inputs are landed text (after the loader's cell_text).

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_EMPTY = frozenset({"", "-", "--", "null", "n/a", "na", "#n/a", "none", "nan"})
LEGAL_FORMS = frozenset({"UD", "CV", "PT", "PD"})
_DIRECTIONS = frozenset({"TIMUR", "BARAT", "UTARA", "TENGAH", "SELATAN", "KOTA"})


def clean_text(value: str | None) -> str | None:
    """Python twin of the SQL macro umkm_clean_text: collapse whitespace, trim, empty-ish -> None."""
    if value is None:
        return None
    text = _WS.sub(" ", str(value)).strip()
    return None if text.lower() in _EMPTY else text


def group_key(value: str | None) -> str | None:
    """Group (and partner) identity: 'Komunitas  Kuliner Bpp ' == 'KOMUNITAS KULINER BPP'.

    SQL: ``upper(umkm_clean_text(kelompok_komunitas))``.
    """
    text = clean_text(value)
    return text.upper() if text else None


def business_name_key(value: str | None) -> str | None:
    """Business name for dedup: upper case; every run of characters other than A-Z/0-9 becomes one space;
    trimmed; then a first token UD/CV/PT/PD is dropped, then a last token UD/CV/PT/PD (once each).
    'UD. Maju  Jaya' == 'MAJU JAYA' == 'Maju Jaya, CV'. Typos are NOT forgiven here (the matcher's job).
    SQL: macro ``umkm_event_name_key`` in COUNTING_MACROS_SQL.
    """
    text = clean_text(value)
    if text is None:
        return None
    tokens = _NON_ALNUM.sub(" ", text.upper()).split()
    if tokens and tokens[0] in LEGAL_FORMS:
        tokens = tokens[1:]
    if tokens and tokens[-1] in LEGAL_FORMS:
        tokens = tokens[:-1]
    return " ".join(tokens) or None


def kecamatan_key(value: str | None) -> str | None:
    """Kecamatan as typed -> upper-case official name when recognisable: upper case; non A-Z/0-9 runs become
    one space; a first token KEC/KECAMATAN is dropped; tokens BPP/BPN become BALIKPAPAN; a lone TIMUR, BARAT,
    UTARA, TENGAH, SELATAN or KOTA gets BALIKPAPAN in front. 'Kec. Bpp Utara', 'utara' -> 'BALIKPAPAN UTARA'.
    SQL: macro ``umkm_event_kecamatan_key`` in COUNTING_MACROS_SQL.
    """
    text = clean_text(value)
    if text is None:
        return None
    tokens = _NON_ALNUM.sub(" ", text.upper()).split()
    if tokens and tokens[0] in {"KEC", "KECAMATAN"}:
        tokens = tokens[1:]
    tokens = ["BALIKPAPAN" if t in {"BPP", "BPN"} else t for t in tokens]
    if len(tokens) == 1 and tokens[0] in _DIRECTIONS:
        tokens = ["BALIKPAPAN", tokens[0]]
    return " ".join(tokens) or None


def parse_nib(value: str | None) -> str | None:
    """Python twin of umkm_parse_nib: drop whitespace, quotes, a trailing '.0'; 10-13 digits, left-padded."""
    if value is None:
        return None
    text = re.sub(r"\.0+$", "", re.sub(r"[\s'`]", "", str(value).strip()))
    return text.zfill(13) if re.fullmatch(r"\d{10,13}", text) else None


def msme_key(nama_usaha: str | None, kecamatan: str | None, nib: str | None) -> str | None:
    """Identity of one MSME within one event: 'NIB:<13 digits>' when the NIB parses, else
    'NAMA:<business_name_key>|<kecamatan_key or empty>'. None for a row without a business name (a reject).
    SQL on raw.event_participant (nib already parsed by umkm_parse_nib): ``umkm_event_msme_key(nama_usaha,
    kecamatan, nib)`` in COUNTING_MACROS_SQL.
    """
    name = business_name_key(nama_usaha)
    if name is None:
        return None
    parsed = parse_nib(nib)
    if parsed:
        return f"NIB:{parsed}"
    return f"NAMA:{name}|{kecamatan_key(kecamatan) or ''}"


# The same rules as DuckDB macros, for dbt (copy into a dbt macro or run on the connection). Pinned against
# the Python functions above by tests/sample/test_event_sample.py. Input: landed text (umkm_clean_text'd).
COUNTING_MACROS_SQL = r"""
CREATE OR REPLACE MACRO umkm_event_group_key(s) AS upper(umkm_clean_text(s));

CREATE OR REPLACE MACRO umkm__event_tokens(s) AS
    ' ' || trim(regexp_replace(upper(umkm_clean_text(s)), '[^A-Z0-9]+', ' ', 'g')) || ' ';

CREATE OR REPLACE MACRO umkm_event_name_key(s) AS
    nullif(trim(regexp_replace(regexp_replace(umkm__event_tokens(s),
        '^ (UD|CV|PT|PD) ', ' '), ' (UD|CV|PT|PD) $', ' ')), '');

CREATE OR REPLACE MACRO umkm__event_kecamatan_text(s) AS
    trim(regexp_replace(regexp_replace(regexp_replace(umkm__event_tokens(s),
        '^ (KEC|KECAMATAN) ', ' '), ' (BPP|BPN) ', ' BALIKPAPAN ', 'g'), ' (BPP|BPN) ', ' BALIKPAPAN ', 'g'));

CREATE OR REPLACE MACRO umkm_event_kecamatan_key(s) AS
    CASE WHEN umkm__event_kecamatan_text(s) IN ('TIMUR', 'BARAT', 'UTARA', 'TENGAH', 'SELATAN', 'KOTA')
         THEN 'BALIKPAPAN ' || umkm__event_kecamatan_text(s)
         ELSE nullif(umkm__event_kecamatan_text(s), '') END;

CREATE OR REPLACE MACRO umkm_event_msme_key(nama_usaha, kecamatan, nib) AS
    CASE WHEN umkm_event_name_key(nama_usaha) IS NULL THEN NULL
         WHEN nib IS NOT NULL THEN 'NIB:' || nib
         ELSE 'NAMA:' || umkm_event_name_key(nama_usaha) || '|'
              || coalesce(umkm_event_kecamatan_key(kecamatan), '')
    END;
"""
