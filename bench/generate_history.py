"""Generate a synthetic ITSM repository with a long git history, for the history benchmarks.

    python bench/generate_history.py OUT_DIR [--records 10000] [--commits 50000] [--seed 1]

The records are generate.py's (the same writers, the same final files). Their history is
then made up: one commit with itsm.yaml and the reference records (services, teams,
people, calendars, SLAs, access), one commit per problem, known error, request and
maintenance window, and every incident written over several commits: opened (status
new, no timeline), then one commit per timeline entry (the status, acknowledged_at,
resolved_at and closed_at that go with it), plus reassignments of random open incidents
until the history has --commits commits. Each commit is made at the time of the event it
records plus 1-30 minutes, by one of eight authors, so `itsm audit` finds nothing. The
history is linear, on `main`.

Commits are made with pygit2 directly: blobs, then each changed folder's tree from its
previous tree plus one entry (TreeBuilder), then the commit; no work tree until the end,
when `main` is checked out and the objects are packed (`git repack`).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pygit2
from generate import (
    Repo,
    counts,
    gen_config,
    gen_incidents,
    gen_maintenance,
    gen_reference,
    gen_requests,
)

AUTHORS = [(f"{name} Example", f"{name.lower()}@example.com")
           for name in ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana")]
STAMP = re.compile(r"(?:opened_at|at|scheduled_start): (\d{4}-\d\d-\d\dT[^\s]+)")


@dataclass
class Capture(Repo):
    """generate.py's Repo, keeping the files in memory instead of writing them."""

    files: dict[str, str] = field(default_factory=dict)

    def write(self, rel: str, text: str) -> None:
        self.files[f"records/{rel}"] = text
        self.written += 1


@dataclass
class Incident:
    path: str
    head: str
    entries: list[str]
    tail: str
    assignee: str
    members: list[str]
    applied: int = 0

    def text(self) -> str:
        done = self.entries[:self.applied]
        statuses = [m.group(1) for e in done if (m := re.search(r"status: (\w+)", e))]
        head = re.sub(r"\nstatus: \w+\n", f"\nstatus: {statuses[-1] if statuses else 'new'}\n",
                      self.head)
        for name, status in (("acknowledged_at", "investigating"),
                             ("resolved_at", "resolved"), ("closed_at", "closed")):
            if status not in statuses:
                head = re.sub(rf"\n{name}: [^\n]+\n", f"\n{name}: null\n", head)
        head = re.sub(r"\nassignee: [^\n]+\n", f"\nassignee: {self.assignee}\n", head)
        timeline = "timeline:\n" + "".join(done) if done else ""
        final = self.applied == len(self.entries)
        return head + timeline + (self.tail if final else "")


def split(path: str, text: str, teams: dict[str, list[str]]) -> Incident:
    head, rest = text.split("timeline:\n", 1)
    cut = rest.find("postmortem:")
    body, tail = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    entries = [e for e in re.split(r"(?m)^(?=  - at: )", body) if e]
    team = re.search(r"\nteam: (\S+)\n", head)
    assignee = re.search(r"\nassignee: (\S+)\n", head)
    members = teams[team.group(1)] if team else []
    return Incident(path, head, entries, tail, assignee.group(1) if assignee else "", members)


def seconds(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).timestamp())


class Writer:
    """Commits one file at a time onto `main`, rebuilding only the folders on its path."""

    def __init__(self, repo: pygit2.Repository) -> None:
        self.repo = repo
        self.trees: dict[str, pygit2.Oid] = {}
        self.parent: list[pygit2.Oid] = []
        self.made = 0

    def put(self, path: str, text: str) -> None:
        folders = path.split("/")[:-1]
        name, oid = path.rsplit("/", 1)[-1], self.repo.create_blob(text.encode("utf-8"))
        mode = pygit2.GIT_FILEMODE_BLOB
        for depth in range(len(folders), -1, -1):
            folder = "/".join(folders[:depth])
            builder = (self.repo.TreeBuilder(self.trees[folder]) if folder in self.trees
                       else self.repo.TreeBuilder())
            builder.insert(name, oid, mode)
            oid = self.trees[folder] = builder.write()
            name, mode = (folders[depth - 1] if depth else ""), pygit2.GIT_FILEMODE_TREE

    def commit(self, when: int, message: str, rng: random.Random) -> None:
        name, email = rng.choice(AUTHORS)
        signature = pygit2.Signature(name, email, when, 60)
        oid = self.repo.create_commit(None, signature, signature, message, self.trees[""],
                                      self.parent)
        self.parent = [oid]
        self.made += 1


def generate(out: Path, records: int, commits: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        gen_config(Path(scratch))
        config = (Path(scratch) / "itsm.yaml").read_text(encoding="utf-8")
    source = Capture(random.Random(seed), out)
    c = counts(records)
    gen_reference(source, c)
    gen_requests(source, c)
    gen_incidents(source, c, 0)
    gen_maintenance(source, c)
    repo = pygit2.init_repository(str(out), initial_head="main")
    writer = Writer(repo)
    events: list[tuple[int, int, str, str]] = []  # (time, order, path, what)
    incidents: dict[str, Incident] = {}
    first = min(seconds(m.group(1)) for m in STAMP.finditer("".join(source.files.values())))
    writer.put("itsm.yaml", config)
    for path, text in source.files.items():
        if "/incidents/" in path:
            incidents[path] = split(path, text, source.teams)
            found = incidents[path]
            opened = seconds(STAMP.search(found.head).group(1))  # type: ignore[union-attr]
            events.append((opened + rng.randint(60, 600), len(events), path, "opened"))
            for k, entry in enumerate(found.entries, start=1):
                at = seconds(STAMP.search(entry).group(1))  # type: ignore[union-attr]
                events.append((at + rng.randint(60, 1800), len(events), path, f"entry {k}"))
        elif any(f"records/{kind}/" in path for kind in ("problems", "known-errors",
                                                         "requests", "maintenance")):
            stamp = min(seconds(m.group(1)) for m in STAMP.finditer(text))
            events.append((stamp + rng.randint(60, 1800), len(events), path, "created"))
        else:
            writer.put(path, text)
    writer.commit(first - 86400, "Reference records", rng)
    times: dict[str, list[int]] = {}
    for when, _, path, _ in events:
        times.setdefault(path, []).append(when)
    # Reassignments fall between the opening and the last entry, so a closed incident is
    # never touched again.
    movable = [p for p in incidents
               if incidents[p].members and max(times[p]) - min(times[p]) > 2]
    while len(events) + writer.made < commits:
        path = rng.choice(movable)
        low, high = min(times[path]), max(times[path])
        events.append((rng.randint(low + 1, high - 1), len(events), path, "reassigned"))
    events.sort()
    for when, _, path, what in events:
        record = path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if path not in incidents:
            writer.put(path, source.files[path])
        else:
            found = incidents[path]
            if what.startswith("entry"):
                found.applied += 1
            elif what == "reassigned":
                found.assignee = rng.choice(found.members)
            writer.put(path, found.text())
        writer.commit(when, f"{record}: {what}", rng)
    repo.references.create("refs/heads/main", writer.parent[0])
    repo.reset(writer.parent[0], pygit2.enums.ResetMode.HARD)
    # Packed, as a clone or `git gc` leaves a repository: loose objects would slow every
    # reader, git included.
    subprocess.run(["git", "-C", str(out), "repack", "-a", "-d", "-q"], check=True)
    subprocess.run(["git", "-C", str(out), "prune"], check=True)
    return writer.made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to create (must be empty or missing)")
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--commits", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if any(args.out.iterdir()):
        raise SystemExit(f"{args.out} is not empty")
    started = time.perf_counter()
    made = generate(args.out, args.records, args.commits, args.seed)
    print(f"{args.records} records, {made} commits in {args.out} "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
