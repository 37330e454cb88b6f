"""What each kind of webhook receives for one message: Slack's and Microsoft Teams'
incoming-webhook JSON as their vendors document it, and itsm's own signed JSON.

Slack: `text` (the line a notification shows) and `blocks` in Slack's mrkdwn, where `&`,
`<` and `>` are control characters (`<!channel>` would ping everyone): record text is
escaped before anything is marked up. Teams: an Adaptive Card in a `message` attachment,
the form Microsoft documents for incoming webhooks and Workflows. Generic webhook: a JSON
object signed with HMAC-SHA256 over `timestamp + "." + body` (see `signature`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from itsm_as_code.notify.message import Message

SLACK_SECTION = 3000  # Slack refuses a section text longer than this
TEAMS_TEXT = 20_000  # a Teams card is limited to about 28 KB in all
ADAPTIVE_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
# A markdown link to a web page, as it reads once escaped for Slack.
LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\((https?://[^\s()|]{1,2000})\)")


def slack_escape(text: str) -> str:
    """Text Slack shows as written: its three control characters as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_mrkdwn(text: str) -> str:
    """Markdown's bold and links in Slack's mrkdwn, everything else escaped."""
    escaped = slack_escape(text)
    escaped = BOLD.sub(r"*\1*", escaped)
    return LINK.sub(lambda found: f"<{found[2]}|{found[1]}>", escaped)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def slack(message: Message) -> dict[str, Any]:
    """A Slack incoming webhook's payload."""
    subject = slack_escape(_one_line(message.subject))
    heading = f"*{subject}*\n"
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {
        "type": "mrkdwn",
        "text": heading + _cut(slack_mrkdwn(message.text), SLACK_SECTION - len(heading))}}]
    if message.url:
        blocks.append({"type": "context", "elements": [{
            "type": "mrkdwn",
            "text": f"<{slack_escape(message.url)}|{slack_escape(message.record)}>"}]})
    return {"text": subject, "blocks": blocks}


def teams(message: Message) -> dict[str, Any]:
    """A Microsoft Teams incoming webhook's payload: one Adaptive Card."""
    card: dict[str, Any] = {
        "$schema": ADAPTIVE_SCHEMA, "type": "AdaptiveCard", "version": "1.2",
        "body": [
            {"type": "TextBlock", "text": _one_line(message.subject), "weight": "Bolder",
             "size": "Medium", "wrap": True},
            {"type": "TextBlock", "text": _cut(message.text, TEAMS_TEXT), "wrap": True},
        ],
    }
    if message.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": f"Open {message.record}",
                            "url": message.url}]
    return {"type": "message", "attachments": [
        {"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}]}


def webhook(message: Message) -> dict[str, Any]:
    """itsm's own webhook body: the message and the event it tells of."""
    return {"delivery": message.key, "event": message.event, "record": message.record,
            "channel": message.channel, "subject": message.subject, "text": message.text,
            "url": message.url, "public": message.public}


def encode(payload: dict[str, Any]) -> bytes:
    """The bytes sent (and, for a webhook, signed): compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256, keyed with the secret, over `timestamp.body`."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def _one_line(text: str) -> str:
    return " ".join(text.split())
