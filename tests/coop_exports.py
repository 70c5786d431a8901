"""Header cells of office-kept cooperative registers and health-assessment exports, shared by the hand-written
fixtures of tests/ingest, tests/cooperatives and tests/quality."""

from __future__ import annotations

# The leading columns most office registers start with (in this order); each fixture adds its own tail.
REGISTER_LEAD = ("No", "Nomor Induk Koperasi", "Nama Koperasi", "Kecamatan", "Kab/Kota", "Jenis Koperasi")
HEALTH_HEADER = (
    "No",
    "Nomor Induk Koperasi",
    "Nama Koperasi",
    "Tahun Penilaian",
    "Tata Kelola",
    "Profil Risiko",
    "Kinerja Keuangan",
    "Permodalan",
    "Predikat",
)
# The book-year, member, capital, status and reporting columns as the Dinas export lays them out.
REGISTER_FIGURES = (
    "Tahun Buku RAT Terakhir",
    "Tanggal RAT",
    "Anggota Laki-laki",
    "Anggota Perempuan",
    "Modal Sendiri",
    "Aset",
    "Status Koperasi",
    "Pelaporan Digital",
)
