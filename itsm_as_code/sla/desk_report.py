"""The service desk's figures as `itsm report` shows them: one table of figure and value,
the same in text, markdown and the HTML page (JSON has the figures themselves)."""

from __future__ import annotations

from itsm_as_code.reporters import Row, Table
from itsm_as_code.sla.desk_kpis import DeskFigures
from itsm_as_code.timefmt import format_duration

TITLE = "Service desk"


def _d(seconds: int | None) -> str:
    """The two largest units, `1d 4h`: a mean needs no more."""
    return "-" if seconds is None else " ".join(format_duration(seconds).split()[:2])


def _p(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def desk_table(desk: DeskFigures) -> Table:
    """One row per figure, each with how many it is of."""
    types = ", ".join(f"{kind} {count}" for kind, count in desk.requests_by_type.items())
    return Table(("figure", "value"), [
        Row(("requests_by_type", f"{desk.requests_opened} opened" + (
            f": {types}" if types else ""))),
        Row(("time_to_approve", f"{_d(desk.time_to_approve_seconds)} "
                                f"({desk.requests_approved} approved)")),
        Row(("time_to_fulfil", f"{_d(desk.time_to_fulfil_seconds)} "
                               f"({desk.requests_fulfilled} fulfilled); "
                               f"{_p(desk.fulfilment_met_percent)} met "
                               f"({desk.fulfilment_clocks} clocks)")),
        Row(("first_contact_resolution", f"{_p(desk.first_contact_resolution_percent)} "
                                         f"({desk.first_contact_resolved} of "
                                         f"{desk.first_contact_total})")),
    ], TITLE)
