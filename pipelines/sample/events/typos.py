"""How people type a participant list: names retyped, a typo, group and kecamatan spellings, NIBs as text,
numbers, spaced or with an apostrophe. Each function keeps the identity key it must keep (asserted)."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Sequence

from pipelines.sample.chance import band
from pipelines.sample.events.rules import LEGAL_FORMS, business_name_key, group_key, kecamatan_key
from pipelines.sample.writers import Cell

_LEADING_FORM = re.compile(r"^\s*(UD|CV|PT|PD)\b\.?,?\s*", re.IGNORECASE)
_TRAILING_FORM = re.compile(r",?\s*\b(UD|CV|PT|PD)\.?\s*$", re.IGNORECASE)


def retype(rng: random.Random, name: str) -> str:
    """Case and legal-form changes only: business_name_key is unchanged."""
    text = " ".join(name.split())
    roll = rng.random()
    if roll < 0.45:
        text = string.capwords(text.lower())
    elif roll < 0.65:
        text = text.upper()
    elif roll < 0.72:
        text = text.lower()
    roll = rng.random()
    if roll < 0.30:
        text = _TRAILING_FORM.sub("", _LEADING_FORM.sub("", text)) or text
    elif roll < 0.45 and not _LEADING_FORM.match(text):
        text = rng.choice(("UD. ", "UD ", "CV ", "CV. ")) + text
    return text if business_name_key(text) == business_name_key(name) else name


def same_name(rng: random.Random, base: str, cosmetic: bool) -> str:
    """Another listing of the same business: same business_name_key (case, spaces, UD./CV)."""
    if not cosmetic:
        return base
    style = band(
        rng.random(), (0.3, 0.5, 0.65, 0.85)
    )  # upper, capitalised, spaced, UD./CV added, form dropped
    if style == 3 and not _LEADING_FORM.match(base):
        text = rng.choice(("UD. ", "UD ", "CV ")) + base
    elif style >= 3:
        text = _LEADING_FORM.sub("", base) or base
    else:
        text = (base.upper(), string.capwords(base.lower()), base.replace(" ", "  ", 1) + " ")[style]
    return text if business_name_key(text) == business_name_key(base) else base


def typo(rng: random.Random, text: str) -> str:
    """At most one slip of the finger in one word of five letters or more."""
    words = text.split(" ")
    candidates = [
        i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.upper() not in LEGAL_FORMS
    ]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = words[index]
    pos = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "swap", "vowel", "double"))
    if op == "drop":
        word = word[:pos] + word[pos + 1 :]
    elif op == "swap":
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif op == "double":
        word = word[:pos] + word[pos] + word[pos:]
    else:
        swaps = {"a": "e", "e": "a", "i": "e", "o": "u", "u": "o"}
        vowels = [i for i in range(1, len(word)) if word[i].lower() in swaps]
        if vowels:
            i = rng.choice(vowels)
            new = swaps[word[i].lower()]
            word = word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    words[index] = word
    return " ".join(words)


def group_cell(rng: random.Random, group: str) -> str:
    forms = (group, group.upper(), group.lower(), string.capwords(group.lower()), group.replace(" ", "  ", 1))
    text = (*forms, group + " ")[band(rng.random(), (0.60, 0.80, 0.85, 0.90, 0.95))]
    if group_key(text) != group_key(group):
        raise AssertionError(f"group spelling {text!r} changed its identity")
    return text


def kecamatan_cell(rng: random.Random, official: str) -> str:
    direction = official.split()[-1]
    options = [
        (official, 40),
        (official.upper(), 15),
        (f"Kec. {official}", 8),
        (f"Bpp {direction}", 10),
        (f"BPP. {direction.upper()}", 3),
        (official.lower(), 7),
        (official.replace(" ", "  "), 5),
    ]
    if direction != "Kota":
        options.append((direction, 7))  # a lone "Kota" would read as the city
    text = pick(rng, options)
    if kecamatan_key(text) != official.upper():
        raise AssertionError(f"kecamatan spelling {text!r} does not normalise to {official}")
    return text


def nib_cell(rng: random.Random, nib: str) -> Cell:
    """A valid NIB as typed: text, a number (leading zero lost), with spaces, or with Excel's apostrophe."""
    number_share = 50 if nib.startswith("0") and not nib.startswith("00") else 25
    style = pick(rng, (("number", number_share), ("text", 45), ("spaced", 20), ("apostrophe", 10)))
    if style == "number" and len(str(int(nib))) >= 10:
        return int(nib)
    if style == "spaced":
        return f"{nib[:4]} {nib[4:8]} {nib[8:]}"
    if style == "apostrophe":
        return "'" + nib
    return nib


def pick(rng: random.Random, weighted: Sequence[tuple[Cell, int]]) -> Cell:
    values = [v for v, _ in weighted]
    return rng.choices(values, weights=[w for _, w in weighted])[0]


def landed_text(value: Cell) -> str | None:
    """What the loader lands for a cell we write (python-calamine reads numbers back as floats)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return str(int(value))
    return value if str(value).strip() else None
