"""Time `itsm validate --base main` against `itsm validate` on a large repository in git.

    python bench/base_bench.py [--records 100000] [--seed 1] [--runs 3] [--json FILE]

The repository is generated once by bench/generate.py into bench/out/base-N-sSEED/,
committed on `main` in one commit, and kept for the next run (git-ignored). A branch
`change` commits a change of 10 record files: 9 open incidents get an appended timeline
entry, 1 incident is deleted (so `--base` has exactly one finding to report).

Timed as whole processes, median of --runs, on warm files:
- `itsm validate --format json` (the usual checks),
- `itsm validate --base main --format json` (the same plus the lifecycle rules),
- `git diff --name-status main`, the floor for finding what changed,
- `itsm --version`, the process start.
Then --runs processes run the steps of `--base` with a timer around each, to show what the
lifecycle part costs on its own (the difference of two ~20 s medians is within their noise).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pygit2
from generate import generate

BENCH = Path(__file__).resolve().parent
SIGNATURE = pygit2.Signature("Bench", "bench@example.org", 1764500000, 0)
ACTIVE = ("status: investigating", "status: identified", "status: monitoring")
NOTE = "  - at: {at}\n    public: false\n    message: Benchmark note.\n"
STEPS = """
import json, time
from pathlib import Path
from itsm_as_code.config import load_config
from itsm_as_code.git.trees import Revisions
from itsm_as_code.store.repository import load_repository
from itsm_as_code.validation.lifecycle import check_change
from itsm_as_code.validation.runner import validate
config = load_config(Path.cwd())
t0 = time.perf_counter()
revisions = Revisions(config.root, config.records_dir, "main")
changed = revisions.changed()
files = [(path, revisions.read_base(path)) for path in changed]
t1 = time.perf_counter()
repository = load_repository(config)
report = validate(repository)
t2 = time.perf_counter()
found = check_change(repository, files, "main")
t3 = time.perf_counter()
print(json.dumps({"changed_files": len(changed), "find_and_read_changed": t1 - t0,
                  "load_and_validate": t2 - t1, "compare": t3 - t2,
                  "findings": [f.rule for f in found]}))
"""


def prepare(records: int, seed: int) -> Path:
    root = BENCH / "out" / f"base-{records}-s{seed}"
    if (root / ".git").exists():
        return root
    started = time.perf_counter()
    generate(root, records, seed)
    git = pygit2.init_repository(str(root), initial_head="main")
    git.index.add_all()
    git.index.write()
    base = git.create_commit("HEAD", SIGNATURE, SIGNATURE, "Records", git.index.write_tree(), [])
    git.branches.local.create("change", git[base].peel(pygit2.Commit))
    git.checkout("refs/heads/change")
    change(git, root)
    print(f"generated and committed {records:,} records in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return root


def change(git: pygit2.Repository, root: Path) -> None:
    """Commit 9 appended timeline entries and 1 deleted incident on the current branch."""
    picked = []
    for path in sorted((root / "records" / "incidents").rglob("*.yaml"), reverse=True):
        text = path.read_text()
        if any(f"\n{status}\n" in text for status in ACTIVE) and text.endswith("\n"):
            picked.append((path, text))
            if len(picked) == 10:
                break
    for path, text in picked[:9]:
        last = text.rsplit("  - at: ", 1)[1].split("\n", 1)[0]
        path.write_text(text + NOTE.format(at=last))
        git.index.add(path.relative_to(root).as_posix())
    picked[9][0].unlink()
    git.index.remove(picked[9][0].relative_to(root).as_posix())
    git.index.write()
    git.create_commit("HEAD", SIGNATURE, SIGNATURE, "Change 10 records", git.index.write_tree(),
                      [git.head.target])


def timed(command: list[str], cwd: Path, runs: int) -> tuple[list[float], str]:
    """Wall-clock seconds of each run of a whole process, and the last run's output."""
    times, output = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
        output = done.stdout
    return times, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = prepare(args.records, args.seed)
    subprocess.run(["git", "status", "--short"], cwd=root, check=True, capture_output=True)
    itsm = [sys.executable, "-m", "itsm_as_code"]
    commands = {
        "start": [*itsm, "--version"],
        "floor": ["git", "diff", "--name-status", "main"],
        "validate": [*itsm, "validate", "--format", "json"],
        "validate --base": [*itsm, "validate", "--base", "main", "--format", "json"],
    }
    results: dict[str, object] = {}
    for name, command in commands.items():
        times, output = timed(command, root, args.runs)
        if name == "validate --base":
            rules = [finding["rule"] for finding in json.loads(output)["findings"]]
            results["base_findings"] = rules
        results[name] = {"median": statistics.median(times), "runs": times}
        print(f"{name:16} median {statistics.median(times):7.2f} s  runs "
              f"{' / '.join(f'{t:.2f}' for t in times)}")
    runs = [json.loads(subprocess.run([sys.executable, "-c", STEPS], cwd=root, check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(args.runs)]
    results["steps"] = {key: statistics.median(run[key] for run in runs) if isinstance(
        runs[0][key], float) else runs[0][key] for key in runs[0]}
    print(f"findings of --base: {results['base_findings']}")
    print(f"steps of --base in one process (median of {args.runs}): {results['steps']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
