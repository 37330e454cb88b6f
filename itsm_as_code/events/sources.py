"""Alert payloads -> Event values: Alertmanager's webhook (version 4), Grafana's webhook
contact point (the same shape, `"version": "1"`, with fields of its own that are not
read) and the generic event.

Payloads come from outside and are checked field by field; anything wrong raises a
UsageError that names the payload and the field, before anything is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.events.model import Event, Status
from itsm_as_code.events.sanitize import loads
from itsm_as_code.timefmt import parse_timestamp

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
MAX_EVENTS = 10_000
_FINGERPRINT = re.compile(r"^[!-~]{1,200}$")
# Alertmanager's "no end yet" (Go's zero time).
_ZERO_TIME = "0001-01-01T00:00:00Z"


class Fields:
    """Typed access to one JSON object of a payload; errors name the field's path."""

    def __init__(self, payload: str, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise _bad(payload, where or "the payload", "must be a JSON object")
        self.payload, self.where, self.data = payload, where, data

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def text(self, key: str, required: bool = True, limit: int = 20_000) -> str:
        value = self.data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            found = "missing" if value is None else f"{type(value).__name__} {value!r:.60}"
            raise _bad(self.payload, self._path(key), f"must be a non-empty string ({found})")
        if len(value) > limit:
            raise _bad(self.payload, self._path(key), f"is longer than {limit:,} characters")
        return value.strip()  # decode() has dropped control characters (sanitize.py)

    def labels(self, key: str) -> dict[str, str]:
        value = self.data.get(key, {})
        if not isinstance(value, dict) or not all(
                isinstance(v, str) and len(v) <= 20_000 for v in value.values()):
            raise _bad(self.payload, self._path(key), "must be an object of string values")
        return {name: text.strip() for name, text in value.items()}

    def status(self, key: str = "status") -> Status:
        value = self.data.get(key)
        if value == "firing":
            return "firing"
        if value == "resolved":
            return "resolved"
        raise _bad(self.payload, self._path(key),
                   f"must be \"firing\" or \"resolved\", not {json.dumps(value):.60}")

    def fingerprint(self, key: str = "fingerprint") -> str:
        value = self.text(key)
        if not _FINGERPRINT.match(value):
            raise _bad(self.payload, self._path(key),
                       "must be 1 to 200 printable ASCII characters without spaces")
        return value

    def time(self, key: str, required: bool = True) -> datetime | None:
        text = self.text(key, required, limit=64)
        if not text or (text == _ZERO_TIME and not required):
            return None
        try:
            return parse_timestamp(text)  # nanoseconds (Go) are cut to microseconds
        except ValueError:
            raise _bad(self.payload, self._path(key),
                       f"{text!r} is not an RFC 3339 timestamp with an offset, such as "
                       "2026-11-24T09:14:00Z") from None


def _bad(payload: str, where: str, problem: str) -> UsageError:
    return UsageError(f"{payload}: {where} {problem}; nothing was written")


def decode(raw: bytes, payload: str) -> Any:
    """The JSON value of `raw`; a UsageError naming `payload` when it is not JSON."""
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise UsageError(f"{payload}: larger than {MAX_PAYLOAD_BYTES // (1024 * 1024)} MiB; "
                         "send the alerts in several payloads")
    try:
        return loads(raw.decode("utf-8"), payload)
    except UnicodeDecodeError as error:
        raise UsageError(f"{payload}: byte {error.start} is not UTF-8") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{payload}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
                         " (a truncated payload ends too early)") from None
    except RecursionError:
        raise UsageError(f"{payload}: JSON nested too deeply") from None


# Webhook versions in Alertmanager's shape: Alertmanager's own, and Grafana's unified
# alerting, which adds orgId, state, title, message and, per alert, values and URLs.
WEBHOOK_VERSIONS = ("4", "1")


def alertmanager(raw: bytes, payload: str, service_label: str,
                 source: str = "alertmanager") -> list[Event]:
    """The alerts of an Alertmanager webhook payload (`"version": "4"`), or of Grafana's
    (`"version": "1"`), whose alerts have Alertmanager's fields."""
    top = Fields(payload, "", decode(raw, payload))
    if top.data.get("version", "4") not in WEBHOOK_VERSIONS:
        raise _bad(payload, "version", f"is {top.data.get('version')!r}; only version \"4\" "
                   "of the Alertmanager webhook (and \"1\", Grafana's) is understood")
    alerts = top.data.get("alerts")
    if not isinstance(alerts, list):
        raise _bad(payload, "alerts", "must be a list of alerts")
    common = top.labels("commonLabels")
    events = []
    for index, item in enumerate(_limited(alerts, payload)):
        alert = Fields(payload, f"alerts[{index}]", item)
        labels = {**common, **alert.labels("labels")}
        notes = alert.labels("annotations")
        name = labels.get("alertname") or "alert"
        at = alert.time("startsAt")
        assert at is not None  # required above
        status = alert.status()
        events.append(Event(
            source=source, fingerprint=alert.fingerprint(), name=name,
            status=status, at=at,
            ended_at=alert.time("endsAt", required=False) if status == "resolved" else None,
            service=labels.get(service_label) or None, severity=labels.get("severity"),
            summary=notes.get("summary") or notes.get("title") or name,
            description=notes.get("description") or notes.get("message") or "",
        ))
    return events


def grafana(raw: bytes, payload: str, service_label: str) -> list[Event]:
    """The alerts of Grafana's webhook contact point (unified alerting)."""
    return alertmanager(raw, payload, service_label, "grafana")


def generic(raw: bytes, payload: str, service_label: str) -> list[Event]:
    """Generic events: one JSON object, or a list of them (see the README)."""
    data = decode(raw, payload)
    items = data if isinstance(data, list) else [data]
    events = []
    for index, item in enumerate(_limited(items, payload)):
        event = Fields(payload, f"[{index}]" if isinstance(data, list) else "", item)
        at = event.time("at")
        assert at is not None  # required above
        status = event.status()
        events.append(Event(
            source=event.text("source", limit=64), fingerprint=event.fingerprint(),
            name=event.text("name", required=False, limit=64) or event.text("source"),
            status=status, at=at,
            ended_at=at if status == "resolved" else None,
            service=event.text("service", limit=64), severity=event.text("severity", limit=64),
            summary=event.text("summary"), description=event.text("description", False),
        ))
    return events


def _limited(items: list[Any], payload: str) -> list[Any]:
    if len(items) > MAX_EVENTS:
        raise UsageError(f"{payload}: {len(items):,} alerts in one payload; at most "
                         f"{MAX_EVENTS:,} are read at once")
    return items


SOURCES: dict[str, Callable[[bytes, str, str], list[Event]]] = {
    "alertmanager": alertmanager,
    "generic": generic,
    "grafana": grafana,
}
