"""Random picks the generators share."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


def band(roll: float, bounds: Sequence[float]) -> int:
    """Which of len(bounds) + 1 styles a roll of random() picks: the number of bounds at or below the roll,
    so a ladder `if roll < b0 ... elif roll < b1 ...` becomes one table of bounds."""
    return bisect.bisect_right(bounds, roll)
