"""What the permit builder draws businesses from: legal forms by scale, name parts, capital and worker ranges
per scale, registrations by weekday."""

from __future__ import annotations

# fmt: off
COMPANY_TYPES = {  # OSS "uraian_jenis_perusahaan" by scale, with weights
    "mikro": (("Perseorangan", 80), ("Persekutuan Komanditer (CV)", 8),
              ("Perseroan Terbatas (PT) Perorangan", 6), ("Perseroan Terbatas (PT)", 3), ("Koperasi", 2),
              ("Badan Usaha Milik Desa (BUM Desa)", 0.5), ("Persekutuan Firma (Fa / Firma)", 0.5)),
    "kecil": (("Persekutuan Komanditer (CV)", 40), ("Perseroan Terbatas (PT)", 35), ("Perseorangan", 20),
              ("Koperasi", 5)),
    "menengah": (("Perseroan Terbatas (PT)", 70), ("Persekutuan Komanditer (CV)", 25), ("Koperasi", 5)),
    "besar": (("Perseroan Terbatas (PT)", 100),),
}
LEGAL_PREFIX = {
    "Persekutuan Komanditer (CV)": "CV", "Perseroan Terbatas (PT) Perorangan": "PT",
    "Perseroan Terbatas (PT)": "PT", "Persekutuan Firma (Fa / Firma)": "Firma",
    "Badan Usaha Milik Desa (BUM Desa)": "BUMDes",
}
NAME_PREFIXES = {  # by KBLI division
    "56": ("Warung Makan", "Rumah Makan", "Kedai", "Depot", "Warung", "Dapur"),
    "10": ("Kue", "Roti", "Keripik", "Dapur", "Aneka Kue"), "11": ("Es", "Minuman"),
    "47": ("Toko", "Kios", "UD", "Toko Kelontong"), "45": ("Bengkel",),
    "96": ("Salon", "Laundry", "Pangkas Rambut"), "14": ("Konveksi", "Penjahit"), "03": ("Nelayan",),
    "49": ("Rental", "Ekspedisi"),
}
NAME_WORDS = (
    "Berkah", "Barokah", "Sederhana", "Jaya", "Maju Jaya", "Sumber Rezeki", "Mandiri", "Sejahtera", "Amanah",
    "Nikmat", "Lestari", "Borneo", "Etam", "Harapan", "Mulia", "Bersama", "Sentosa",
)
# fmt: on

# Names with characters outside ASCII but inside Windows-1252, as owners type them (\u2019 is the curly
# apostrophe Word and phones substitute for ').
SPECIAL_NAMES = (
    "Café {first}",
    "Kedai Kopi D\u2019{first}",
    "Warung {first}\u2019s",
    "Ayam Penyét {first}",
    "Pâtisserie {first}",
)
CAPITAL_RANGES = {  # rupiah per scale: (low, high), inclusive, each inside its PP 7/2021 band
    "mikro": (2_000_000, 1_000_000_000),
    "kecil": (1_001_000_000, 5_000_000_000),
    "menengah": (5_001_000_000, 10_000_000_000),
    "besar": (10_001_000_000, 300_000_000_000),
}
WORKERS = {"mikro": (1, 4), "kecil": (5, 19), "menengah": (20, 99), "besar": (100, 600)}
DAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.15)  # Monday..Sunday: fewer registrations at weekends
