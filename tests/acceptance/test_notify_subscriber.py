"""`itsm notify` as a subscriber lives it: the demo's channels pointed at real receivers on
this machine (a webhook receiver that checks signatures, a Slack-format receiver, an SMTP
server with STARTTLS and a login), a pull request merged into main, the workflow's run
after the merge, its re-run, an internal update; and an SLA escalation that reaches the
team lead once over two scheduled runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from itsm_as_code.notify.payloads import slack_escape
from tests.helpers import copy_demo, run_itsm
from tests.history_repos import git
from tests.receivers import (
    MailReceiver,
    WebhookReceiver,
    mail_receiver,
    self_signed,
    webhook_receiver,
)

SECRET = "ops-signing-key"
AT = "2026-11-22 09:31"
LEAD = "anna.keller@northwind-payments.example"
ASSIGNEE = "jonas.weber@northwind-payments.example"
TEAM = "payments-team@example.org"
MERCHANTS = "merchant-status@northwind-payments.example"


@dataclass
class Receivers:
    hooks: WebhookReceiver
    mail: MailReceiver

    def seen(self) -> tuple[int, int, int]:
        """Deliveries so far: (signed webhooks, Slack messages, e-mails)."""
        return (len(self.hooks.on("/ops")), len(self.hooks.on("/slack")),
                len(self.mail.messages))

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [mail for _, rcpt, mail, _ in self.mail.messages if address in rcpt]


@pytest.fixture
def receivers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Receivers]:
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this server alone
    with webhook_receiver(WebhookReceiver(secrets={"/ops": SECRET})) as hooks, \
            mail_receiver(MailReceiver(), cert, key) as mail:
        monkeypatch.setenv("SLACK_STATUS_WEBHOOK_URL", hooks.url("/slack"))
        monkeypatch.setenv("OPS_WEBHOOK_URL", hooks.url("/ops"))
        monkeypatch.setenv("OPS_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("SMTP_USERNAME", mail.user)
        monkeypatch.setenv("SMTP_PASSWORD", mail.password)
        yield Receivers(hooks, mail)


@pytest.fixture
def demo(tmp_path: Path, receivers: Receivers, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo in a git repository on main, its e-mail channels on the local server."""
    root = copy_demo(tmp_path / "demo")
    for name in ("payments-email", "merchant-email"):
        path = root / "records" / "channels" / f"{name}.yaml"
        path.write_text(path.read_text().replace(
            "host: smtp.example.org\n  port: 587",
            f"host: 127.0.0.1\n  port: {receivers.mail.port}"))
    git(root, "init", "--quiet")
    commit(root, "The demo")
    monkeypatch.setenv("ITSM_AUTHOR", "tom-fischer")
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "bot@example.com")
    return root


def commit(root: Path, message: str) -> str:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", message)
    return git(root, "rev-parse", "HEAD")


def itsm(root: Path, *args: str) -> str:
    result = run_itsm(*args, cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    return result.stdout


def quoted(text: str) -> str:
    """Text as the preview quotes it."""
    return "\n".join(f"> {line}" if line else ">" for line in text.rstrip("\n").split("\n"))


def test_a_merged_pull_request_is_told_once_on_each_channel(
        demo: Path, receivers: Receivers) -> None:
    before = git(demo, "rev-parse", "main")
    git(demo, "checkout", "--quiet", "-b", "card-payments")
    incident = itsm(demo, "new", "incident", "--title", "Card payments fail", "--service",
                    "payments-api:major_outage", "--impact", "high", "--urgency", "high",
                    "--message", "We are investigating failed card payments.",
                    "--at", "2026-11-22 09:30").split()[1].rstrip(":")
    commit(demo, "Card payments fail")

    # The pull request's comment.
    preview = itsm(demo, "notify", "--since", "main", "--preview", "--now", AT)
    assert receivers.seen() == (0, 0, 0)

    git(demo, "checkout", "--quiet", "main")
    git(demo, "merge", "--quiet", "--no-ff", "-m", "Merge card-payments", "card-payments")
    sent = itsm(demo, "notify", "--since", before, "--until", "main", "--now", AT)
    assert receivers.seen() == (1, 1, 1), sent
    assert receivers.hooks.refused == []  # the webhook's signature was checked
    assert sent.splitlines()[-2] == ("3 message(s) sent, 0 sent before, 0 failed; ledger "
                                     "itsm/state:notify/sent.json: 3 commit(s)")

    [signed] = receivers.hooks.on("/ops")
    webhook = signed.json()
    # Public: a public incident on a public service, opened with a public update.
    assert (webhook["event"], webhook["record"], webhook["public"]) == (
        "incident.opened", incident, True)
    assert signed.headers["x-itsm-delivery"] == webhook["delivery"]
    [chat] = receivers.hooks.on("/slack")
    page = f"https://status.northwind-payments.example/incidents/{incident}.html"
    public_text = ("Opened 22 Nov 2026, 09:30 CET.\n"
                   "Status: investigating\n"
                   "Affected: Payments API\n"
                   "\n"
                   "We are investigating failed card payments.\n")
    assert chat.json()["text"] == f"New incident {incident}: Card payments fail"
    assert chat.json()["blocks"][0]["text"]["text"] == (
        f"*New incident {incident}: Card payments fail*\n"
        f"*Incident {incident}: Card payments fail*\n{slack_escape(public_text)}\n{page}\n")
    [(sender, recipients, mail, over_tls)] = receivers.mail.messages
    assert (sender, recipients, over_tls) == ("status@northwind-payments.example",
                                              [MERCHANTS], True)
    assert mail["To"] == MERCHANTS
    assert mail["Subject"] == f"New incident {incident}: Card payments fail"
    assert mail.get_content().replace("\r\n", "\n") == (
        f"Incident {incident}: Card payments fail\n{public_text}\n{page}\n")

    # The preview showed exactly these messages, as their channels received them.
    for channel, subject, text in (
            ("Operations event bus", webhook["subject"], webhook["text"]),
            ("#status on Slack", chat.json()["text"], f"**Incident {incident}: Card "
             f"payments fail**\n{public_text}\n{page}\n"),
            ("Merchant status mailing list", mail["Subject"],
             mail.get_content().replace("\r\n", "\n"))):
        assert f"**{channel}** (" in preview
        assert f"> **{subject}**\n>\n{quoted(text)}\n" in preview
    assert preview.count("`incident.opened`") == 3

    # The workflow re-run: nothing more.
    again = itsm(demo, "notify", "--since", before, "--until", "main", "--now", AT)
    assert receivers.seen() == (1, 1, 1)
    assert again.splitlines()[-2] == ("0 message(s) sent, 3 sent before, 0 failed; ledger "
                                      "itsm/state:notify/sent.json: 0 commit(s)")

    # An internal update reaches the internal channel only.
    itsm(demo, "update", incident, "--internal", "-m", "CANARY disk full on the ledger "
         "database.", "--at", "2026-11-22 09:40")
    commit(demo, "Internal update")
    # (--since-time: the SLA escalations by now are the next test's.)
    itsm(demo, "notify", "--since", "HEAD~1", "--now", "2026-11-22 09:41", "--since-time",
         "2026-11-22 09:41")
    assert receivers.seen() == (2, 1, 1)
    update = receivers.hooks.on("/ops")[1].json()
    assert (update["event"], update["public"]) == ("incident.updated", False)
    assert "CANARY" in update["text"]


def test_an_sla_at_75_percent_tells_the_team_lead_once(
        demo: Path, receivers: Receivers) -> None:
    """A P1 assigned to Jonas, opened at 09:30 and not acknowledged: its 15-minute
    response clock reaches 50% (the assignee) at 09:37:30 and 75% (the team lead, Anna)
    at 09:41:15. Two scheduled runs, at 09:42 and 09:44: Anna gets one e-mail."""
    incident = itsm(demo, "new", "incident", "--title", "Card payments fail", "--service",
                    "payments-api:major_outage", "--impact", "high", "--urgency", "high",
                    "--assignee", "jonas-weber",
                    "--at", "2026-11-22 09:30").split()[1].rstrip(":")
    commit(demo, "Card payments fail")
    first = itsm(demo, "notify", "--since", "HEAD", "--now", "2026-11-22 09:42")
    second = itsm(demo, "notify", "--since", "HEAD", "--now", "2026-11-22 09:44")
    assert "4 message(s) sent, 0 sent before" in first
    assert "0 message(s) sent, 4 sent before" in second

    [to_lead] = receivers.mails_to(LEAD)
    assert to_lead["Subject"] == f"SLA escalation level 2: {incident}: Card payments fail"
    assert to_lead["To"] == TEAM  # the people named are blind copies
    body = to_lead.get_content()
    assert "reached 75% of its target at 22 Nov 2026, 09:41 CET" in body
    assert "Escalated to: Anna Keller" in body
    [to_assignee] = receivers.mails_to(ASSIGNEE)
    assert "Escalated to: Jonas Weber" in to_assignee.get_content()
    assert [rcpt for _, rcpt, _, _ in receivers.mail.messages] == [
        [TEAM, ASSIGNEE], [TEAM, LEAD]]
    # The chat and webhook side names them, without addresses.
    texts = [request.json()["text"] for request in receivers.hooks.on("/ops")]
    assert len(texts) == 2
    assert "Escalated to: Anna Keller" in texts[1]
    assert all("@" not in text for text in texts)
    assert json.dumps([r.json() for r in receivers.hooks.on("/ops")]).count(LEAD) == 0
