"""Code lists and names as cooperative exports spell them (``data/vocabulary.json``).

jenis spellings, kelompok per jenis with draw weights, the name prefix of each kelompok, sektor per jenis,
words for cooperative names and institutions for KPRI names.
"""

from __future__ import annotations

from pipelines.sample.datafiles import read_json

_DATA = read_json(__file__, "vocabulary.json")
JENIS_SPELLINGS: dict[str, list[str]] = _DATA["jenis_spellings"]
KELOMPOK: dict[str, list[tuple[str, float]]] = _DATA["kelompok"]
NAME_PREFIX: dict[str, str] = _DATA["name_prefix"]
SEKTOR: dict[str, list[str]] = _DATA["sektor"]
NAME_WORDS: list[str] = _DATA["name_words"]
INSTITUTIONS: list[str] = _DATA["institutions"]
ROMAN = ("XVI", "XVI", "XVI", "XVII")  # legacy badan hukum register codes (Kaltim region)
