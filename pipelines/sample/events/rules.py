"""The counting rules' Python twin, the generator's test oracle (production: dbt_project/macros/events.sql).

Pinned row by row against the rendered macros in tests/sample/test_event_sample.py. Inputs are cell text as
the loader lands it (before its cleaning). The city is Balikpapan's: the dbt macros take it from the region
(macro event_region_city) and the abbreviations from var event_place_abbreviations.
"""

from __future__ import annotations

import re

from pipelines.sample.quirks import plausible_nib, restore_nib

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_EMPTY = frozenset({"", "-", "--", "null", "n/a", "na", "#n/a", "none", "nan"})
LEGAL_FORMS = frozenset({"UD", "CV", "PT", "PD"})
_DIRECTIONS = frozenset({"TIMUR", "BARAT", "UTARA", "TENGAH", "SELATAN", "KOTA"})
CITY = "BALIKPAPAN"
CITY_ABBREVIATIONS = {"BPP": CITY, "BPN": CITY}


def clean_text(value: str | None) -> str | None:
    """Twin of the SQL macro umkm_clean_text: collapse whitespace, trim, empty-ish -> None."""
    if value is None:
        return None
    text = _WS.sub(" ", str(value)).strip()
    return None if text.lower() in _EMPTY else text


def group_key(value: str | None) -> str | None:
    """Group (and partner) identity: 'Komunitas  Kuliner Bpp ' == 'KOMUNITAS KULINER BPP'.

    dbt: event_group_key.
    """
    text = clean_text(value)
    return text.upper() if text else None


def business_name_key(value: str | None) -> str | None:
    """Business name for dedup: upper case; every run of characters other than A-Z/0-9 becomes one space;
    trimmed; then a first token UD/CV/PT/PD is dropped, then a last token UD/CV/PT/PD (once each).
    'UD. Maju  Jaya' == 'MAJU JAYA' == 'Maju Jaya, CV'. Typos are NOT forgiven here. dbt: event_name_key.
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
    dbt: event_kecamatan_key(text, city).
    """
    text = clean_text(value)
    if text is None:
        return None
    tokens = _NON_ALNUM.sub(" ", text.upper()).split()
    if tokens and tokens[0] in {"KEC", "KECAMATAN"}:
        tokens = tokens[1:]
    tokens = [CITY_ABBREVIATIONS.get(t, t) for t in tokens]
    if len(tokens) == 1 and tokens[0] in _DIRECTIONS:
        tokens = [CITY, tokens[0]]
    return " ".join(tokens) or None


def parse_nib(value: str | None) -> str | None:
    """Twin of umkm_parse_nib: drop whitespace, quotes, a trailing '.0'; then 13 digits not beginning with 00,
    or 12 digits not beginning with 0 with its lost zero put back (quirks.restore_nib), whose prefix fits an
    era (quirks.plausible_nib)."""
    if value is None:
        return None
    nib = restore_nib(re.sub(r"\.0+$", "", re.sub(r"[\s'`]", "", str(value).strip())))
    return nib if plausible_nib(nib) else None


def msme_key(nama_usaha: str | None, kecamatan: str | None, nib: str | None) -> str | None:
    """Identity of one MSME within one event: 'NIB:<13 digits>' when the NIB parses, else
    'NAMA:<business_name_key>|<kecamatan_key or empty>'. None for a row without a business name (a reject).
    dbt: event_msme_key(business_name, kecamatan, nib, city).
    """
    name = business_name_key(nama_usaha)
    if name is None:
        return None
    parsed = parse_nib(nib)
    if parsed:
        return f"NIB:{parsed}"
    return f"NAMA:{name}|{kecamatan_key(kecamatan) or ''}"
