"""`itsm ops check --open-incidents`: missed and failed runs become incidents through the
event path, as alerts from any monitoring source do.

Each routine is one alert, fingerprint `routine/<id>`, sent as a generic event
(`itsm event ingest --source generic`) and ingested by the same code: an alert firing
while its routine is missed or failed (opening one incident, or joining an open one on
the service within the correlation window; later checks are duplicates and change
nothing), and resolved by the routine's next good run (every alert of the incident
resolved: the incident is resolved). The alerts' severity is `routine`: an exception,
opening an incident of medium impact and urgency that leaves its service `operational`
(a missed backup is no outage), unless itsm.yaml's `events.classes.routine` and
`events.levels.routine` say otherwise. Only routines with something to report are sent:
a failing one, or one that failed within the lookback and is good again.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from itsm_as_code.config import Config
from itsm_as_code.events.deliver import Delivery, run_ingest
from itsm_as_code.git.onbranch import Target
from itsm_as_code.model.context import RunContext
from itsm_as_code.ops.check import OpsCheck, check, describe
from itsm_as_code.ops.runs import Runs
from itsm_as_code.settings.events import EXCEPTION, Levels
from itsm_as_code.timefmt import format_timestamp

SOURCE = "itsm-ops"
SEVERITY = "routine"
LEVELS = Levels("medium", "medium", "operational")
PAYLOAD = "itsm ops check"


def fingerprint(routine_id: str) -> str:
    return f"routine/{routine_id}"


def open_incidents(config: Config, result: OpsCheck, target: Target | None
                   ) -> Delivery | None:
    """Ingest an alert per routine with news (None when there is none)."""
    events = [event for runs in result.runs
              if (event := _event(runs, result)) is not None]
    if not events:
        return None
    raw = json.dumps(events).encode()
    return run_ingest(ops_config(config), raw, "generic", PAYLOAD, result.now, target)


def ops_config(config: Config) -> Config:
    """itsm.yaml's settings, with the routine severity's defaults where it names none and
    an incident resolved once its routine runs well again."""
    events = config.events
    classes = {SEVERITY: EXCEPTION, **events.classes}
    levels = {SEVERITY: LEVELS, **events.levels}
    return replace(config, events=replace(events, classes=classes, levels=levels,
                                          resolve_incident=True))


def _event(runs: Runs, result: OpsCheck) -> dict[str, Any] | None:
    routine = runs.routine
    bad = [slot for slot in runs.decided() if slot.state != "ok"]
    if not bad:
        return None
    base = {"source": SOURCE, "service": routine.service, "severity": SEVERITY,
            "fingerprint": fingerprint(routine.id), "name": f"routine {routine.id}"[:64]}
    if runs.state == "ok":
        assert runs.news is not None
        return {**base, "status": "resolved", "at": format_timestamp(runs.news),
                "summary": f"{routine.name} runs well again"}
    if runs.state not in ("missed", "failed"):
        return None
    what = "missed a run" if bad[-1].state == "missed" else "failed"
    said = describe(bad[-1], routine.grace, result.zone)
    runbook = f"\n\nRunbook: {routine.runbook}" if routine.runbook else ""
    return {**base, "status": "firing", "at": format_timestamp(result.now),
            "summary": f"{routine.name} {what}",
            "description": f"{routine.name} ({routine.id}): {said}.{runbook}"}


def watch(ctx: RunContext, branch: str | None, open_for: bool, target: Target | None
          ) -> tuple[OpsCheck, Delivery | None]:
    """`itsm ops check`: the routines' runs, and with `open_for` their incidents."""
    result = check(ctx, branch)
    return result, open_incidents(ctx.config, result, target) if open_for else None
