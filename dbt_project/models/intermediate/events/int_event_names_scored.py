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
- normalise: each distinct raw name once (Normaliser caches); each distinct registered name is scored once
  and its result goes to every business of that name.
- candidates, per block (_candidates): the block's distinct participant names against its registered names.
  A letter bound of ratio and token_sort_ratio (may_reach: letter counts and lengths, float32 products in
  chunks of pairs so memory stays flat) rules out ~97% of the pairs; the pairs it cannot cap (same letters,
  one side's words within the other's) are found by index and added with their own ceiling.
- top of the ranking only (score_block): rank_participant reads ~5 businesses of a name's ranking where a
  common name has ~300 hits, so the candidates are scored in two rounds (best-bounded first, then only those
  whose ceiling reaches the cut the first round proves): ~20% of the candidates scored at N=0.1, and the
  names' rankings are those of all hits as far as they are read.
- scoring in bulk (_scored_hits, _pair_scores_bulk): rapidfuzz cpdist (both cores) for token_set_ratio,
  ratio and token_sort_ratio; same_letters on ids; only hits whose token_set_ratio is 100 go through
  pair_scores' common-words rule in Python.
- per participant (rank_participant): its typed NIB's businesses scored with pair_scores, then the first
  `kept` ranked block names that are not among them; distinctive_difference only for the rows kept.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import combinations
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


def score_block(queries: list[Normalised], block: Block, floor: float, depth: np.ndarray) -> Ranked:
    """pair_scores of the (distinct participant name, block name) pairs whose token_set_ratio reaches the
    floor, ranked per name; pairs below the floor after scoring are left out (they are never kept).

    depth[row]: how many businesses rank_participant may read for that name (kept, plus its participants'
    typed NIBs, which it skips). A name's ranking is the first depth[row] businesses of the ranking of every
    hit, and the ties of the last one's score: all rank_participant can read.

    A common name has ~300 block names at or above the floor where about five are read, so pairs are scored
    in two rounds: first each name's best-bounded pairs (their bound reaches depth businesses); their scores
    give the name a cut no higher than its true one (a subset of the hits reaches depth no sooner); then only
    the pairs whose bound reaches that cut, since a pair scores at most its bound. What is scored holds every
    hit at or above the true cut, so the ranking is that of all hits."""
    if not block.names or not queries:
        return Ranked([0] * (len(queries) + 1), [], [])
    # Registered names repeat ("Toko Berkah"): each distinct one is bounded and scored once, then its scores
    # go to every business of that name.
    names, of_column = _distinct_names(block.names)
    distinct = block._replace(names=names)
    businesses = np.bincount(of_column).astype(np.float64)
    pairs = _candidates(queries, distinct, floor)
    bound_levels = _levels(np.minimum(pairs.ceiling, 100.0), floor)
    probe = (
        bound_levels >= _cut_levels(pairs.rows, bound_levels, businesses[pairs.columns], depth)[pairs.rows]
    )
    hits = [_scored_hits(queries, distinct, pairs, probe, floor)]
    rows, columns, scores = hits[0]
    cut = _cut_levels(rows, _levels(scores, floor), businesses[columns], depth)
    at_least = np.where(cut >= 0, floor + cut / 10.0 - BOUND_MARGIN, -np.inf)
    rest = ~probe & (pairs.ceiling + ROUNDING + BOUND_MARGIN >= at_least[pairs.rows])
    hits.append(_scored_hits(queries, distinct, pairs, rest, floor))
    rows, columns, scores = (np.concatenate(parts) for parts in zip(*hits, strict=True))
    levels = _levels(scores, floor)
    keep = levels >= _cut_levels(rows, levels, businesses[columns], depth)[rows]
    rows, columns, scores = _to_businesses(rows[keep], columns[keep], scores[keep], of_column)
    nib_order = np.empty(len(block.nibs), dtype=np.int64)
    nib_order[sorted(range(len(block.nibs)), key=block.nibs.__getitem__)] = np.arange(len(block.nibs))
    order = np.lexsort((nib_order[columns], -scores, rows))
    rows, columns, scores = rows[order], columns[order], scores[order]
    starts = np.searchsorted(rows, np.arange(len(queries) + 1), side="left")
    return Ranked(starts.tolist(), columns.tolist(), scores.tolist())


# Scores are rounded to 0.1 after the bound is taken: a score may exceed its pair's bound by this much.
ROUNDING = 0.05


def _levels(values: np.ndarray, floor: float) -> np.ndarray:
    """Scores (or bounds) in tenths above the floor: 0 at the floor (or below), 10 (100 - floor) at 100."""
    return np.maximum(np.floor((values - floor) * 10.0 + 1e-6), 0).astype(np.int64)


def _cut_levels(rows: np.ndarray, levels: np.ndarray, weights: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Per row, the highest level at which the weights (businesses) of the row's pairs at or above it reach
    depth[row]; -1 where they never do (every pair of the row is at or above it)."""
    top = int(levels.max(initial=0))
    cells = np.bincount(
        rows * (top + 1) + (top - levels), weights=weights, minlength=len(depth) * (top + 1)
    ).reshape(len(depth), top + 1)
    reached = np.cumsum(cells, axis=1) >= depth[:, None]
    return np.where(reached[:, -1], top - reached.argmax(axis=1), -1)


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
    columns = order[_ranges(first[names], copies)]
    return np.repeat(rows, copies), columns, np.repeat(scores, copies)


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions starts[i], starts[i] + 1, ... (counts[i] of them) for each i in turn, as one array."""
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + within


class Candidates(NamedTuple):
    """Pairs (query row, block column) that may be hits, in row order, each with its ceiling: an upper bound
    of its pair_scores."""

    rows: np.ndarray
    columns: np.ndarray
    ceiling: np.ndarray


def _candidates(queries: list[Normalised], block: Block, floor: float) -> Candidates:
    """The pairs whose pair_scores may reach the floor (about 3% of a block's pairs); a hit needs that (and
    its token_set_ratio to reach it too). pair_scores is the best of
    - ratio and token_sort_ratio of the names: at most the letter bound (may_reach), both strings having the
      name's characters when the name is plain and single-spaced (regular);
    - 100 when same_letters ("Cakra Buana" / "Cakrabuana"): those pairs found by their letters;
    - the common-words rule, 100 - 5 per word only one side has, only where token_set_ratio is 100: one side's
      tokens all the other's (_subset_pairs).
    A pair with an irregular name is always a candidate, with ceiling 100."""
    asked, registered = Letters.of(queries), Letters.of(block.names)
    # Only the characters either side uses (about 40 of 128): the bound's product is that much smaller.
    used = np.flatnonzero(asked.letters.any(axis=0) | registered.letters.any(axis=0))
    asked = asked._replace(letters=np.ascontiguousarray(asked.letters[:, used]))
    registered = registered._replace(letters=np.ascontiguousarray(registered.letters[:, used]))
    extra_rows, extra_columns, extra_ceiling = _sure_pairs(queries, block.names, asked, registered)
    width = len(block.names)
    step = max(1, CHUNK_CELLS // width)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for first in range(0, len(queries), step):
        rows = range(first, min(first + step, len(queries)))
        reach, ceiling = may_reach(asked, rows, registered, floor)
        start, stop = np.searchsorted(extra_rows, [rows.start, rows.stop])
        flat = (extra_rows[start:stop] - first) * width + extra_columns[start:stop]
        reach.ravel()[flat] = True
        ceiling.ravel()[flat] = np.maximum(ceiling.ravel()[flat], extra_ceiling[start:stop])
        chunk_rows, columns = np.nonzero(reach)
        found.append((chunk_rows + first, columns, ceiling[chunk_rows, columns].astype(np.float64)))
    return Candidates(*(np.concatenate(parts) for parts in zip(*found, strict=True)))


def _sure_pairs(
    queries: list[Normalised], names: list[Normalised], asked: Letters, registered: Letters
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Regular pairs the letter bound does not cap, once each in row order, with their ceiling: same_letters
    (100) and _subset_pairs (the common-words rule's score)."""
    query_letters, block_letters = _letter_ids(queries, names)
    query_letters[~asked.regular], block_letters[~registered.regular] = -1, -2
    by_letters = np.argsort(block_letters, kind="stable")
    first, last = (
        np.searchsorted(block_letters[by_letters], query_letters, side="left"),
        np.searchsorted(block_letters[by_letters], query_letters, side="right"),
    )
    same_rows = np.repeat(np.arange(len(queries)), last - first)
    same_columns = by_letters[_ranges(first, last - first)]
    subset = _subset_pairs(queries, names, asked.regular, registered.regular)
    rows = np.concatenate([same_rows, np.array([row for row, _, _ in subset], dtype=np.int64)])
    columns = np.concatenate([same_columns.astype(np.int64), np.array([c for _, c, _ in subset], np.int64)])
    ceiling = np.concatenate(
        [np.full(len(same_rows), 100.0, np.float32), np.array([v for _, _, v in subset], np.float32)]
    )
    # A pair both same_letters and subset: its highest ceiling, once.
    order = np.lexsort((ceiling, columns, rows))
    rows, columns, ceiling = rows[order], columns[order], ceiling[order]
    last_of_pair = np.flatnonzero((np.diff(rows, append=-1) != 0) | (np.diff(columns, append=-1) != 0))
    return rows[last_of_pair], columns[last_of_pair], ceiling[last_of_pair]


# Names with more tokens than this look up the names within theirs by scanning, not by their subsets.
SUBSETS_UP_TO = 10


def _subset_pairs(
    queries: list[Normalised], names: list[Normalised], asked: np.ndarray, registered: np.ndarray
) -> list[tuple[int, int, float]]:
    """(row, column, 100 - 5 x tokens only one side has) of the regular pairs where one side's tokens are all
    the other's: token_set_ratio 100, where pair_scores' common-words rule may apply."""
    token_sets = [frozenset(name.tokens) for name in names]
    postings: dict[str, list[int]] = defaultdict(list)
    by_set: dict[frozenset[str], list[int]] = defaultdict(list)
    for column in np.flatnonzero(registered).tolist():
        for token in token_sets[column]:
            postings[token].append(column)
        by_set[token_sets[column]].append(column)
    pairs: list[tuple[int, int, float]] = []
    for row in np.flatnonzero(asked).tolist():
        mine = frozenset(queries[row].tokens)
        if not mine or any(token not in postings for token in mine):
            holding: list[int] = []
        else:
            rarest = min(mine, key=lambda token: len(postings[token]))
            holding = [column for column in postings[rarest] if mine <= token_sets[column]]
        if len(mine) <= SUBSETS_UP_TO:
            within = [
                column
                for size in range(1, len(mine) + 1)
                for part in combinations(sorted(mine), size)
                for column in by_set.get(frozenset(part), ())
            ]
        else:
            shared = {column for token in mine for column in postings.get(token, ())}
            within = [column for column in shared if token_sets[column] <= mine]
        for column in set(holding) | set(within):
            pairs.append((row, column, 100.0 - 5.0 * abs(len(mine) - len(token_sets[column]))))
    return pairs


def _letter_ids(queries: list[Normalised], names: list[Normalised]) -> tuple[np.ndarray, np.ndarray]:
    """An id per name, equal where same_letters holds (the name without spaces)."""
    letters: dict[str, int] = {}
    return (
        np.array(
            [letters.setdefault(q.name.replace(" ", ""), len(letters)) for q in queries], dtype=np.int64
        ),
        np.array([letters.setdefault(n.name.replace(" ", ""), len(letters)) for n in names], dtype=np.int64),
    )


def _scored_hits(
    queries: list[Normalised], block: Block, pairs: Candidates, which: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(query row, block column, pair_scores) of the chosen pairs whose token_set_ratio and score both reach
    the floor."""
    rows, columns = pairs.rows[which], pairs.columns[which]
    set_scores = process.cpdist(
        [queries[row].name for row in rows.tolist()],
        [block.names[column].name for column in columns.tolist()],
        scorer=fuzz.token_set_ratio,
        score_cutoff=floor,
        dtype=np.float32,
        workers=-1,
    )
    hit = set_scores >= floor
    rows, columns = rows[hit], columns[hit]
    scores = _pair_scores_bulk(queries, block, rows, columns, set_scores[hit])
    keep = scores >= floor
    return rows[keep], columns[keep], scores[keep]


# The letter bound counts a name's characters as bytes: it holds for printable ASCII only.
_PLAIN = re.compile(r"[\x20-\x7e]*")
# Margin (score points) under the floor still scored: float32 rounding of the bound can never drop a pair.
BOUND_MARGIN = 0.01


class Letters(NamedTuple):
    """Names as the letter bound sees them: length, the square root of each ASCII character's count (float32),
    and regular: plain and single-spaced (its tokens joined by one space, as token_sort_ratio joins them)."""

    lengths: np.ndarray
    letters: np.ndarray
    regular: np.ndarray

    @classmethod
    def of(cls, names: list[Normalised]) -> Letters:
        regular = np.array(
            [
                bool(_PLAIN.fullmatch(name.name))
                and name.tokens == tuple(name.name.split())
                and " ".join(name.tokens) == name.name
                for name in names
            ],
            dtype=bool,
        )
        lengths = np.array([len(name.name) for name in names], dtype=np.int64)
        # Character counts of the regular names in one pass: their bytes are their characters (ASCII).
        text = "".join(names[row].name for row in np.flatnonzero(regular).tolist()).encode("ascii")
        owner = np.repeat(np.flatnonzero(regular), lengths[regular])
        cells = owner * 128 + np.frombuffer(text, dtype=np.uint8)
        letters = np.bincount(cells, minlength=len(names) * 128).reshape(len(names), 128)
        return cls(lengths.astype(np.float32), np.sqrt(letters.astype(np.float32)), regular)


def may_reach(
    asked: Letters, rows: range, registered: Letters, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (rows x all registered names) whose ratio and token_sort_ratio may reach the floor, and the bound
    (float32; 100 for a pair with an irregular name, which always may): for strings x, y,
    ratio = 200 LCS / (len(x) + len(y)), LCS <= min(len(x), len(y), common letters), with common letters =
    sum over characters of min(count in x, count in y) <= sum sqrt(count x count y)."""
    lengths = asked.lengths[rows.start : rows.stop, None]
    other = registered.lengths[None, :]
    bound = asked.letters[rows.start : rows.stop] @ registered.letters.T
    np.minimum(bound, np.minimum(lengths, other), out=bound)
    bound *= np.float32(200.0)
    bound /= np.maximum(lengths + other, np.float32(1.0))
    if not (asked.regular[rows.start : rows.stop].all() and registered.regular.all()):
        bound[~(asked.regular[rows.start : rows.stop, None] & registered.regular[None, :])] = 100.0
    return bound >= floor - BOUND_MARGIN, bound


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
    query_letters, block_letters = _letter_ids(queries, block.names)
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
        typed = defaultdict(int)  # per distinct name: the most typed NIBs one of its participants has
        for _, _, query, nib_candidates in members:
            typed[query] = max(typed[query], sum(1 for nib in nib_candidates if nib in by_nib))
        depth = np.array([kept + typed[query] for query in distinct], dtype=np.int64)
        found = score_block(distinct, block, floor, depth)
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
