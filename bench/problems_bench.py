"""Time `itsm problems detect` over 100,000 incidents against loading those records.

    python bench/problems_bench.py [--incidents 100000] [--span-days 365] [--runs 3]
                                   [--keep] [--json FILE]

Whole processes, timed by wall clock around each (start-up, imports and output count),
interleaved, --runs times each, medians reported with CPU time (user + system):

- load: a Python process that reads itsm.yaml and loads every record (`load_repository`),
  as every command does first, and nothing else: the floor.
- detect 30d: `itsm problems detect --now END --format json`, the default 30-day window.
- detect all: the same with `--window` over the whole span, so every incident of the
  repository is clustered (the worst case for the title comparison).

Detection's own cost is `detect - load`. Then one process times load and detection
apart, and counts the candidates. The repository is the one bench/sla_bench.py makes
(exactly --incidents incidents over --span-days, cached in bench/out/, removed after the
run unless --keep).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from sla_bench import LOAD, setup, timed  # noqa: E402 - the same
from validate_bench import load, run  # noqa: E402 - the same


def in_process(repo: Path, now: str, window_days: int) -> dict[str, Any]:
    """One process: load, then detection over the whole span, each timed on its own."""
    code = (
        "import json, time\nfrom datetime import datetime, timedelta\n"
        "from pathlib import Path\nfrom itsm_as_code.config import load_config\n"
        "from itsm_as_code.store.repository import load_repository\n"
        "from itsm_as_code.model.context import RunContext\n"
        "from itsm_as_code.problems.detect import detect\n"
        "t = [time.perf_counter()]\nrepo = load_repository(load_config(Path('.')))\n"
        "t.append(time.perf_counter())\n"
        f"found = detect(RunContext(repo, datetime.fromisoformat({now!r})), "
        f"timedelta(days={window_days}))\n"
        "t.append(time.perf_counter())\n"
        "print(json.dumps({'load': t[1] - t[0], 'detect': t[2] - t[1],"
        " 'considered': found.considered, 'candidates': len(found.candidates),"
        " 'largest': max((len(c.incidents) for c in found.candidates), default=0)}))\n")
    _, _, output = run([sys.executable, "-c", code], repo)
    found: dict[str, Any] = json.loads(output)
    print(f"in one process: load {found['load']:.2f} s, detect {found['detect']:.2f} s over "
          f"{found['considered']} incidents: {found['candidates']} candidates, the largest "
          f"{found['largest']} incidents")
    return found


def main(argv: list[str] | None = None) -> int:
    args, info, repo, records, itsm, now = setup(__doc__, argv)
    whole = f"{args.span_days + 1}d"
    try:
        detect = [itsm, "problems", "detect", "--now", now, "--format", "json"]
        results = timed({
            "load": [sys.executable, "-c", LOAD],
            "detect 30d": detect,
            "detect all": [*detect, "--window", whole],
        }, repo, args.runs)
        ratios: dict[str, dict[str, float]] = {}
        for name in ("detect 30d", "detect all"):
            ratios[name] = {}
            for kind in ("wall", "cpu"):
                floor = results["load"][f"{kind}_median"]
                total = results[name][f"{kind}_median"]
                ratios[name][kind] = total / floor
                print(f"{name} ({kind}): {total:.2f} s = {total / floor:.2f} x the load; "
                      f"detection alone {total - floor:.2f} s")
        print(f"load average now {load()}\n")
        inside = in_process(repo, now, args.span_days + 1)
        if args.json:
            args.json.write_text(json.dumps({
                "machine": info, "repository": str(repo), "records": records,
                "incidents": args.incidents, "span_days": args.span_days, "now": now,
                "results": results, "ratio_to_load": ratios, "in_process": inside},
                indent=2) + "\n")
    finally:
        if not args.keep:
            shutil.rmtree(repo, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
