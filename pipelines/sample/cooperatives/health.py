"""Health assessments (Balikpapan): which cooperatives are assessed each year, their scores and predikat as
written, and the rows of the assessment files.

Each entry of ``HEALTH_2024`` / ``HEALTH_2023`` is (category the truth expects, predikat written or None,
sum of the four aspect scores or None: drawn inside the category's band); the 2024 categories add up to the
published 6 / 14 / 6 (calibration.py).
"""

from __future__ import annotations

import random

from faker import Faker

from pipelines.sample.cooperatives.build import Coop
from pipelines.sample.cooperatives.vocabulary import NAME_WORDS
from pipelines.sample.writers import Cell

HealthEntry = tuple[Coop, tuple[float, ...], str | None]  # (cooperative, four aspect scores, predikat)

HEALTH_2024: tuple[tuple[str, str | None, float | None], ...] = (
    *[("sehat", "Sehat", None)] * 2,
    ("sehat", "SEHAT", None),
    ("sehat", "Sehat", 312.0),  # mean 78: the bands would say Cukup Sehat, the assessor's category wins
    ("sehat", None, 320.0),  # mean exactly 80: Sehat
    ("sehat", None, None),
    *[("cukup_sehat", "Cukup Sehat", None)] * 8,
    *[("cukup_sehat", "CUKUP SEHAT", None)] * 2,
    ("cukup_sehat", "Cukup Sehat", 324.0),  # mean 81, recorded Cukup Sehat
    ("cukup_sehat", None, 264.0),  # mean exactly 66: Cukup Sehat
    *[("cukup_sehat", None, None)] * 2,
    *[("dalam_pengawasan", "Dalam Pengawasan", None)] * 3,
    ("dalam_pengawasan", "DALAM PENGAWASAN", None),
    ("dalam_pengawasan", "Dalam  Pengawasan", None),
    ("dalam_pengawasan", None, 263.5),  # mean 65.875: Dalam Pengawasan
)
HEALTH_2023: tuple[tuple[str, str | None, float | None], ...] = (  # legacy five-class labels
    *[("cukup_sehat", "Cukup Sehat", None)] * 5,
    ("cukup_sehat", "CUKUP SEHAT", None),
    ("cukup_sehat", None, 319.5),  # mean 79.875: just below Sehat
    ("cukup_sehat", None, 264.0),
    *[("dalam_pengawasan", "Kurang Sehat", None)] * 4,
    ("dalam_pengawasan", "KURANG SEHAT", None),
    ("dalam_pengawasan", None, 204.0),  # mean exactly 51
    *[("dalam_pengawasan_khusus", "Tidak Sehat", None)] * 2,
    ("dalam_pengawasan_khusus", "Sangat Tidak Sehat", None),
    ("dalam_pengawasan_khusus", None, 203.5),  # mean 50.875
)
_BAND_SUMS = {
    "sehat": (320, 372),
    "cukup_sehat": (264, 319.5),
    "dalam_pengawasan": (204, 263.5),
    "dalam_pengawasan_khusus": (140, 203.5),
}


def _scores(rng: random.Random, total: float) -> tuple[float, ...]:
    """Four aspect scores, multiples of 0.5 in 0..100, summing exactly to total (so means are exact)."""
    while True:
        first = [round((total / 4 + rng.uniform(-10, 10)) * 2) / 2 for _ in range(3)]
        last = total - sum(first)
        if all(0 <= s <= 100 for s in (*first, last)):
            return (*first, last)


def health_plan(rng: random.Random, coops: list[Coop]) -> dict[int, list[HealthEntry]]:
    pool = sorted(
        (
            c
            for c in coops
            if c.status != "tidak_aktif"
            and c.rat_year is not None
            and c.rat_year >= 2021
            and c.kecamatan is not None
        ),
        key=lambda c: c.nik,
    )
    assessed_2024 = rng.sample(pool, len(HEALTH_2024))
    in_2024 = {c.nik for c in assessed_2024}
    assessed_2023 = rng.sample(assessed_2024, 12) + rng.sample([c for c in pool if c.nik not in in_2024], 6)
    plan = {}
    for year, coops_of_year, spec in (
        (2023, assessed_2023, HEALTH_2023),
        (2024, assessed_2024, HEALTH_2024),
    ):
        entries = []
        for coop, (category, predikat, total) in zip(coops_of_year, spec, strict=True):
            if total is None:
                low, high = _BAND_SUMS[category]
                total = low + rng.randint(0, int((high - low) * 2)) / 2
            entries.append((coop, _scores(rng, total), predikat))
        plan[year] = entries
    return plan


def health_rows(
    rng: random.Random, fake: Faker, year: int, entries: list[HealthEntry]
) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    as_text = year == 2023
    for coop, scores, predikat in sorted(entries, key=lambda e: e[0].name.lower()):
        row: dict[str, Cell] = {
            "nomor_induk_koperasi": coop.nik if as_text else int(coop.nik),
            "nama_koperasi": coop.name,
            "tahun_penilaian": str(year) if as_text else year,
            "predikat": predikat,
        }
        for key, score in zip(
            ("skor_tata_kelola", "skor_profil_risiko", "skor_kinerja_keuangan", "skor_permodalan"),
            scores,
            strict=True,
        ):
            row[key] = f"{score:.2f}".replace(".", ",") if as_text else score
        rows.append(row)
    if year == 2024:  # assessed, but the clerk left the cooperative number empty: rejected
        rows.insert(
            rng.randint(1, len(rows) - 1),
            {
                "nomor_induk_koperasi": None,
                "nama_koperasi": f"KSP {rng.choice(NAME_WORDS)}",
                "tahun_penilaian": year,
                "skor_tata_kelola": 70.5,
                "skor_profil_risiko": 68.0,
                "skor_kinerja_keuangan": 72.0,
                "skor_permodalan": 66.5,
                "predikat": "Cukup Sehat",
            },
        )
    for number, row in enumerate(rows, start=1):
        row["no"] = number
    return rows
