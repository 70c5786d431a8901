"""A cooperative that moved to another kab/kota and then vanished: the refresh publishes (it stopped at a dbt
test before: cooperative_changes had two missing_from_update rows for it, one per kab/kota), and the gap
compares it with the latest update of the kab/kota it was last registered in. A province's registers, by hand
(`umkm refresh --region 65`):

              2024-01-31   2024-04-30   2024-07-15
  MOVED       Bulungan     Tarakan      -
  BULUNGAN    Bulungan     Bulungan     -
  TARAKAN     Tarakan      Tarakan      Tarakan

Bulungan's latest update is 30-04-2024 (BULUNGAN is in it: not missing); Tarakan's is 15-07-2024. MOVED was
last seen on 30-04-2024 in Tarakan, so it is missing from Tarakan's latest update of 15-07-2024 (compared with
Bulungan's, where it was first, it would read 30-04-2024 against 30-04-2024). In cooperative_changes it is
missing_from_update in Bulungan (30-04-2024, it left) and in Tarakan (15-07-2024)."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.cli import main
from pipelines.sample.writers import write_csv
from pipelines.warehouse import WarehousePaths
from tests.coop_exports import REGISTER_LEAD

HEADER = (*REGISTER_LEAD, "Status Koperasi", "Tahun Buku RAT Terakhir")
MOVED, BULUNGAN, TARAKAN = "6501000000000001", "6501000000000002", "6571000000000003"
IN_BULUNGAN = ("Tanjung Selor", "Kabupaten Bulungan")
IN_TARAKAN = ("Tarakan Barat", "Kota Tarakan")
UPDATES = {
    "2024-01-31": [(MOVED, IN_BULUNGAN), (BULUNGAN, IN_BULUNGAN), (TARAKAN, IN_TARAKAN)],
    "2024-04-30": [(MOVED, IN_TARAKAN), (BULUNGAN, IN_BULUNGAN), (TARAKAN, IN_TARAKAN)],
    "2024-07-15": [(TARAKAN, IN_TARAKAN)],
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    root = tmp_path_factory.mktemp("moved_cooperative")
    for day, rows in UPDATES.items():
        write_csv(
            root / "raw" / "cooperatives" / f"data_koperasi_kaltara_{day}.csv",
            HEADER,
            [
                (i, number, f"Koperasi {number[-1]}", kecamatan, regency, "Konsumen", "Aktif", 2023)
                for i, (number, (kecamatan, regency)) in enumerate(rows, start=1)
            ],
            delimiter=";",
        )
    marts = root / "marts"
    refreshed = main(["refresh", "--raw-dir", str(root / "raw"), "--marts-dir", str(marts), "--region", "65"])
    assert refreshed == 0, f"refresh failed, see {marts / 'logs'}"
    with duckdb.connect(str(WarehousePaths(marts).published), read_only=True) as con:
        return {
            "missing": con.execute(
                "SELECT record_key, value, message, source_path FROM marts.data_quality_gaps "
                "WHERE gap_type = 'coop_missing_from_latest' ORDER BY record_key"
            ).fetchall(),
            "changes": con.execute(
                "SELECT cooperative_number, regency_code, change_type, update_date::VARCHAR "
                "FROM marts.cooperative_changes ORDER BY ALL"
            ).fetchall(),
        }


def test_a_moved_then_vanished_cooperative_is_compared_with_its_last_kab_kota(published) -> None:
    # BULUNGAN is in Bulungan's latest update and TARAKAN in Tarakan's: neither is missing.
    ((record, last_seen, message, path),) = published["missing"]
    assert record == MOVED and last_seen == "30-04-2024"
    assert "tidak ada di pemutakhiran terakhir (15-07-2024)" in message
    assert path == "cooperatives/data_koperasi_kaltara_2024-04-30.csv"


def test_its_changes_are_listed_in_each_kab_kota(published) -> None:
    assert published["changes"] == [
        (MOVED, "65.01", "missing_from_update", "2024-04-30"),
        (MOVED, "65.71", "missing_from_update", "2024-07-15"),
    ]
