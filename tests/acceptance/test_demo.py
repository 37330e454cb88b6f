"""The demo organisation in records/ is what every command runs on by default."""

from __future__ import annotations

from collections import Counter

from itsm_as_code.config import load_config
from itsm_as_code.store.repository import Repository, load_repository
from tests.helpers import DEMO, NOW_TEXT, run_itsm


def _demo() -> Repository:
    return load_repository(load_config(DEMO))


def test_demo_validates() -> None:
    result = run_itsm("validate", cwd=DEMO)
    assert result.code == 0, result.stdout
    assert result.stdout == f"ok: {len(_demo().records)} records valid\n"


def test_demo_run_passes() -> None:
    # The demo is frozen at this moment: later, its open incidents breach their SLAs.
    result = run_itsm("run", "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 0, result.stdout + result.stderr
    assert result.lines[-1].endswith("all passed")


def test_demo_has_what_a_newcomer_should_see() -> None:
    repo = _demo()
    kinds = Counter(record.kind for record in repo.records)
    minimum = {"Service": 8, "Person": 5, "Team": 2, "Calendar": 2, "SLA": 2, "Incident": 25,
               "Problem": 3, "KnownError": 3, "ServiceRequest": 3, "Maintenance": 1,
               "System": 2, "AccessPolicy": 2}
    assert {kind: kinds[kind] for kind in minimum} == {
        kind: max(kinds[kind], count) for kind, count in minimum.items()
    }
    services = repo.of_kind("Service")
    assert len({s.get("group") for s in services}) >= 2
    assert any(s.get("visibility") == "internal" for s in services)
    assert any(p.get("status") == "left" for p in repo.of_kind("Person"))
    assert any(c.get("holidays") for c in repo.of_kind("Calendar"))
    statuses = Counter(i.get("status") for i in repo.of_kind("Incident"))
    assert statuses["resolved"] and statuses["closed"]
    assert sum(statuses[s] for s in ("investigating", "identified", "monitoring", "on_hold"))
    assert any(i.get("major") for i in repo.of_kind("Incident"))
