"""Time `itsm log` and `itsm audit` against `git log --name-status` over the same history.

    python bench/history_bench.py [--records 10000] [--commits 50000] [--runs 3]
                                  [--record INC-004000] [--json FILE]

The repository comes from generate_history.py and is kept in bench/out/ for the next
run. Every command runs as a whole process; each is run --runs times and the median is
reported with the ratio to the floor, `git log --name-status` (every commit with the
files it changed, what any history walk has to beat). Cold runs delete the history
index (.git/itsm/) first, so they walk and compare every commit; warm runs read it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ITSM = Path(sys.executable).parent / "itsm"


def repository(records: int, commits: int, seed: int) -> Path:
    """The generated repository, made first when missing."""
    out = BENCH / "out" / f"history-{records}-{commits}-s{seed}"
    if not (out / ".git").is_dir():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, str(BENCH / "generate_history.py"), str(out),
                        "--records", str(records), "--commits", str(commits),
                        "--seed", str(seed)], check=True, cwd=BENCH)
    return out


def timed(command: list[str], cwd: Path, before: Callable[[], None], ok: tuple[int, ...],
          ) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the process and its children)."""
    before()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace')}")
    return took, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--commits", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--record", default="INC-004000", help="the record `itsm log` reads")
    ap.add_argument("--json", type=Path, help="write every run's time here")
    args = ap.parse_args(argv)
    repo = repository(args.records, args.commits, args.seed)
    index = repo / ".git" / "itsm"

    def cold() -> None:
        shutil.rmtree(index, ignore_errors=True)

    def warm() -> None:
        if not index.is_dir():
            subprocess.run([str(ITSM), "log", args.record], cwd=repo, check=True,
                           capture_output=True)

    cases: list[tuple[str, list[str], Callable[[], None], tuple[int, ...]]] = [
        ("git log --name-status (floor)", ["git", "log", "--name-status"], warm, (0,)),
        (f"itsm log {args.record}, cold", [str(ITSM), "log", args.record], cold, (0,)),
        (f"itsm log {args.record}, warm", [str(ITSM), "log", args.record], warm, (0,)),
        ("itsm audit, cold", [str(ITSM), "audit"], cold, (0, 1)),
        ("itsm audit, warm", [str(ITSM), "audit"], warm, (0, 1)),
    ]
    times: dict[str, list[float]] = {name: [] for name, *_ in cases}
    cpus: dict[str, list[float]] = {name: [] for name, *_ in cases}
    for _ in range(args.runs):  # interleaved, so load on the machine hits every case alike
        for name, command, before, ok in cases:
            wall, cpu = timed(command, repo, before, ok)
            times[name].append(wall)
            cpus[name].append(cpu)
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, check=True,
                             capture_output=True, text=True).stdout.strip()
    floor = statistics.median(times[cases[0][0]])
    cpu_floor = statistics.median(cpus[cases[0][0]])
    print(f"{args.records:,} records, {int(commits):,} commits, {args.runs} runs, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| command | wall median | wall runs | ratio | CPU median | CPU ratio |\n"
          "| --- | --- | --- | --- | --- | --- |")
    for name, values in times.items():
        median, cpu = statistics.median(values), statistics.median(cpus[name])
        runs = ", ".join(f"{value:.2f}" for value in values)
        print(f"| {name} | {median:.2f} s | {runs} | {median / floor:.1f}x | {cpu:.2f} s "
              f"| {cpu / cpu_floor:.1f}x |")
    if args.json:
        args.json.write_text(json.dumps({"records": args.records, "commits": int(commits),
                                         "wall": times, "cpu": cpus}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
