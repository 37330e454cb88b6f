"""Check-ins: one file per run of a routine, and reading them back.

A check-in is a small YAML file, `ops/checkins/<routine>/<YYYY-MM>/<UTC time>-<token>.yaml`
(the month keeps each folder small), at the top of the ops branch (`itsm/ops`, made for
check-ins alone) or in the work tree beside itsm.yaml:

    routine: nightly-db-backup
    status: ok
    at: 2026-11-22T02:14:03Z
    evidence: {size: 52428800, checksum: "sha256:9f86d081884c7d65"}

Every run writes a new file with a random token in its name, so two runs never write the
same file, and a commit of one only adds it. Files are read as hostile input: a file that
does not load, is not a check-in, or names another routine than its folder is a finding
(a warning: the check goes on without it), never an error that stops the check.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import yaml

from itsm_as_code.findings import Finding
from itsm_as_code.model.readers.values import instant
from itsm_as_code.store.loader import Limits, parse_bytes

FOLDER = "ops/checkins"
RULE = "checkin"
MAX_EVIDENCE = 20
Status = Literal["ok", "failed"]
STATUSES: tuple[Status, ...] = ("ok", "failed")


@dataclass(frozen=True)
class CheckIn:
    """One run as it reported: when it ran, how it ended, what it showed."""

    routine: str
    status: Status
    at: datetime  # UTC
    evidence: Mapping[str, object] = field(default_factory=dict)
    path: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def file_path(checkin: CheckIn, token: str | None = None) -> str:
    """Where a new check-in is written, from the top of the branch or the ITSM root."""
    at = checkin.at.astimezone(timezone.utc)
    token = token or secrets.token_hex(4)
    return f"{FOLDER}/{checkin.routine}/{at:%Y-%m}/{at:%Y%m%dT%H%M%SZ}-{token}.yaml"


def dump(checkin: CheckIn) -> str:
    data: dict[str, object] = {
        "routine": checkin.routine, "status": checkin.status,
        "at": checkin.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if checkin.evidence:
        data["evidence"] = dict(checkin.evidence)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def parse(raw: bytes, path: str, limits: Limits, shown: str | None = None
          ) -> CheckIn | Finding:
    """The check-in a file at `path` (relative to its top) holds, or a warning that says
    why it is none; findings name it `shown` (default `path`)."""
    shown = shown or path
    data = parse_bytes(raw, shown, limits)
    if isinstance(data, Finding):
        return Finding(data.path, data.line, data.column, RULE,
                       f"not read: {data.message}", None, "warning")
    folder = path.split("/")[2] if path.count("/") >= 3 else None
    problem = _problem(data, folder)
    if problem is not None:
        return Finding(shown, 1, 1, RULE, f"not a check-in: {problem}", None, "warning")
    evidence = data.get("evidence") or {}
    return CheckIn(data["routine"], data["status"], instant(data["at"]), dict(evidence), shown)


def _problem(data: dict[str, object], folder: str | None) -> str | None:
    unknown = sorted(set(data) - {"routine", "status", "at", "evidence"})
    if unknown:
        return f"unknown field(s) {', '.join(map(repr, unknown))}"
    if data.get("routine") != folder:
        return "its `routine` differs from the folder it is in"
    if data.get("status") not in STATUSES:
        return "`status` is neither ok nor failed"
    at = data.get("at")
    try:
        if not isinstance(at, str):
            raise ValueError
        instant(at)
    except (ValueError, OverflowError):
        return "`at` is not an RFC 3339 time with an offset"
    evidence = data.get("evidence", {})
    if evidence is not None and (not isinstance(evidence, dict) or len(evidence) > MAX_EVIDENCE
                                 or not all(isinstance(k, str) for k in evidence)):
        return f"`evidence` is not a mapping of at most {MAX_EVIDENCE} keys"
    return None


@dataclass
class Found:
    """Every check-in read, by routine (oldest first), and the files that were not."""

    runs: dict[str, list[CheckIn]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, result: CheckIn | Finding) -> None:
        if isinstance(result, Finding):
            self.findings.append(result)
        else:
            self.runs.setdefault(result.routine, []).append(result)

    def sort(self) -> Found:
        for runs in self.runs.values():
            runs.sort(key=lambda run: (run.at, run.path))
        self.findings.sort()
        return self


def work_tree_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The check-in files in the work tree (links and hidden entries left out)."""
    start = root / FOLDER
    if not start.is_dir() or start.is_symlink():
        return
    for path in sorted(start.rglob("*.yaml")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or path.is_symlink() \
                or any(parent.is_symlink() for parent in path.parents if root in parent.parents):
            continue
        yield relative.as_posix(), path
