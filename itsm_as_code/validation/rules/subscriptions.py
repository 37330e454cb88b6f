"""Subscriptions: what a public channel may be promised.

A public channel (a customer Slack, a public mailing list) gets only what the public
status site shows. A subscription that asks for internal content there (`audience:
internal`, or `requester: true`, whose requests are never public) is refused before it
merges; `itsm notify` would send it only public content anyway (notify/match.py), and
delivery refuses an internal message to a public channel a third time.
"""

from __future__ import annotations

from collections.abc import Iterator

from itsm_as_code.model.types.notifications import Subscription
from itsm_as_code.rule import Hit
from itsm_as_code.validation.rules.base import Judged


def audience(judged: Judged) -> Iterator[Hit]:
    channels = judged.model.channels
    for record, subscription in judged.values("Subscription", Subscription):
        channel = channels.get(subscription.channel)
        if channel is None or not channel.public:
            continue  # an unknown channel is the `reference` rule's
        if subscription.audience == "internal":
            yield Hit(record, f"audience: internal, but channel {channel.id} is public: "
                      "internal records, entries and services never go to a public "
                      "channel; write audience: public, or use a channel whose audience "
                      "is internal", ("audience",))
        if subscription.requester:
            yield Hit(record, f"requester: true, but channel {channel.id} is public: a "
                      "service request is never public; use a channel whose audience is "
                      "internal", ("requester",))
