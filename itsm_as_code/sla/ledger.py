"""The breaches `itsm sla check` has already reported, kept in git (`--ledger BRANCH`).

A scheduled check that fails for as long as one clock stays breached fails about 96
times a day for the same news. The ledger remembers what was reported, so a breach
fails one run, the run where it is first seen; later runs show it as a notice. Runners
keep nothing between runs, so the ledger is a plain JSON file, `sla/reported.json`, on a
branch of the repository's own (by convention `itsm/state`), read from git's objects and
committed without a checkout through a compare-and-swap (git/commit.py): a run whose
branch moved meanwhile reads the ledger again and redoes its update, never overwriting.

The file:

    {"version": 1, "reported": [{"record": "INC-0042", "service": "web",
      "sla": "standard", "metric": "response", "breached_at": "...",
      "reported_at": "..."}, ...]}

A breach is one clock: record, service, SLA and metric. It leaves the ledger when it
ended: the clock stopped, or is no longer breached, or the record is gone. An entry a
later run wrote (`reported_at` after this run's `now`) is kept, since this run cannot
know about it yet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.git.commit import Branch, Identity
from itsm_as_code.git.onbranch import Change, Target, commit_on_branch
from itsm_as_code.sla.check import BreachKey, SlaCheck, breach_key
from itsm_as_code.sla.history import instant_of, moment_of, show
from itsm_as_code.timefmt import parse_timestamp

LEDGER_FILE = "sla/reported.json"
VERSION = 1
NEEDS = "--ledger"
FIELDS = ("record", "service", "sla", "metric", "breached_at", "reported_at")


@dataclass(frozen=True)
class LedgerTarget:
    """`--ledger BRANCH [--commit]`: where the ledger is, and whether to update it."""

    branch: str
    commit: bool = False
    author: Identity | None = None


@dataclass(frozen=True)
class LedgerRun:
    """What the ledger said and what became of it in one run."""

    branch: str
    new: list[BreachKey]  # breaches reported for the first time by this run
    known: list[BreachKey]  # breaches an earlier run reported
    ended: list[BreachKey]  # breaches that left the ledger
    commit: str | None = None  # the ledger's new commit, with --commit
    attempts: int = 1

    def lines(self, committing: bool) -> list[str]:
        """The lines the check ends with: what the ledger holds, and what changed in it."""
        said = (f"ledger {self.branch}:{LEDGER_FILE}: {len(self.new)} new breach(es), "
                f"{len(self.known)} reported before, {len(self.ended)} ended")
        if self.commit is not None:
            retried = f" after {self.attempts - 1} retry(ies)" if self.attempts > 1 else ""
            return [f"{said}; committed {self.commit[:7]} to {self.branch}{retried}"]
        if committing or not (self.new or self.ended):
            return [f"{said}; unchanged" if committing else said]
        return [f"{said}; not committed (--commit records them)"]


def check_with_ledger(result: SlaCheck, root: Path, target: LedgerTarget,
                      ) -> tuple[SlaCheck, LedgerRun]:
    """`result` with the breaches the ledger holds marked as reported before (they fail
    no run), and, with `target.commit`, the ledger updated on its branch."""
    def change(branch: Branch) -> Change[tuple[SlaCheck, LedgerRun]]:
        entries = _parse(branch.find(LEDGER_FILE), target.branch)
        marked, run, updated = _reconcile(result, entries, target.branch)
        if not target.commit or updated == entries:
            return Change((marked, run), {})
        return Change((marked, run), {LEDGER_FILE: _dump(updated, result.zone)}, _message(run))

    # Read again on every attempt: what a run committed meanwhile counts.
    done = commit_on_branch(root, Target(target.branch, target.author), moment_of(result.now),
                            change, action="itsm sla check", needs=NEEDS, own_tree=True)
    marked, run = done.value
    return marked, replace(run, commit=done.commit, attempts=done.attempts)


Entries = dict[BreachKey, dict[str, int]]  # breached_at and reported_at, as instants


def _reconcile(result: SlaCheck, entries: Entries, branch: str,
               ) -> tuple[SlaCheck, LedgerRun, Entries]:
    breached = {breach_key(clock): clock for clock in result.clocks
                if clock.running and clock.state == "breached"}
    known = [key for key in breached if key in entries]
    new = [key for key in breached if key not in entries]
    ended = [key for key, entry in entries.items()
             if key not in breached and entry["reported_at"] <= result.now]
    updated = {key: entry for key, entry in entries.items() if key not in ended}
    for key in new:
        updated[key] = {"breached_at": breached[key].breached_at or result.now,
                        "reported_at": result.now}
    marked = replace(result, reported=frozenset(known))
    return marked, LedgerRun(branch, sorted(new), sorted(known), sorted(ended)), updated


def _parse(raw: bytes | None, branch: str) -> Entries:
    if raw is None:
        return {}
    where = f"{branch}:{LEDGER_FILE}"
    try:
        data: Any = json.loads(raw)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} ledger")
        return {(item["record"], item["service"], item["sla"], item["metric"]): {
            "breached_at": instant_of(parse_timestamp(item["breached_at"])),
            "reported_at": instant_of(parse_timestamp(item["reported_at"]))}
            for item in data["reported"]}
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        raise UsageError(f"{NEEDS}: {where} cannot be read ({error}): fix the file on the "
                         f"branch, or delete it to report every standing breach once more"
                         ) from None


def _dump(entries: Entries, zone: tzinfo) -> str:
    reported = [dict(zip(FIELDS, (*key, show(entry["breached_at"], zone),
                                  show(entry["reported_at"], zone)), strict=True))
                for key, entry in sorted(entries.items())]
    return json.dumps({"version": VERSION, "reported": reported}, indent=2) + "\n"


def _message(run: LedgerRun) -> str:
    lines = [f"new: {' '.join(key)}" for key in run.new]
    lines += [f"ended: {' '.join(key)}" for key in run.ended]
    return (f"itsm sla check: {len(run.new)} new breach(es), {len(run.ended)} ended\n\n"
            + "\n".join(lines) + "\n")
