"""Reading the generators' data files (calibration tables, place names, header layouts) beside their code."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def read_json(module_file: str, name: str) -> Any:
    """data/<name> next to the module whose __file__ is given."""
    return json.loads((Path(module_file).parent / "data" / name).read_text(encoding="utf-8"))


def read_csv(module_file: str, name: str) -> list[dict[str, str]]:
    """data/<name> next to the module, one dict per row keyed by the header."""
    with (Path(module_file).parent / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
