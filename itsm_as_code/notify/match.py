"""Which subscriptions want which events, and as which audience.

A subscription's filters (services or groups, kinds, events, priorities) must all match;
a filter left out matches everything. The audience a channel gets is internal only when
both the subscription and its channel say `internal` (a rule refuses an internal
subscription on a public channel, and this is the wall behind the rule). When several
subscriptions of one channel want one event, the channel gets it once, as the widest
audience among them.

Some events are for people beside the channel's readers: a service request's requester
(on a `requester: true` subscription) and the people an SLA escalation level names (on
an internal e-mail channel). Their addresses travel with the message as its
`recipients`; e-mail sends them blind copies, chat and webhooks name them in the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsm_as_code.model.model import Model
from itsm_as_code.model.types.itil import ServiceRequest
from itsm_as_code.model.types.notifications import Channel, Subscription
from itsm_as_code.notify.audience import services_of
from itsm_as_code.notify.events import Event


@dataclass(frozen=True)
class Wanted:
    """An event one channel wants: as an internal audience or a public one, and for whom
    beside the channel's own recipients (a request's requester)."""

    event: Event
    channel: Channel
    internal: bool
    recipients: tuple[str, ...] = ()


def wanted(events: list[Event], model: Model) -> list[Wanted]:
    """Every (event, channel) the subscriptions ask for, in event order."""
    subscriptions = sorted(model.subscriptions.values(), key=lambda s: s.id)
    found: list[Wanted] = []
    for event in events:
        by_channel: dict[str, Wanted] = {}
        for subscription in subscriptions:
            channel = model.channels.get(subscription.channel)
            if channel is None or not selects(subscription, event, model):
                continue
            internal = subscription.audience == "internal" and not channel.public
            recipients = _requester(model, event) if subscription.requester else ()
            if internal and channel.type == "email":
                recipients += _addresses(model, event.people)
            if subscription.requester and channel.public:
                continue  # a request is never public: its requester is told internally
            known = by_channel.get(channel.id)
            if known is not None:
                internal = internal or known.internal
                recipients = tuple(dict.fromkeys(known.recipients + recipients))
            by_channel[channel.id] = Wanted(event, channel, internal, recipients)
        found.extend(by_channel[key] for key in sorted(by_channel))
    return found


def selects(subscription: Subscription, event: Event, model: Model) -> bool:
    """Whether every filter of the subscription matches the event."""
    kind = event.kind
    if subscription.requester and kind != "ServiceRequest":
        return False
    if subscription.kinds and kind not in subscription.kinds:
        return False
    if subscription.events and event.name not in subscription.events:
        return False
    if subscription.priorities:
        priority = getattr(event.record, "priority", None)
        if priority not in subscription.priorities:
            return False
    if subscription.services or subscription.groups:
        services = services_of(event)
        groups = {model.services[s].group for s in services if s in model.services}
        if not (set(subscription.services) & set(services)
                or set(subscription.groups) & groups):
            return False
    return True


def _requester(model: Model, event: Event) -> tuple[str, ...]:
    record = event.record
    if not isinstance(record, ServiceRequest):
        return ()
    return _addresses(model, (record.requested_by,))


def _addresses(model: Model, people: tuple[str, ...]) -> tuple[str, ...]:
    """The e-mail addresses of those of `people` who have not left."""
    found = (model.people.get(person_id) for person_id in people)
    return tuple(person.email for person in found if person is not None and person.active)
