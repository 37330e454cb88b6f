"""Repositories for the access tests: people, a team, systems and policies, written as
records from plain data, so each test states exactly the access it starts from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.repository import load_repository
from itsm_as_code.timefmt import parse_timestamp
from tests import helpers

# The moment access is reconciled (planned, applied, reviewed) in these tests: an hour
# after helpers.NOW, written in UTC as evidence files record and name it.
RECONCILED_AT = "2026-11-22T10:00:00Z"
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
    more = {} if expires is None else {"expires": expires}
    return helpers.grant(subject, justification="Needed for the work.", approved_by=by,
                         approved_at=approved_at, **more)


def system(record_id: str, provider: str, connection: dict[str, Any],
           break_glass: list[str] | None = None) -> dict[str, Any]:
    more = {"break_glass": break_glass} if break_glass else {}
    return helpers.system(record_id, provider=provider, connection=connection, **more)


def policy(record_id: str, system_id: str, role: str, grants: list[dict[str, Any]],
           exclusive: bool = True, **more: Any) -> dict[str, Any]:
    return helpers.policy(record_id, **{"system": system_id, "role": role, "owners": ["olga"],
                                        "exclusive": exclusive, "grants": grants, **more})


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
        # Accounts only on the systems this repository has (others are reference errors).
        accounts = {key: value for key, value in extra.get("accounts", {}).items()
                    if key in systems}
        fields = {key: value for key, value in extra.items() if key != "accounts"}
        if accounts:
            fields["accounts"] = accounts
        helpers.write(root, helpers.person(person, email=f"{person}@example.com", **fields))
    for team, members in (TEAMS if teams is None else teams).items():
        helpers.write(root, helpers.team(team, members=members))
    helpers.write(root, *records)
    return root


def context(root: Path, now: str = RECONCILED_AT) -> RunContext:
    """The run context of the repository at `root`, as of `now`."""
    return RunContext(load_repository(load_config(root)), parse_timestamp(now))
