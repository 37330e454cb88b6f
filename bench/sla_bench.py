"""Time SLA clocks for 100,000 incidents spanning a year against loading those records.

    python bench/sla_bench.py [--incidents 100000] [--span-days 365] [--runs 3] [--keep]
                              [--json FILE]

Whole processes, timed by wall clock around each (start-up, imports and output count):

- load: a Python process that reads itsm.yaml and loads every record, as every command
  does first (`load_repository`), and nothing else.
- sla check: `itsm sla check --now END --format json --fail-on never`, output to a pipe.
- report: `itsm report --now END --format json` (for information).

The commands run interleaved, --runs times each; wall and CPU time (user + system of the
process and its parse workers) are reported as medians. The clocks' cost is `sla check`
less `load`; the issue asks for it to be below the load, a ratio under 1. Then one process
times load, clocks and JSON output apart; and, in this process, the working time of one
interval against the length of the pause it spans (1 day to 20 years), to show that a
query does not grow with it.

The repository is made by bench/generate.py, imported and not edited: its START is moved
to --span-days before its END, and its record count chosen so that it writes exactly
--incidents incidents. It is cached in bench/out/ and removed after the run unless --keep.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402 - a sibling script, found through the path set just above
from validate_bench import load, machine, run, seconds  # noqa: E402 - the same

LOAD = ("from pathlib import Path\nfrom itsm_as_code.config import load_config\n"
        "from itsm_as_code.store.repository import load_repository\n"
        "print(len(load_repository(load_config(Path('.'))).records))\n")


def records_for(incidents: int) -> int:
    """The --records that makes generate.py write exactly `incidents` incidents."""
    low, high = incidents, incidents * 2
    while low < high:
        middle = (low + high) // 2
        if generate.counts(middle)["incidents"] < incidents:
            low = middle + 1
        else:
            high = middle
    if generate.counts(low)["incidents"] != incidents:
        sys.exit(f"generate.py cannot make exactly {incidents} incidents")
    return low


def ensure_repo(incidents: int, span_days: int, seed: int) -> tuple[Path, int]:
    source = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:10]
    repo = OUT / f"sla-{incidents}-{span_days}d-s{seed}-{source}"
    records = records_for(incidents)
    if (repo / "itsm.yaml").is_file():
        print(f"reusing {repo}")
        return repo, records
    tmp = OUT / f".tmp-{repo.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    generate.START = generate.END - span_days * generate.DAY
    started = time.perf_counter()
    generate.generate(tmp, records, seed)
    print(f"generated {records} records ({incidents} incidents over {span_days} days) in "
          f"{time.perf_counter() - started:.0f} s")
    tmp.replace(repo)
    return repo, records


def warm(repo: Path) -> int:
    """Read every file once, so every process sees a warm page cache."""
    count = 0
    for folder, _, names in os.walk(repo / "records"):
        for name in names:
            Path(folder, name).read_bytes()
            count += 1
    return count


def measured(cmd: list[str], repo: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system, the process and its workers), exit code
    and output bytes of one whole process. CPU time moves less than wall time when other
    work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    took, code, output = run(cmd, repo)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, code, len(output)


def timed(commands: dict[str, list[str]], repo: Path, runs: int) -> dict[str, dict[str, Any]]:
    """Each command `runs` times, interleaved (load, check, report, load, ...), so that a
    busy spell on the machine hits all of them alike."""
    found: dict[str, dict[str, Any]] = {
        name: {"command": " ".join(cmd), "wall": [], "cpu": [], "exit_codes": []}
        for name, cmd in commands.items()}
    for _ in range(runs):
        for name, cmd in commands.items():
            took, cpu, code, size = measured(cmd, repo)
            entry = found[name]
            entry["wall"].append(took)
            entry["cpu"].append(cpu)
            entry["exit_codes"].append(code)
            entry["output_bytes"] = size
    for name, entry in found.items():
        entry["wall_median"] = statistics.median(entry["wall"])
        entry["cpu_median"] = statistics.median(entry["cpu"])
        print(f"{name:10} wall median {entry['wall_median']:6.2f} s  runs "
              f"{seconds(entry['wall'])}   cpu median {entry['cpu_median']:6.2f} s  runs "
              f"{seconds(entry['cpu'])}  exit {sorted(set(entry['exit_codes']))}  output "
              f"{entry['output_bytes'] / 1e6:.1f} MB")
    return found


def in_process(repo: Path, now: str) -> dict[str, float]:
    """One process: load, then the clocks, then the JSON, each timed on its own (wall)."""
    code = (
        "import json, sys, time\nfrom datetime import datetime\nfrom pathlib import Path\n"
        "from itsm_as_code.config import load_config\n"
        "from itsm_as_code.store.repository import load_repository\n"
        "from itsm_as_code.model.context import RunContext\n"
        "from itsm_as_code.sla.check import check\n"
        "from itsm_as_code.reporters import render\n"
        "from itsm_as_code.sla.check_report import CHECK_OVERRIDES, clock_report\n"
        "t = [time.perf_counter()]\nrepo = load_repository(load_config(Path('.')))\n"
        "t.append(time.perf_counter())\n"
        f"ctx = RunContext(repo, datetime.fromisoformat({now!r}))\nresult = check(ctx)\n"
        "t.append(time.perf_counter())\n"
        "text = render(clock_report(result, 'never', ctx.model), 'json', CHECK_OVERRIDES)\n"
        "t.append(time.perf_counter())\n"
        "print(json.dumps({'load': t[1] - t[0], 'clocks': t[2] - t[1], 'json': t[3] - t[2],"
        " 'count': len(result.clocks)}))\n")
    _, _, output = run([sys.executable, "-c", code], repo)
    found: dict[str, float] = json.loads(output)
    print(f"in one process: load {found['load']:.2f} s, clocks {found['clocks']:.2f} s "
          f"({found['count']} clocks), JSON output {found['json']:.2f} s")
    return found


def pause_scaling() -> list[dict[str, float]]:
    """Working time of [t, t + pause] in an office calendar, fresh table each time: the
    build grows with the days covered (once), a query afterwards does not."""
    from itsm_as_code.model.types.organisation import Calendar
    from itsm_as_code.sla.calendar import MICROS_PER_SECOND, CalendarTime
    from itsm_as_code.sla.spec import read_calendar

    week = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), ("09:00-12:30", "13:30-17:00"))
    spec, _ = read_calendar(Calendar("office", "Europe/Berlin", week, holiday_country="DE"))
    assert spec is not None
    second = MICROS_PER_SECOND
    start = int(datetime(2026, 1, 5, 10, tzinfo=timezone.utc).timestamp()) * second
    found = []
    for days in (1, 10, 100, 1000, 7300):
        calendar = CalendarTime(spec)
        end = start + days * 86400 * second
        began = time.perf_counter()
        calendar.counted(start, end)
        first = time.perf_counter() - began
        began = time.perf_counter()
        for _ in range(10_000):
            calendar.counted(start, end)
        query = (time.perf_counter() - began) / 10_000
        found.append({"pause_days": days, "first_call_ms": first * 1000,
                      "query_us": query * 1e6})
        print(f"pause {days:5} days: first call (builds the days) {first * 1000:8.2f} ms, "
              f"then {query * 1e6:5.2f} us a query")
    return found


class Setup(NamedTuple):
    """What a benchmark over the incidents repository starts from."""

    args: argparse.Namespace
    info: dict[str, Any]
    repo: Path
    records: int
    itsm: str
    now: str


def setup(doc: str, argv: list[str] | None) -> Setup:
    """Parse the options shared by the benchmarks over generated incidents, make or reuse
    the repository, and print what is measured on what."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--span-days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    info = machine()
    repo, records = ensure_repo(args.incidents, args.span_days, args.seed)
    now = datetime.fromtimestamp(generate.END, timezone.utc).isoformat()
    files = warm(repo)
    print(f"\ndate: {info['date']}\nmachine: nproc {info['nproc']}, {info['cpu']}, "
          f"load average {info['loadavg']}\npython: {info['python']}\nrepository: {repo} "
          f"({files} record files, {args.incidents} incidents over {args.span_days} days,"
          f" now {now})\n")
    return Setup(args, info, repo, records, str(Path(sys.executable).parent / "itsm"), now)


def main(argv: list[str] | None = None) -> int:
    args, info, repo, records, itsm, now = setup(__doc__, argv)
    try:
        results = timed({
            "load": [sys.executable, "-c", LOAD],
            "sla check": [itsm, "sla", "check", "--now", now, "--format", "json",
                          "--fail-on", "never"],
            "report": [itsm, "report", "--now", now, "--format", "json"],
        }, repo, args.runs)
        ratios = {}
        for kind in ("wall", "cpu"):
            load_s = results["load"][f"{kind}_median"]
            clocks = results["sla check"][f"{kind}_median"] - load_s
            ratios[kind] = clocks / load_s
            print(f"clocks ({kind}: sla check - load): {clocks:.2f} s = {ratios[kind]:.2f} x "
                  f"the load ({1e6 * clocks / args.incidents:.0f} us an incident)")
        print(f"load average now {load()}\n")
        inside = in_process(repo, now)
        scaling = pause_scaling()
        if args.json:
            args.json.write_text(json.dumps({
                "machine": info, "repository": str(repo), "records": records,
                "incidents": args.incidents, "span_days": args.span_days, "now": now,
                "results": results, "ratio_to_load": ratios, "in_process": inside,
                "pause_scaling": scaling}, indent=2) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(repo, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
