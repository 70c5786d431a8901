"""The KBLI 2020 codes the permit sample draws from (``data/kbli.csv``: code, category, title, OSS risk code
and the weight of the code as a business's main activity; the tests check them against kbli_2020.csv), the
ministry supervising each division and the risk labels."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.sample.datafiles import read_csv


@dataclass(frozen=True)
class Kbli:
    code: str  # 5-digit KBLI 2020 kelompok
    category: str  # KBLI category letter
    title: str
    risk: str  # OSS risk code: R, MR, MT, T
    weight: float  # share of businesses whose main activity this is

    @property
    def division(self) -> str:
        return self.code[:2]


KBLI_CODES: tuple[Kbli, ...] = tuple(
    Kbli(row["code"], row["category"], row["title"], row["risk"], float(row["weight"]))
    for row in read_csv(__file__, "kbli.csv")
)

# Ministry that supervises a division ("KL/Sektor Pembina"); divisions not listed default to trade.
# fmt: off
KL_SECTOR = {
    "01": "PERTANIAN", "03": "KELAUTAN DAN PERIKANAN", "08": "ENERGI DAN SUMBER DAYA MINERAL",
    "10": "PERINDUSTRIAN", "11": "PERINDUSTRIAN", "13": "PERINDUSTRIAN", "14": "PERINDUSTRIAN",
    "16": "PERINDUSTRIAN", "31": "PERINDUSTRIAN", "41": "PEKERJAAN UMUM DAN PERUMAHAN RAKYAT",
    "43": "PEKERJAAN UMUM DAN PERUMAHAN RAKYAT", "49": "PERHUBUNGAN", "55": "PARIWISATA", "56": "PARIWISATA",
    "62": "KOMUNIKASI DAN INFORMATIKA", "63": "KOMUNIKASI DAN INFORMATIKA",
    "68": "PEKERJAAN UMUM DAN PERUMAHAN RAKYAT", "85": "PENDIDIKAN DAN KEBUDAYAAN",
}
# fmt: on

RISK_TEXT = {"R": "Rendah", "MR": "Menengah Rendah", "MT": "Menengah Tinggi", "T": "Tinggi"}
