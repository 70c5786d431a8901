"""Name-match candidates for event participants: rapidfuzz scores within each kecamatan block.

dbt Python model (dbt-duckdb runs it in the dbt process; `session` is the DuckDB connection). DuckDB has done
the blocking (int_event_candidates_blocked): each block is one kecamatan with its participants to match and its
registered businesses. Here every participant's normalised name is scored against every business name of its
block with rapidfuzz, and the best candidates are kept. The decision (match, ambiguous, none) is SQL, in
int_event_participants_matched, with the thresholds as dbt vars.

score = max(fuzz.ratio, fuzz.token_sort_ratio), 0-100, on the normalised names (macro event_name_key): ratio
forgives a slip of the finger, token_sort_ratio a swapped word order ("Jaya Makmur" / "Makmur Jaya").
Candidates scoring below the floor (event_match_min_score - event_match_min_margin) cannot change a decision
and are dropped; at most `candidates_kept` per participant are kept, best first.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa
from rapidfuzz import fuzz, process

SCHEMA = pa.schema(
    [
        ("participant_id", pa.string()),
        ("kecamatan_code", pa.string()),
        ("candidate_rank", pa.int32()),
        ("candidate_nib", pa.string()),
        ("candidate_name_key", pa.string()),
        ("score", pa.float64()),
    ]
)
SCORERS = (fuzz.ratio, fuzz.token_sort_ratio)


def score_block(queries: list[str], choices: list[str], floor: float) -> np.ndarray:
    """Scores (len(queries) x len(choices)); below the floor -> 0."""
    matrices = [
        process.cdist(queries, choices, scorer=scorer, score_cutoff=floor, dtype=np.float32, workers=1)
        for scorer in SCORERS
    ]
    return np.maximum.reduce(matrices)


def best_candidates(
    blocks: dict[str, dict[str, list[tuple[str, str]]]], floor: float, kept: int
) -> dict[str, list]:
    columns: dict[str, list] = {field.name: [] for field in SCHEMA}
    for kecamatan_code in sorted(blocks):
        participants = blocks[kecamatan_code]["participant"]
        businesses = blocks[kecamatan_code]["business"]
        if not participants or not businesses:
            continue
        scores = score_block([n for _, n in participants], [n for _, n in businesses], floor)
        for row, (participant_id, _) in enumerate(participants):
            # Best first; equal scores in NIB order, so the output does not depend on row order.
            hits = sorted(
                (-round(float(scores[row, j]), 1), businesses[j][0], businesses[j][1])
                for j in np.flatnonzero(scores[row] >= floor)
            )
            for rank, (negative_score, nib, name_key) in enumerate(hits[:kept], start=1):
                columns["participant_id"].append(participant_id)
                columns["kecamatan_code"].append(kecamatan_code)
                columns["candidate_rank"].append(rank)
                columns["candidate_nib"].append(nib)
                columns["candidate_name_key"].append(name_key)
                columns["score"].append(-negative_score)
    return columns


def model(dbt, session):
    dbt.config(materialized="table")
    min_score = float(dbt.config.meta_get("min_score"))
    margin = float(dbt.config.meta_get("min_margin"))
    kept = int(dbt.config.meta_get("candidates_kept"))
    floor = max(min_score - margin, 0.0)

    rows = dbt.ref("int_event_candidates_blocked").fetchall()
    blocks: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(
        lambda: {"participant": [], "business": []}
    )
    for role, record_id, kecamatan_code, name_key in rows:
        blocks[kecamatan_code][role].append((record_id, name_key))
    return pa.table(best_candidates(blocks, floor, kept), schema=SCHEMA)
