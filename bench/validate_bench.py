"""Time `itsm validate` against the YAML parse floor and the peer, check-jsonschema.

    python bench/validate_bench.py --records 100000 [--runs 3] [--keep] [--json FILE]

Every tool runs as a whole process (subprocess, wall clock) on the same files of one
generated repository; each is run --runs times and the median is reported.

- floor: bench/floor_parse.py, every record parsed once with PyYAML's CSafeLoader.
- itsm: `itsm validate --format json` in the repository folder (record cache off).
- careful: the same with the fast record path turned off (every file read by libyaml).
- warm: the same with the record cache on, filled by a first untimed run.
- peer: check-jsonschema with the kind's schema (`--schemafile schemas/<kind>.schema.json`,
  default options), once per kind on all files of that kind (split into several processes
  only where the file list exceeds the OS argument limit, as xargs would); the per-kind
  times are summed. `--peer-records M` runs the peer on an evenly spread sample of about M
  records and extrapolates per kind: processes x start-up + files x per-file cost.

The repository is cached in bench/out/ (keyed by records, seed, --bad and the generator's
source) and removed after the run unless --keep.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCHEMAS = BENCH.parent / "schemas"
OUT = BENCH / "out"
PEER_OPTIONS = ["--output-format", "json"]  # otherwise defaults: formats and regress on


@dataclass
class Result:
    tool: str
    command: str
    records: int
    times: list[float]
    exit_codes: list[int]
    median: float = 0.0
    note: str = ""
    processes: int = 1
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.median = statistics.median(self.times) if self.times else math.nan


# These benchmarks time parsing and checking; the record cache would turn itsm's runs into
# cache reads (see "Status site" for builds measured with and without it).
UNCACHED = {**os.environ, "ITSM_NO_CACHE": "1"}


def run(cmd: list[str], cwd: Path) -> tuple[float, int, bytes]:
    """Wall-clock seconds, exit code and stdout of one whole process (stderr is dropped),
    with the record cache off."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          check=False, env=UNCACHED)
    return time.perf_counter() - t0, done.returncode, done.stdout


def ensure_repo(records: int, seed: int, bad: int) -> tuple[Path, bool]:
    """The cached repository, generated first if missing. True when made by this call."""
    source = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:10]
    repo = OUT / f"repo-{records}-s{seed}{f'-bad{bad}' if bad else ''}-{source}"
    if (repo / "itsm.yaml").is_file():
        print(f"reusing {repo}")
        return repo, False
    tmp = OUT / f".tmp-{repo.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [sys.executable, str(BENCH / "generate.py"), str(tmp), "--records", str(records),
           "--seed", str(seed), "--bad", str(bad)]
    if subprocess.run(cmd, check=False).returncode:
        sys.exit("generate.py failed")
    tmp.replace(repo)
    return repo, True


def files_by_kind(repo: Path) -> dict[str, list[str]]:
    """Record paths relative to the repository, by the `kind:` line of each file.

    Reading every file here also warms the page cache for all tools alike.
    """
    kinds: dict[str, list[str]] = {}
    for folder, _, names in os.walk(repo / "records"):
        for name in names:
            path = Path(folder, name)
            data = path.read_bytes()
            start = data.index(b"\nkind: ") + 7
            kind = data[start:data.index(b"\n", start)].decode().strip()
            kinds.setdefault(kind, []).append(str(path.relative_to(repo)))
    for paths in kinds.values():
        paths.sort()
    return kinds


def schema_files() -> dict[str, Path]:
    """Kind -> schema file: each schema's title is its kind (itsm.yaml's is `itsm.yaml`)."""
    return {json.loads(p.read_text())["title"]: p for p in sorted(SCHEMAS.glob("*.json"))}


def batches(paths: list[str]) -> list[list[str]]:
    """Split a file list as xargs would, to stay under the OS limit on argument bytes."""
    budget = os.sysconf("SC_ARG_MAX") // 2 - sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    out: list[list[str]] = [[]]
    used = 0
    for path in paths:
        cost = len(path.encode()) + 1 + 8  # the string and its pointer
        if out[-1] and used + cost > budget:
            out.append([])
            used = 0
        out[-1].append(path)
        used += cost
    return out


def time_floor(repo: Path, runs: int, records: int) -> Result:
    cmd = [sys.executable, str(BENCH / "floor_parse.py"), "."]
    times, codes = zip(*(run(cmd, repo)[:2] for _ in range(runs)), strict=True)
    return Result("floor (CSafeLoader parse)", " ".join(cmd), records, list(times), list(codes))


def itsm_cli() -> Path | None:
    cli = Path(sys.executable).parent / "itsm"
    if not cli.exists():
        return None
    return cli if run([str(cli), "validate", "--help"], BENCH)[1] == 0 else None


def time_itsm(repo: Path, runs: int, records: int, cli: Path) -> Result:
    cmd = [str(cli), "validate", "--format", "json"]
    times, codes, outputs = [], [], []
    for _ in range(runs):
        took, code, output = run(cmd, repo)
        times.append(took)
        codes.append(code)
        outputs.append(output)
    result = Result("itsm validate", " ".join(cmd), records, times, codes)
    try:
        result.extra["summary"] = json.loads(outputs[-1])["summary"]
    except (ValueError, KeyError, TypeError):
        result.extra["output_head"] = outputs[-1][:400].decode(errors="replace")
    return result


# `itsm validate` with the fast record path turned off in this process and its forked
# parse workers: every file read by the careful loader, as before the fast path.
CAREFUL = ("import sys; from itsm_as_code.store import loader; "
           "loader.fast_load = lambda text: None; from itsm_as_code.cli.main import main; "
           "sys.argv[0] = 'itsm'; sys.exit(main())")


def time_variant(repo: Path, runs: int, records: int, cli: Path, variant: str) -> Result:
    """`itsm validate` as `careful` (the fast path off, cache off) or `warm` (the record
    cache on and filled by a first, untimed run: nothing changed since)."""
    env = UNCACHED
    if variant == "careful":
        cmd = [sys.executable, "-c", CAREFUL, "validate", "--format", "json"]
    else:
        cmd = [str(cli), "validate", "--format", "json"]
        env = {k: v for k, v in os.environ.items() if k != "ITSM_NO_CACHE"}
        env["ITSM_CACHE_DIR"] = str(OUT / f".cache-{repo.name}")
        subprocess.run(cmd, cwd=repo, stdout=subprocess.DEVNULL, check=False, env=env)
    times, codes = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=repo, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False, env=env)
        times.append(time.perf_counter() - t0)
        codes.append(done.returncode)
    name = {"careful": "itsm validate, careful path only", "warm": "itsm validate, warm"}
    return Result(name[variant], " ".join(cmd), records, times, codes)


def sample(paths: list[str], share: float) -> list[str]:
    """An evenly spread sample of ceil(share x len) paths; small kinds (<= 100) in full."""
    want = min(len(paths), max(100, math.ceil(len(paths) * share)))
    return [paths[len(paths) * k // want] for k in range(want)]


def failing_files(output: bytes) -> int:
    """Files with errors in check-jsonschema's JSON output (all of them if it is not JSON)."""
    try:
        report = json.loads(output)
        return len({e["filename"] for e in report["errors"] + report["parse_errors"]})
    except (ValueError, KeyError, TypeError):
        print(f"  unexpected peer output: {output[:300]!r}")
        return -1


def time_peer(repo: Path, runs: int, kinds: dict[str, list[str]], peer_records: int
              ) -> Result:
    """check-jsonschema once per kind; on a sample, extrapolated per kind to all files."""
    peer = str(Path(sys.executable).parent / "check-jsonschema")
    schemas = schema_files()
    jobs = dict(sorted(kinds.items())) | {"itsm.yaml": ["itsm.yaml"]}
    share = peer_records / sum(len(paths) for paths in kinds.values())
    totals = [0.0] * runs  # per run, the sum over kinds
    codes: list[int] = []
    per_kind: dict[str, dict[str, float]] = {}
    failing = measured = processes = 0
    for kind, paths in jobs.items():
        cmd = [peer, "--schemafile", str(schemas[kind]), *PEER_OPTIONS]
        picked = sample(paths, share)
        parts, full_parts = batches(picked), len(batches(paths))
        startup = 0.0
        if len(picked) < len(paths):  # start-up of one process, to extrapolate the rest
            startup = statistics.median(run([*cmd, paths[0]], repo)[0] for _ in range(runs))
        times = []
        for r in range(runs):
            took = 0.0
            for part in parts:
                t, code, out = run([*cmd, *part], repo)
                took += t
                codes.append(code)
                if r == 0:
                    failing += failing_files(out)
            times.append(took)
            if len(picked) < len(paths):
                per_file = max(0.0, took - len(parts) * startup) / len(picked)
                took = full_parts * startup + len(paths) * per_file
            totals[r] += took
        per_kind[kind] = {"files": len(paths), "measured_files": len(picked),
                          "processes": full_parts, "median_s": statistics.median(times),
                          "startup_s": startup}
        measured += len(picked)
        processes += full_parts
        print(f"  peer {kind:15} {len(picked):7} of {len(paths):7} files: "
              + seconds(times), flush=True)
    files = sum(len(paths) for paths in jobs.values())
    note = (f"{processes} processes" if measured == files else
            f"{processes} processes; measured on {measured} of {files} files, extrapolated "
            "per kind as processes x start-up + files x per-file cost")
    result = Result("check-jsonschema (peer)", " ".join([Path(peer).name, "--schemafile",
                    "schemas/<kind>.schema.json", *PEER_OPTIONS, "FILES..."]),
                    files - 1, totals, codes, note=note, processes=processes)
    result.extra = {"per_kind": per_kind, "files_failing_in_measured": failing}
    return result


def seconds(times: list[float]) -> str:
    return " ".join(f"{t:.2f}" for t in times) + " s"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                  if line.startswith("model name")), "?")

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    import yaml

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)), "cpu_count": os.cpu_count(), "cpu": model,
        "loadavg": load(),
        "python": platform.python_version(), "platform": platform.platform(),
        "pyyaml": version("PyYAML"),
        "libyaml": bool(yaml.__with_libyaml__), "check_jsonschema": version("check-jsonschema"),
        "ruamel_yaml": version("ruamel.yaml"),
        "ruamel_yaml_clib": importlib.util.find_spec("_ruamel_yaml") is not None,
        "itsm_as_code": version("itsm-as-code"), "yaml_rs": version("yaml-rs"),
    }


def report(results: list[Result], info: dict[str, object]) -> dict[str, object]:
    floor = next((r.median for r in results if r.tool.startswith("floor")), math.nan)
    i = info
    print(f"\ndate: {i['date']}\nmachine: nproc {i['nproc']} (cpu_count {i['cpu_count']}), "
          f"{i['cpu']}, load average {i['loadavg']} at start, {load()} at end\n"
          f"python: {i['python']} on {i['platform']}\n"
          f"versions: PyYAML {i['pyyaml']} (libyaml {i['libyaml']}), check-jsonschema "
          f"{i['check_jsonschema']}, ruamel.yaml {i['ruamel_yaml']} (C extension "
          f"{i['ruamel_yaml_clib']}), itsm-as-code {i['itsm_as_code']}, yaml-rs "
          f"{i['yaml_rs']}\n"
          f"repository: {i['repository']}")
    print(f"\n{'tool':26} {'records':>8} {'median s':>9} {'ms/record':>9} {'x floor':>8}  runs (s)")
    for r in results:
        print(f"{r.tool:26} {r.records:8} {r.median:9.2f} {1000 * r.median / r.records:9.3f}"
              f" {r.median / floor:8.2f}  {seconds(r.times)}  exit {sorted(set(r.exit_codes))}"
              + (f"  [{r.note}]" if r.note else ""))
    by = {r.tool.split()[0]: r.median for r in results}
    speedup = by["check-jsonschema"] / by["itsm"] if {"itsm", "check-jsonschema"} <= by.keys() \
        else None
    if speedup:
        peer = next(r for r in results if r.tool.startswith("check-jsonschema"))
        print(f"\nitsm validate is {speedup:.1f}x faster than check-jsonschema"
              + (" (peer extrapolated, see above)" if "extrapolated" in peer.note else ""))
    return {"machine": info, "results": [asdict(r) for r in results],
            "speedup_itsm_over_peer": speedup}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad", type=int, default=0, help="plant K incidents with schema errors")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-records", type=int, help="run the peer on about M records")
    ap.add_argument("--tools", default="floor,itsm,peer",
                    help="comma-separated subset of floor, itsm, careful, warm, peer")
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    args = ap.parse_args(argv)
    tools = set(args.tools.split(","))
    if not tools <= {"floor", "itsm", "careful", "warm", "peer"} or args.runs < 1:
        ap.error("--tools takes floor, itsm, careful, warm and peer; --runs at least 1")
    OUT.mkdir(exist_ok=True)
    repo, generated = ensure_repo(args.records, args.seed, args.bad)
    try:
        kinds = files_by_kind(repo)
        info = machine()
        info["repository"] = {"path": str(repo), "seed": args.seed, "bad": args.bad,
                              "files": {k: len(v) for k, v in sorted(kinds.items())}}
        results = []
        if "floor" in tools:
            results.append(time_floor(repo, args.runs, args.records))
            print(f"floor: {seconds(results[-1].times)}", flush=True)
        cli = itsm_cli() if tools & {"itsm", "careful", "warm"} else None
        if cli and "itsm" in tools:
            results.append(time_itsm(repo, args.runs, args.records, cli))
            print(f"itsm: {seconds(results[-1].times)}", flush=True)
        elif "itsm" in tools:
            print("itsm: skipped, `itsm validate --help` does not work in this venv")
        for variant in ("careful", "warm"):
            if cli and variant in tools:
                results.append(time_variant(repo, args.runs, args.records, cli, variant))
                print(f"{variant}: {seconds(results[-1].times)}", flush=True)
        if "peer" in tools:
            results.append(time_peer(repo, args.runs, kinds, args.peer_records or args.records))
        summary = report(results, info)
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2) + "\n")
            print(f"wrote {args.json}")
    finally:
        if generated and not args.keep:
            shutil.rmtree(repo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
