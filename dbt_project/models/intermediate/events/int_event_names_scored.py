"""Name-match candidates for event participants: the name evidence the decision needs, per candidate.

dbt Python model (dbt-duckdb runs it in the dbt process; `session` is the DuckDB connection). DuckDB has done
the blocking (int_event_candidates_blocked): each participant comes with its block (its located kecamatan, or
the whole region when the place was not recognised) and the NIBs its typed NIB points at (the registered
NIB, or registered NIBs one digit or one adjacent swap away). Here names are normalised with the seed
event_name_variants (abbreviations, honorifics, spelling variants, legal form apart, bracketed and trailing
descriptive text dropped) and scored with rapidfuzz; the decision (match, review, none) is SQL, in
int_event_participants_matched, with the thresholds as dbt vars.

score = max(fuzz.ratio, fuzz.token_sort_ratio) of the normalised names, 0-100 (a slip of the finger, a swapped
word order); a name that contains all of the other's tokens plus words that are common in the kecamatan
("Toko Pak X" / "Toko Kelontong Pak X") scores fuzz.token_set_ratio. distinctive_difference: the names differ
in a token that is rare among the kecamatan's registered names (an owner's name) and the participant's token
is not that token mistyped (a different person): "Laundry Pak Bagus" / "Laundry Pak Agus".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import NamedTuple

import numpy as np
import pyarrow as pa
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

SCHEMA = pa.schema(
    [
        ("participant_id", pa.string()),
        ("candidate_rank", pa.int32()),
        ("candidate_nib", pa.string()),
        ("candidate_source", pa.string()),
        ("name_normalised", pa.string()),
        ("candidate_name_normalised", pa.string()),
        ("score", pa.float64()),
        ("is_exact", pa.bool_()),
        ("legal_form_agrees", pa.bool_()),
        ("distinctive_difference", pa.bool_()),
    ]
)
SCORERS = (fuzz.ratio, fuzz.token_sort_ratio)
_BRACKETS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
# Trailing description after a spaced dash, slash, pipe or colon: "Es Bu X - Es Teh & Jus".
_TRAILING = re.compile(r"\s+[-\u2013\u2014|/:]\s+.*$|\s*[|:]\s*.*$")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
TYPO_SIMILARITY = (
    87.0  # a rare token this similar to the other side's is the same token mistyped ("Bahurakso")
)


class Normalised(NamedTuple):
    name: str
    tokens: tuple[str, ...]
    legal_form: str | None


class Normaliser:
    """The name rules of seeds/rules/event_name_variants.csv, applied identically to both sides."""

    def __init__(self, rules: list[tuple[str, str, str]]):
        self.tokens = {typed: written for kind, typed, written in rules if kind == "token"}
        self.substrings = [(typed, written) for kind, typed, written in rules if kind == "substring"]
        self.legal_forms = {typed for kind, typed, _ in rules if kind == "legal_form"}

    def __call__(self, text: str | None) -> Normalised:
        upper = (text or "").upper()
        stripped = _TRAILING.sub("", _BRACKETS.sub(" ", upper)).strip() or upper
        tokens: list[str] = []
        legal_form = None
        for raw in _NON_ALNUM.sub(" ", stripped).split():
            if raw in self.legal_forms:  # every legal-form word ("CV Koperasi X"), the first kept
                legal_form = legal_form or raw
                continue
            for token in (self.tokens.get(raw, raw) or "").split():
                for typed, written in self.substrings:
                    token = token.replace(typed, written)
                tokens.append(token)
        return Normalised(" ".join(tokens), tuple(tokens), legal_form)


def pair_scores(query: Normalised, choice: Normalised, common: set[str]) -> float:
    if same_letters(query, choice):
        return 100.0
    score = max(scorer(query.name, choice.name) for scorer in SCORERS)
    extra = set(query.tokens) ^ set(choice.tokens)
    if extra and extra <= common and fuzz.token_set_ratio(query.name, choice.name) == 100:
        score = max(score, 100.0 - 5.0 * len(extra))  # only common words added or left out
    return round(float(score), 1)


def same_letters(query: Normalised, choice: Normalised) -> bool:
    """Equal once spaces are ignored: "Cakra Buana" = "Cakrabuana"."""
    return query.name.replace(" ", "") == choice.name.replace(" ", "")


def distinctive_difference(
    query: Normalised, choice: Normalised, rare: set[str], vocabulary: set[str], alone: bool = False
) -> bool:
    """The names differ in a token that is rare in the kecamatan, not a typo of the other side's.

    `alone`: the candidate is the only registered name of the block at or above the review floor. Only then is
    a one-letter slip in a rare word a typo ("Kios Pak Sebri" for the only Kios Pak Sabri around); where the
    block has several names of the pattern ("Kios Pak Paiman", "Kios Pak Ikin", "Kios Pak Kamidin"), one
    letter off is as likely another owner ("Kios Pak Paimin", not registered): review.
    """
    mine, theirs = set(query.tokens) - set(choice.tokens), set(choice.tokens) - set(query.tokens)
    if same_letters(query, choice):
        return False
    for token in theirs & rare:
        typo = [t for t in mine if t not in vocabulary and is_typo(t, token, alone)]
        if not typo:
            return True
    # A rare word the participant added that registered names use elsewhere: another business's owner.
    return any(token in rare and token in vocabulary for token in mine if not _typo_of(token, theirs, alone))


def is_typo(typed: str, written: str, alone: bool = False) -> bool:
    """`typed` is `written` with a slip of the finger: similar enough; or, for a candidate alone in its block,
    one letter changed, added, dropped or two neighbours swapped in a word of 4+ letters ("Sebri" / "Sabri",
    "Dpaur" / "Dapur", "Keripek" / "Keripik")."""
    if fuzz.ratio(typed, written) >= TYPO_SIMILARITY:
        return True
    return alone and min(len(typed), len(written)) >= 4 and DamerauLevenshtein.distance(typed, written) <= 1


def _typo_of(token: str, others: set[str], alone: bool = False) -> bool:
    return any(is_typo(token, other, alone) for other in others)


class Block(NamedTuple):
    nibs: list[str]
    names: list[Normalised]
    rare: set[str]
    common: set[str]


def build_block(nibs: list[str], names: list[Normalised], rare_share: float) -> Block:
    frequency = Counter(token for name in names for token in set(name.tokens))
    rare_below = max(len(names) * rare_share, 2.0)
    rare = {token for token, count in frequency.items() if count <= rare_below}
    return Block(nibs, names, rare, set(frequency) - rare)


def model(dbt, session):
    dbt.config(materialized="table")
    min_score = float(dbt.config.meta_get("min_score"))
    margin = float(dbt.config.meta_get("min_margin"))
    kept = int(dbt.config.meta_get("candidates_kept"))
    rare_share = float(dbt.config.meta_get("rare_token_share"))
    floor = max(min_score - 2 * margin, 0.0)

    normalise = Normaliser(
        dbt.ref("event_name_variants")
        .filter("applies_to = 'name'")
        .project("match, typed, coalesce(written_as, '')")
        .fetchall()
    )
    blocked = dbt.ref("int_event_candidates_blocked").fetchall()
    businesses: dict[str, list[tuple[str, Normalised]]] = defaultdict(list)
    by_nib: dict[str, tuple[str, Normalised]] = {}
    participants = []
    for role, record_id, block, name, nib_candidates in blocked:
        if role == "business":
            entry = (record_id, normalise(name))
            businesses[block].append(entry)
            by_nib[record_id] = (block, entry[1])
        else:
            participants.append((record_id, block, normalise(name), nib_candidates or []))
    blocks = {
        code: build_block([n for n, _ in rows], [x for _, x in rows], rare_share)
        for code, rows in businesses.items()
    }
    region = build_block(
        [n for rows in businesses.values() for n, _ in rows],
        [x for rows in businesses.values() for _, x in rows],
        rare_share,
    )
    vocabulary = region.rare | region.common

    columns: dict[str, list] = {field.name: [] for field in SCHEMA}
    by_block: dict[str, list] = defaultdict(list)
    for participant in participants:
        by_block[participant[1] or ""].append(participant)
    for code, members in sorted(by_block.items()):
        block = blocks.get(code, region) if code else region
        source = "kecamatan" if code else "region"
        scores = (
            process.cdist(
                [p[2].name for p in members],
                [n.name for n in block.names],
                scorer=fuzz.token_set_ratio,
                score_cutoff=floor,
                dtype=np.float32,
                workers=1,
            )
            if block.names
            else np.zeros((len(members), 0))
        )
        for row, (participant_id, _, query, nib_candidates) in enumerate(members):
            hits: dict[str, tuple[str, Normalised, Block]] = {}
            for nib in nib_candidates:
                if nib in by_nib:
                    home = blocks.get(by_nib[nib][0], region)
                    hits[nib] = ("nib" if nib == nib_candidates[0] else "nib_neighbour", by_nib[nib][1], home)
            for j in np.flatnonzero(scores[row] >= floor):
                hits.setdefault(block.nibs[j], (source, block.names[j], block))
            ranked = sorted(
                (-pair_scores(query, name, home.common), source_of, nib, name, home)
                for nib, (source_of, name, home) in hits.items()
            )
            # The typed NIB's businesses always stay, however many same-name businesses outrank them.
            ranked = [r for r in ranked if r[1] != source][: len(nib_candidates)] + [
                r for r in ranked if r[1] == source and -r[0] >= floor
            ][:kept]
            # Names of the block at or above the review floor: one = the candidate is alone around.
            near = sum(1 for r in ranked if r[1] == source and -r[0] >= floor)
            for rank, (negative, source_of, nib, name, home) in enumerate(ranked, start=1):
                columns["participant_id"].append(participant_id)
                columns["candidate_rank"].append(rank)
                columns["candidate_nib"].append(nib)
                columns["candidate_source"].append(source_of)
                columns["name_normalised"].append(query.name)
                columns["candidate_name_normalised"].append(name.name)
                columns["score"].append(-negative)
                columns["is_exact"].append(same_letters(query, name))
                columns["legal_form_agrees"].append(
                    None if query.legal_form is None else query.legal_form == name.legal_form
                )
                columns["distinctive_difference"].append(
                    distinctive_difference(query, name, home.rare, vocabulary, alone=near <= 1)
                )
    return pa.table(columns, schema=SCHEMA)
