"""Delivery against real receivers: a local HTTP server that checks signatures and fails
on purpose, a local SMTP server with STARTTLS; the ledger on a branch of a real git
repository makes every message go out once, whatever reruns or overlaps."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from itsm_as_code.git.commit import Branch, Identity
from itsm_as_code.model.context import RunContext
from itsm_as_code.notify.deliver import (
    DeliveryOptions,
    DeliveryReport,
    LeakRefused,
    deliver,
)
from itsm_as_code.notify.ledger import Ledger, Sent
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.payloads import slack, teams
from itsm_as_code.notify.retry import RetryPolicy
from itsm_as_code.store.repository import open_repository
from tests.helpers import NOW, example_repo, write
from tests.history_repos import git
from tests.receivers import (
    MailReceiver,
    Request,
    WebhookReceiver,
    mail_receiver,
    self_signed,
    webhook_receiver,
)

SECRET = "hook-signing-key"
BOT = Identity("itsm bot", "bot@example.com")
FAST = RetryPolicy(attempts=3, total=10.0, base=0.01, cap=0.05)


def channel(record_id: str, kind: str, audience: str, **fields: Any) -> dict[str, Any]:
    return {"apiVersion": "itsm/v1", "kind": "Channel", "id": record_id, "type": kind,
            "audience": audience, **fields}


def message(number: int, to: str, public: bool = True, **fields: Any) -> Message:
    return Message(**{
        "key": f"{number:032x}", "channel": to, "event": "incident.opened",
        "record": f"INC-{number:04d}", "subject": f"Checkout errors ({number})",
        "text": "We are investigating elevated error rates.", "public": public,
        "url": f"https://status.example.org/incidents/INC-{number:04d}", **fields})


@pytest.fixture
def hooks() -> Iterator[WebhookReceiver]:
    with webhook_receiver(WebhookReceiver(secrets={"/hook": SECRET})) as receiver:
        yield receiver


@pytest.fixture
def mailbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailReceiver]:
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this server alone
    with mail_receiver(MailReceiver(), cert, key) as receiver:
        yield receiver


@pytest.fixture
def root(tmp_path: Path, mailbox: MailReceiver) -> Path:
    """The example records with one channel of each type, committed to git."""
    root = example_repo(tmp_path / "repo")
    write(root,
          channel("status-slack", "slack", "public", url_env="SLACK_URL"),
          channel("ops-teams", "teams", "internal", url_env="TEAMS_URL"),
          channel("ops-webhook", "webhook", "internal", url_env="HOOK_URL",
                  secret_env="HOOK_SECRET", name="Operations event bus"),
          channel("ops-mail", "email", "internal", **{
              "smtp": {"host": "127.0.0.1", "port": mailbox.port,
                       "username_env": "SMTP_USER", "password_env": "SMTP_PASSWORD"},
              "from": "itsm@example.org", "to": ["ops@example.org", "oncall@example.org"]}))
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Records")
    return root


@pytest.fixture
def options(hooks: WebhookReceiver, mailbox: MailReceiver) -> DeliveryOptions:
    environ = {"SLACK_URL": hooks.url("/slack"), "TEAMS_URL": hooks.url("/teams"),
               "HOOK_URL": hooks.url("/hook"), "HOOK_SECRET": SECRET,
               "SMTP_USER": mailbox.user, "SMTP_PASSWORD": mailbox.password}
    return DeliveryOptions(author=BOT, environ=environ, retry=FAST, timeout=0.5)


def run(root: Path, messages: list[Message], options: DeliveryOptions) -> DeliveryReport:
    return deliver(messages, RunContext(open_repository(root), NOW), options)


def ledger(root: Path) -> dict[str, dict[str, str]]:
    data = json.loads(git(root, "show", "itsm/state:notify/sent.json"))
    return {entry["key"]: entry for entry in data["sent"]}


def fates(report: DeliveryReport) -> list[tuple[str, str, str]]:
    return [(d.message.channel, d.state, d.outcome) for d in report.deliveries]


def test_each_type_is_delivered_once_and_a_rerun_sends_nothing(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver,
        mailbox: MailReceiver) -> None:
    messages = [message(1, "status-slack"), message(2, "ops-teams", public=False),
                message(3, "ops-webhook", public=False), message(4, "ops-mail")]
    report = run(root, messages, options)
    assert fates(report) == [("status-slack", "sent", "HTTP 200"),
                             ("ops-teams", "sent", "HTTP 200"),
                             ("ops-webhook", "sent", "HTTP 200"),
                             ("ops-mail", "sent", "SMTP accepted")]
    assert (report.exit_code, report.commits) == (0, 4)
    assert [r.json() for r in hooks.on("/slack")] == [slack(messages[0])]
    assert [r.json() for r in hooks.on("/teams")] == [teams(messages[1])]
    [signed] = hooks.on("/hook")  # accepted: signature and timestamp verified
    assert hooks.refused == []
    assert signed.headers["x-itsm-delivery"] == messages[2].key
    assert signed.headers["x-itsm-event"] == "incident.opened"
    assert signed.json()["record"] == "INC-0003"
    [(sender, recipients, mail, over_tls)] = mailbox.messages
    assert (sender, recipients, over_tls) == (
        "itsm@example.org", ["ops@example.org", "oncall@example.org"], True)
    assert mail["Subject"] == "Checkout errors (4)"
    assert mail["Message-ID"] == f"<{messages[3].key}@example.org>"
    assert mail.get_content() == ("We are investigating elevated error rates.\r\n\r\n"
                                  "https://status.example.org/incidents/INC-0004\r\n")
    assert ledger(root)[messages[0].key] == {
        "key": messages[0].key, "channel": "status-slack", "event": "incident.opened",
        "record": "INC-0001", "sent_at": ledger(root)[messages[0].key]["sent_at"],
        "outcome": "HTTP 200"}
    assert sorted(ledger(root)) == sorted(m.key for m in messages)

    again = run(root, messages, options)
    assert [d.state for d in again.deliveries] == ["sent before"] * 4
    assert (again.exit_code, again.commits) == (0, 0)
    assert (len(hooks.accepted), len(mailbox.messages)) == (3, 1)
    assert again.line() == ("0 message(s) sent, 4 sent before, 0 failed; ledger "
                            "itsm/state:notify/sent.json: 0 commit(s)")


def test_overlapping_ranges_send_only_what_is_new(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    first = [message(1, "status-slack"), message(2, "status-slack")]
    second = [message(2, "status-slack"), message(3, "status-slack")]
    run(root, first, options)
    report = run(root, second, options)
    assert [d.state for d in report.deliveries] == ["sent before", "sent"]
    assert [r.json()["text"] for r in hooks.on("/slack")] == [
        "Checkout errors (1)", "Checkout errors (2)", "Checkout errors (3)"]


def test_a_server_error_is_retried_with_backoff_until_it_succeeds(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    hooks.fail("/hook", 500, times=2)
    report = run(root, [message(1, "ops-webhook", public=False)], options)
    assert fates(report) == [("ops-webhook", "sent", "HTTP 200 after 3 attempts")]
    assert hooks.answers == [("/hook", 500), ("/hook", 500), ("/hook", 200)]


def test_retry_after_is_honoured(root: Path, options: DeliveryOptions,
                                 hooks: WebhookReceiver) -> None:
    waits: list[float] = []
    hooks.fail("/slack", 429, retry_after="2")
    report = run(root, [message(1, "status-slack")], replace(options, sleep=waits.append))
    assert fates(report) == [("status-slack", "sent", "HTTP 200 after 2 attempts")]
    assert waits == [2.0]


def test_a_slow_answer_times_out_and_is_tried_again_under_the_same_delivery_id(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    hooks.stall("/hook", 1.5)
    report = run(root, [message(1, "ops-webhook", public=False)], options)
    assert fates(report) == [("ops-webhook", "sent", "HTTP 200 after 2 attempts")]
    # The stalled request still arrives, late: receivers deduplicate by X-Itsm-Delivery.
    hooks_seen = _eventually(lambda: hooks.on("/hook"), 2)
    assert {r.headers["x-itsm-delivery"] for r in hooks_seen} == {message(1, "x").key}


def _eventually(found: Any, count: int) -> list[Request]:
    for _ in range(50):
        requests: list[Request] = found()
        if len(requests) >= count:
            return requests
        threading.Event().wait(0.05)
    return list(found())


def test_giving_up_after_the_bound_is_reported_while_the_others_are_sent(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    hooks.fail("/hook", 503, times=3)
    hooks.fail("/teams", 400)
    messages = [message(1, "ops-webhook", public=False), message(2, "ops-teams"),
                message(3, "status-slack")]
    report = run(root, messages, options)
    assert fates(report) == [
        ("ops-webhook", "failed",
         "HTTP 503 Service Unavailable: failing on purpose after 3 attempts"),
        ("ops-teams", "failed", "HTTP 400 Bad Request: failing on purpose"),
        ("status-slack", "sent", "HTTP 200")]
    assert report.exit_code == 1
    assert [(f.path, f.line, f.rule, f.record, f.message) for f in report.findings] == [
        ("records/channels/ops-webhook.yaml", 1, "notify-delivery", "INC-0001",
         "incident.opened for INC-0001 to channel ops-webhook (Operations event bus) "
         "failed: HTTP 503 Service Unavailable: failing on purpose after 3 attempts; the "
         "receiver kept failing: check that it is up; the next run tries it again"),
        ("records/channels/ops-teams.yaml", 1, "notify-delivery", "INC-0002",
         "incident.opened for INC-0002 to channel ops-teams failed: HTTP 400 Bad Request: "
         "failing on purpose; the receiver refused it: check the channel's URL, secret or "
         "login; the next run tries it again")]
    assert list(ledger(root)) == [messages[2].key]  # failures are not recorded

    later = run(root, messages, options)  # the next run tries the failures again
    assert [d.state for d in later.deliveries] == ["sent", "sent", "sent before"]


def test_a_wrong_signing_key_is_refused_by_the_receiver_and_not_retried(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    wrong = replace(options, environ={**options.environ, "HOOK_SECRET": "not-the-key"})
    report = run(root, [message(1, "ops-webhook", public=False)], wrong)
    assert fates(report) == [("ops-webhook", "failed", "HTTP 401 Unauthorized: bad signature")]
    assert [problem for _, problem in hooks.refused] == ["bad signature"]


def test_a_missing_secret_fails_that_channel_only(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    environ = {k: v for k, v in options.environ.items() if k != "HOOK_SECRET"}
    report = run(root, [message(1, "ops-webhook", public=False), message(2, "status-slack")],
                 replace(options, environ=environ))
    assert fates(report) == [
        ("ops-webhook", "failed", "the environment variable HOOK_SECRET is not set"),
        ("status-slack", "sent", "HTTP 200")]
    assert [f.message for f in report.findings] == [
        "incident.opened for INC-0001 to channel ops-webhook (Operations event bus) failed: "
        "the environment variable HOOK_SECRET is not set; set it in the run's environment "
        "(in CI: the step's env, from a secret); the next run tries it again"]


def test_an_smtp_server_busy_reply_is_retried_and_a_refusal_is_not(
        root: Path, options: DeliveryOptions, mailbox: MailReceiver) -> None:
    mailbox.replies.extend(["451 4.3.0 try again later"])
    report = run(root, [message(1, "ops-mail")], options)
    assert fates(report) == [("ops-mail", "sent", "SMTP accepted after 2 attempts")]
    mailbox.replies.extend(["554 5.7.1 rejected"])
    report = run(root, [message(2, "ops-mail")], options)
    assert fates(report) == [("ops-mail", "failed", "SMTP 554 5.7.1 rejected")]
    wrong = replace(options, environ={**options.environ, "SMTP_PASSWORD": "guess"})
    report = run(root, [message(3, "ops-mail")], wrong)
    assert fates(report) == [("ops-mail", "failed",
                              "SMTP 535 5.7.8 Authentication credentials invalid")]
    assert len(mailbox.messages) == 1


def test_an_internal_message_for_a_public_channel_stops_the_run_before_anything_is_sent(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    messages = [message(1, "ops-webhook", public=False),
                message(2, "status-slack", public=False, text="CANARY internal only")]
    with pytest.raises(LeakRefused) as refused:
        run(root, messages, options)
    assert str(refused.value) == (
        "refused to send internal messages to public channels (incident.opened for "
        "INC-0002 to status-slack): nothing was sent; this is a defect in itsm's matching, "
        "please report it")
    assert refused.value.exit_code == 3
    assert hooks.answers == []
    assert "itsm/state" not in git(root, "branch", "--list")


def test_a_run_that_loses_the_race_rereads_the_ledger_and_skips_what_the_other_sent(
        root: Path, options: DeliveryOptions, hooks: WebhookReceiver) -> None:
    """While run A waits for its first answer, run B sends two messages and records them:
    A records its own on top of B's entries, and skips both of B's."""
    mine, theirs = message(1, "ops-webhook", public=False), [message(2, "status-slack"),
                                                               message(3, "status-slack")]
    other: list[DeliveryReport] = []
    answer = hooks.handle

    def handle(request: Request) -> tuple[int, dict[str, str], bytes]:
        if request.path == "/hook" and not other:
            other.append(run(root, theirs, options))
        return answer(request)

    hooks.handle = handle  # type: ignore[method-assign]
    report = run(root, [mine, *theirs], options)
    assert [d.state for d in other[0].deliveries] == ["sent", "sent"]
    assert [d.state for d in report.deliveries] == ["sent", "sent before", "sent before"]
    assert (report.commits, report.lost) == (1, 0)
    assert sorted(ledger(root)) == sorted(m.key for m in [mine, *theirs])
    assert len(hooks.on("/slack")) == 2
    assert git(root, "rev-list", "--count", "itsm/state") == "3"


def test_a_ledger_commit_that_loses_the_compare_and_swap_is_redone_on_the_new_tip(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zone = ZoneInfo("Europe/Berlin")
    first = Sent("a" * 32, "status-slack", "incident.opened", "INC-0001", NOW, "HTTP 200")
    second = replace(first, key="b" * 32, record="INC-0002")
    other = Ledger(root, "itsm/state", BOT, zone)
    real, raced = Branch.commit, []

    def commit(branch: Branch, *args: Any) -> str:
        """Another run commits right after this one has read the branch, once."""
        if not raced:
            raced.append(branch.name)
            other.record(second)
        return real(branch, *args)

    monkeypatch.setattr(Branch, "commit", commit)
    racing = Ledger(root, "itsm/state", BOT, zone)
    assert racing.record(first) is True
    assert (racing.commits, racing.lost) == (1, 1)
    assert sorted(ledger(root)) == ["a" * 32, "b" * 32]
    assert ledger(root)["a" * 32]["sent_at"] == "2026-11-22T10:00:00+01:00"
    assert racing.record(second) is False  # recorded by the other run: nothing to add


def test_recipients_get_blind_copies_once_and_never_see_each_other(
        root: Path, options: DeliveryOptions, mailbox: MailReceiver) -> None:
    """A request's requester and an escalation's people are envelope recipients beside the
    channel's `to`: the To header names the channel's own only, an address given twice
    (in any case) is sent once, and one that is no plain mailbox is left out."""
    first = message(1, "ops-mail", recipients=("ada@example.org", "OPS@example.org",
                                                "x<y>@example.org"))
    second = message(2, "ops-mail", recipients=("ben@example.org",))
    report = run(root, [first, second], options)
    assert [d.state for d in report.deliveries] == ["sent", "sent"]
    assert [(rcpt, mail["To"], mail["Cc"], mail["Bcc"])
            for _, rcpt, mail, _ in mailbox.messages] == [
        (["ops@example.org", "oncall@example.org", "ada@example.org"],
         "ops@example.org, oncall@example.org", None, None),
        (["ops@example.org", "oncall@example.org", "ben@example.org"],
         "ops@example.org, oncall@example.org", None, None)]
    assert all("ada@" not in mail.as_string() and "ben@" not in mail.as_string()
               for mail in mailbox.parsed())


def test_a_refused_blind_copy_is_counted_not_named(
        root: Path, options: DeliveryOptions, mailbox: MailReceiver) -> None:
    mailbox.unknown |= {"ada@example.org", "oncall@example.org"}
    report = run(root, [message(1, "ops-mail", recipients=("ada@example.org",))], options)
    assert fates(report) == [("ops-mail", "sent", "SMTP accepted, refused for "
                              "oncall@example.org, 1 other recipient(s)")]
    [(_, recipients, _, _)] = mailbox.messages
    assert recipients == ["ops@example.org"]


def test_the_ledger_forgets_deliveries_older_than_90_days(root: Path) -> None:
    book = Ledger(root, "itsm/state", BOT, ZoneInfo("Europe/Berlin"))
    old = Sent("a" * 32, "status-slack", "incident.opened", "INC-0001",
               NOW - timedelta(days=91), "HTTP 200")
    recent = replace(old, key="b" * 32, sent_at=NOW - timedelta(days=89))
    assert book.record(old) and book.record(recent)
    assert sorted(ledger(root)) == ["a" * 32, "b" * 32]
    assert book.record(replace(old, key="c" * 32, sent_at=NOW))
    assert sorted(ledger(root)) == ["b" * 32, "c" * 32]
