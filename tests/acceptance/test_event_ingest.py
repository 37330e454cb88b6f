"""`itsm event ingest` on a copy of the demo: alerts in, valid incidents out."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pygit2
import pytest

from itsm_as_code.authoring.ids import next_id
from itsm_as_code.authoring.updates import write_update
from itsm_as_code.authoring.writer import render
from itsm_as_code.config import load_config
from itsm_as_code.git.commit import Branch
from itsm_as_code.store.cache import RecordCache
from itsm_as_code.store.repository import load_repository
from tests.helpers import DEMO, copy_demo, run_itsm

ALERTS = DEMO / "examples" / "alerts"
# The ids ingest gives out: after the demo's highest, which grows as the demo does.
FIRST = next_id("INC", [p.stem for p in (DEMO / "records/incidents").rglob("*.yaml")])
SECOND = next_id("INC", [FIRST])
NEW = f"records/incidents/2026/11/{FIRST}.yaml"
UPDATES = f"records/incidents/2026/11/{FIRST}.updates"
BOT = pygit2.Signature("Ada Example", "ada@example.com", 1_790_000_000, 0)
# After the last alert of the example payloads (resolved.json ends at 09:52:30).
AFTER_ALERTS = "2026-11-24T10:00:00Z"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


@pytest.fixture
def git_demo(demo: Path, monkeypatch: pytest.MonkeyPatch) -> pygit2.Repository:
    """The demo committed on `main`, with a clean work tree and index."""
    repo = pygit2.init_repository(str(demo), initial_head="main")
    repo.index.add_all()
    repo.index.write()
    repo.create_commit("HEAD", BOT, BOT, "demo", repo.index.write_tree(), [])
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "itsm-bot@example.com")
    return repo


def ingest(root: Path, payload: str | Path, *options: str) -> Any:
    source = ALERTS / payload if isinstance(payload, str) and payload.endswith(".json") else None
    if source is not None:
        return run_itsm("event", "ingest", str(source), *options, cwd=root)
    return run_itsm("event", "ingest", "-", *options, cwd=root, stdin=str(payload))


def record(root: Path, record_id: str = FIRST) -> dict[str, Any]:
    """The incident as every command reads it: its file with its update files folded in."""
    found = load_repository(load_config(root), cache=RecordCache(None, (1 << 20, 100))).get(
        record_id)
    assert found is not None
    return found.data


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "records").rglob("*")) if p.is_file()}


def payload(**alert: Any) -> str:
    base = {"status": "firing", "labels": {"alertname": "QueueBacklog", "service": "webhooks",
                                           "severity": "critical"},
            "annotations": {"summary": "Webhook queue backlog above 10k"},
            "startsAt": "2026-11-24T09:14:00Z", "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": "f00d"}
    base.update(alert)
    return json.dumps({"version": "4", "status": base["status"], "alerts": [base]})


def test_a_firing_critical_alert_opens_one_valid_incident(demo: Path) -> None:
    result = ingest(demo, "firing-critical.json")
    assert result.code == 0, result.stderr
    assert result.stdout == (
        f"{NEW}:1:1: notice: opened {FIRST} (P1) for CheckoutErrorRateHigh on payments-api "
        "[opened]\n1 alert(s): 1 opened; wrote 1 file(s)\n")
    incident = record(demo)
    assert {k: incident[k] for k in ("title", "impact", "urgency", "priority", "status",
                                     "opened_at", "team", "visibility", "services")} == {
        "title": "Checkout API returns 5xx for more than 5% of requests", "impact": "high",
        "urgency": "high", "priority": "P1", "status": "investigating",
        "opened_at": "2026-11-24T09:14:00Z", "team": "payments", "visibility": "public",
        "services": [{"id": "payments-api", "status": "major_outage"}]}
    assert incident["alerts"] == [{
        "fingerprint": "a3f29c1e7b4d5068", "name": "CheckoutErrorRateHigh",
        "source": "alertmanager", "started_at": "2026-11-24T09:14:00Z", "resolved_at": None}]
    assert incident["timeline"] == [{
        "at": "2026-11-24T09:14:00Z", "status": "investigating", "public": True,
        "message": "Checkout API returns 5xx for more than 5% of requests"}]
    assert incident["description"].startswith("The 5xx share of `/v1/payments`")
    assert run_itsm("validate", cwd=demo).stdout.startswith("ok: ")


def test_sending_it_again_changes_nothing(demo: Path) -> None:
    ingest(demo, "firing-critical.json")
    before = files(demo)
    result = ingest(demo, "firing-critical-again.json")
    assert result.code == 0
    assert result.stdout == (
        f"{NEW}:1:1: notice: CheckoutErrorRateHigh is already on {FIRST} and still firing: "
        "nothing changed [duplicate]\n1 alert(s): 1 duplicate; nothing to change\n")
    assert files(demo) == before


def test_its_resolution_adds_an_update_and_leaves_the_incident_open(demo: Path) -> None:
    ingest(demo, "firing-critical.json")
    result = ingest(demo, "resolved.json")
    assert result.lines[0] == (f"{NEW}:1:1: notice: CheckoutErrorRateHigh resolved: {FIRST} "
                               "is monitoring [resolved]")
    incident = record(demo)
    assert incident["status"] == "monitoring"
    assert "resolved_at" not in incident
    assert incident["alerts"][0]["resolved_at"] == "2026-11-24T09:52:30Z"
    assert incident["timeline"][-1] == {
        "at": "2026-11-24T09:52:30Z", "status": "monitoring", "public": False,
        "message": "Alert CheckoutErrorRateHigh resolved at 2026-11-24T09:52:30Z.",
        "alerts": [{"fingerprint": "a3f29c1e7b4d5068", "resolved_at": "2026-11-24T09:52:30Z"}]}
    assert run_itsm("validate", cwd=demo).code == 0
    again = ingest(demo, "resolved.json")
    assert again.lines[0].endswith(f"was already resolved on {FIRST}: nothing changed "
                                   "[duplicate]")


def test_a_resolved_alert_resolves_the_incident_when_configured(demo: Path) -> None:
    config = demo / "itsm.yaml"
    config.write_text(config.read_text() + "events:\n  resolve_incident: true\n")
    ingest(demo, "firing-critical.json")
    ingest(demo, "resolved.json")
    incident = record(demo)
    assert (incident["status"], incident["resolved_at"]) == ("resolved", "2026-11-24T09:52:30Z")
    assert run_itsm("validate", cwd=demo).code == 0
    # Resolved is no longer open: the same alert firing later opens a new incident.
    assert ingest(demo, "firing-critical.json").lines[0].endswith(f"opened {SECOND} (P1) for "
                                                                  "CheckoutErrorRateHigh on "
                                                                  "payments-api [opened]")


def written_whole(root: Path) -> str:
    """The incident's record file written again with its updates taken into it, as a
    person may tidy it up: no updates folder left; its text."""
    text = render(record(root))
    shutil.rmtree(root / UPDATES)
    (root / NEW).write_text(text)
    return text


def test_an_ended_incident_the_fast_path_cannot_see_is_not_open_either(demo: Path) -> None:
    # A status written as a block scalar escapes the unparsed skip of ended incidents; the
    # model, read from the parsed record, still says the incident is resolved.
    config = demo / "itsm.yaml"
    config.write_text(config.read_text() + "events:\n  resolve_incident: true\n")
    ingest(demo, "firing-critical.json")
    ingest(demo, "resolved.json")
    text = written_whole(demo)
    assert "\nstatus: resolved\n" in text
    (demo / NEW).write_text(text.replace("\nstatus: resolved\n", "\nstatus: >-\n  resolved\n"))
    assert run_itsm("validate", cwd=demo).code == 0
    assert ingest(demo, "firing-critical.json").lines[0].endswith(
        f"opened {SECOND} (P1) for CheckoutErrorRateHigh on payments-api [opened]")


def test_an_incident_an_update_reopened_is_open_whatever_its_file_says(demo: Path) -> None:
    # The record file's `status: resolved` line is not the skip's to trust when an update
    # file follows it.
    config = demo / "itsm.yaml"
    config.write_text(config.read_text() + "events:\n  resolve_incident: true\n")
    ingest(demo, "firing-critical.json")
    ingest(demo, "resolved.json")
    assert "\nstatus: resolved\n" in written_whole(demo)
    write_update(demo, NEW, FIRST, {"at": "2026-11-24T10:00:00Z", "status": "investigating",
                                    "message": "Customers still see errors."})
    assert run_itsm("validate", cwd=demo).code == 0
    assert ingest(demo, "firing-critical-again.json").lines[0].endswith(
        f"CheckoutErrorRateHigh fires again on {FIRST} [updated]")


def test_an_alert_firing_again_after_its_resolution_reopens_the_investigation(demo: Path,
                                                                             ) -> None:
    ingest(demo, "firing-critical.json")
    ingest(demo, "resolved.json")
    result = ingest(demo, payload(**{"labels": {"alertname": "CheckoutErrorRateHigh",
                                                "service": "payments-api",
                                                "severity": "critical"},
                                     "fingerprint": "a3f29c1e7b4d5068",
                                     "startsAt": "2026-11-24T10:05:00Z"}))
    assert result.lines[0].endswith(f"CheckoutErrorRateHigh fires again on {FIRST} [updated]")
    incident = record(demo)
    assert incident["status"] == "investigating"
    assert incident["alerts"][0]["resolved_at"] is None
    assert run_itsm("validate", cwd=demo).code == 0


def test_an_informational_event_opens_nothing(demo: Path) -> None:
    before = files(demo)
    result = ingest(demo, "informational.json")
    assert result.code == 0
    assert result.lines == [
        f"{ALERTS / 'informational.json'}:1:1: notice: CertificateRenewed is informational "
        "(severity info): opens no incident [ignored]",
        "1 alert(s): 1 ignored; nothing to change"]
    assert files(demo) == before


def test_a_generic_event_opens_an_incident(demo: Path) -> None:
    result = ingest(demo, "generic.json", "--source", "generic")
    assert result.code == 0, result.stderr
    incident = record(demo)
    assert incident["title"] == ("Merchant Dashboard login page does not answer from 3 of 5 "
                                 "probe locations")
    assert incident["opened_at"] == "2026-11-24T11:02:00+01:00"
    assert incident["alerts"][0]["source"] == "pingdom"
    assert run_itsm("validate", cwd=demo).code == 0


def test_an_alert_for_an_unknown_service_is_reported_not_guessed(demo: Path) -> None:
    before = files(demo)
    result = ingest(demo, payload(labels={"alertname": "QueueBacklog", "service": "webhook",
                                          "severity": "critical"}))
    assert result.code == 1
    assert result.lines[0] == (
        "<stdin>:1:1: error: QueueBacklog names service 'webhook', which is not a Service "
        "record: add the service, or fix the alert's `service` label; no incident was opened "
        "[unknown-service]")
    assert files(demo) == before
    missing = ingest(demo, payload(labels={"alertname": "QueueBacklog", "severity": "page"}))
    assert missing.code == 1
    assert "QueueBacklog has no `service` label" in missing.stdout


def test_an_unknown_severity_is_said_and_treated_as_a_warning(demo: Path) -> None:
    result = ingest(demo, payload(labels={"alertname": "QueueBacklog", "service": "webhooks",
                                          "severity": "sev1"}))
    assert result.code == 0
    assert result.lines[:2] == [
        "<stdin>:1:1: warning: QueueBacklog has an unknown severity 'sev1': treated as warning "
        "(events.unknown_class); map it in events.classes [unknown-severity]",
        "<stdin>:1:1: notice: QueueBacklog is warning (severity sev1): opens no incident "
        "[ignored]"]


def test_a_new_alert_on_the_same_service_within_the_window_joins_the_incident(demo: Path,
                                                                             ) -> None:
    ingest(demo, payload())
    joined = ingest(demo, payload(fingerprint="beef", startsAt="2026-11-24T09:40:00Z"))
    assert joined.lines[0] == (f"{NEW}:1:1: notice: QueueBacklog joined {FIRST} (same service "
                               "webhooks, within 30m) [joined]")
    incident = record(demo)
    assert [alert["fingerprint"] for alert in incident["alerts"]] == ["f00d", "beef"]
    assert incident["timeline"][-1]["public"] is False
    later = ingest(demo, payload(fingerprint="cafe", startsAt="2026-11-24T10:20:00Z"))
    assert f"opened {SECOND}" in later.lines[0]
    assert run_itsm("validate", cwd=demo).code == 0


def test_an_internal_service_gets_an_internal_incident(demo: Path) -> None:
    ingest(demo, payload(labels={"alertname": "LoadStuck", "service": "data-warehouse",
                                 "severity": "error"}))
    incident = record(demo)
    assert (incident["visibility"], incident["priority"]) == ("internal", "P2")
    assert incident["services"] == [{"id": "data-warehouse", "status": "partial_outage"}]


@pytest.mark.parametrize(("text", "message"), [
    ('{"version": "4", "alerts": [{"status": "firing",',
     "<stdin>:1:49: not valid JSON: Expecting property name enclosed in double quotes (a "
     "truncated payload ends too early)"),
    ('{"version": "4", "alerts": {}}',
     "<stdin>: alerts must be a list of alerts; nothing was written"),
    (payload(startsAt="2026-11-24T09:14:00"),
     "<stdin>: alerts[0].startsAt '2026-11-24T09:14:00' is not an RFC 3339 timestamp with an "
     "offset, such as 2026-11-24T09:14:00Z; nothing was written"),
    (payload(fingerprint=None),
     "<stdin>: alerts[0].fingerprint must be a non-empty string (missing); nothing was "
     "written"),
    (payload(labels={"service": 5}),
     "<stdin>: alerts[0].labels must be an object of string values; nothing was written"),
    (payload(status="pending"),
     '<stdin>: alerts[0].status must be "firing" or "resolved", not "pending"; nothing was '
     "written"),
    ('{"version": "3", "alerts": []}',
     "<stdin>: version is '3'; only version \"4\" of the Alertmanager webhook (and \"1\", "
     "Grafana's) is understood; nothing was written"),
    ("[1, 2]", "<stdin>: the payload must be a JSON object; nothing was written"),
    (" " * (10 * 1024 * 1024 + 1),
     "<stdin>: larger than 10 MiB; send the alerts in several payloads"),
])
def test_a_malformed_payload_exits_2_and_writes_nothing(demo: Path, text: str,
                                                        message: str) -> None:
    before = files(demo)
    result = ingest(demo, text)
    assert (result.code, result.stderr) == (2, f"error: {message}\n")
    assert files(demo) == before


def test_the_other_formats_say_the_same(demo: Path) -> None:
    result = ingest(demo, "firing-critical.json", "--format", "github")
    assert result.lines[0] == (f"::notice file={NEW},line=1,col=1,title=opened::opened "
                               f"{FIRST} (P1) for CheckoutErrorRateHigh on payments-api")
    markdown = ingest(demo, "firing-critical.json", "--format", "markdown")
    assert "| opened |" not in markdown.stdout
    assert f"CheckoutErrorRateHigh is already on {FIRST}" in markdown.stdout
    document = json.loads(ingest(demo, "resolved.json", "--format", "json").stdout)
    [update] = document["summary"]["files"]
    assert document == {
        "findings": [{"path": NEW, "line": 1, "column": 1, "rule": "resolved",
                      "message": f"CheckoutErrorRateHigh resolved: {FIRST} is monitoring",
                      "record": FIRST, "level": "notice"}],
        "summary": {"alerts": 1, "counts": {"opened": 0, "joined": 0, "updated": 0,
                                            "resolved": 1, "silenced": 0, "duplicate": 0,
                                            "ignored": 0, "unknown-service": 0},
                    "opened": [], "updated": [FIRST], "files": [update], "branch": None,
                    "commit": None, "attempts": 1}}
    # The update file beside the record, named by its time (the alert's end) and a token.
    assert re.fullmatch(rf"{UPDATES}/20261124T095230Z-update-[0-9a-f]{{6}}\.yaml", update)


def _state(repo: pygit2.Repository) -> tuple[object, ...]:
    index = Path(repo.path, "index").read_bytes()
    return repo.head.name, repo.head.target, repo.status(), index


def test_commit_leaves_the_work_tree_alone_and_puts_a_commit_on_the_branch(
        demo: Path, git_demo: pygit2.Repository) -> None:
    before, tree = _state(git_demo), files(demo)
    result = ingest(demo, "firing-critical.json", "--commit", "--branch", "events/alerts",
                    "--now", "2026-11-24T09:15:00Z")
    assert result.code == 0, result.stderr
    assert (_state(git_demo), files(demo)) == (before, tree)
    commit = git_demo.revparse_single("events/alerts").peel(pygit2.Commit)
    assert commit.message.startswith(f"itsm event ingest: open {FIRST}\n\nopened {FIRST} (P1)")
    assert (commit.author.name, commit.author.email) == ("itsm bot", "itsm-bot@example.com")
    assert commit.parents[0].id == git_demo.head.target
    assert f"committed {str(commit.id)[:12]} on events/alerts" in result.lines[-1]
    blob = git_demo[commit.tree[NEW].id]
    assert isinstance(blob, pygit2.Blob)
    assert b"fingerprint: a3f29c1e7b4d5068" in blob.data


def test_two_ingests_on_one_branch_stack_up(demo: Path, git_demo: pygit2.Repository) -> None:
    options = ("--commit", "--branch", "events/alerts", "--now", AFTER_ALERTS)
    ingest(demo, "firing-critical.json", *options)
    first = git_demo.references["refs/heads/events/alerts"].target
    # Read from the branch, not the work tree: the incident of the first ingest is found.
    again = ingest(demo, "firing-critical-again.json", *options)
    assert again.lines[-1] == "1 alert(s): 1 duplicate; nothing to change"
    resolved = ingest(demo, "resolved.json", *options)
    assert resolved.code == 0
    tip = git_demo.revparse_single("events/alerts").peel(pygit2.Commit)
    assert tip.parents[0].id == first
    assert tip.message.startswith(f"itsm event ingest: update {FIRST}\n")
    assert not (demo / NEW).exists()


def test_a_branch_that_moved_underneath_is_read_again_not_overwritten(
        demo: Path, git_demo: pygit2.Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    options = ("--commit", "--branch", "events/alerts", "--now", AFTER_ALERTS)
    ingest(demo, "firing-critical.json", *options)
    real = Branch.commit
    moved: list[str] = []

    def racing(branch: Branch, *args: Any) -> str:
        if not moved:  # another ingest lands between this one's read and its write
            other = Branch(demo, "events/alerts")
            moved.append(real(other, {"records/other.yaml": "x: 1\n"}, "other", None, *args[3:]))
        return real(branch, *args)

    monkeypatch.setattr(Branch, "commit", racing)
    result = ingest(demo, "resolved.json", *options)
    assert result.code == 0, result.stderr
    assert "(after 1 retry(ies): the branch had moved)" in result.lines[-1]
    tip = git_demo.revparse_single("events/alerts").peel(pygit2.Commit)
    assert str(tip.parents[0].id) == moved[0]
    assert "records/other.yaml" in tip.tree


def test_commit_needs_a_branch_that_is_not_checked_out(demo: Path,
                                                       git_demo: pygit2.Repository) -> None:
    alone = ingest(demo, "firing-critical.json", "--commit")
    assert (alone.code, alone.stderr) == (
        2, "error: --commit needs --branch NAME: the branch the change is committed to\n")
    current = ingest(demo, "firing-critical.json", "--commit", "--branch", "main")
    assert (current.code, current.stderr) == (
        2, "error: --commit: main is the checked-out branch; commit to another branch, so the "
           "work tree stays as it is\n")
    bad = ingest(demo, "firing-critical.json", "--commit", "--branch", "a..b")
    assert (bad.code, bad.stderr) == (2, "error: --commit: 'a..b' is not a valid branch name\n")


def test_a_change_that_would_leave_an_incident_invalid_writes_nothing(demo: Path) -> None:
    ingest(demo, "firing-critical.json")
    broken = (demo / NEW).read_text().replace("team: payments", "team: paymnets")
    (demo / NEW).write_text(broken)
    result = ingest(demo, "resolved.json")
    assert result.code == 1
    assert result.stderr == (
        "error: nothing was written, the ingest would leave invalid incidents:\n"
        f"  {NEW}:16:7: team: no Team with id 'paymnets': did you mean 'payments'? "
        "[reference]\n")
    assert (demo / NEW).read_text() == broken


def test_ids_taken_on_other_branches_are_skipped(demo: Path,
                                                 git_demo: pygit2.Repository) -> None:
    ingest(demo, "firing-critical.json", "--commit", "--branch", "events/alerts")
    result = ingest(demo, payload())
    assert result.lines[0] == (f"records/incidents/2026/11/{SECOND}.yaml:1:1: notice: opened "
                               f"{SECOND} (P1) for QueueBacklog on webhooks [opened]")


def test_an_open_incident_that_does_not_match_its_schema_is_said_and_not_joined(
        demo: Path) -> None:
    # What is open and what an alert joins is read from the model, which holds only
    # records that match their schema: the broken incident is named, as a warning, and
    # left as it is.
    ingest(demo, payload())
    text = (demo / NEW).read_text()
    broken = text.replace(text[text.index("alerts:"):text.index("timeline:")], "alerts: 5\n")
    (demo / NEW).write_text(broken)
    result = ingest(demo, payload(fingerprint="beef"))
    assert (result.code, result.stderr) == (0, "")
    line = broken.splitlines().index("alerts: 5") + 1
    assert result.lines == [
        f"{NEW}:{line}:9: warning: alerts must be a list, not a whole number [schema]",
        f"records/incidents/2026/11/{SECOND}.yaml:1:1: notice: opened {SECOND} (P1) for "
        "QueueBacklog on webhooks [opened]",
        "1 alert(s): 1 opened; wrote 1 file(s)"]
    assert (demo / NEW).read_text() == broken


# -- --github-event: a repository_dispatch event with the producer's payload wrapped -------

# Grafana's webhook contact point (unified alerting), as its documentation shows it: the
# Alertmanager shape with version "1" and 14 top-level properties.
GRAFANA = {
    "receiver": "itsm", "status": "firing", "orgId": 1,
    "alerts": [{
        "status": "firing",
        "labels": {"alertname": "CheckoutErrorRateHigh", "service": "payments-api",
                   "severity": "critical", "grafana_folder": "Payments"},
        "annotations": {"summary": "Checkout API returns 5xx for more than 5% of requests",
                        "runbook_url": "https://runbooks.example/payments-api/5xx"},
        "startsAt": "2026-11-24T10:14:03.157076+01:00", "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "https://grafana.example/alerting/grafana/1afz29v7z/view",
        "fingerprint": "c6eadffa33fcdf37",
        "silenceURL": "https://grafana.example/alerting/silence/new?alertmanager=grafana",
        "dashboardURL": "https://grafana.example/d/payments", "panelURL": "",
        "values": {"B": 8.2, "C": None}, "valueString": "[ var='B' value=8.2 ]",
        "imageURL": "",
    }],
    "groupLabels": {"alertname": "CheckoutErrorRateHigh"},
    "commonLabels": {"alertname": "CheckoutErrorRateHigh", "service": "payments-api",
                     "severity": "critical"},
    "commonAnnotations": {}, "externalURL": "https://grafana.example/", "version": "1",
    "groupKey": "{}/{}:{alertname=\"CheckoutErrorRateHigh\"}", "truncatedAlerts": 0,
    "title": "[FIRING:1] CheckoutErrorRateHigh Payments",
    "state": "alerting", "message": "**Firing**\n\nValue: B=8.2, C=null",
}


def dispatch(root: Path, client_payload: Any, action: str = "alert") -> Path:
    """A repository_dispatch event as GitHub writes it to GITHUB_EVENT_PATH."""
    event = {"action": action, "branch": "main", "client_payload": client_payload,
             "repository": {"full_name": "northwind/itsm", "default_branch": "main"},
             "sender": {"login": "alert-relay[bot]", "type": "Bot"}}
    path = root.parent / "event.json"
    path.write_text(json.dumps(event))
    return path


def alertmanager_twelve() -> dict[str, Any]:
    """The demo's Alertmanager payload with two more top-level properties (12, as newer
    Alertmanager versions send: more than client_payload's 10 may hold unwrapped)."""
    data = json.loads((ALERTS / "firing-critical.json").read_text())
    return {**data, "firingAlerts": 1, "resolvedAlerts": 0}


def test_a_wrapped_alertmanager_payload_opens_an_incident(demo: Path) -> None:
    assert len(alertmanager_twelve()) == 12
    event = dispatch(demo, {"payload": alertmanager_twelve()})
    result = run_itsm("event", "ingest", "--github-event", str(event), cwd=demo)
    assert (result.code, result.stdout) == (0, (
        f"{NEW}:1:1: notice: opened {FIRST} (P1) for CheckoutErrorRateHigh on payments-api "
        "[opened]\n1 alert(s): 1 opened; wrote 1 file(s)\n"))
    assert record(demo)["alerts"][0]["source"] == "alertmanager"


@pytest.mark.parametrize("source", ["grafana", "alertmanager"])
def test_a_wrapped_grafana_payload_is_read_as_grafana_or_alertmanager(demo: Path,
                                                                     source: str) -> None:
    assert len(GRAFANA) == 14
    event = dispatch(demo, {"source": source, "payload": GRAFANA}, action="grafana-alert")
    result = run_itsm("event", "ingest", "--github-event", str(event), cwd=demo)
    assert result.code == 0, result.stderr
    assert result.lines[0] == (f"{NEW}:1:1: notice: opened {FIRST} (P1) for "
                               "CheckoutErrorRateHigh on payments-api [opened]")
    assert record(demo)["alerts"] == [{
        "fingerprint": "c6eadffa33fcdf37", "name": "CheckoutErrorRateHigh", "source": source,
        "started_at": "2026-11-24T10:14:03+01:00", "resolved_at": None}]


def test_source_overrides_the_events(demo: Path) -> None:
    event = dispatch(demo, {"source": "generic", "payload": GRAFANA})
    result = run_itsm("event", "ingest", "--github-event", str(event), "--source", "grafana",
                      cwd=demo)
    assert result.code == 0, result.stderr


def test_a_wrapped_event_commits_on_a_branch(demo: Path, git_demo: pygit2.Repository) -> None:
    event = dispatch(demo, {"payload": alertmanager_twelve()})
    result = run_itsm("event", "ingest", "--github-event", str(event), "--commit", "--branch",
                      "events/alerts", cwd=demo)
    assert result.code == 0, result.stderr
    assert Branch(demo, "events/alerts").find(NEW) is not None


@pytest.mark.parametrize(("client_payload", "action", "problem"), [
    (None, "alert", "client_payload is missing"),
    ([1], "alert", "client_payload is a list, not an object"),
    ({"alerts": []}, "alert", "client_payload.payload is missing"),
    ({"payload": {}}, "page", 'client_payload.source is missing and the event\'s action "page" '
     "names no source"),
    ({"source": "nagios", "payload": {}}, "alert",
     'client_payload.source is "nagios", not one of alertmanager, generic, grafana'),
])
def test_a_bad_event_exits_2_naming_what_is_missing(demo: Path, client_payload: Any,
                                                   action: str, problem: str) -> None:
    before = files(demo)
    event = dispatch(demo, client_payload, action)
    result = run_itsm("event", "ingest", "--github-event", str(event), cwd=demo)
    assert (result.code, result.stderr) == (2, (
        f"error: {event}: {problem}: a repository_dispatch event wraps the producer's payload "
        "in client_payload.payload and names its format in client_payload.source; nothing was "
        "written\n"))
    assert files(demo) == before


def test_a_bad_wrapped_payload_is_named_inside_the_event(demo: Path) -> None:
    alert = {**GRAFANA["alerts"][0], "status": "pending"}
    event = dispatch(demo, {"source": "grafana", "payload": {**GRAFANA, "alerts": [alert]}})
    result = run_itsm("event", "ingest", "--github-event", str(event), cwd=demo)
    assert (result.code, result.stderr) == (2, (
        f'error: {event} client_payload.payload: alerts[0].status must be "firing" or '
        '"resolved", not "pending"; nothing was written\n'))


def test_an_event_file_and_a_payload_file_are_one_too_many(demo: Path) -> None:
    event = dispatch(demo, {"payload": alertmanager_twelve()})
    result = run_itsm("event", "ingest", "--github-event", str(event),
                      str(ALERTS / "firing-critical.json"), cwd=demo)
    assert (result.code, result.stderr) == (
        2, "error: --github-event FILE is the payload: give no FILE argument beside it\n")
