"""What each channel type is sent, byte for byte: Slack's and Teams' payloads as their
vendors document them, the signed webhook, the e-mail; and the retry policy's waits."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from itsm_as_code.model.types.notifications import Channel, Smtp
from itsm_as_code.notify import http, mail, payloads
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.retry import Outcome, RetryPolicy, Tried, with_retries
from itsm_as_code.validation.rules.channels import secret_problem

MESSAGE = Message(
    key="0123456789abcdef0123456789abcdef", channel="status", event="incident.opened",
    record="INC-0042", subject="Checkout <errors> & 502s",
    text="We are **investigating** <!channel> errors; see [the runbook](https://x.org/r?a=1&b=2).",
    public=True, url="https://status.example.org/incidents/INC-0042")


def test_slack_gets_escaped_mrkdwn_in_text_and_blocks() -> None:
    assert payloads.slack(MESSAGE) == {
        "text": "Checkout &lt;errors&gt; &amp; 502s",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                "*Checkout &lt;errors&gt; &amp; 502s*\n"
                "We are *investigating* &lt;!channel&gt; errors; see "
                "<https://x.org/r?a=1&amp;b=2|the runbook>.")}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": (
                "<https://status.example.org/incidents/INC-0042|INC-0042>")}]},
        ],
    }


def test_slack_cuts_a_long_text_to_fit_one_section() -> None:
    long = Message(**{**MESSAGE.__dict__, "text": "x" * 5000, "url": None})
    sent = payloads.slack(long)
    assert len(sent["blocks"]) == 1
    section = sent["blocks"][0]["text"]["text"]
    assert len(section) == payloads.SLACK_SECTION and section.endswith("x\u2026")


def test_teams_gets_an_adaptive_card_in_a_message_attachment() -> None:
    assert payloads.teams(MESSAGE) == {
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.2",
                "body": [
                    {"type": "TextBlock", "text": "Checkout <errors> & 502s",
                     "weight": "Bolder", "size": "Medium", "wrap": True},
                    {"type": "TextBlock", "text": MESSAGE.text, "wrap": True},
                ],
                "actions": [{"type": "Action.OpenUrl", "title": "Open INC-0042",
                             "url": "https://status.example.org/incidents/INC-0042"}],
            },
        }],
    }


def test_the_webhook_body_is_compact_sorted_json_and_its_signature_verifies() -> None:
    body = payloads.encode(payloads.webhook(MESSAGE))
    assert json.loads(body) == {
        "delivery": MESSAGE.key, "event": "incident.opened", "record": "INC-0042",
        "channel": "status", "subject": MESSAGE.subject, "text": MESSAGE.text,
        "url": MESSAGE.url, "public": True}
    assert body.startswith(b'{"channel":"status","delivery":"0123')
    expected = hmac.new(b"k3y", b"1795338000." + body, hashlib.sha256).hexdigest()
    assert payloads.signature("k3y", 1795338000, body) == f"sha256={expected}"
    assert payloads.signature("k3y", 1795338001, body) != f"sha256={expected}"


def test_an_email_is_rfc_5322_with_a_message_id_from_the_key() -> None:
    channel = Channel("ops-mail", "email", "internal", smtp=Smtp("smtp.example.org"),
                      sender="itsm@example.org", to=("a@example.org", "b@example.org"))
    subject = Message(**{**MESSAGE.__dict__, "subject": "Caf\u00e9 down\r\nBcc: x@evil.org"})
    built = mail.build(subject, channel, 1795338000.7)
    assert built["From"] == "itsm@example.org"
    assert built["To"] == "a@example.org, b@example.org"
    assert built["Subject"] == "Caf\u00e9 down Bcc: x@evil.org"
    assert built["Message-ID"] == f"<{MESSAGE.key}@example.org>"
    assert built["Date"] == "Sun, 22 Nov 2026 09:00:00 +0000"
    assert built["Auto-Submitted"] == "auto-generated"
    assert built.get_content() == f"{MESSAGE.text}\n\n{MESSAGE.url}\n"
    assert "Bcc" not in built


@pytest.mark.parametrize(("url", "problem"), [
    ("https://hooks.slack.com/services/T/B/X", None),
    ("http://127.0.0.1:8080/hook", None),
    ("http://hooks.example.org/x", "is http: only https is sent to (http to this machine only)"),
    ("ftp://example.org/x", "is not an https URL"),
    ("hooks.slack.com/services", "is not an https URL"),
    ("http://[::1", "is not a URL"),
])
def test_only_https_urls_are_sent_to(url: str, problem: str | None) -> None:
    assert http.url_problem(url) == problem


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert http.retry_after("7", 0.0) == 7.0
    assert http.retry_after("Sun, 22 Nov 2026 09:00:30 GMT", 1795338000.0) == 30.0
    assert http.retry_after("soon", 0.0) is None
    assert http.retry_after(None, 0.0) is None


def run(outcomes: list[Outcome], policy: RetryPolicy) -> tuple[Tried, list[float], int]:
    slept: list[float] = []
    clock = [0.0]
    calls = [0]

    def attempt() -> Outcome:
        calls[0] += 1
        return outcomes.pop(0)

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    tried = with_retries(attempt, policy, lambda: clock[0], sleep, lambda: 0.5)
    return tried, slept, calls[0]


def test_transient_failures_back_off_exponentially_with_jitter_then_succeed() -> None:
    busy = Outcome(False, "HTTP 503", transient=True)
    tried, slept, calls = run([busy, busy, busy, Outcome(True, "HTTP 200")],
                              RetryPolicy(attempts=5, base=1.0))
    assert (calls, slept) == (4, [0.75, 1.5, 3.0])
    assert tried == Tried(Outcome(True, "HTTP 200"), 4)


def test_retry_after_is_waited_for_and_a_final_failure_is_not_retried() -> None:
    limited = Outcome(False, "HTTP 429", transient=True, wait=9.0)
    tried, slept, _ = run([limited, Outcome(False, "HTTP 400 Bad Request")], RetryPolicy())
    assert slept == [9.0]
    assert tried.summary == "HTTP 400 Bad Request after 2 attempts"


def test_the_bound_stops_trying_by_attempts_and_by_total_time() -> None:
    busy = Outcome(False, "HTTP 500", transient=True)
    tried, _, calls = run([busy] * 3, RetryPolicy(attempts=3, base=0.1))
    assert (calls, tried.summary) == (3, "HTTP 500 after 3 attempts")
    slow = Outcome(False, "HTTP 429", transient=True, wait=600.0)
    tried, slept, calls = run([slow], RetryPolicy(total=60.0))
    assert (calls, slept) == (1, [])
    assert tried.summary == ("HTTP 429 (waiting 600s more would pass the 60s "
                             "bound)")


@pytest.mark.parametrize(("value", "problem"), [
    ("OPS_WEBHOOK_URL", None),
    ("smtp_password", None),
    ("SLACK_STATUS_WEBHOOK_URL_2026", None),
    ("https://hooks.slack.com/services/T0/B0/abc", "is a URL"),
    ("hooks.slack.com/services/T0", "is a URL"),
    ("xoxb-1234-5678-abcdef", "is not the name"),
    ("1PASSWORD", "is not the name"),
    ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", "looks like a key"),
    ("AKIAIOSFODNN7EXAMPLE", "looks like a key"),
    ("c2VjcmV0LXNlY3JldC1zZWNyZXQ2MDI0", "looks like a key"),
])
def test_a_secret_is_told_from_a_variable_name(value: str, problem: str | None) -> None:
    found = secret_problem(value)
    assert (found is None) if problem is None else (found is not None and problem in found)
    if found is not None and len(value) > 16:
        assert value[8:] not in found  # the message never repeats a long secret
