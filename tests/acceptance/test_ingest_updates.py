"""`itsm event ingest` never rewrites an incident that exists: what an ingest does to it is
one update file beside it, so the record's comments survive and two ingests (or an ingest
and a responder) on two branches merge without a conflict."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pygit2
import pytest

from itsm_as_code.authoring.ids import next_id
from itsm_as_code.config import load_config
from itsm_as_code.store.repository import load_repository
from itsm_as_code.yamlsafe import load
from tests.helpers import DEMO, copy_demo, run_itsm
from tests.history_repos import git

ALERTS = DEMO / "examples" / "alerts"
FIRST = next_id("INC", [p.stem for p in (DEMO / "records/incidents").rglob("*.yaml")])
NEW = f"records/incidents/2026/11/{FIRST}.yaml"
UPDATES = f"records/incidents/2026/11/{FIRST}.updates"
NAME = re.compile(r"(\d{8}T\d{6}Z)-update-[0-9a-f]{6}\.yaml")
OPENER = "a3f29c1e7b4d5068"  # the fingerprint of firing-critical.json's alert
HEADER = f"# An update to {FIRST}: one timeline entry, read after the record's own.\n"
# What people add to an incident file by hand: comments, a blank line, a quoted value.
COMMENTED = (
    ("title: Checkout API", "# Paged the payments on-call at 09:16.\n\ntitle: Checkout API"),
    ("impact: high\n", "impact: high  # customers cannot pay\n"),
    ("urgency: high\n", "urgency: 'high'\n"),
)


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ITSM_NO_CACHE", "1")
    return copy_demo(tmp_path / "demo")


def ingest(root: Path, payload: str, *options: str) -> Any:
    if payload.endswith(".json"):
        return run_itsm("event", "ingest", str(ALERTS / payload), *options, cwd=root)
    return run_itsm("event", "ingest", "-", *options, cwd=root, stdin=payload)


def alert(fingerprint: str, at: str, status: str = "firing") -> dict[str, Any]:
    """An alert on payments-api; the one with the demo payload's fingerprint has its name."""
    name = "CheckoutErrorRateHigh" if fingerprint == OPENER else f"Checkout{fingerprint}"
    return {"status": status, "fingerprint": fingerprint, "startsAt": at,
            "endsAt": at if status == "resolved" else "0001-01-01T00:00:00Z",
            "labels": {"alertname": name, "service": "payments-api",
                       "severity": "critical"},
            "annotations": {"summary": "Checkout is slow"}}


def webhook(*alerts: dict[str, Any]) -> str:
    return json.dumps({"version": "4", "status": "firing", "alerts": list(alerts)})


def update_files(root: Path) -> list[Path]:
    return sorted((root / UPDATES).glob("*.yaml"))


def folded(root: Path) -> dict[str, Any]:
    """The incident as every command reads it: its record file with its updates folded in."""
    record = load_repository(load_config(root)).get(FIRST)
    assert record is not None
    return record.data


def commented(root: Path) -> bytes:
    """Open the incident, then edit its file as a person does; its bytes."""
    assert ingest(root, "firing-critical.json").code == 0
    text = (root / NEW).read_text(encoding="utf-8")
    for old, new in COMMENTED:
        assert old in text
        text = text.replace(old, new, 1)
    (root / NEW).write_text(text, encoding="utf-8")
    assert run_itsm("validate", cwd=root).code == 0
    return (root / NEW).read_bytes()


def test_a_commented_incident_survives_an_ingest_byte_for_byte(demo: Path) -> None:
    before = commented(demo)
    result = ingest(demo, "resolved.json")
    assert result.code == 0, result.stderr
    assert result.lines == [
        f"{NEW}:1:1: notice: CheckoutErrorRateHigh resolved: {FIRST} is monitoring [resolved]",
        "1 alert(s): 1 resolved; wrote 1 file(s)"]
    assert (demo / NEW).read_bytes() == before
    [update] = update_files(demo)
    assert NAME.fullmatch(update.name)
    assert update.name.startswith("20261124T095230Z-")
    assert update.read_text(encoding="utf-8") == HEADER + (
        "at: 2026-11-24T09:52:30Z\n"
        "status: monitoring\n"
        "public: false\n"
        "message: Alert CheckoutErrorRateHigh resolved at 2026-11-24T09:52:30Z.\n"
        "alerts:\n"
        f"- fingerprint: {OPENER}\n"
        "  resolved_at: 2026-11-24T09:52:30Z\n")
    assert run_itsm("validate", cwd=demo).code == 0


def test_the_update_is_read_back_folded_and_a_repeat_changes_nothing(demo: Path) -> None:
    before = commented(demo)
    ingest(demo, "resolved.json")
    incident = folded(demo)
    assert incident["status"] == "monitoring"
    assert incident["alerts"][0]["resolved_at"] == "2026-11-24T09:52:30Z"
    assert incident["alerts"][0]["name"] == "CheckoutErrorRateHigh"
    assert incident["timeline"][-1]["status"] == "monitoring"
    updates = {path: path.read_bytes() for path in update_files(demo)}
    again = ingest(demo, "resolved.json")
    assert again.lines[-1] == "1 alert(s): 1 duplicate; nothing to change"
    assert {path: path.read_bytes() for path in update_files(demo)} == updates
    assert (demo / NEW).read_bytes() == before


def test_an_ingest_writes_one_update_per_incident_whatever_its_alerts_did(demo: Path) -> None:
    config = demo / "itsm.yaml"
    config.write_text(config.read_text() + "events:\n  resolve_incident: true\n")
    before = commented(demo)
    result = ingest(demo, webhook(
        alert("beef", "2026-11-24T09:20:00Z"),
        {**alert(OPENER, "2026-11-24T09:14:00Z", "resolved"),
         "endsAt": "2026-11-24T09:30:00Z"},
        {**alert("beef", "2026-11-24T09:20:00Z", "resolved"), "endsAt": "2026-11-24T09:31:00Z"}))
    assert result.code == 0, result.stderr
    assert result.lines[-1] == "3 alert(s): 1 joined, 2 resolved; wrote 1 file(s)"
    assert (demo / NEW).read_bytes() == before
    [update] = update_files(demo)
    entry = load(update.read_text(encoding="utf-8"), 100)
    assert entry == {
        "at": "2026-11-24T09:31:00Z", "status": "resolved", "public": False,
        "message": "Alert Checkoutbeef started firing at 2026-11-24T09:20:00Z on payments-api: "
                   "Checkout is slow\n\n"
                   "Alert CheckoutErrorRateHigh resolved at 2026-11-24T09:30:00Z; 1 other "
                   "alert(s) still firing.\n\n"
                   "Alert Checkoutbeef resolved at 2026-11-24T09:31:00Z; every alert of this "
                   "incident is resolved.",
        "alerts": [
            {"fingerprint": "beef", "name": "Checkoutbeef", "source": "alertmanager",
             "started_at": "2026-11-24T09:20:00Z", "resolved_at": "2026-11-24T09:31:00Z"},
            {"fingerprint": OPENER, "resolved_at": "2026-11-24T09:30:00Z"}]}
    # What the step does to the record is model.steps' to say: the stamp of the resolution.
    incident = folded(demo)
    assert (incident["status"], incident["resolved_at"]) == ("resolved", "2026-11-24T09:31:00Z")
    assert [a["resolved_at"] for a in incident["alerts"]] == [
        "2026-11-24T09:30:00Z", "2026-11-24T09:31:00Z"]
    assert "resolved_at" not in load((demo / NEW).read_text(encoding="utf-8"), 100)
    assert run_itsm("validate", cwd=demo).code == 0


def test_an_alert_firing_again_moves_the_folded_status_back(demo: Path) -> None:
    commented(demo)
    ingest(demo, "resolved.json")
    result = ingest(demo, webhook(alert(OPENER, "2026-11-24T10:05:00Z")))
    assert result.lines[0].endswith(f"CheckoutErrorRateHigh fires again on {FIRST} [updated]")
    assert len(update_files(demo)) == 2
    incident = folded(demo)
    assert incident["status"] == "investigating"
    assert incident["alerts"][0]["resolved_at"] is None
    assert run_itsm("validate", cwd=demo).code == 0


def test_a_refused_ingest_writes_no_update(demo: Path) -> None:
    commented(demo)
    text = (demo / NEW).read_text(encoding="utf-8").replace("team: payments", "team: paymnets")
    (demo / NEW).write_text(text, encoding="utf-8")
    result = ingest(demo, "resolved.json")
    assert result.code == 1
    assert result.stderr.startswith("error: nothing was written, the ingest would leave "
                                    f"invalid incidents:\n  {NEW}:")
    assert not (demo / UPDATES).exists()


# -- two branches, one incident: git merges them without a conflict ----------------------

def _main_with_the_incident(root: Path) -> None:
    commented(root)
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "An incident with comments")


def test_two_ingests_on_two_branches_that_update_one_incident_merge_cleanly(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "itsm-bot@example.com")
    _main_with_the_incident(demo)
    before = (demo / NEW).read_bytes()
    options = ("--commit", "--now", "2026-11-24T10:00:00Z")
    # Branch a: the alert resolves. Branch b, from the same main: another alert joins.
    assert ingest(demo, "resolved.json", *options, "--branch", "events/a").code == 0
    joined = ingest(demo, webhook(alert("beef", "2026-11-24T09:40:00Z")), *options,
                    "--branch", "events/b")
    assert joined.lines[0].endswith(f"joined {FIRST} (same service payments-api, within "
                                    "30m) [joined]")
    # The branch is read with its update files: the same payload again changes nothing.
    again = ingest(demo, "resolved.json", *options, "--branch", "events/a")
    assert again.lines[-1] == "1 alert(s): 1 duplicate; nothing to change"
    repo = pygit2.Repository(str(demo))
    a, b = (repo.revparse_single(f"events/{name}").id for name in "ab")
    # Each branch adds one file, and touches nothing else.
    for name in "ab":
        [added] = git(demo, "diff", "--name-status", "main", f"events/{name}").splitlines()
        assert re.fullmatch(rf"A\t{UPDATES}/{NAME.pattern}", added)
    # As GitHub merges a pull request: the trees alone, no work tree, no merge driver.
    assert repo.merge_commits(a, b).conflicts is None
    git(demo, "merge", "--quiet", "--no-edit", "events/a")
    git(demo, "merge", "--quiet", "--no-edit", "events/b")
    assert git(demo, "status", "--porcelain") == ""
    assert (demo / NEW).read_bytes() == before
    assert len(update_files(demo)) == 2
    incident = folded(demo)
    assert [alert["fingerprint"] for alert in incident["alerts"]] == [OPENER, "beef"]
    # Both updates, in time order: the join at 09:40, the resolution at 09:52:30.
    assert [entry["at"] for entry in incident["timeline"][-2:]] == [
        "2026-11-24T09:40:00Z", "2026-11-24T09:52:30Z"]
    assert incident["status"] == "monitoring"
    assert run_itsm("validate", cwd=demo).code == 0
