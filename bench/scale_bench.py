"""Peak memory and time of `itsm validate` as a repository grows, next to the floor.

    python bench/scale_bench.py [--sizes 10000,30000,100000] [--runs 3] [--json FILE]

Each size is generate.py's repository of that many records (cached in bench/out/ as
validate_bench.py caches it). `itsm validate --format json` (record cache off) and the
floor (bench/floor_parse.py, one libyaml parse in one process) run as whole processes
under `/usr/bin/time -v`, interleaved, `--runs` times each: the median wall time, CPU
time (user + system, with the worker processes) and peak memory (the largest resident
set of the process or of any one of its workers, as `time -v` reports it) are printed
with their cost per 1,000 records, so linear growth shows as a flat column.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import validate_bench  # noqa: E402 - a sibling script, not a package

UNCACHED = {**os.environ, "ITSM_NO_CACHE": "1"}
_FIELDS = {"wall": r"Elapsed \(wall clock\) time.*: (.+)", "user": r"User time.*: (.+)",
           "system": r"System time.*: (.+)", "rss_kb": r"Maximum resident set size.*: (.+)"}


def _seconds(text: str) -> float:
    """`1:02.50` or `0:07.31` (m:ss) or `1:02:03` (h:mm:ss) as seconds."""
    total = 0.0
    for part in text.strip().split(":"):
        total = total * 60 + float(part)
    return total


def measured(cmd: list[str], cwd: Path) -> dict[str, float]:
    """Wall and CPU seconds and peak memory (MiB) of one whole process."""
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False, env=UNCACHED)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    found = {k: re.search(pattern, done.stderr) for k, pattern in _FIELDS.items()}
    values = {k: m.group(1) for k, m in found.items() if m is not None}
    return {"wall_s": _seconds(values["wall"]),
            "cpu_s": float(values["user"]) + float(values["system"]),
            "rss_mib": int(values["rss_kb"]) / 1024}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,30000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, help="write the results to this file")
    args = ap.parse_args(argv)
    itsm = str(Path(sys.executable).parent / "itsm")
    sizes = [int(size) for size in args.sizes.split(",")]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    for size in sizes:
        repo, _ = validate_bench.ensure_repo(size, args.seed, 0)
        tools = {"floor": [sys.executable, str(BENCH / "floor_parse.py"), "."],
                 "itsm validate": [itsm, "validate", "--format", "json"]}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in tools}
        for _ in range(args.runs):
            for name, cmd in tools.items():
                runs[name].append(measured(cmd, repo))
                print(f"  {size:>7} {name:14} " + " ".join(
                    f"{k} {v:.2f}" for k, v in runs[name][-1].items()), flush=True)
        results[str(size)] = runs
    print(f"\ndate: {datetime.now(timezone.utc).isoformat(timespec='seconds')}; load average "
          f"{load} at start, {' '.join(f'{x:.2f}' for x in os.getloadavg())} at end\n")
    print("| records | tool | wall | CPU | CPU per 1,000 | peak memory | MiB per 1,000 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size, runs in results.items():
        for name, measures in runs.items():
            median = {k: statistics.median(m[k] for m in measures) for k in measures[0]}
            thousands = int(size) / 1000
            print(f"| {int(size):,} | {name} | {median['wall_s']:.2f} s | "
                  f"{median['cpu_s']:.2f} s | {median['cpu_s'] / thousands:.3f} s | "
                  f"{median['rss_mib']:.0f} MiB | {median['rss_mib'] / thousands:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"load": load, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
