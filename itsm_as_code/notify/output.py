"""What `itsm notify` shows: the messages of a run (sent, sent before, failed, or only
previewed) as text, JSON, markdown, or GitHub annotations.

The markdown preview quotes each message exactly as its channel will receive it, so the
wording customers will read is reviewed with the change; it starts with a marker line
the workflow finds its earlier comment by, and updates it instead of adding another.
After a send, markdown is a job summary: the failures, then every delivery. A failed
delivery is a finding at its channel's file in every format, naming the channel, the
record and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

from itsm_as_code.notify.ledger import REMEMBERED
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.run import NotifyResult
from itsm_as_code.reporters import MarkdownReporter, annotation, finding_line
from itsm_as_code.templating import local_text

MARKER = "<!-- itsm-notify-preview -->"


def states(result: NotifyResult) -> dict[str, str]:
    """Each message's fate by key: `preview`, `sent`, `sent before` or `failed`."""
    found = {message.key: "preview" for message in result.messages}
    if result.delivery is not None:
        for delivery in result.delivery.deliveries:
            found[delivery.message.key] = delivery.state
    return found


def summary(result: NotifyResult) -> str:
    fates = states(result)
    counts = {state: sum(1 for s in fates.values() if s == state)
              for state in ("sent", "sent before", "failed", "preview")}
    told = ", ".join(f"{count} {state}" for state, count in counts.items() if count)
    old = (f"; {result.too_old} commit(s) or escalation(s) older than {REMEMBERED.days} "
           "days not told" if result.too_old else "")
    return (f"{len(result.events)} event(s) in {result.commits} commit(s) "
            f"{result.since[:7]}..{result.until[:7]}; {len(result.messages)} message(s)"
            + (f": {told}" if told else "") + old)


def as_text(result: NotifyResult, zone: str) -> str:
    fates = states(result)
    lines = []
    for message in result.messages:
        lines.append(f"{fates[message.key]:<11} {message.event:<28} {message.record:<10} "
                     f"-> {result.channels.get(message.channel, message.channel)}: "
                     f"{message.subject}")
    if result.delivery is not None:
        lines += [finding_line(f) if f.path else f"error: {f.message}"
                  for f in result.delivery.findings]
        lines.append(result.delivery.line())
    lines.append(f"{summary(result)} (as of {local_text(result.now, ZoneInfo(zone))})")
    return "\n".join(lines) + "\n"


def as_json(result: NotifyResult, zone: str) -> str:
    fates = states(result)
    outcomes = ({} if result.delivery is None else
                {d.message.key: d.outcome for d in result.delivery.deliveries})
    data = {
        "since": result.since, "until": result.until, "now": result.now.isoformat(),
        "commits": result.commits, "too_old": result.too_old,
        "events": [{"event": event.name, "record": event.record.id, "key": event.key}
                   for event in result.events],
        "messages": [{**_message(message), "state": fates[message.key],
                      "outcome": outcomes.get(message.key)}
                     for message in result.messages],
        "summary": summary(result),
        "delivery": None if result.delivery is None else {
            "line": result.delivery.line(),
            "failed": [f.as_dict() for f in result.delivery.findings]},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _message(message: Message) -> dict[str, object]:
    return {"key": message.key, "channel": message.channel, "event": message.event,
            "record": message.record, "subject": message.subject, "text": message.text,
            "public": message.public, "url": message.url,
            # How many, not who: a CI log may be public, and addresses are personal.
            "recipients": len(message.recipients)}


def as_markdown(result: NotifyResult, zone: str) -> str:
    """The preview (nothing was sent), or after a send its report."""
    if result.delivery is not None:
        report = result.delivery.report()
        return MarkdownReporter().render(report) + f"\n<sub>{summary(result)}</sub>\n"
    lines = [MARKER, "### Notifications this change sends", ""]
    if not result.messages:
        lines += ["No subscription wants a message about this change.", ""]
    for message in result.messages:
        channel = result.channels.get(message.channel, message.channel)
        audience = "public text" if message.public else "internal text"
        lines += [f"**{_inline(channel)}** ({audience}), `{message.event}` for "
                  f"`{message.record}`", "", f"> **{_inline(message.subject)}**", ">"]
        lines += [f"> {_inline(line)}" if line else ">" for line in
                  message.text.rstrip("\n").split("\n")]
        lines.append("")
    lines.append(f"<sub>{summary(result)}</sub>")
    return "\n".join(lines) + "\n"


def _inline(text: str) -> str:
    """Text inside a comment, without raw HTML or a way to break out of the quote."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("@", "@\u200b"))


def as_github(result: NotifyResult, zone: str) -> str:
    """An error annotation on the channel's file for each failed delivery, then the text."""
    failures = [] if result.delivery is None else [
        annotation(finding) for finding in result.delivery.findings]
    return "\n".join([*failures, as_text(result, zone).rstrip("\n")]) + "\n"


FORMATS: dict[str, Callable[[NotifyResult, str], str]] = {
    "text": as_text, "json": as_json, "markdown": as_markdown, "github": as_github}
