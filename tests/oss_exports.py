"""Header rows of short OSS dashboard downloads ("Day of ..." Tableau exports), shared by the hand-written
real-export fixtures of tests/ingest and tests/pipeline."""

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
PLACE = ["Usaha Mikro", "Balikpapan Kota", "Kota Balikpapan"]  # skala, kecamatan, kab/kota of a NIB row
