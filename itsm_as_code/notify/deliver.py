"""Delivery: each message sent once to its channel, recorded in the ledger, failures
reported without stopping the rest.

For each message, in order: skipped when the ledger (read again each time) holds its key;
otherwise sent with retries (notify/retry.py) over its channel's transport, and on
success recorded at once (notify/ledger.py). Before anything is sent, every message is
checked against its channel's audience: an internal message for a public channel means
the matching that made it is wrong, so the run stops with an internal error and sends
nothing (the matching refuses such pairs first; this is the second wall).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from itsm_as_code.errors import ItsmError
from itsm_as_code.findings import Finding
from itsm_as_code.git.commit import Identity
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.types.notifications import Channel
from itsm_as_code.notify import http, mail, payloads
from itsm_as_code.notify.ledger import Ledger, Sent
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.report import Delivery, DeliveryReport
from itsm_as_code.notify.retry import Outcome, RetryPolicy, Tried, with_retries

__all__ = ["Delivery", "DeliveryOptions", "DeliveryReport", "LeakRefused", "deliver"]

RULE = "notify-delivery"
VALIDATE = "run itsm validate and fix the channel"


class LeakRefused(ItsmError):
    """Messages with internal content were given for public channels: nothing was sent."""


@dataclass(frozen=True)
class DeliveryOptions:
    """How to deliver: the ledger's branch and its commits' author, where secrets are
    read, how long to keep trying. `clock` gives the epoch seconds a webhook is signed
    with and a mail dated with (the receiver checks them against its own clock, so they
    are the real time of sending, not the run's `now`); `sleep` and `jitter` drive the
    waits between attempts."""

    ledger: str = "itsm/state"
    author: Identity | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 10.0
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    progress: Callable[[Delivery], None] | None = None


def deliver(messages: Sequence[Message], ctx: RunContext,
            options: DeliveryOptions) -> DeliveryReport:
    """Send each message not sent before, once; the report says what became of each."""
    channels = ctx.model.channels
    _second_wall(messages, channels)
    ledger = Ledger(ctx.repo.root, options.ledger, options.author,
                    ZoneInfo(ctx.config.timezone))
    ledger.check(_moment(options.clock()))
    done: list[Delivery] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    for message in messages:
        if message.key in seen:
            continue  # the same message twice in one batch is one message
        seen.add(message.key)
        before = ledger.read().get(message.key)
        if before is not None:
            delivery = Delivery(message, "sent before", before.outcome, 0)
        else:
            channel = channels.get(message.channel)
            delivery = _send_once(message, channel, ledger, options)
            if delivery.state == "failed":
                findings.append(_finding(ctx, delivery, channel))
        done.append(delivery)
        if options.progress is not None:
            options.progress(delivery)
    return DeliveryReport(options.ledger, tuple(done), tuple(findings), ledger.commits,
                          ledger.lost)


def _second_wall(messages: Sequence[Message], channels: Mapping[str, Channel]) -> None:
    leaks = [message for message in messages if not message.public
             and (channel := channels.get(message.channel)) is not None and channel.public]
    if leaks:
        listed = "; ".join(f"{m.event} for {m.record} to {m.channel}" for m in leaks[:5])
        more = f" and {len(leaks) - 5} more" if len(leaks) > 5 else ""
        raise LeakRefused(
            f"refused to send internal messages to public channels ({listed}{more}): "
            "nothing was sent; this is a defect in itsm's matching, please report it")


def _send_once(message: Message, channel: Channel | None, ledger: Ledger,
               options: DeliveryOptions) -> Delivery:
    if channel is None:
        tried = _cannot(f"{message.channel} is not a valid Channel record", VALIDATE)
    else:
        attempt = _attempt(message, channel, options)
        tried = attempt if isinstance(attempt, Tried) else with_retries(
            attempt, options.retry, options.clock, options.sleep, options.jitter)
    if not tried.outcome.ok:
        return Delivery(message, "failed", tried.summary, tried.attempts, _advice(tried))
    sent = Sent(message.key, message.channel, message.event, message.record,
                _moment(options.clock()), tried.outcome.status)
    alone = ledger.record(sent)
    note = "" if alone else " (another run sent it at the same time)"
    return Delivery(message, "sent", tried.summary + note, tried.attempts)


def _attempt(message: Message, channel: Channel,
             options: DeliveryOptions) -> Callable[[], Outcome] | Tried:
    """One attempt at sending, to be retried; or, when it cannot even start, its end."""
    env = options.environ
    if channel.type == "email":
        if channel.smtp is None or channel.sender is None or not channel.to:
            return _cannot("the channel has no smtp, from or to", VALIDATE)
        server, built = channel.smtp, mail.build(message, channel, options.clock())
        recipients = mail.envelope(message, channel)
        return lambda: mail.send(built, recipients, server, env, options.timeout)
    if channel.url_env is None:
        return _cannot("the channel has no url_env", VALIDATE)
    url = env.get(channel.url_env, "")
    if not url:
        return _cannot(f"the environment variable {channel.url_env} is not set", mail.SET_SECRET)
    problem = http.url_problem(url)
    if problem is not None:
        return _cannot(f"the URL in {channel.url_env} {problem}",
                       "give the variable the receiver's https URL")
    if channel.type == "slack":
        body = payloads.encode(payloads.slack(message))
        return lambda: http.post(url, body, {}, options.timeout, options.clock())
    if channel.type == "teams":
        body = payloads.encode(payloads.teams(message))
        return lambda: http.post(url, body, {}, options.timeout, options.clock())
    if channel.secret_env is None:
        return _cannot("the channel has no secret_env", VALIDATE)
    secret = env.get(channel.secret_env, "")
    if not secret:
        return _cannot(f"the environment variable {channel.secret_env} is not set",
                       mail.SET_SECRET)
    body = payloads.encode(payloads.webhook(message))

    def signed() -> Outcome:
        # Signed afresh for each attempt: a retry minutes later is still inside the
        # receiver's replay window.
        now = options.clock()
        stamp = int(now)
        return http.post(url, body, {
            "X-Itsm-Signature": payloads.signature(secret, stamp, body),
            "X-Itsm-Timestamp": str(stamp), "X-Itsm-Delivery": message.key,
            "X-Itsm-Event": message.event}, options.timeout, now)
    return signed


def _cannot(why: str, fix: str) -> Tried:
    return Tried(Outcome(False, why, fix=fix), 0)


def _advice(tried: Tried) -> str:
    """What to do about a failure; every failure is tried again by the next run."""
    if tried.outcome.fix is not None:
        fix = tried.outcome.fix
    elif tried.outcome.transient:
        fix = "the receiver kept failing: check that it is up"
    else:
        fix = "the receiver refused it: check the channel's URL, secret or login"
    return f"{fix}; the next run tries it again"


def _moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def _finding(ctx: RunContext, delivery: Delivery, channel: Channel | None) -> Finding:
    message = delivery.message
    name = f" ({channel.name})" if channel is not None and channel.name else ""
    said = (f"{message.event} for {message.record} to channel {message.channel}{name} "
            f"failed: {delivery.outcome}; {delivery.advice}")
    try:
        placed = ctx.model.source(message.channel).finding(RULE, said)
    except KeyError:
        return Finding("", 0, 0, RULE, said, message.record)
    return replace(placed, record=message.record)
