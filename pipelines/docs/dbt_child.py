"""The dictionary's dbt process (pipelines/docs/dbt_docs.py starts it, by path, with ``python -P``): dbt's
import first, then the command read on stdin, a JSON list of dbt's arguments, through dbt's programmatic
runner (the same command line `dbt` runs). End of input: nothing to do. Of this package it imports only
pipelines/operations/lifetime.py (standard library: it dies with the refresh), so that starting it costs only
dbt's own import."""

from __future__ import annotations

import json
import sys


def main() -> int:
    from pipelines.operations.lifetime import die_with_parent

    die_with_parent()
    from dbt.cli.main import dbtRunner

    line = sys.stdin.readline()
    if not line.strip():
        return 0
    result = dbtRunner().invoke(json.loads(line))
    if result.exception is not None:
        print(f"{type(result.exception).__name__}: {result.exception}", flush=True)
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
