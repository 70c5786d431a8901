"""Header rows of short OSS dashboard downloads ("Day of ..." Tableau exports), shared by the hand-written
real-export fixtures of tests/ingest and tests/pipeline, and the full permit-list header."""

from __future__ import annotations

NIB_HEADER = [
    "Nib",
    "Day of Tanggal Terbit Oss",
    "Nama Perusahaan",
    "Uraian Skala Usaha",
    "Kecamatan",
    "Kab Kota",
]
PERMIT_HEADER = [
    "No.",
    "Id Permohonan Izin",
    "Nama Perusahaan",
    "Nib",
    "Day of Tanggal Terbit Oss",
    "Propinsi",
    "Kab Kota",
    "Kbli",
    "Day of Tgl Izin",
]
# The permit list ("List Izin") as OSS downloads it in full: the 18 columns in their standard order.
PERMIT_LIST_HEADER = (
    "No.", "Id Permohonan Izin", "Nama Perusahaan", "Nib", "Day of Tanggal Terbit Oss",
    "Uraian Status Penanaman Modal", "Propinsi", "Kab Kota", "Id Proyek", "Kd Resiko", "Kbli",
    "Day of Tgl Izin", "Uraian Jenis Perizinan", "Nama Dokumen", "Uraian Kewenangan", "Uraian Status Respon",
    "Kewenangan", "kl_sektor",
)  # fmt: skip
PLACE = ["Usaha Mikro", "Balikpapan Kota", "Kota Balikpapan"]  # skala, kecamatan, kab/kota of a NIB row
