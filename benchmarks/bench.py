"""`make bench SCALE=0.1 [K=3]`: the full refresh against the floor, the pandas baseline and an incremental
refresh, on the same national-sample files, alternating and repeated; the median of K runs of each.

    python benchmarks/bench.py --scale 0.1 [--k 3] [--work data/bench] [--marts-dir data/marts]
        [--without events]  (a source folder left out of every step; the JSON's `sources` lists those in)

1. refresh: `umkm refresh --region 65` into a fresh marts folder (ingest, dbt build, quality gate, publish);
2. floor: benchmarks/floor.py (plain DuckDB landing + floor.sql) into a fresh .duckdb file;
3. pandas: benchmarks/pandas_baseline.py;
4. incremental: one day's new exports (about 0.1% more rows) added, `umkm refresh` again on the marts folder
   step 1 built (whatever the refresh does with files it has already landed).
Each step is a child process; its peak RSS is the largest sum of RSS over the child's whole process tree,
polled from /proc every 0.2 s (Linux). Writes <marts>/bench/bench-<utc>.json and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
REGION = "65"
DAY = dt.date(2025, 1, 2)  # the added day's exports: after the sample's last month


def _children(pid: int) -> list[int]:
    """The pid and every descendant, from /proc/<pid>/task/*/children."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                stack += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], log: Path) -> tuple[float, float]:
    """Run a command; (wall seconds, peak RSS of its process tree in MB). Fails loudly on a non-zero exit."""
    with log.open("w") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        peak = 0
        while child.poll() is None:
            peak = max(peak, sum(_rss_kb(p) for p in _children(child.pid)))
            time.sleep(0.2)
        wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}; see {log}")
    return wall, peak / 1024


def _tree_copy(source: Path, target: Path, without: Sequence[str] = ()) -> None:
    """Hard links: the incremental input is the same files plus the day's, without copying gigabytes.
    `without`: source folders left out of the copy."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        source,
        target,
        copy_function=os.link,
        ignore=lambda folder, names: [n for n in names if Path(folder) == source and n in without],
    )


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from pipelines.sample import SOURCES
    from pipelines.sample.national import write_national_day, write_national_sample

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--k", type=int, default=None, help="repetitions (default 3, 1 at scale >= 1.0)")
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--marts-dir", type=Path, default=ROOT / "data" / "marts")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=[s for s in SOURCES if s != "permits"],  # the floor and pandas compute the permit marts
        help="leave this source folder of the sample out of every step (recorded in the JSON as sources)",
    )
    args = parser.parse_args()
    k = args.k or (1 if args.scale >= 1.0 else 3)
    work = args.work.resolve()
    raw = work / f"n{args.scale:g}"
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    generated_s = None
    if not (raw / ".sample").exists():
        start = time.perf_counter()
        written = write_national_sample(raw, args.scale)
        generated_s = round(time.perf_counter() - start, 1)
        print(f"sample scale {args.scale:g}: {written} in {generated_s} s", flush=True)
    if args.without:  # the same files, hard-linked, without the folders left out
        full_raw, raw = raw, work / f"n{args.scale:g}-without-{'-'.join(sorted(args.without))}"
        _tree_copy(full_raw, raw, args.without)
    incremental_raw = work / f"n{args.scale:g}-plus-day"
    _tree_copy(raw, incremental_raw)
    day_rows = write_national_day(incremental_raw, args.scale, DAY)

    umkm = str(BIN / "umkm")
    runs: dict[str, list[tuple[float, float]]] = {"refresh": [], "floor": [], "pandas": [], "incremental": []}
    steps = ["refresh", "floor", "pandas"]
    for rep in range(k):
        marts = work / f"marts-{rep}"
        shutil.rmtree(marts, ignore_errors=True)
        commands = {
            "refresh": [
                umkm,
                "refresh",
                "--raw-dir",
                str(raw),
                "--marts-dir",
                str(marts),
                "--region",
                REGION,
            ],
            "floor": [sys.executable, str(HERE / "floor.py"), str(raw), str(work / "floor.duckdb")],
            "pandas": [sys.executable, str(HERE / "pandas_baseline.py"), str(raw), str(work / "pandas-out")],
        }
        order = steps[rep % 3 :] + steps[: rep % 3]  # alternate which goes first (caches, load)
        for step in order:
            runs[step].append(measure(commands[step], logs / f"{step}-{rep}.log"))
            print(f"rep {rep} {step}: {runs[step][-1][0]:.1f} s, {runs[step][-1][1]:.0f} MB", flush=True)
        incremental = [umkm, "refresh", "--raw-dir", str(incremental_raw), "--marts-dir", str(marts)]
        runs["incremental"].append(
            measure([*incremental, "--region", REGION], logs / f"incremental-{rep}.log")
        )
        print(f"rep {rep} incremental: {runs['incremental'][-1][0]:.1f} s", flush=True)
        if rep < k - 1:
            shutil.rmtree(marts, ignore_errors=True)

    def median(step: str) -> float:
        return round(statistics.median(wall for wall, _ in runs[step]), 1)

    result = {
        "scale": args.scale,
        "k": k,
        "utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpus": os.cpu_count(),
        "sources": sorted(p.name for p in raw.iterdir() if p.is_dir()),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "generated_s": generated_s,
        "added_day_rows": day_rows,
        "refresh_s": median("refresh"),
        "floor_s": median("floor"),
        "pandas_s": median("pandas"),
        "incremental_s": median("incremental"),
        "peak_rss_mb": round(max(rss for wall, rss in runs["refresh"] + runs["incremental"])),
        "peak_rss_mb_by_step": {step: round(max(rss for _, rss in runs[step])) for step in runs},
        "runs_s": {step: [round(wall, 1) for wall, _ in runs[step]] for step in runs},
    }
    result["ratio_refresh_floor"] = round(result["refresh_s"] / result["floor_s"], 2)
    result["ratio_pandas_refresh"] = round(result["pandas_s"] / result["refresh_s"], 2)
    result["ratio_incremental_full"] = round(result["incremental_s"] / result["refresh_s"], 2)
    out = args.marts_dir.resolve() / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written {path}")


if __name__ == "__main__":
    main()
