"""`itsm notify` on real git repositories: a copy of the demo, an incident opened with
`itsm new` in one commit and taken through its steps (update files) in the next, and the
messages the demo's subscriptions get, rendered exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itsm_as_code.notify.report import Delivery, DeliveryReport
from tests.helpers import copy_demo, run_itsm
from tests.history_repos import git

AT = "2026-11-22T10:00:00+01:00"


def commit(root: Path, message: str) -> str:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", message)
    return git(root, "rev-parse", "HEAD")


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_demo(tmp_path / "demo")
    git(root, "init", "--quiet")
    commit(root, "The demo")
    monkeypatch.setenv("ITSM_AUTHOR", "tom-fischer")
    return root


def itsm(root: Path, *args: str) -> str:
    result = run_itsm(*args, cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    return result.stdout


def open_and_resolve(root: Path) -> str:
    """An incident on a public and an internal service, opened in one commit and, in the
    next, updated internally, updated publicly (a component status) and resolved."""
    new = itsm(root, "new", "incident", "--title", "Card payments fail", "--service",
         "payments-api:major_outage", "--service", "data-warehouse:partial_outage",
         "--impact", "high", "--urgency", "high", "--message",
         "We are investigating failed card payments.", "--at", "2026-11-22 09:30")
    incident = created(new)
    commit(root, "Opened")
    itsm(root, "update", incident, "--status", "identified", "--internal", "-m",
         "Disk full on the ledger database.", "--at", "2026-11-22 09:40")
    itsm(root, "update", incident, "-m", "Most card payments succeed again.", "--service",
         "payments-api:degraded_performance", "--at", "2026-11-22 09:45")
    itsm(root, "resolve", incident, "--at", "2026-11-22 09:50")
    commit(root, "Steps")
    return incident


def created(output: str) -> str:
    """The id `itsm new` gave: `created MNT-0004: records/...`."""
    return output.split()[1].rstrip(":")


def messages(root: Path, *args: str) -> list[dict[str, object]]:
    """The messages of a dry run; SLA escalations (time-based, told by a scheduled run)
    are left out unless `--since-time` is given again."""
    args = args if "--since-time" in args else (*args, "--since-time", AT)
    out = json.loads(itsm(root, "notify", "--dry-run", "--now", AT, "--format", "json", *args))
    found: list[dict[str, object]] = out["messages"]
    return found


def test_opening_is_told_to_the_public_and_the_internal_channel(demo: Path) -> None:
    incident = open_and_resolve(demo)
    told = messages(demo, "--since", "HEAD~2", "--until", "HEAD~1")
    assert [(m["channel"], m["event"], m["public"]) for m in told] == [
        ("ops-webhook", "incident.opened", False),
        ("status-slack", "incident.opened", True),
    ]
    public = told[1]
    assert public["subject"] == f"New incident {incident}: Card payments fail"
    assert public["url"] == \
        f"https://status.northwind-payments.example/incidents/{incident}.html"
    assert public["text"] == (
        f"**Incident {incident}: Card payments fail**\n"
        "Opened 22 Nov 2026, 09:30 CET.\n"
        "Status: investigating\n"
        "Affected: Payments API\n"
        "\n"
        "We are investigating failed card payments.\n"
        "\n"
        f"https://status.northwind-payments.example/incidents/{incident}.html\n")
    # The internal channel names the internal service and the priority.
    assert "Status: investigating · priority P1\nAffected: Payments API, Data Warehouse\n" \
        in str(told[0]["text"])


def test_each_step_is_one_event_and_internal_words_stay_internal(demo: Path) -> None:
    incident = open_and_resolve(demo)
    told = messages(demo, "--since", "HEAD~1")
    assert [(m["channel"], m["event"]) for m in told] == [
        ("ops-webhook", "incident.updated"),
        ("ops-webhook", "incident.components_changed"),
        ("status-slack", "incident.components_changed"),
        ("ops-webhook", "incident.resolved"),
        ("status-slack", "incident.resolved"),
    ]
    assert told[0]["text"] == (
        f"**Update on incident {incident}: Card payments fail**\n"
        "22 Nov 2026, 09:40 CET, status identified.\n"
        "Status: resolved · priority P1\n"
        "Affected: Payments API, Data Warehouse\n"
        "\n"
        "Disk full on the ledger database.\n"
        "(internal update, Tom Fischer)\n"
        "\n"
        f"https://status.northwind-payments.example/incidents/{incident}.html\n")
    assert told[2]["text"] == (
        f"**Service status changed by incident {incident}: Card payments fail**\n"
        "22 Nov 2026, 09:45 CET.\n"
        "Payments API: major outage → degraded performance\n"
        "\n"
        "Most card payments succeed again.\n"
        "\n"
        f"https://status.northwind-payments.example/incidents/{incident}.html\n")
    assert all("Disk full" not in str(m["text"]) for m in told if m["public"])


def test_keys_do_not_depend_on_the_range(demo: Path) -> None:
    """Overlapping ranges give one event the same key: the ledger sends it once."""
    open_and_resolve(demo)
    whole = {m["key"] for m in messages(demo, "--since", "HEAD~2")}
    parts = {m["key"] for m in messages(demo, "--since", "HEAD~2", "--until", "HEAD~1")}
    parts |= {m["key"] for m in messages(demo, "--since", "HEAD~1")}
    assert whole == parts
    assert len(whole) == 7


def test_preview_is_the_pull_request_comment(demo: Path) -> None:
    git(demo, "checkout", "--quiet", "-b", "change")
    window = created(itsm(demo, "new", "maintenance", "--title",
                          "Card network certificate rotation", "--service", "card-processing",
                          "--start", "2026-11-24 22:00", "--end", "2026-11-24 23:00"))
    commit(demo, "Maintenance")
    out = itsm(demo, "notify", "--since", "main", "--preview", "--now", AT, "--since-time",
               AT)
    assert out.splitlines()[:3] == ["<!-- itsm-notify-preview -->",
                                    "### Notifications this change sends", ""]
    assert "**Payments team mailing list** (public text), `maintenance.scheduled` for " \
           f"`{window}`" in out
    assert "> Window: 24 Nov 2026, 22:00 CET to 24 Nov 2026, 23:00 CET\n" in out


def test_maintenance_starting_soon_is_told_once_by_key(demo: Path) -> None:
    window = created(itsm(demo, "new", "maintenance", "--title",
                          "Card network certificate rotation", "--service", "card-processing",
                          "--start", "2026-11-22 10:30", "--end", "2026-11-22 11:00"))
    commit(demo, "Maintenance")
    early = messages(demo, "--since", "HEAD", "--now", "2026-11-22 09:00")
    due = messages(demo, "--since", "HEAD", "--now", "2026-11-22 09:45")
    later = messages(demo, "--since", "HEAD", "--now", "2026-11-22 10:10")
    assert early == []
    assert [(m["channel"], m["event"]) for m in due] == [
        ("payments-email", "maintenance.starting_soon"),
        ("status-slack", "maintenance.starting_soon")]
    assert [m["key"] for m in later] == [m["key"] for m in due]
    assert due[0]["text"] == (
        f"Maintenance {window} starts 22 Nov 2026, 10:30 CET: Card network certificate "
        "rotation\n"
        "Window: 22 Nov 2026, 10:30 CET to 22 Nov 2026, 11:00 CET\n"
        "Services: Card Processing\n"
        "\n"
        f"https://status.northwind-payments.example/maintenance/{window}.html\n")


def test_a_failed_delivery_exits_1(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_and_resolve(demo)
    given = []

    def failing(messages: list[object], ctx: object, options: object) -> DeliveryReport:
        given.extend(messages)
        return DeliveryReport("itsm/state", tuple(
            Delivery(m, "failed", "HTTP 500", 3) for m in messages), (), 0)  # type: ignore

    monkeypatch.setattr("itsm_as_code.notify.run.deliver", failing)
    result = run_itsm("notify", "--since", "HEAD~1", "--now", AT, "--since-time", AT,
                      cwd=demo)
    assert result.code == 1
    assert len(given) == 5
    assert result.lines[-1] == ("3 event(s) in 1 commit(s) "
                                f"{git(demo, 'rev-parse', 'HEAD~1')[:7]}.."
                                f"{git(demo, 'rev-parse', 'HEAD')[:7]}; 5 message(s): "
                                "5 failed (as of 22 Nov 2026, 10:00 CET)")


def test_an_unknown_revision_is_a_usage_error(demo: Path) -> None:
    result = run_itsm("notify", "--since", "nope", "--dry-run", cwd=demo)
    assert result.code == 2
    assert "nope" in result.stderr


def test_sla_escalations_are_told_internally_after_since_time(demo: Path) -> None:
    """A P1 opened at 09:30 and not acknowledged: by 10:00 its response clock has passed
    the demo SLA's levels; a scheduled run (no commits) tells them to the internal
    channel only."""
    incident = created(itsm(demo, "new", "incident", "--title", "Card payments fail",
                            "--service", "payments-api:major_outage", "--impact", "high",
                            "--urgency", "high", "--at", "2026-11-22 09:30"))
    commit(demo, "Opened")
    told = messages(demo, "--since", "HEAD", "--since-time", "2026-11-22 09:00")
    assert {(m["channel"], m["event"], m["record"], m["public"]) for m in told} == {
        ("ops-webhook", "sla.escalation", incident, False)}
    first = str(told[0]["text"]).splitlines()
    assert first[0] == f"**SLA escalation level 1 for incident {incident}: Card payments fail**"
    assert first[1].startswith("The response clock of Payments API (")
    assert first[-1] == "Status: new · priority P1"
    assert messages(demo, "--since", "HEAD", "--since-time", AT) == []
