"""Time this checkout's `itsm` against another build of it, command by command.

    python bench/compare_bench.py --other /path/to/other/.venv/bin/itsm \
        [--records 20000] [--seed 3] [--runs 5] [--json FILE]

What a change costs, measured as whole processes in the same run on the same generated
repository: `itsm validate`, `itsm sla check`, `itsm report` and a first `itsm site build`
(empty output folder), each with the record cache off (or, with `--warm`, on and filled by
a first run, each build with a cache of its own), from this checkout's venv and from
the other build (for example a worktree of the commit before a change, installed into its
own venv). Runs are interleaved (this, other, this, other, ...) so that a busy spell on
the machine hits both alike; the median of each is reported with the ratio this / other
and the CPU time, which moves less than wall time when the machine is shared.
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
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from sla_bench import warm  # noqa: E402 - sibling scripts, found through the path
from validate_bench import ensure_repo, load, machine, seconds  # noqa: E402 - the same

NOW = "2026-11-01T12:00:00+01:00"  # generate.py opens incidents until 2026-11-01
COMMANDS = {
    "validate": ["validate", "--format", "json"],
    "sla check": ["sla", "check", "--now", NOW, "--format", "json", "--fail-on", "never"],
    "report": ["report", "--now", NOW, "--format", "json"],
    "site build": ["site", "build", "--now", NOW, "-o", "{out}"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--other", type=Path, required=True, help="the other build's itsm")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--warm", action="store_true",
                        help="record cache on, filled by a first untimed run")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    this = Path(sys.executable).with_name("itsm")
    repo, _ = ensure_repo(args.records, args.seed, 0)
    warm(repo)
    print(f"{args.records:,} records in {repo}; load {load()}")
    results: dict[str, dict[str, object]] = {}
    out = Path(tempfile.mkdtemp(prefix="itsm-compare-"))
    builds = {"this": this, "other": args.other}
    environments = {label: _environment(out / f"cache-{label}", args.warm) for label in builds}
    try:
        for name in args.commands.split(","):
            times: dict[str, list[tuple[float, float]]] = {"this": [], "other": []}
            for run in range(args.runs + args.warm):
                for label, program in builds.items():
                    shutil.rmtree(out / "site", ignore_errors=True)
                    command = [str(program), *(part.format(out=out / "site")
                                               for part in COMMANDS[name])]
                    took, cpu = _measured(command, repo, environments[label])
                    if run >= args.warm:  # the first run of --warm fills the cache
                        times[label].append((took, cpu))
            results[name] = summary = _summary(times)
            print(f"{name:11} this {summary['this_wall']:6.2f} s ({seconds(summary['this_runs'])})"
                  f"  other {summary['other_wall']:6.2f} s ({seconds(summary['other_runs'])})"
                  f"  ratio {summary['ratio_wall']:.3f}  cpu ratio {summary['ratio_cpu']:.3f}")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if args.json:
        document = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": machine(), "records": args.records, "seed": args.seed,
                    "record_cache": "warm" if args.warm else "off",
                    "load_after": load(), "results": results}
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


def _environment(cache: Path, warm: bool) -> dict[str, str]:
    environment = dict(os.environ, ITSM_CACHE_DIR=str(cache))
    if not warm:
        environment["ITSM_NO_CACHE"] = "1"
    return environment


def _measured(command: list[str], repo: Path, environment: dict[str, str],
              ) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its workers) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=repo, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, env=environment, check=False)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {done.returncode}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _summary(times: dict[str, list[tuple[float, float]]]) -> dict[str, object]:
    walls = {label: [wall for wall, _ in runs] for label, runs in times.items()}
    cpus = {label: [cpu for _, cpu in runs] for label, runs in times.items()}
    this_wall, other_wall = statistics.median(walls["this"]), statistics.median(walls["other"])
    this_cpu, other_cpu = statistics.median(cpus["this"]), statistics.median(cpus["other"])
    return {"this_wall": this_wall, "other_wall": other_wall, "this_cpu": this_cpu,
            "other_cpu": other_cpu, "ratio_wall": this_wall / other_wall,
            "ratio_cpu": this_cpu / other_cpu, "this_runs": walls["this"],
            "other_runs": walls["other"]}


if __name__ == "__main__":
    raise SystemExit(main())
