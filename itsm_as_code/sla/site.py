"""The SLA dashboard of the internal status site: a provider for site/sections.py.

It returns plain data (figures and tables) that the site lays out and escapes; register
it in site/sections.py's PROVIDERS as `"sla": "itsm_as_code.sla.site:dashboard"`.
"""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo

from itsm_as_code.model.context import RunContext
from itsm_as_code.sla.agreements import load_agreements
from itsm_as_code.sla.calendar import MICROS_PER_SECOND
from itsm_as_code.sla.check import run_instant, shared_clocks
from itsm_as_code.sla.clocks import Clock, all_clocks
from itsm_as_code.sla.history import moment_of
from itsm_as_code.templating import local_text
from itsm_as_code.templating.sections import Cell, Figure, Link, Section, State, Table, Tone
from itsm_as_code.timefmt import format_duration

RECENT_DAYS = 30
TONES: dict[str, Tone] = {"breached": "bad", "at_risk": "warn", "paused": "info",
                          "within": "ok", "met": "ok"}


def dashboard(ctx: RunContext) -> Section | None:
    """Running clocks most urgent first, and the compliance of the last 30 days."""
    now = run_instant(ctx)
    since = now - RECENT_DAYS * 86400 * MICROS_PER_SECOND
    # Only the records with a clock running or stopped lately: the clocks of the rest
    # (nine in ten of a long history) cost most of the dashboard and show nowhere on it.
    clocks = all_clocks(ctx.model, ctx.shared(load_agreements), now, since=since).clocks
    if not clocks and not ctx.shared(shared_clocks).clocks:
        return None
    zone = ZoneInfo(ctx.config.timezone)
    running = [clock for clock in clocks if clock.running]
    recent = [clock for clock in clocks if clock.stopped is not None and clock.stopped >= since]
    breached = sum(clock.state == "breached" for clock in running)
    at_risk = sum(clock.state == "at_risk" for clock in running)
    names = _names(ctx)
    figures = [
        Figure("running clocks", str(len(running))),
        Figure("breached", str(breached), "running", "bad" if breached else "ok"),
        Figure("at risk", str(at_risk), "running", "warn" if at_risk else "ok"),
        *(_compliance(recent, metric) for metric in ("response", "resolution")),
    ]
    tables = [Table("Running clocks", ("Record", "Service", "SLA", "Metric", "Priority",
                                       "State", "Elapsed", "Target", "Due"),
                    tuple(_row(clock, zone, names) for clock in running))]
    missed = [clock for clock in recent if clock.state == "breached"]
    if missed:
        tables.append(Table(f"Stopped breached in the last {RECENT_DAYS} days",
                            ("Record", "Service", "SLA", "Metric", "Priority", "State",
                             "Elapsed", "Target", "Stopped"),
                            tuple(_row(clock, zone, names) for clock in missed)))
    intro = (f"SLA clocks as of {_when(now, zone)}: working time of each SLA's "
             "calendar, less its pause statuses (`itsm sla check` lists every clock).")
    return Section("sla", "SLA clocks", intro, tuple(figures), tuple(tables))


def _compliance(clocks: list[Clock], metric: str) -> Figure:
    mine = [clock for clock in clocks if clock.metric == metric]
    if not mine:
        return Figure(f"{metric} met", "\u2013", f"none stopped in {RECENT_DAYS} days")
    met = sum(clock.state == "met" for clock in mine)
    tone: Tone = "ok" if met == len(mine) else "warn"
    return Figure(f"{metric} met", f"{100 * met / len(mine):.1f}%",
                  f"{met} of {len(mine)} stopped in {RECENT_DAYS} days", tone)


def _row(clock: Clock, zone: tzinfo, names: dict[str, str]) -> tuple[Cell, ...]:
    when = clock.stopped if clock.stopped is not None else clock.due
    return (Link(clock.record, clock.record), Link(names.get(clock.service, clock.service),
                                                   clock.service),
            names.get(f"sla:{clock.sla}", clock.sla), clock.metric,
            clock.priority, State(clock.state.replace("_", " "), TONES[clock.state]),
            format_duration(clock.elapsed), clock.target_text,
            None if when is None else _when(when, zone))


def _when(instant: int, zone: tzinfo) -> str:
    """`22 Nov 2026, 14:20 CET`, as the status site shows times."""
    return local_text(moment_of(instant), zone)


def _names(ctx: RunContext) -> dict[str, str]:
    """The names readers know services (by id) and SLAs (`sla:` and id) by."""
    model = ctx.model
    found = {sid: service.name for sid, service in model.services.items()}
    found.update({f"sla:{sid}": sla.name for sid, sla in model.slas.items()})
    return found
