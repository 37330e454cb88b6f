"""The fields of a new routine (`itsm new routine`), from the options given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.model.model import Model
from itsm_as_code.timefmt import format_timestamp

TYPES = ("number", "bytes", "text", "url", "checksum")


def routine(model: Model, now: datetime, *, name: str, service: str, team: str | None,
            cron: str | None, rrule: str | None, timezone: str | None,
            calendar: str | None, grace: str, evidence: list[str],
            since: datetime | None = None, runbook: str | None = None) -> dict[str, Any]:
    """A routine; its team defaults to the service's owner, its time zone to itsm.yaml's
    (unless it has a calendar), `evidence` holds `KEY=TYPE` texts."""
    if (cron is None) == (rrule is None):
        raise UsageError("give the schedule as --cron TEXT or --rrule TEXT (one of them)")
    if team is None:
        found = model.services.get(service)
        if found is None:
            raise UsageError(f"--service: no Service with id {service!r}")
        team = found.owner
    fields: dict[str, Any] = {"name": name, "service": service, "team": team,
                              "schedule": {"cron": cron} if cron else {"rrule": rrule}}
    if calendar is not None:
        fields["calendar"] = calendar
    else:
        fields["timezone"] = timezone or model.repo.config.timezone
    fields["grace"] = grace
    if since is not None:
        fields["since"] = format_timestamp(since)
    rules: dict[str, dict[str, str]] = {}
    for pair in evidence:
        key, _, kind = pair.partition("=")
        if kind not in TYPES:
            raise UsageError(f"--evidence {pair!r}: write KEY=TYPE, TYPE one of "
                             f"{', '.join(TYPES)}")
        rules[key] = {"type": kind}
    if rules:
        fields["evidence"] = rules
    if runbook is not None:
        fields["runbook"] = runbook
    return fields
