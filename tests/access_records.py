"""Repositories for the access tests: people, a team, systems and policies, written as
records from plain data, so each test states exactly the access it starts from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp

NOW = "2026-11-22T10:00:00Z"
PAST = "2026-11-01T00:00:00Z"
FUTURE = "2027-06-30T00:00:00Z"

# olga owns the policies; ops is ada and ben (whose database account is ben_ops); cleo has
# left; dan's grant has expired; eve's runs until next summer; mallory has no grant.
PEOPLE: dict[str, dict[str, Any]] = {
    "olga": {}, "ada": {}, "ben": {"accounts": {"db": "ben_ops"}},
    "cleo": {"status": "left", "left_at": "2026-10-01T00:00:00Z"}, "dan": {}, "eve": {},
    "mallory": {},
}
TEAMS = {"ops": ["ada", "ben"]}


def grant(subject: str, *, by: str = "olga", expires: str | None = None,
          approved_at: str = "2026-10-01T00:00:00Z") -> dict[str, Any]:
    found: dict[str, Any] = {"subject": subject, "justification": "Needed for the work.",
                             "approved_by": by, "approved_at": approved_at}
    if expires is not None:
        found["expires"] = expires
    return found


def system(record_id: str, provider: str, connection: dict[str, Any],
           break_glass: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"kind": "System", "id": record_id, "provider": provider,
                             "connection": connection}
    if break_glass:
        found["break_glass"] = break_glass
    return found


def policy(record_id: str, system_id: str, role: str, grants: list[dict[str, Any]],
           exclusive: bool = True, **more: Any) -> dict[str, Any]:
    return {"kind": "AccessPolicy", "id": record_id, "system": system_id, "role": role,
            "owners": ["olga"], "exclusive": exclusive, "grants": grants, **more}


def readers_policy(system_id: str = "db", role: str = "app_readers") -> dict[str, Any]:
    """The exclusive policy every reason shows up in."""
    return policy("readers", system_id, role, [
        grant("ops"), grant("dan", expires=PAST), grant("cleo"), grant("eve", expires=FUTURE),
    ])


def write_repo(root: Path, *records: dict[str, Any], settings: str = "",
               teams: dict[str, list[str]] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "itsm.yaml").write_text(f"organization: Test Ltd\n{settings}")
    systems = {record["id"] for record in records if record["kind"] == "System"}
    for person, extra in PEOPLE.items():
        data = {"kind": "Person", "id": person, "name": person.title(),
                "email": f"{person}@example.com", **extra}
        # Accounts only on the systems this repository has (others are reference errors).
        accounts = {key: value for key, value in extra.get("accounts", {}).items()
                    if key in systems}
        data.pop("accounts", None)
        if accounts:
            data["accounts"] = accounts
        _write(root / "records/people", data)
    for team, members in (TEAMS if teams is None else teams).items():
        _write(root / "records/teams", {"kind": "Team", "id": team, "name": team.title(),
                                        "members": members})
    for record in records:
        _write(root / "records/access", record)
    return root


def _write(folder: Path, record: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"apiVersion": "itsm/v1", **record}, sort_keys=False)
    (folder / f"{record['id']}.yaml").write_text(text)


def context(root: Path, now: str = NOW) -> RunContext:
    """The run context of the repository at `root`, as of `now`."""
    return RunContext(load_repository(load_config(root)), parse_timestamp(now))
