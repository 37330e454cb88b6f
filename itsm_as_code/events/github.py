"""Alerts that arrive as a GitHub `repository_dispatch` event (`--github-event FILE`).

GitHub accepts at most 10 top-level properties in a dispatch's `client_payload`, and
Alertmanager (12 from v0.34) and Grafana (14) send more, so a sender wraps the producer's
payload whole in one property, `client_payload.payload`, and names its format in
`client_payload.source`. Without a source, the event's `action` (the dispatch's
`event_type`) names it: `alert` is Alertmanager's, `generic-event` the generic format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsm_as_code.config import Config
from itsm_as_code.errors import UsageError
from itsm_as_code.events.deliver import Delivery, run_ingest
from itsm_as_code.events.sources import SOURCES, decode
from itsm_as_code.git.onbranch import Target

SOURCE_BY_ACTION = {"alert": "alertmanager", "generic-event": "generic"}
SHAPE = ("a repository_dispatch event wraps the producer's payload in "
         "client_payload.payload and names its format in client_payload.source")


@dataclass(frozen=True)
class Unwrapped:
    """The producer's payload inside an event: its bytes, its format, and how messages
    name it."""

    raw: bytes
    source: str
    name: str


def unwrap(raw: bytes, name: str, source: str | None = None) -> Unwrapped:
    """The payload the dispatch event `raw` (read from `name`) carries; `source`, when
    given, overrides the one the event names."""
    event = decode(raw, name)
    if not isinstance(event, dict):
        raise _bad(name, "the event must be a JSON object")
    wrapper = event.get("client_payload")
    if not isinstance(wrapper, dict):
        raise _bad(name, f"client_payload is {_missing(wrapper)}")
    if "payload" not in wrapper:
        raise _bad(name, "client_payload.payload is missing")
    chosen = source or _source(name, event, wrapper)
    payload: Any = wrapper["payload"]
    return Unwrapped(json.dumps(payload).encode("utf-8"), chosen,
                     f"{name} client_payload.payload")


def ingest_github_event(config: Config, raw: bytes, name: str, source: str | None,
                        now: datetime, target: Target | None = None) -> Delivery:
    """`itsm event ingest --github-event FILE`: the wrapped payload, ingested."""
    unwrapped = unwrap(raw, name, source)
    return run_ingest(config, unwrapped.raw, unwrapped.source, unwrapped.name, now, target)


def _source(name: str, event: dict[str, Any], wrapper: dict[str, Any]) -> str:
    named = wrapper.get("source")
    if named is None:
        action = event.get("action")
        if isinstance(action, str) and action in SOURCE_BY_ACTION:
            return SOURCE_BY_ACTION[action]
        raise _bad(name, f"client_payload.source is missing and the event's action "
                   f"{json.dumps(action):.60} names no source")
    if not isinstance(named, str) or named not in SOURCES:
        raise _bad(name, f"client_payload.source is {json.dumps(named):.60}, not one of "
                   + ", ".join(sorted(SOURCES)))
    return named


def _missing(value: Any) -> str:
    return "missing" if value is None else f"a {type(value).__name__}, not an object"


def _bad(name: str, problem: str) -> UsageError:
    return UsageError(f"{name}: {problem}: {SHAPE}; nothing was written")
