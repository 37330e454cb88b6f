"""`itsm sla check` as a value: every clock as of `now`, what fails, and the summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from zoneinfo import ZoneInfo

from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.findings import Finding, Level
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
from itsm_as_code.sla.agreements import CLOCK_RULE, load_agreements
from itsm_as_code.sla.clocks import STATES, Clock, Clocks, all_clocks
from itsm_as_code.sla.escalation import Reached, highest, levels_of
from itsm_as_code.sla.history import EARLIEST, LATEST, instant_of, show
from itsm_as_code.timefmt import format_duration as duration

# --fail-on: the states of running clocks that fail the check.
FAIL_ON = {"breached": frozenset({"breached"}), "at-risk": frozenset({"breached", "at_risk"}),
           "never": frozenset()}


# A breach as the ledger (sla/ledger.py) knows it: record, service, SLA, metric.
BreachKey = tuple[str, str, str, str]


def breach_key(clock: Clock) -> BreachKey:
    return (clock.record, clock.service, clock.sla, clock.metric)


@dataclass(frozen=True)
class SlaCheck:
    now: int
    zone: tzinfo  # the display time zone of itsm.yaml
    clocks: list[Clock]
    findings: list[Finding] = field(default_factory=list)
    # Breaches an earlier run reported (`--ledger`): said again as notices, failing nothing.
    reported: frozenset[BreachKey] = frozenset()
    # The highest escalation level each running clock has reached (sla/escalation.py).
    levels: Mapping[BreachKey, Reached] = field(default_factory=dict)

    def only_running(self) -> SlaCheck:
        return replace(self, clocks=[clock for clock in self.clocks if clock.running])

    def failing(self, fail_on: str) -> list[Clock]:
        states = FAIL_ON[fail_on]
        return [clock for clock in self.clocks if clock.running and clock.state in states
                and not (clock.state == "breached" and breach_key(clock) in self.reported)]

    def exit_code(self, fail_on: str) -> ExitCode:
        """1 when a running clock is at the --fail-on level or a calendar or SLA is broken."""
        if fail_on == "never":
            return ExitCode.OK
        broken = any(finding.level == "error" for finding in self.findings)
        return ExitCode.FINDINGS if broken or self.failing(fail_on) else ExitCode.OK

    def counts(self) -> dict[str, int]:
        states = Counter(clock.state for clock in self.clocks)
        return {state: states[state] for state in STATES}

    def summary(self, fail_on: str) -> CheckSummary:
        return CheckSummary(
            len(self.clocks), sum(clock.running for clock in self.clocks), self.counts(),
            fail_on, len(self.failing(fail_on)) if fail_on != "never" else 0,
            len(self.findings), self.exit_code(fail_on) == 0)

    def summary_text(self, fail_on: str) -> str:
        return self.summary(fail_on).text()


@dataclass(frozen=True)
class CheckSummary:
    """The counts `itsm sla check` ends with (`summary` in its JSON)."""

    clocks: int
    running: int
    states: dict[str, int]  # every state of STATES, in that order
    fail_on: str
    failing: int  # running clocks at the --fail-on level
    findings: int
    passed: bool

    def text(self) -> str:
        parts = [f"{self.states[s]} {s.replace('_', ' ')}" for s in STATES if self.states[s]]
        text = (f"{self.clocks} clock(s), {self.running} running: "
                + (", ".join(parts) if parts else "none"))
        if self.failing:
            text += f"; {self.failing} running clock(s) at --fail-on {self.fail_on}"
        return text


def run_instant(ctx: RunContext) -> int:
    """The run's `now` as an instant; a usage error outside the years clocks count."""
    moment = instant_of(ctx.now)
    if not EARLIEST <= moment <= LATEST:
        raise UsageError("--now must lie between the years 1900 and 2999")
    return moment


def shared_clocks(ctx: RunContext) -> Clocks:
    """Every clock of the run, as of its `now`: computed once, shared by `itsm sla check`
    and whatever tells people of escalations (`ctx.shared(shared_clocks)`); the site's
    SLA dashboard computes only the clocks running or stopped lately (sla/site.py), the
    report those that can count in its window (sla/kpi.py)."""
    return all_clocks(ctx.model, ctx.shared(load_agreements), instant_of(ctx.now))


def reached_levels(ctx: RunContext) -> list[Reached]:
    """Every escalation level reached by every running clock of the run, as of its `now`
    (record, clock, level, when it was reached, whom it names): computed once per run,
    for `itsm sla check` and for whatever tells those people."""
    return ctx.shared(_reached_levels)


def _reached_levels(ctx: RunContext) -> list[Reached]:
    return levels_of(ctx.model, ctx.shared(load_agreements).slas,
                     ctx.shared(shared_clocks).clocks)


def check(ctx: RunContext) -> SlaCheck:
    """Every SLA clock of the repository as of the run's `now`."""
    moment = run_instant(ctx)
    agreements = ctx.shared(load_agreements)
    clocks = ctx.shared(shared_clocks)
    return SlaCheck(moment, ZoneInfo(ctx.config.timezone), clocks.clocks,
                    sorted({*agreements.findings, *clocks.findings}),
                    levels=highest(reached_levels(ctx)))


def clock_findings(result: SlaCheck, model: Model) -> list[Finding]:
    """Annotations for the running clocks that need someone: breached (a notice when the
    ledger says an earlier run reported it), then at risk."""
    found = []
    for clock in result.clocks:
        if not clock.running or clock.state not in ("breached", "at_risk"):
            continue
        line, column = model.source(clock.record).locate(("opened_at",))
        level: Level = "error" if clock.state == "breached" else "warning"
        message = describe(clock, result.zone)
        if clock.state == "breached" and breach_key(clock) in result.reported:
            level, message = "notice", f"{message} (reported before, so it fails no run again)"
        found.append(Finding(clock.path, line, column, CLOCK_RULE, message, clock.record,
                             level))
    return found


def describe(clock: Clock, zone: tzinfo) -> str:
    """One sentence on a clock, for annotations and the text output."""
    what = (f"{clock.metric} clock of SLA {clock.sla} ({clock.priority}) for {clock.service}: "
            f"{duration(clock.elapsed)} of {clock.target_text}")
    if clock.state == "breached" and clock.breached_at is not None:
        return f"{what}, breached since {show(clock.breached_at, zone)}"
    if clock.due is not None:
        return f"{what}, {clock.state.replace('_', ' ')}, due {show(clock.due, zone)}"
    return f"{what}, {clock.state.replace('_', ' ')}"

