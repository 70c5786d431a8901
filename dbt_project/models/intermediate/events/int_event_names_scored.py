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

Where the time goes (issue 10: every participant against every registered name of its block grows with N^2),
and what keeps it affordable without changing one result:
- normalise: each distinct raw name once (Normaliser caches).
- prefilter, per block (score_block, _prefilter): token_set_ratio >= the review floor, for the block's
  distinct participant names (not one row per participant) against its registered names. An upper bound of
  token_set_ratio (may_reach: letter counts, shared tokens' lengths; numpy, in chunks of pairs so memory stays
  flat) rules out 97-99% of the pairs; rapidfuzz (cpdist, both cores) scores the rest exactly, so the hits and
  their values are those of a cdist over all pairs.
- pair scores of the prefilter's hits in bulk (cpdist ratio / token_sort_ratio, same_letters on ids);
  only hits whose token_set_ratio is 100 go through pair_scores' common-words rule in Python. Each distinct
  name's hits at or above the floor are ranked once (score, then NIB), as the per-participant sort did.
- per participant (rank_participant): its typed NIB's businesses scored with pair_scores, then the first
  `kept` ranked block names that are not among them; distinctive_difference only for the rows kept.
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
        self.seen: dict[str | None, Normalised] = {}  # names repeat (one business, many events): each once

    def __call__(self, text: str | None) -> Normalised:
        if text not in self.seen:
            self.seen[text] = self._normalise(text)
        return self.seen[text]

    def _normalise(self, text: str | None) -> Normalised:
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


class Ranked(NamedTuple):
    """Each distinct participant name's block hits at or above the floor, best first (score, then NIB):
    hits of the name `row` are positions starts[row]:starts[row + 1] of columns (index into the block) and
    scores."""

    starts: list[int]
    columns: list[int]
    scores: list[float]


# Pairs bounded at once (a few float64 arrays of this many cells, ~100 MB): memory stays flat with N.
CHUNK_CELLS = 2_000_000


def score_block(queries: list[Normalised], block: Block, floor: float) -> Ranked:
    """pair_scores of every (distinct participant name, block name) pair whose token_set_ratio reaches the
    floor, ranked per name; pairs below the floor after scoring are left out (they are never kept)."""
    if not block.names or not queries:
        return Ranked([0] * (len(queries) + 1), [], [])
    # Registered names repeat ("Toko Berkah"): each distinct one is bounded and scored once, then its scores
    # go to every business of that name.
    names, of_column = _distinct_names(block.names)
    distinct = block._replace(names=names)
    rows, columns, set_scores = _prefilter(queries, distinct, floor)
    scores = _pair_scores_bulk(queries, distinct, rows, columns, set_scores)
    keep = scores >= floor
    rows, columns, scores = _to_businesses(rows[keep], columns[keep], scores[keep], of_column)
    nib_order = np.empty(len(block.nibs), dtype=np.int64)
    nib_order[sorted(range(len(block.nibs)), key=block.nibs.__getitem__)] = np.arange(len(block.nibs))
    order = np.lexsort((nib_order[columns], -scores, rows))
    rows, columns, scores = rows[order], columns[order], scores[order]
    starts = np.searchsorted(rows, np.arange(len(queries) + 1), side="left")
    return Ranked(starts.tolist(), columns.tolist(), scores.tolist())


def _distinct_names(names: list[Normalised]) -> tuple[list[Normalised], np.ndarray]:
    """The distinct names as scoring sees them (name and tokens; the legal form plays no part), and for each
    business (column) its distinct name's index."""
    index: dict[tuple[str, tuple[str, ...]], int] = {}
    distinct: list[Normalised] = []
    of_column = np.empty(len(names), dtype=np.int64)
    for column, name in enumerate(names):
        key = (name.name, name.tokens)
        if key not in index:
            index[key] = len(distinct)
            distinct.append(name)
        of_column[column] = index[key]
    return distinct, of_column


def _to_businesses(
    rows: np.ndarray, names: np.ndarray, scores: np.ndarray, of_column: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, distinct name, score) hits as (row, business column, score): one per business of that name."""
    order = np.argsort(of_column, kind="stable")  # businesses grouped by distinct name
    counts = np.bincount(of_column, minlength=int(of_column.max()) + 1)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    copies = counts[names]
    within = np.arange(int(copies.sum())) - np.repeat(np.cumsum(copies) - copies, copies)
    columns = order[np.repeat(first[names], copies) + within]
    return np.repeat(rows, copies), columns, np.repeat(scores, copies)


def _prefilter(
    queries: list[Normalised], block: Block, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query row, block column, token_set_ratio) of the pairs whose token_set_ratio reaches the floor.

    token_set_ratio is computed (cpdist) only for the pairs a cheap upper bound (may_reach) lets through:
    about 1-3% of a block's pairs; the others cannot reach the floor."""
    asked_names = np.array([query.name for query in queries], dtype=object)
    registered_names = np.array([name.name for name in block.names], dtype=object)
    asked = TokenSets.of(asked_names.tolist())
    registered = TokenSets.of(registered_names.tolist())
    # Only the characters either side uses (about 40 of 128): the bound's product is that much smaller.
    used = np.flatnonzero(asked.letters.any(axis=0) | registered.letters.any(axis=0))
    asked = asked._replace(letters=np.ascontiguousarray(asked.letters[:, used]))
    registered = registered._replace(letters=np.ascontiguousarray(registered.letters[:, used]))
    postings: dict[str, list[int]] = defaultdict(list)
    for column, tokens in enumerate(registered.tokens):
        for token in tokens:
            postings[token].append(column)
    indexed = {token: np.array(columns, dtype=np.int64) for token, columns in postings.items()}
    step = max(1, CHUNK_CELLS // len(block.names))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for first in range(0, len(queries), step):
        rows, columns = np.nonzero(
            may_reach(asked, range(first, min(first + step, len(queries))), registered, indexed, floor)
        )
        rows += first
        scores = process.cpdist(
            asked_names[rows].tolist(),
            registered_names[columns].tolist(),
            scorer=fuzz.token_set_ratio,
            score_cutoff=floor,
            dtype=np.float32,
            workers=-1,
        )
        hit = scores >= floor
        found.append((rows[hit], columns[hit], scores[hit]))
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))  # type: ignore[return-value]


# rapidfuzz's token_set_ratio splits on whitespace; a name of printable ASCII and plain spaces is split the
# same by str.split(), so the bounds below hold for it. Any other name is always scored.
_PLAIN = re.compile(r"[\x20-\x7e]*")
# Margin (score points) under the floor still scored: float rounding of the bounds can never drop a pair.
BOUND_MARGIN = 0.01


class TokenSets(NamedTuple):
    """Names as token_set_ratio sees them: distinct tokens, sorted (the joined string's length, the number of
    tokens, the square root of each ASCII character's count in it; plain: the bounds hold for the name)."""

    tokens: list[list[str]]
    lengths: np.ndarray
    counts: np.ndarray
    letters: np.ndarray
    plain: np.ndarray

    @classmethod
    def of(cls, names: list[str]) -> TokenSets:
        tokens = [sorted(set(name.split())) for name in names]
        plain = np.array([bool(_PLAIN.fullmatch(name)) for name in names], dtype=bool)
        joined = [" ".join(name_tokens) for name_tokens in tokens]
        lengths = np.array([len(text) for text in joined], dtype=np.int64)
        # Character counts of the plain names in one pass: their bytes are their characters (ASCII).
        text = "".join(joined[row] for row in np.flatnonzero(plain).tolist()).encode("ascii")
        owner = np.repeat(np.flatnonzero(plain), lengths[plain])
        cells = owner * 128 + np.frombuffer(text, dtype=np.uint8)
        letters = np.bincount(cells, minlength=len(names) * 128).reshape(len(names), 128)
        return cls(
            tokens,
            lengths.astype(np.float64),
            np.array([len(name_tokens) for name_tokens in tokens], dtype=np.int64),
            np.sqrt(letters.astype(np.float64)),
            plain,
        )


def may_reach(
    asked: TokenSets, rows: range, registered: TokenSets, postings: dict[str, np.ndarray], floor: float
) -> np.ndarray:
    """Pairs (rows x all registered names) whose token_set_ratio may reach the floor: an upper bound of each
    of the three ratios token_set_ratio takes the best of (rapidfuzz's fuzz.token_set_ratio), with sect the
    shared tokens, ab / ba each side's other tokens (each side's tokens sorted: x = sect ab, y = sect ba):
    - ratio(sect ab, sect ba) <= ratio(x, y) <= 200 min(common letters, len(x), len(y)) / (len(x) + len(y)),
      with common letters = sum over characters of min(count in x, count in y) <= sum sqrt(count x count y);
    - sect not empty (pairs_sharing): ab or ba empty: 100; ratio(sect, x) and ratio(sect, y) from lengths.
    """
    lengths = asked.lengths[rows.start : rows.stop, None]
    other = registered.lengths[None, :]
    letters = asked.letters[rows.start : rows.stop] @ registered.letters.T
    bound = 200.0 * np.minimum(letters, np.minimum(lengths, other)) / np.maximum(lengths + other, 1.0)
    reach = bound >= floor - BOUND_MARGIN
    reach.ravel()[pairs_sharing(asked, rows, registered, postings, floor)] = True
    # Names with no token (token_set_ratio 0) or not plain: scored, whatever the bounds say.
    if not (asked.plain[rows.start : rows.stop].all() and registered.plain.all()):
        reach |= ~(asked.plain[rows.start : rows.stop, None] & registered.plain[None, :])
    reach |= (asked.counts[rows.start : rows.stop, None] == 0) | (registered.counts[None, :] == 0)
    return reach


def pairs_sharing(
    asked: TokenSets, rows: range, registered: TokenSets, postings: dict[str, np.ndarray], floor: float
) -> np.ndarray:
    """Flat positions (row x registered names) of the pairs sharing a token whose token_set_ratio reaches
    the floor through sect alone: 100 when one side has no other token, else rapidfuzz's
    100 (1 - (1 + len(ab)) / (len(sect) + len(x))) for x (the same for y), exact from the lengths."""
    width = len(registered.lengths)
    cells: list[np.ndarray] = []
    weights: list[int] = []
    for offset, row in enumerate(rows):
        for token in asked.tokens[row]:
            if token in postings:
                cells.append(postings[token] + offset * width)
                weights.append(len(token) + 1)  # the token and its separator
    if not cells:
        return np.zeros(0, dtype=np.int64)
    flat = np.concatenate(cells)
    shared = np.bincount(flat, minlength=len(rows) * width)
    where = np.flatnonzero(shared)
    joined = np.bincount(
        flat, weights=np.repeat(np.array(weights, dtype=np.float64), [len(c) for c in cells])
    )[where]
    row, column = where // width + rows.start, where % width
    x, y, sect = asked.lengths[row], registered.lengths[column], joined - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        to_x = 100.0 * (1.0 - (1.0 + x - joined) / (sect + x))
        to_y = 100.0 * (1.0 - (1.0 + y - joined) / (sect + y))
    subset = (shared[where] == asked.counts[row]) | (shared[where] == registered.counts[column])
    return where[subset | (np.maximum(to_x, to_y) >= floor - BOUND_MARGIN)]


def _pair_scores_bulk(
    queries: list[Normalised], block: Block, rows: np.ndarray, columns: np.ndarray, set_scores: np.ndarray
) -> np.ndarray:
    """pair_scores for the pairs (rows[i], columns[i]), equal value for value (the per-pair function stays the
    reference): the scorers in bulk, same_letters on ids, the common-words rule only where it can apply."""
    query_names = np.array([query.name for query in queries], dtype=object)[rows].tolist()
    choice_names = np.array([name.name for name in block.names], dtype=object)[columns].tolist()
    scores = np.maximum(
        *(
            process.cpdist(query_names, choice_names, scorer=scorer, dtype=np.float64, workers=-1)
            for scorer in SCORERS
        )
    )
    letters: dict[str, int] = {}
    query_letters = np.array([letters.setdefault(q.name.replace(" ", ""), len(letters)) for q in queries])
    block_letters = np.array([letters.setdefault(n.name.replace(" ", ""), len(letters)) for n in block.names])
    exact = query_letters[rows] == block_letters[columns]
    scores[exact] = 100.0
    # The common-words rule needs token_set_ratio == 100; recomputed exactly by pair_scores where it is near.
    for i in np.flatnonzero(~exact & (set_scores >= 99.0)).tolist():
        scores[i] = pair_scores(queries[rows[i]], block.names[columns[i]], block.common)
    # pair_scores rounds with Python's round (not numpy's): once per distinct value.
    distinct, positions = np.unique(scores, return_inverse=True)
    return np.array([round(float(value), 1) for value in distinct.tolist()], dtype=np.float64)[positions]


def rank_participant(
    query: Normalised,
    nib_candidates: list[str],
    hits: tuple[Ranked, int],
    block: Block,
    source: str,
    kept: int,
    by_nib: dict[str, tuple[str, Normalised]],
    blocks: dict[str, Block],
    region: Block,
) -> list[tuple[float, str, str, Normalised, Block]]:
    """The participant's kept candidates, in rank order: its typed NIB's businesses (best first), then the
    first `kept` block names at or above the floor that are not among them."""
    typed: dict[str, tuple[str, Normalised, Block]] = {}
    for nib in nib_candidates:
        if nib in by_nib:
            home = blocks.get(by_nib[nib][0], region)
            typed[nib] = ("nib" if nib == nib_candidates[0] else "nib_neighbour", by_nib[nib][1], home)
    ranked = [
        (-negative, source_of, nib, name, home)
        for negative, source_of, nib, name, home in sorted(
            (-pair_scores(query, name, home.common), source_of, nib, name, home)
            for nib, (source_of, name, home) in typed.items()
        )
    ]
    found, row = hits
    for position in range(found.starts[row], found.starts[row + 1]):
        if len(ranked) - len(typed) == kept:
            break
        nib = block.nibs[found.columns[position]]
        if nib not in typed:
            ranked.append((found.scores[position], source, nib, block.names[found.columns[position]], block))
    return ranked


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
    blocked = dbt.ref("int_event_candidates_blocked")
    participants = [
        (record_id, block, normalise(name), nib_candidates or [])
        for record_id, block, name, nib_candidates in blocked.filter("role = 'participant'")
        .project("record_id, block, name, nib_candidates")
        .fetchall()
    ]
    if not participants:  # no attendance lists: the region's businesses (millions nationally) stay in DuckDB
        return SCHEMA.empty_table()
    businesses: dict[str, list[tuple[str, Normalised]]] = defaultdict(list)
    by_nib: dict[str, tuple[str, Normalised]] = {}
    registered = blocked.filter("role = 'business'").project("record_id, block, name")
    for record_id, block, name in registered.fetchall():
        entry = (record_id, normalise(name))
        businesses[block].append(entry)
        by_nib[record_id] = (block, entry[1])
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
        distinct = list(dict.fromkeys(p[2] for p in members))
        row_of = {query: row for row, query in enumerate(distinct)}
        found = score_block(distinct, block, floor)
        for participant_id, _, query, nib_candidates in members:
            ranked = rank_participant(
                query, nib_candidates, (found, row_of[query]), block, source, kept, by_nib, blocks, region
            )
            # Names of the block at or above the review floor: one = the candidate is alone around.
            near = sum(1 for r in ranked if r[1] == source)
            for rank, (score, source_of, nib, name, home) in enumerate(ranked, start=1):
                columns["participant_id"].append(participant_id)
                columns["candidate_rank"].append(rank)
                columns["candidate_nib"].append(nib)
                columns["candidate_source"].append(source_of)
                columns["name_normalised"].append(query.name)
                columns["candidate_name_normalised"].append(name.name)
                columns["score"].append(score)
                columns["is_exact"].append(same_letters(query, name))
                columns["legal_form_agrees"].append(
                    None if query.legal_form is None else query.legal_form == name.legal_form
                )
                columns["distinctive_difference"].append(
                    distinctive_difference(query, name, home.rare, vocabulary, alone=near <= 1)
                )
    return pa.table(columns, schema=SCHEMA)
