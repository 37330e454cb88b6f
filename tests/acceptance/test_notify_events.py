"""`itsm notify` on real git repositories: a copy of the demo, an incident opened with
`itsm new` in one commit and taken through its steps (update files) in the next, and the
messages the demo's subscriptions get, rendered exactly."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.notify.report import Delivery, DeliveryReport
from tests.helpers import copy_demo, run_itsm
from tests.history_repos import GIT_ENVIRONMENT, git

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


def messages(root: Path, *args: str) -> list[dict[str, Any]]:
    """The messages of a dry run; SLA escalations (time-based, told by a scheduled run)
    are left out unless `--since-time` is given again."""
    args = args if "--since-time" in args else (*args, "--since-time", AT)
    out = json.loads(itsm(root, "notify", "--dry-run", "--now", AT, "--format", "json", *args))
    found: list[dict[str, Any]] = out["messages"]
    return found


def test_opening_is_told_to_the_public_and_the_internal_channel(demo: Path) -> None:
    incident = open_and_resolve(demo)
    told = messages(demo, "--since", "HEAD~2", "--until", "HEAD~1")
    assert [(m["channel"], m["event"], m["public"]) for m in told] == [
        ("merchant-email", "incident.opened", True),
        ("ops-webhook", "incident.opened", False),
        ("status-slack", "incident.opened", True),
    ]
    public = told[2]
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
        in str(told[1]["text"])
    # E-mail bodies are plain text: the same words, no markdown.
    assert str(told[0]["text"]).startswith(
        f"Incident {incident}: Card payments fail\nOpened 22 Nov 2026, 09:30 CET.\n")


def test_each_step_is_one_event_and_internal_words_stay_internal(demo: Path) -> None:
    incident = open_and_resolve(demo)
    told = messages(demo, "--since", "HEAD~1")
    assert [(m["channel"], m["event"]) for m in told] == [
        ("ops-webhook", "incident.updated"),
        ("ops-webhook", "incident.components_changed"),
        ("status-slack", "incident.components_changed"),
        ("merchant-email", "incident.resolved"),
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
    assert len(whole) == 9


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
    assert len(given) == 6
    assert result.lines[-1] == ("3 event(s) in 1 commit(s) "
                                f"{git(demo, 'rev-parse', 'HEAD~1')[:7]}.."
                                f"{git(demo, 'rev-parse', 'HEAD')[:7]}; 6 message(s): "
                                "6 failed (as of 22 Nov 2026, 10:00 CET)")


def test_an_unknown_revision_is_a_usage_error(demo: Path) -> None:
    result = run_itsm("notify", "--since", "nope", "--dry-run", cwd=demo)
    assert result.code == 2
    assert "nope" in result.stderr


def test_sla_escalations_are_told_internally_after_since_time(demo: Path) -> None:
    """A P1 opened at 09:30 and not acknowledged: by 10:00 its response clock has passed
    the demo SLA's levels; a scheduled run (no commits) tells them to the internal
    channels only, the e-mail one addressed to the people each level names too."""
    incident = created(itsm(demo, "new", "incident", "--title", "Card payments fail",
                            "--service", "payments-api:major_outage", "--impact", "high",
                            "--urgency", "high", "--at", "2026-11-22 09:30"))
    commit(demo, "Opened")
    told = messages(demo, "--since", "HEAD", "--since-time", "2026-11-22 09:00")
    assert {(m["channel"], m["event"], m["record"], m["public"]) for m in told} == {
        ("ops-webhook", "sla.escalation", incident, False),
        ("payments-email", "sla.escalation", incident, False)}
    # No assignee yet: level 1 names nobody; levels 2 and 3 name the lead (and a manager).
    # The output counts the recipients (a CI log may be public); who they are is
    # test_notify_subscriber.py's, where a real SMTP server receives the mail.
    assert sorted((m["channel"], m["recipients"]) for m in told) == [
        ("ops-webhook", 0), ("ops-webhook", 0), ("ops-webhook", 0),
        ("payments-email", 0), ("payments-email", 1), ("payments-email", 2)]
    told = [m for m in told if m["channel"] == "ops-webhook"]
    first = str(told[0]["text"]).splitlines()
    assert first[0] == f"**SLA escalation level 1 for incident {incident}: Card payments fail**"
    assert first[1].startswith("The response clock of Payments API (")
    assert first[-1] == "Status: new · priority P1"
    assert messages(demo, "--since", "HEAD", "--since-time", AT) == []


RECURRING = """\
apiVersion: itsm/v1
kind: Maintenance
id: MNT-0010
title: Weekly card network key rotation
services: [card-processing]
scheduled_start: 2026-11-08T03:00:00+01:00
scheduled_end: 2026-11-08T04:00:00+01:00
recurrence: {rule: FREQ=WEEKLY;BYDAY=SU, timezone: Europe/Berlin}
status: scheduled
visibility: public
timeline:
  - {at: 2026-11-01T12:00:00+01:00, status: scheduled, public: true,
     message: Every Sunday from 03:00 to 04:00.}
"""


def test_each_occurrence_of_a_recurring_window_starts_soon_and_starts_once(
        demo: Path) -> None:
    (demo / "records" / "maintenance" / "MNT-0010.yaml").write_text(RECURRING)
    commit(demo, "A weekly window")

    def told(now: str, since_time: str) -> list[tuple[object, ...]]:
        return [(m["channel"], m["event"], m["record"], m["key"]) for m in messages(
            demo, "--since", "HEAD", "--now", now, "--since-time", since_time)]

    soon = told("2026-11-22 02:30", "2026-11-22 02:15")
    assert [found[:3] for found in soon] == [
        ("payments-email", "maintenance.starting_soon", "MNT-0010.20261122T0200Z"),
        ("status-slack", "maintenance.starting_soon", "MNT-0010.20261122T0200Z")]
    started = told("2026-11-22 03:10", "2026-11-22 02:55")
    assert [found[:3] for found in started] == [
        ("payments-email", "maintenance.started", "MNT-0010.20261122T0200Z"),
        ("status-slack", "maintenance.started", "MNT-0010.20261122T0200Z")]
    # The next run, while the window is still under way, has told it already.
    assert told("2026-11-22 03:25", "2026-11-22 03:10") == []
    assert told("2026-11-22 04:10", "2026-11-22 03:55") == []
    # A week later, the next occurrence is news of its own: other keys.
    later = told("2026-11-29 02:30", "2026-11-29 02:15")
    assert [found[2] for found in later] == ["MNT-0010.20261129T0200Z"] * 2
    assert not {found[3] for found in later} & {found[3] for found in soon}
    text = messages(demo, "--since", "HEAD", "--now", "2026-11-22 03:10", "--since-time",
                    "2026-11-22 02:55")[1]["text"]
    assert text == (
        "**Maintenance MNT-0010.20261122T0200Z is in progress: Weekly card network key "
        "rotation**\n"
        "Started 22 Nov 2026, 03:00 CET.\n"
        "Window: 22 Nov 2026, 03:00 CET to 22 Nov 2026, 04:00 CET\n"
        "Services: Card Processing\n"
        "\n"
        "https://status.northwind-payments.example/maintenance/MNT-0010.20261122T0200Z.html\n")


def test_failures_are_reported_in_every_format(demo: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """No channel's secrets are set: every delivery fails, each said in every format with
    the channel's file, its name, the record and what to do."""
    for name in ("SLACK_STATUS_WEBHOOK_URL", "OPS_WEBHOOK_URL", "OPS_WEBHOOK_SECRET",
                 "SMTP_USERNAME", "SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "bot@example.com")
    incident = created(itsm(demo, "new", "incident", "--title", "Card payments fail",
                            "--service", "payments-api:major_outage", "--impact", "high",
                            "--urgency", "high", "--at", "2026-11-22 09:30"))
    commit(demo, "Opened")
    fix = "set it in the run's environment (in CI: the step's env, from a secret); the " \
          "next run tries it again"
    said = {
        "merchant-email": f"incident.opened for {incident} to channel merchant-email "
        "(Merchant status mailing list) failed: the environment variable SMTP_USERNAME is "
        f"not set; {fix}",
        "ops-webhook": f"incident.opened for {incident} to channel ops-webhook (Operations "
        f"event bus) failed: the environment variable OPS_WEBHOOK_URL is not set; {fix}",
        "status-slack": f"incident.opened for {incident} to channel status-slack (#status "
        f"on Slack) failed: the environment variable SLACK_STATUS_WEBHOOK_URL is not set; "
        f"{fix}"}

    def run(output: str) -> str:
        result = run_itsm("notify", "--since", "HEAD~1", "--now", AT, "--since-time", AT,
                          "--format", output, cwd=demo)
        assert result.code == 1, result.stdout + result.stderr
        return result.stdout

    text = run("text").splitlines()
    assert text[3:6] == [f"records/channels/{channel}.yaml:2:1: error: {message} "
                         "[notify-delivery]" for channel, message in said.items()]
    assert text[6] == ("0 message(s) sent, 0 sent before, 3 failed; ledger "
                       "itsm/state:notify/sent.json: 0 commit(s)")
    github = run("github").splitlines()
    assert github[:3] == [
        f"::error file=records/channels/{channel}.yaml,line=2,col=1,title=notify-delivery::"
        f"{message}" for channel, message in said.items()]
    failed = json.loads(run("json"))["delivery"]["failed"]
    assert [(f["path"], f["record"], f["rule"], f["message"]) for f in failed] == [
        (f"records/channels/{channel}.yaml", incident, "notify-delivery", message)
        for channel, message in said.items()]
    markdown = run("markdown")
    for channel, message in said.items():
        assert (f"| \u274c | records/channels/{channel}.yaml | 2 | notify-delivery | "
                f"{message} |") in markdown
    assert "#### Deliveries" in markdown


def test_a_commit_older_than_the_ledger_remembers_is_not_told(demo: Path) -> None:
    # The ledger forgets a delivery after 90 days: the news of a commit that reached the
    # line before then would be told again by every run whose range holds it.
    itsm(demo, "new", "incident", "--title", "Card payments fail", "--service",
         "payments-api:major_outage", "--impact", "high", "--urgency", "high", "--message",
         "We are investigating failed card payments.", "--at", "2026-08-01 09:30")
    git(demo, "add", "--all")

    def committed(when: str, *args: str) -> dict[str, Any]:
        subprocess.run(["git", "commit", "--quiet", "-m", "Opened", *args], cwd=demo,
                       check=True, env={**os.environ, **GIT_ENVIRONMENT,
                                        "GIT_COMMITTER_DATE": when})
        found: dict[str, Any] = json.loads(itsm(
            demo, "notify", "--dry-run", "--now", AT, "--since", "HEAD~1", "--since-time",
            AT, "--format", "json"))
        return found

    old = committed("2026-08-24T08:59:59+01:00")  # 90 days and a second before --now
    assert (old["messages"], old["events"], old["too_old"]) == ([], [], 1)
    assert old["summary"].startswith("0 event(s) in 1 commit(s) ")
    assert old["summary"].endswith(
        "; 0 message(s); 1 commit(s) or escalation(s) older than 90 days not told")
    recent = committed("2026-08-24T10:00:00+01:00", "--amend", "--no-edit")
    assert recent["too_old"] == 0
    assert [m["event"] for m in recent["messages"]] == ["incident.opened"] * 3
