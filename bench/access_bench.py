"""Time `itsm access plan` (and apply) as whole processes on large access repositories.

    python bench/access_bench.py [--runs 3] [--json FILE] [--only file,postgres]

- file: 100 policies with 50,000 grants over 5,000 people, planned against a JSON export
  of 100 groups that differs from them (about 2% missing, 1% extra members).
- postgres: a throwaway cluster (as the tests make it) with 5,000 login roles in 10 group
  roles (5,000 memberships; 2% missing, 1% extra), planned and then applied. The server
  logs every statement, so the bench also counts the statements each run sent: one read
  per system, not one per member.

Each command runs --runs times and the median is reported. The repositories are generated
here, in a temporary folder, and removed at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOW = "2026-11-22T10:00:00Z"
API = "apiVersion: itsm/v1\n"


def write_repo(root: Path, people: int, system: str, policies: list[tuple[str, list[int]]]
               ) -> None:
    """People p00000..., one owner `boss`, and one policy per (role, person indexes)."""
    (root / "records/people").mkdir(parents=True)
    (root / "records/access").mkdir(parents=True)
    (root / "itsm.yaml").write_text("organization: Bench\naccess:\n  max_removals: 1000\n")
    for index in range(people):
        pid = f"p{index:05d}"
        (root / f"records/people/{pid}.yaml").write_text(
            f"{API}kind: Person\nid: {pid}\nname: Person {index}\nemail: {pid}@example.com\n")
    (root / "records/people/boss.yaml").write_text(
        f"{API}kind: Person\nid: boss\nname: Boss\nemail: boss@example.com\n")
    (root / "records/access/sys.yaml").write_text(f"{API}kind: System\nid: sys\n{system}")
    for role, members in policies:
        grants = "".join(f"  - subject: p{m:05d}\n    justification: Bench\n"
                         f"    approved_by: boss\n    approved_at: 2026-10-01T00:00:00Z\n"
                         for m in members)
        (root / f"records/access/{role}.yaml").write_text(
            f"{API}kind: AccessPolicy\nid: {role}\nsystem: sys\nrole: {role}\n"
            f"owners: [boss]\nexclusive: true\ngrants:\n{grants}")


def drifted(members: list[int], people: int, rng: random.Random) -> list[int]:
    """The members as the system has them: 2% missing, 1% extra."""
    kept = [m for m in members if rng.random() >= 0.02]
    extra = rng.sample(range(people), max(1, len(members) // 100))
    return sorted(set(kept) | set(extra))


def timed(command: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None,
          before: Callable[[], None] | None = None) -> tuple[list[float], str]:
    times, output = [], ""
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env,
                              check=False)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 2):
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
        output = done.stdout
    return times, output


def itsm(*args: str) -> list[str]:
    return [sys.executable, "-m", "itsm_as_code", *args]


def bench_file(folder: Path, runs: int) -> dict[str, Any]:
    rng = random.Random(1)
    people, policies = 5000, []
    for index in range(100):
        # 500 distinct people per policy: 50,000 grants in all.
        policies.append((f"role{index:03d}", [(j * 10 + index) % people for j in range(500)]))
    export = {"groups": {role: [f"p{m:05d}" for m in drifted(members, people, rng)]
                         for role, members in policies}}
    root = folder / "file"
    write_repo(root, people, "provider: file\nconnection: {path: export.json}\n", policies)
    (root / "records/export.json").write_text(json.dumps(export))
    times, output = timed(itsm("access", "plan", "--format", "json", "--now", NOW), root, runs)
    validate, _ = timed(itsm("validate", "--format", "json"), root, runs)
    summary = json.loads(output)["summary"]
    return {"grants": 50_000, "policies": 100, "people": people, "plan": times,
            "validate": validate, "summary": summary}


def bench_postgres(folder: Path, runs: int) -> dict[str, Any]:
    from psycopg import sql

    from tests import servers

    rng = random.Random(2)
    people, policies = 5000, []
    for index in range(10):
        policies.append((f"group{index:02d}", list(range(index * 500, index * 500 + 500))))
    with servers.postgres() as server:
        server.execute("ALTER SYSTEM SET log_statement = 'all'",
                       "ALTER SYSTEM SET log_line_prefix = '%a: '", "SELECT pg_reload_conf()")
        roles = ", ".join(f"p{index:05d}" for index in range(people))
        server.execute(f"CREATE ROLE {roles.replace(', ', ' LOGIN; CREATE ROLE ')} LOGIN")
        actual = {role: drifted(members, people, rng) for role, members in policies}

        def reset() -> None:
            statements: list[str | sql.Composable] = []
            for role, _ in policies:
                statements += [f"DROP ROLE IF EXISTS {role}", f"CREATE ROLE {role}",
                               f"GRANT {role} TO itsm_bot WITH ADMIN OPTION"]
                statements.append(f"GRANT {role} TO " + ", ".join(
                    f"p{m:05d}" for m in actual[role]))
            server.execute(*statements)

        root = folder / "postgres"
        write_repo(root, people, "provider: postgres\nconnection: {dsn_env: BENCH_DSN}\n",
                   policies)
        env = {"BENCH_DSN": server.dsn, "PATH": "/usr/bin:/bin"}
        reset()
        log = server.folder / "server.log"

        def statements() -> int:
            # Simple queries log as `statement:`, parameterised ones as `execute <unnamed>:`.
            return sum(1 for line in log.read_text(errors="replace").splitlines()
                       if line.startswith("itsm access: ")
                       and ("statement: " in line or "execute " in line))

        seen = statements()
        plan, output = timed(itsm("access", "plan", "--format", "json", "--now", NOW), root,
                             runs, env)
        plan_statements = (statements() - seen) / runs
        summary = json.loads(output)["summary"]
        seen = statements()
        apply, _ = timed(itsm("access", "apply", "--yes", "--format", "json", "--now", NOW),
                         root, runs, env, before=reset)
        apply_statements = (statements() - seen) / runs
    return {"members": sum(len(m) for m in actual.values()), "roles": 10, "people": people,
            "plan": plan, "plan_statements": plan_statements, "summary": summary,
            "apply": apply, "apply_statements": apply_statements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="file,postgres")
    parser.add_argument("--json", type=Path, default=None)
    options = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="itsm-access-bench-") as folder:
        for name in options.only.split(","):
            run = {"file": bench_file, "postgres": bench_postgres}[name]
            results[name] = run(Path(folder), options.runs)
            for key, value in results[name].items():
                if isinstance(value, list):
                    print(f"{name} {key}: median {statistics.median(value):.2f}s "
                          f"(runs: {', '.join(f'{v:.2f}' for v in value)})")
                else:
                    print(f"{name} {key}: {value}")
    if options.json is not None:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
