"""The SLA dashboard section the internal status site can show."""

from __future__ import annotations

from itsm_as_code.config import load_config
from itsm_as_code.model.context import RunContext
from itsm_as_code.sla.site import dashboard
from itsm_as_code.store.repository import load_repository
from itsm_as_code.templating.sections import Link, State
from tests.helpers import DEMO, NOW, context


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
