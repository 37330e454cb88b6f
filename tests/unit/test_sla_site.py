"""The SLA dashboard section the internal status site can show."""

from __future__ import annotations

from datetime import timedelta

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.sla import site
from itsm_as_code.sla.site import dashboard
from itsm_as_code.store.repository import load_repository
from itsm_as_code.templating.sections import Link, State
from tests.helpers import DEMO, NOW, context, incident, service, sla


def test_the_demo_dashboard_lists_running_clocks_most_urgent_first() -> None:
    section = dashboard(RunContext(load_repository(load_config(DEMO)), NOW))
    assert section is not None and not section.public
    assert [(f.label, f.value) for f in section.figures] == [
        ("running clocks", "8"), ("breached", "0"), ("at risk", "2"),
        ("response met", "93.3%"), ("resolution met", "100.0%")]
    running = section.tables[0]
    assert running.rows[0][:6] == (Link("INC-0023", "INC-0023"),
                                   Link("Webhook Delivery", "webhooks"), "Gold support",
                                   "resolution", "P3", State("at risk", "warn"))
    assert running.rows[0][-1] == "22 Nov 2026, 14:20 CET"
    assert [row[0] for row in section.tables[1].rows] == [Link("INC-0026", "INC-0026")]


def test_no_clocks_no_section() -> None:
    assert dashboard(context()) is None


@pytest.mark.parametrize("days", [0, -20, 45, 400])
def test_the_dashboard_is_what_every_clock_of_the_repository_makes(
        monkeypatch: pytest.MonkeyPatch, days: int) -> None:
    # The dashboard computes only the clocks of records with one running or stopped in
    # its 30 days; with every clock computed, the section is the same.
    repo = load_repository(load_config(DEMO))
    now = NOW + timedelta(days=days)
    fast = dashboard(RunContext(repo, now))
    every = site.all_clocks
    monkeypatch.setattr(site, "all_clocks", lambda *args, since=None: every(*args))
    assert fast == dashboard(RunContext(repo, now))
    assert fast is not None


def test_clocks_that_all_stopped_long_ago_still_make_a_section() -> None:
    opened, resolved = "2026-08-03T09:00:00+02:00", "2026-08-03T10:00:00+02:00"
    done = incident(opened_at=opened, acknowledged_at=opened, resolved_at=resolved,
                    status="resolved", priority="P1", impact="high", urgency="high",
                    timeline=[{"at": opened, "status": "investigating", "message": "Looking."},
                              {"at": resolved, "status": "resolved", "message": "Fixed."}])
    section = dashboard(context(sla(), service("web", sla="standard"), done))
    assert section is not None
    assert [(f.label, f.value) for f in section.figures][:3] == [
        ("running clocks", "0"), ("breached", "0"), ("at risk", "0")]
