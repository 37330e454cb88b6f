"""Test helpers: example repositories, a runner for the `itsm` command line, one `NOW`, and
builders of valid record data with keyword overrides (one `incident(...)` for every test)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from itsm_as_code.authoring.writer import render
from itsm_as_code.cli.main import cli
from itsm_as_code.config import Config
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import Repository
from itsm_as_code.timefmt import parse_timestamp

EXAMPLES = Path(__file__).parent / "acceptance" / "examples"
BASE = EXAMPLES / "base"
DEMO = Path(__file__).parent.parent
# The moment tests run at unless they say otherwise (the demo's `--now` too).
NOW_TEXT = "2026-11-22T10:00:00+01:00"
NOW = parse_timestamp(NOW_TEXT)
Data = dict[str, Any]


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_itsm(*args: str, cwd: Path, stdin: str | None = None) -> Result:
    """Run `itsm ARGS...` started in `cwd`, in this process, through the real error boundary."""
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="itsm")
    finally:
        os.chdir(before)
    return Result(result.exit_code, result.stdout, result.stderr)


def example_repo(target: Path, *overlays: Path) -> Path:
    """A copy of the base example repository with each overlay folder copied on top.

    An overlay may hold `remove.txt`, listing base paths to delete; `expected.txt` and
    `README.md` in an overlay describe the case and are not copied.
    """
    shutil.copytree(BASE, target)
    for overlay in overlays:
        removals = overlay / "remove.txt"
        if removals.exists():
            for line in removals.read_text().split():
                (target / line).unlink()
        for source in overlay.rglob("*"):
            relative = source.relative_to(overlay)
            if source.is_dir() or relative.as_posix() in ("remove.txt", "expected.txt",
                                                           "README.md"):
                continue
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / relative)
    return target


# -- record data: each builder gives a record that passes its schema and the rules ------

def _record(kind: str, record_id: str, fields: Data, overrides: Data) -> Data:
    return {"apiVersion": "itsm/v1", "kind": kind, "id": record_id, **fields, **overrides}


def affected(service: str = "web", status: str = "partial_outage") -> Data:
    """One item of an incident's `services` (or of a timeline entry's)."""
    return {"id": service, "status": status}


def incident(record_id: str = "INC-0001", **overrides: Any) -> Data:
    """An open incident on `web`, opened an hour before NOW with one public update."""
    opened = "2026-11-22T09:00:00+01:00"
    return _record("Incident", record_id, {
        "title": "Website returns errors", "services": [affected()], "impact": "medium",
        "urgency": "medium", "priority": "P3", "status": "investigating", "opened_at": opened,
        "timeline": [{"at": opened, "status": "investigating",
                      "message": "We are investigating errors on the website."}],
    }, overrides)


def problem(record_id: str = "PRB-0001", **overrides: Any) -> Data:
    return _record("Problem", record_id, {
        "title": "Website errors keep coming back", "status": "new",
        "opened_at": "2026-11-01T09:00:00+01:00",
    }, overrides)


def service(record_id: str = "web", **overrides: Any) -> Data:
    return _record("Service", record_id, {"name": record_id.title(), "owner": "ops"},
                   overrides)


def person(record_id: str = "ada", **overrides: Any) -> Data:
    return _record("Person", record_id, {"name": record_id.title(),
                                         "email": f"{record_id}@example.org"}, overrides)


def team(record_id: str = "ops", **overrides: Any) -> Data:
    return _record("Team", record_id, {"name": record_id.title(), "members": ["ada"]},
                   overrides)


def maintenance(record_id: str = "MNT-0001", **overrides: Any) -> Data:
    """A window scheduled for the night after NOW."""
    return _record("Maintenance", record_id, {
        "title": "Database upgrade", "services": ["web"],
        "scheduled_start": "2026-11-23T02:00:00+01:00",
        "scheduled_end": "2026-11-23T04:00:00+01:00", "status": "scheduled",
    }, overrides)


def known_error(record_id: str = "KE-0001", **overrides: Any) -> Data:
    return _record("KnownError", record_id, {
        "title": "Website errors after a deploy", "status": "open",
        "symptoms": "The website returns errors.", "workaround": "Restart the web servers.",
    }, overrides)


def request(record_id: str = "REQ-0001", **overrides: Any) -> Data:
    """A service request `ada` submitted an hour before NOW."""
    return _record("ServiceRequest", record_id, {
        "title": "Access to the database", "service": "web", "requested_by": "ada",
        "status": "submitted", "priority": "P3", "opened_at": "2026-11-22T09:00:00+01:00",
    }, overrides)


def calendar(record_id: str = "office", **overrides: Any) -> Data:
    """Office hours in Berlin: 09:00-17:00 on weekdays."""
    return _record("Calendar", record_id, {
        "timezone": "Europe/Berlin",
        "hours": {day: ["09:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
    }, overrides)


def sla(record_id: str = "standard", **overrides: Any) -> Data:
    return _record("SLA", record_id, {
        "name": record_id.title(), "type": "SLA",
        "targets": {"P1": {"response": "15m", "resolution": "4h"},
                    "P2": {"response": "1h", "resolution": "1d"}},
    }, overrides)


def system(record_id: str = "db", **overrides: Any) -> Data:
    return _record("System", record_id, {"provider": "postgres",
                                         "connection": {"dsn_env": "DB_DSN"}}, overrides)


def grant(subject: str = "ben", **overrides: Any) -> Data:
    """One item of an access policy's `grants`."""
    return {"subject": subject, "justification": "On-call", "approved_by": "ada", **overrides}


def policy(record_id: str = "db-readers", **overrides: Any) -> Data:
    """`ben` may read the database `db`; `ada` owns the policy and approved the grant."""
    return _record("AccessPolicy", record_id, {
        "system": "db", "role": "readers", "owners": ["ada"], "exclusive": False,
        "grants": [grant()],
    }, overrides)


def record(data: Data) -> Record:
    """A Record of `data`, in its kind's folder, whose source is `data` as YAML (so that
    findings have true lines)."""
    text = render(data)
    path = f"records/{KINDS[data['kind']].folder}/{data['id']}.yaml"
    return Record(data["kind"], data["id"], path, data, lambda: text)


def copy_demo(root: Path) -> Path:
    """A copy of the demo organisation (settings, records, schemas) at `root`."""
    for name in ("records", "schemas"):
        shutil.copytree(DEMO / name, root / name)
    shutil.copyfile(DEMO / "itsm.yaml", root / "itsm.yaml")
    return root


def write(root: Path, *records: Data) -> None:
    """Write each record's YAML to its kind's folder of the repository at `root`."""
    for data in records:
        path = root / record(data).path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(data), encoding="utf-8")


def repository(*records: Data, root: Path = Path("/nowhere"), **settings: Any) -> Repository:
    """A repository of these records, held in memory (nothing is read from `root`)."""
    return Repository(Config(root, "Test", **settings), [record(data) for data in records])


def context(*records: Data, now: Any = NOW, **settings: Any) -> RunContext:
    """A run over these records, at `now`."""
    return RunContext(repository(*records, **settings), now)
