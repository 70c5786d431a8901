"""The name matcher's shortcuts (int_event_names_scored) against the plain computation they replace: the
bounded candidates must hold every hit that scoring every pair finds, under its ceiling; each name's ranking
must be that of every pair, cut only where rank_participant cannot read; the bulk pair scores must equal
pair_scores pair by pair. Names are drawn to hit the edges: shared
and subset token sets, typos, repeated tokens, double spaces, non-ASCII, empty names, duplicates."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import duckdb
import numpy as np
import pytest
from rapidfuzz import fuzz, process

MODEL = (
    Path(__file__).resolve().parents[2] / "dbt_project/models/intermediate/events/int_event_names_scored.py"
)
WORDS = [
    "TOKO",
    "JAYA",
    "BAROKAH",
    "MAKMUR",
    "SUMBER",
    "REZEKI",
    "WARUNG",
    "PAK",
    "BU",
    "KIOS",
    "LAUNDRY",
    "DAPUR",
    "KENARI",
    "INDAH",
    "SINAR",
    "ABADI",
    "BINTANG",
    "SAMUDERA",
    "WIJAYA",
    "KUSUMAH",
    "AGUS",
    "BAGUS",
    "SABRI",
    "SEBRI",
    "A",
    "B",
    "12",
    "KUE",
    "BASAH",
]


@pytest.fixture(scope="module")
def scored() -> ModuleType:
    spec = importlib.util.spec_from_file_location("int_event_names_scored", MODEL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _typo(word: str, draw: random.Random) -> str:
    at = draw.randrange(len(word))
    return word[:at] + draw.choice("AEIOUKRST") + word[at + 1 :]


def _name(draw: random.Random) -> str:
    words = [draw.choice(WORDS) for _ in range(draw.randint(1, 5))]
    if draw.random() < 0.3:
        words = [_typo(word, draw) if draw.random() < 0.4 else word for word in words]
    if draw.random() < 0.05:
        words.append(draw.choice(["KÖPI", "CAFÉ", "\u00a0JAYA", "A\tB"]))  # not plain: always scored
    if draw.random() < 0.05:
        return draw.choice(["", " ", "JAYA  JAYA", "  BAROKAH "])
    return " ".join(words)


def _names(scored: ModuleType, count: int, draw: random.Random) -> list:
    names = [_name(draw) for _ in range(count)]
    names += names[: count // 10]  # the same name twice
    return [scored.Normalised(name, tuple(name.split()), None) for name in names]


def _every_pair(scored: ModuleType, queries: list, block) -> tuple[np.ndarray, np.ndarray]:
    """token_set_ratio and pair_scores of every pair, the plain way."""
    set_scores = process.cdist(
        [q.name for q in queries],
        [n.name for n in block.names],
        scorer=fuzz.token_set_ratio,
        dtype=np.float32,
    )
    scores = np.array([[scored.pair_scores(q, n, block.common) for n in block.names] for q in queries])
    return set_scores, scores


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("floor", [75.0, 60.0, 90.0])
def test_candidates_hold_every_hit_under_its_ceiling(scored: ModuleType, seed: int, floor: float) -> None:
    """Every pair whose token_set_ratio and score reach the floor is a candidate, each candidate once, and no
    candidate scores above its ceiling (the bound the second round trusts)."""
    draw = random.Random(seed)
    queries, registered = _names(scored, 150, draw), _names(scored, 400, draw)
    block = scored.build_block([f"{i:013d}" for i in range(len(registered))], registered, 0.05)
    pairs = scored._candidates(queries, block, floor)
    set_scores, scores = _every_pair(scored, queries, block)
    hits = set(zip(*np.nonzero((set_scores >= floor) & (scores >= floor)), strict=True))
    found = list(zip(pairs.rows.tolist(), pairs.columns.tolist(), strict=True))
    assert {(int(r), int(c)) for r, c in hits} <= set(found)
    assert len(set(found)) == len(found)  # no pair twice
    assert (scores[pairs.rows, pairs.columns] <= pairs.ceiling + scored.ROUNDING).all()
    assert len(hits) > 100  # the draw really has hits to find
    assert len(found) < 0.6 * len(queries) * len(registered)  # and the bound leaves pairs out


@pytest.mark.parametrize("seed", [4, 5])
@pytest.mark.parametrize("depth", [1, 3, 15])
def test_score_block_ranks_as_every_pair_would(scored: ModuleType, seed: int, depth: int) -> None:
    """Each name's ranking is the ranking of all its hits (score, then NIB; one entry per business), cut after
    `depth` businesses and the ties of the last score: what rank_participant can read."""
    draw = random.Random(seed)
    queries = list(dict.fromkeys(_names(scored, 120, draw)))
    registered = _names(scored, 300, draw)
    registered += [draw.choice(registered) for _ in range(150)]  # names several businesses carry
    nibs = [f"{draw.randrange(10**12, 10**13)}" for _ in registered]
    block = scored.build_block(nibs, registered, 0.05)
    floor = 75.0
    set_scores, scores = _every_pair(scored, queries, block)
    ranked = scored.score_block(queries, block, floor, np.full(len(queries), depth, dtype=np.int64))
    read = 0
    for row in range(len(queries)):
        hits = [c for c in range(len(registered)) if set_scores[row, c] >= floor and scores[row, c] >= floor]
        expected = sorted(((scores[row, c], nibs[c]) for c in hits), key=lambda hit: (-hit[0], hit[1]))
        span = range(ranked.starts[row], ranked.starts[row + 1])
        got = [(ranked.scores[i], nibs[ranked.columns[i]]) for i in span]
        assert got == expected[: len(got)]
        assert len(got) >= min(depth, len(expected))
        assert all(score == got[min(depth, len(got)) - 1][0] for score, _ in got[depth:])  # only ties
        read += len(expected) > depth
    assert read >= 10  # names with more hits than the depth: the cut really cuts


def test_bulk_pair_scores_equal_pair_scores(scored: ModuleType) -> None:
    draw = random.Random(7)
    queries, registered = _names(scored, 150, draw), _names(scored, 300, draw)
    block = scored.build_block([f"{i:013d}" for i in range(len(registered))], registered, 0.05)
    pairs = scored._candidates(queries, block, 50.0)
    set_scores, _ = _every_pair(scored, queries, block)
    bulk = scored._pair_scores_bulk(
        queries, block, pairs.rows, pairs.columns, set_scores[pairs.rows, pairs.columns]
    )
    one_by_one = [
        scored.pair_scores(queries[r], registered[c], block.common)
        for r, c in zip(pairs.rows.tolist(), pairs.columns.tolist(), strict=True)
    ]
    assert bulk.tolist() == one_by_one
    assert len(one_by_one) > 100


class _Config:
    """dbt's `dbt.config` as a Python model sees it: callable, and meta from int_event_names_scored.yml."""

    META: ClassVar[dict[str, str]] = {
        "min_score": "85",
        "min_margin": "5",
        "candidates_kept": "5",
        "rare_token_share": "0.002",
    }

    def __call__(self, **_: object) -> None:
        return None

    def meta_get(self, key: str) -> str:
        return self.META[key]


class _Dbt:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.config = con, _Config()

    def ref(self, name: str) -> duckdb.DuckDBPyRelation:
        return self.con.table(name)


def _blocked(con: duckdb.DuckDBPyConnection, participants: list[tuple]) -> None:
    con.execute(
        "CREATE TABLE event_name_variants AS SELECT * FROM (VALUES ('name', 'token', 'TK', 'TOKO')) "
        "AS t (applies_to, match, typed, written_as)"
    )
    con.execute(
        "CREATE TABLE int_event_candidates_blocked "
        "(role VARCHAR, record_id VARCHAR, block VARCHAR, name VARCHAR, nib_candidates VARCHAR[])"
    )
    rows = [("business", "1203240000001", "65.01.01", "Toko Sinar Abadi", None), *participants]
    con.executemany("INSERT INTO int_event_candidates_blocked VALUES (?, ?, ?, ?, ?)", rows)


def test_no_participants_no_candidates_and_one_participant_is_scored(scored: ModuleType) -> None:
    """Without attendance lists the model returns its empty table (the region's businesses, millions at
    national scale, stay in DuckDB); one participant in the business's kecamatan gets that business."""
    empty = duckdb.connect()
    _blocked(empty, [])
    table = scored.model(_Dbt(empty), empty)
    assert table.num_rows == 0 and table.schema == scored.SCHEMA

    one = duckdb.connect()
    _blocked(one, [("participant", "p1", "65.01.01", "TK Sinar Abadi", None)])
    table = scored.model(_Dbt(one), one).to_pylist()
    assert [(r["participant_id"], r["candidate_nib"], r["score"], r["candidate_source"]) for r in table] == [
        ("p1", "1203240000001", 100.0, "kecamatan")
    ]
