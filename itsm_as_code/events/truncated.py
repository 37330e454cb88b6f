"""Alerts Alertmanager dropped before sending: `truncatedAlerts` of a webhook payload.

A receiver's `max_alerts` cuts a notification's `alerts` list and counts the rest in
`truncatedAlerts`. Those alerts never reach itsm, and nothing else says they existed, so
a non-zero count is said as a warning, on every output and in the commit message.
"""

from __future__ import annotations

from itsm_as_code.events.sources import decode
from itsm_as_code.findings import Finding

# The sources whose payloads are Alertmanager's webhook shape (Grafana's copies it).
WEBHOOKS = ("alertmanager", "grafana")


def truncated(raw: bytes, payload: str) -> list[Finding]:
    """A warning when the payload says Alertmanager left alerts out of it; else nothing.

    `raw` was read once already and is known to be a JSON object: this reads the one
    top-level field the sources do not.
    """
    if b"truncatedAlerts" not in raw:
        return []
    count = decode(raw, payload).get("truncatedAlerts")
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        return []
    return [Finding(
        payload, 1, 1, "truncated",
        f"Alertmanager left {count:,} alert(s) out of this notification (truncatedAlerts): "
        "they were not ingested; raise max_alerts in the receiver's webhook_configs, or "
        "set it to 0 (no limit)", None, "warning")]
