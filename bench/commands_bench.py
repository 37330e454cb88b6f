"""Time the commands that read every record against one libyaml parse of the same files.

    python bench/commands_bench.py [--records 100000] [--runs 3] [--json FILE]

The repository is generate.py's (cached in bench/out/ as validate_bench.py caches it).
Its two access systems speak to PostgreSQL and LDAP, which a benchmark does not have, so
`itsm access plan` runs on a copy of it made of hard links (bench/out/commands-*) whose
two System records read a file export instead: the same records, planned against groups
that are all empty. Every command runs as a whole process with the record cache off
(ITSM_NO_CACHE=1), interleaved run by run with the floor (bench/floor_parse.py), timed
by wall clock and by CPU time (user + system, with its worker processes); the median of
each, and its ratio to the floor's, is printed. `--baseline DIR` times each command a
second time, interleaved, with the package found in DIR (an earlier copy of
itsm_as_code/ and schemas/) instead: a before and after under the same load.
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
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import validate_bench  # noqa: E402 - a sibling script, not a package

NOW = "2026-11-01T12:00:00+01:00"  # generate.py opens incidents until 2026-11-01
UNCACHED = {**os.environ, "ITSM_NO_CACHE": "1"}
API = "apiVersion: itsm/v1\n"


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one whole process (with the processes it started)
    and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, \
        done.returncode


def with_file_exports(repo: Path) -> Path:
    """A hard-linked copy of `repo` whose access systems read an empty file export."""
    copy = repo.parent / f"commands-{repo.name}"
    if (copy / "itsm.yaml").is_file():
        return copy
    tmp = repo.parent / f".tmp-{copy.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(["cp", "-al", str(repo), str(tmp)], check=True)
    access = tmp / "records/access"
    for system in ("payments-db", "corp-ldap"):
        (access / f"{system}.yaml").unlink()  # a link: the original stays as it was
        (access / f"{system}.yaml").write_text(
            f"{API}kind: System\nid: {system}\nname: {system}\nowner: "
            f"{_owner(repo, system)}\nprovider: file\n"
            "connection: {path: access/exports/groups.json}\n")
    (access / "exports").mkdir()
    (access / "exports/groups.json").write_text('{"groups": {}}\n')
    tmp.replace(copy)
    return copy


def _owner(repo: Path, system: str) -> str:
    text = (repo / f"records/access/{system}.yaml").read_text()
    return next(line.split(":", 1)[1].strip() for line in text.splitlines()
                if line.startswith("owner:"))


def _short(name: str) -> str:
    """`itsm sla check` -> `sla`, `floor: libyaml parse` -> `floor`."""
    return name.removeprefix("itsm ").split()[0].rstrip(":")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="sla,report,access,problems",
                    help="the commands to time beside the floor (comma-separated)")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    ap.add_argument("--baseline", type=Path,
                    help="a folder holding an earlier itsm_as_code/ and schemas/ to time "
                         "beside this one")
    args = ap.parse_args(argv)
    chosen = {"floor", *args.only.split(",")}
    itsm = str(Path(sys.executable).parent / "itsm")
    repo, _ = validate_bench.ensure_repo(args.records, args.seed, 0)
    planned = with_file_exports(repo)
    jobs = {  # name -> (command, folder)
        "floor: libyaml parse": ([sys.executable, str(BENCH / "floor_parse.py"), "."], repo),
        "itsm sla check": ([itsm, "sla", "check", "--now", NOW, "--format", "json",
                            "--fail-on", "never"], repo),
        "itsm report": ([itsm, "report", "--now", NOW, "--format", "json"], repo),
        "itsm access plan": ([itsm, "access", "plan", "--now", NOW, "--format", "json"],
                             planned),
        "itsm problems detect": ([itsm, "problems", "detect", "--now", NOW, "--format",
                                  "json"], repo),
    }
    jobs = {name: job for name, job in jobs.items() if _short(name) in chosen}
    envs = dict.fromkeys(jobs, UNCACHED)
    if args.baseline is not None:
        base = {**UNCACHED, "PYTHONPATH": str(args.baseline.resolve())}
        for name, (cmd, cwd) in list(jobs.items()):
            if name.startswith("itsm "):  # the same command, both started the same way
                module = [sys.executable, "-m", "itsm_as_code.cli.main", *cmd[1:]]
                jobs[name] = (module, cwd)
                jobs[f"{name} (baseline)"] = (module, cwd)
                envs[f"{name} (baseline)"] = base
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    walls: dict[str, list[float]] = {name: [] for name in jobs}
    cpus: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(args.runs):
        for name, (cmd, cwd) in jobs.items():
            wall, cpu, code = run(cmd, cwd, envs[name])
            if code not in (0, 1):
                sys.exit(f"{name} failed ({code})")
            walls[name].append(wall)
            cpus[name].append(cpu)
            print(f"  {name:33} {wall:6.2f} s wall {cpu:6.2f} s CPU", flush=True)
    print(f"\ndate: {datetime.now(timezone.utc).isoformat(timespec='seconds')}; load average "
          f"{load} at start, {' '.join(f'{x:.2f}' for x in os.getloadavg())} at end; "
          f"repository {repo.name}\n")
    floor_wall = statistics.median(walls["floor: libyaml parse"])
    floor_cpu = statistics.median(cpus["floor: libyaml parse"])
    summary = {}
    for name in jobs:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        summary[name] = {"wall_s": walls[name], "cpu_s": cpus[name], "wall_median_s": wall,
                         "cpu_median_s": cpu}
        print(f"| {name} | {wall:.2f} s | {wall / floor_wall:.2f}x | {cpu:.2f} s | "
              f"{cpu / floor_cpu:.2f}x | {' / '.join(f'{t:.2f}' for t in walls[name])} |")
    if args.json:
        args.json.write_text(json.dumps({"records": args.records, "load": load,
                                         "results": summary}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
