"""The name matcher's shortcuts (int_event_names_scored) against the plain computation they replace: the
bounded prefilter must find exactly the pairs, with exactly the values, that rapidfuzz cdist over every pair
finds, and the bulk pair scores must equal pair_scores pair by pair. Names are drawn to hit the edges: shared
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


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("floor", [75.0, 60.0, 90.0])
def test_prefilter_finds_what_cdist_over_every_pair_finds(
    scored: ModuleType, seed: int, floor: float
) -> None:
    draw = random.Random(seed)
    queries, registered = _names(scored, 150, draw), _names(scored, 400, draw)
    block = scored.build_block([f"{i:013d}" for i in range(len(registered))], registered, 0.002)
    rows, columns, values = scored._prefilter(queries, block, floor)
    everything = process.cdist(
        [q.name for q in queries],
        [n.name for n in registered],
        scorer=fuzz.token_set_ratio,
        score_cutoff=floor,
        dtype=np.float32,
    )
    expected = set(zip(*np.nonzero(everything >= floor), strict=True))
    found = set(zip(rows.tolist(), columns.tolist(), strict=True))
    assert found == {(int(r), int(c)) for r, c in expected}
    assert len(found) == len(rows)  # no pair twice
    assert np.array_equal(values, everything[rows, columns])
    assert len(found) > 100  # the draw really has hits to find


def test_bulk_pair_scores_equal_pair_scores(scored: ModuleType) -> None:
    draw = random.Random(7)
    queries, registered = _names(scored, 150, draw), _names(scored, 300, draw)
    block = scored.build_block([f"{i:013d}" for i in range(len(registered))], registered, 0.05)
    rows, columns, values = scored._prefilter(queries, block, 50.0)
    bulk = scored._pair_scores_bulk(queries, block, rows, columns, values)
    one_by_one = [
        scored.pair_scores(queries[r], registered[c], block.common)
        for r, c in zip(rows.tolist(), columns.tolist(), strict=True)
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
