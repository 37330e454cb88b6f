"""Internal records, internal timeline entries and internal services never reach a public
channel: canary strings planted in each must appear in no public message (and do appear
in the internal channel's, so the check can fail)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.model.context import RunContext
from itsm_as_code.model.types.timeline import Affected, Entry
from itsm_as_code.notify.events import Event, compare
from itsm_as_code.notify.match import wanted
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.render import Renderer
from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import (
    affected,
    context,
    incident,
    known_error,
    maintenance,
    person,
    request,
    service,
    team,
)

Data = dict[str, Any]
OPENED = "2026-11-22T09:00:00+01:00"
LATER = "2026-11-22T09:30:00+01:00"
CANARIES = ("CANARY-SERVICE", "CANARY-RECORD", "CANARY-ENTRY", "CANARY-REQUEST",
            "CANARY-KNOWN-ERROR", "CANARY-WINDOW", "CANARY-AUTHOR")


def channel(record_id: str, audience: str) -> Data:
    return {"apiVersion": "itsm/v1", "kind": "Channel", "id": record_id, "type": "slack",
            "audience": audience, "url_env": "SLACK_URL"}


def subscription(record_id: str, channel_id: str, **fields: Any) -> Data:
    return {"apiVersion": "itsm/v1", "kind": "Subscription", "id": record_id,
            "channel": channel_id, **fields}


def entry(message: str, public: bool = True, **fields: Any) -> Data:
    return {"at": LATER, "message": message, "public": public, **fields}


def planted(*subscriptions: Data) -> RunContext:
    """Public and internal records, each holding a canary where it must stay internal."""
    return context(
        service("web", name="Website", group="Shop"),
        service("vault", name="CANARY-SERVICE", visibility="internal", group="Shop"),
        team(), person(), person("eve", name="CANARY-AUTHOR"),
        channel("public-chat", "public"), channel("ops-chat", "internal"),
        *subscriptions,
        incident("INC-0001", title="Website errors",
                 services=[affected("web"), affected("vault", "major_outage")]),
        incident("INC-0002", title="CANARY-RECORD outage", visibility="internal"),
        maintenance("MNT-0001", title="CANARY-WINDOW upgrade", visibility="internal"),
        request("REQ-0001", title="CANARY-REQUEST access"),
        known_error("KE-0001", title="CANARY-KNOWN-ERROR after deploys", services=["web"]),
    )


def events(ctx: RunContext) -> list[Event]:
    """Every record opened, and then the public incident's internal and public steps."""
    model = ctx.model
    found = [event for record in (*model.incidents.values(), *model.maintenance.values(),
                                  *model.requests.values(), *model.known_errors.values())
             for event in compare(None, record, "c1")]
    before = model.incidents["INC-0001"]
    step = Entry(parse_timestamp(LATER), "CANARY-ENTRY: vault disk full", None, False,
                 "eve", (Affected("web", "degraded_performance"),
                         Affected("vault", "partial_outage")))
    return found + compare(before, replace(before, timeline=(*before.timeline, step)), "c2")


def rendered(ctx: RunContext) -> list[Message]:
    return Renderer(Path("/nowhere"), "Europe/Berlin", "https://status.example").messages(
        wanted(events(ctx), ctx.model), ctx.model)


def text(message: Message) -> str:
    return f"{message.subject}\n{message.text}\n{message.url}"


@pytest.fixture
def told() -> list[Message]:
    return rendered(planted(
        subscription("everything-public", "public-chat"),
        subscription("everything-internal", "ops-chat", audience="internal"),
    ))


def test_no_canary_reaches_a_public_channel(told: list[Message]) -> None:
    public = [m for m in told if m.channel == "public-chat"]
    assert [(m.event, m.record) for m in public] == [
        ("incident.opened", "INC-0001"), ("incident.components_changed", "INC-0001")]
    assert public[1].text == ("**Service status changed by incident INC-0001: Website "
                              "errors**\n"
                              "22 Nov 2026, 09:30 CET.\n"
                              "Website: partial outage → degraded performance\n"
                              "\n"
                              "https://status.example/incidents/INC-0001.html\n")
    for message in public:
        assert message.public
        assert not [c for c in CANARIES if c in text(message)], text(message)


def test_every_canary_reaches_the_internal_channel(told: list[Message]) -> None:
    internal = "\n".join(text(m) for m in told if m.channel == "ops-chat")
    assert [c for c in CANARIES if c not in internal] == []


def test_an_internal_subscription_on_a_public_channel_gets_public_content() -> None:
    told = rendered(planted(subscription("wrong", "public-chat", audience="internal")))
    assert told
    for message in told:
        assert message.public
        assert not [c for c in CANARIES if c in text(message)]
