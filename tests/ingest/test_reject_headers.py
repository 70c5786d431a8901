"""Reject messages name the column as the official's file names it (issue 12): the header cell as typed ("ID
Proyek"), the two rows of a two-row header, or the position in a file without a header; never the internal
column name (`id_proyek`), which stays in raw.ingest_rejects.column_name for joins."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.loader import SourceLoader
from pipelines.ingest.permits import FAMILIES
from pipelines.sample.writers import write_csv, write_xlsx

NIB_ROW_TAIL = [
    "26/07/2024",
    "Warung Uji",
    "PMDN",
    "Perorangan",
    "Usaha Mikro",
    "Jl. Uji 1",
    "Klandasan Ilir",
]
# The headerless layout is recognised by its width (12 columns): the last cells (e-mail, phone) hold a dash
# so that the row is not trimmed.
NIB_ROW_TAIL += ["Balikpapan Kota", "Kota Balikpapan", "-", "-"]

CASES = [  # (id, file name, header or None, the one data row, column_name, expected message)
    (
        "csv header as typed",
        "proyek.csv",
        ["ID Proyek", "Uraian Jenis Proyek", "Nama Proyek", "Kecamatan Usaha", "Judul KBLI"],
        ["", "Baru", "Warung Uji", "Balikpapan Kota", "Restoran"],
        "id_proyek",
        "ID Proyek wajib diisi tetapi kosong",
    ),
    (
        "xlsx alias header",
        "nib.xlsx",
        ["Nomor Induk Berusaha", "Tanggal Terbit OSS", "Nama Perusahaan"],
        ["12AB", "26/07/2024", "Warung Uji"],
        "nib",
        "Nomor Induk Berusaha: NIB harus 13 digit angka yang masuk akal",
    ),
    (
        "spaces collapsed, quote kept",
        "nib_quote.csv",
        ["  Nomor   Induk Berusaha'", "Tanggal Terbit OSS", "Nama Perusahaan"],
        ["", "26/07/2024", "Warung Uji"],
        "nib",
        "Nomor Induk Berusaha' wajib diisi tetapi kosong",
    ),
    (
        "no header: the position",
        "nib_tanpa_judul.csv",
        None,
        ["bukan-nib", *NIB_ROW_TAIL],
        "nib",
        "kolom ke-1: NIB harus 13 digit angka",
    ),
]


@pytest.mark.parametrize(
    ("name", "header", "row", "column", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_reject_message_names_the_files_header(tmp_path: Path, name, header, row, column, message):
    path = tmp_path / "permits" / name
    if name.endswith(".xlsx"):
        write_xlsx(path, header, [row])
    else:
        write_csv(path, header, [row])
    con = duckdb.connect()
    SourceLoader(con, tmp_path, "permits", FAMILIES).load_all()
    rejects = con.execute("SELECT column_name, message FROM raw.ingest_rejects").fetchall()
    assert len(rejects) == 1, rejects
    got_column, got_message = rejects[0]
    assert got_column == column
    assert got_message.startswith(message), got_message
    if header is not None:
        assert f"{column}:" not in got_message and f" {column} " not in got_message
