"""`itsm update` and the short verbs (`ack`, `resolve`, `close`, ...): one lifecycle step
each. Options become a StepRequest; steps/run.py does the rest."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import IO, Any

import click

from itsm_as_code.cli.common import (
    TIME_HELP,
    format_option,
    show_progress,
    shown_from_cwd,
    timestamp,
    wall_clock,
)
from itsm_as_code.config import find_root
from itsm_as_code.errors import ExitCode
from itsm_as_code.reporters import render
from itsm_as_code.steps.request import StepRequest
from itsm_as_code.steps.run import run_step

F = Callable[..., Any]
_AFTER = """\b
Exit codes:
  0  written
  1  refused: a move the lifecycle does not allow, or a record that would be
     invalid (nothing written)
  2  usage: an unknown id, person, status or service, or a bad time"""


def _time(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    return None if value is None else timestamp(ctx, param, value)


def _services(ctx: click.Context, param: click.Parameter, values: tuple[str, ...],
              ) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values:
        service, colon, status = value.partition(":")
        if not colon or not service or not status:
            raise click.BadParameter(f"{value!r} is not ID:STATUS, such as "
                                     "api:partial_outage")
        pairs.append((service, status))
    return tuple(pairs)


def _step(*extra: F, message: bool = True, audience: bool = True) -> Callable[[F], F]:
    """The options every step takes (ID, --at, --author, --commit, --base, --format), with
    `extra` options of the command's own."""
    options: list[F] = [
        click.argument("record_id", metavar="ID"),
        *extra,
        *([click.option("-m", "--message", help="The entry's text (markdown; default: the "
                        "step's own words).")] if message else []),
        *([click.option("--public/--internal", "public", default=None,
                        help="Whether the entry is on the public status site (default: as "
                        "the step is; an incident update, a resolution, a reopening and "
                        "every maintenance step are public, the others internal).")]
          if audience else []),
        click.option("--at", callback=_time, metavar="TIME",
                     help=f"When it happened (default: now). {TIME_HELP}"),
        click.option("--author", metavar="PERSON", help="Who takes the step (default: the "
                     "Person whose email is git's user.email, else $ITSM_AUTHOR)."),
        click.option("--commit", is_flag=True, help="Commit exactly the files the step "
                     "writes on the checked-out branch (nothing else that is staged or "
                     "changed)."),
        click.option("--base", metavar="REF", help="Check the step against the lifecycle "
                     "rules of this revision, as `itsm validate --base REF` will (default: "
                     "HEAD, when there is one)."),
        format_option("text", "json"),
    ]

    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


def _run(verb: str, record_id: str, output_format: str, **fields: Any) -> int:
    ctx = click.get_current_context()
    start = ctx.find_root().obj
    outcome = run_step(start, StepRequest(verb, record_id, **fields), wall_clock(),
                       os.environ, show_progress)
    report = outcome.report()
    shown = shown_from_cwd(list(report.findings), find_root(start))
    click.echo(render(replace(report, findings=shown), output_format), nl=False)
    return ExitCode.OK if outcome.written else ExitCode.FINDINGS


_status = click.option("--status", metavar="STATUS", help="The status it moves to.")
_assignee = click.option("--assignee", metavar="PERSON", help="Assign it to this Person.")
_team = click.option("--team", metavar="TEAM", help="Assign it to this Team.")
_by = click.option("--by", "approver", metavar="PERSON", required=True,
                   help="The Person who decided.")


@click.command("update", epilog=_AFTER)
@_step(_status, _assignee, _team,
       click.option("--service", "services", multiple=True, callback=_services,
                    metavar="ID:STATUS", help="An affected service's component status from "
                    "now on (incidents; repeat for several)."),
       click.option("--root-cause", help="A problem's or known error's root cause."),
       click.option("--workaround", help="A known error's workaround."),
       click.option("--done", multiple=True, metavar="STEP", help="A fulfilment step of "
                    "the request's type that is done, by its id (a step written as text: "
                    "its number); repeat for several. A request is fulfilled only once "
                    "every step is done."))
def update(done: tuple[str, ...], **options: Any) -> int:
    """Post an update: a timeline entry, optionally with a new status.

    On an incident, a service request or a maintenance window the update is a new file
    in the record's updates folder (ID.updates/), so updates on two branches never
    conflict. On a problem or a known error (no timeline) --status, --root-cause and
    --workaround edit the record file, keeping everything else as it is.

    \b
    Examples:
      itsm update INC-0042 --status identified -m "A bad deploy; rolling back."
      itsm update INC-0042 -m "Error rate is falling." --service api:degraded_performance
      itsm update INC-0042 --internal -m "Paged the database team." --at "-10m"
      itsm update PRB-0007 --status root_cause_analysis
      itsm update REQ-0004 --done order -m "Ordered; delivery on Tuesday."
    """
    return _run("update", done=done, **options)


@click.command("ack", epilog=_AFTER)
@_step()
def ack(**options: Any) -> int:
    """Acknowledge an incident or a request: the first acknowledgement stops the response
    clock; a new incident moves to investigating.

    \b
    Example:
      itsm ack INC-0042
    """
    return _run("ack", **options)


@click.command("resolve", epilog=_AFTER)
@_step()
def resolve(**options: Any) -> int:
    """Resolve an incident: service is restored (public: the status site says so).

    \b
    Example:
      itsm resolve INC-0042 -m "A fix is in place; payments work again." --at 05:40
    """
    return _run("resolve", **options)


@click.command("close", epilog=_AFTER)
@_step()
def close(**options: Any) -> int:
    """Close a resolved incident.

    \b
    Example:
      itsm close INC-0042
    """
    return _run("close", **options)


@click.command("reopen", epilog=_AFTER)
@_step(click.option("--status", metavar="STATUS", help="The active status it reopens into "
                    "(default: investigating)."))
def reopen(**options: Any) -> int:
    """Reopen a resolved or closed incident (counted in reopen_count).

    \b
    Example:
      itsm reopen INC-0042 -m "Errors are back since 09:10."
    """
    return _run("reopen", **options)


@click.command("cancel", epilog=_AFTER)
@_step()
def cancel(**options: Any) -> int:
    """Cancel an incident (a false alarm), a service request or a maintenance window.

    \b
    Example:
      itsm cancel MNT-0003 -m "Postponed to next week."
    """
    return _run("cancel", **options)


@click.command("assign", epilog=_AFTER)
@click.argument("assignee", metavar="PERSON")
@_step(_team)
def assign(**options: Any) -> int:
    """Assign an incident or a request to a Person (and a Team).

    \b
    Example:
      itsm assign INC-0042 alice --team payments
    """
    return _run("assign", **options)


@click.command("approve", epilog=_AFTER)
@_step(_by, click.option("--comment", help="Why (optional)."))
def approve(**options: Any) -> int:
    """Record an approval of a service request by a named approver; it moves to approved
    (a request whose type has approval stages: once the last stage has all its approvals).

    \b
    Example:
      itsm approve REQ-0012 --by bob --comment "Needed for the audit."
    """
    return _run("approve", **options)


@click.command("reject", epilog=_AFTER)
@_step(_by, click.option("--comment", help="Why (optional)."))
def reject(**options: Any) -> int:
    """Reject a service request on an approver's behalf.

    \b
    Example:
      itsm reject REQ-0012 --by bob --comment "Use the shared account instead."
    """
    return _run("reject", **options)


@click.command("start", epilog=_AFTER)
@_step()
def start(**options: Any) -> int:
    """Start fulfilling a service request, or start a maintenance window.

    \b
    Examples:
      itsm start REQ-0012
      itsm start MNT-0003 --at 22:00
    """
    return _run("start", **options)


@click.command("fulfil", epilog=_AFTER)
@_step()
def fulfil(**options: Any) -> int:
    """Fulfil a service request.

    \b
    Example:
      itsm fulfil REQ-0012 -m "Access granted."
    """
    return _run("fulfil", **options)


@click.command("extend", epilog=_AFTER)
@_step(click.option("--until", callback=_time, required=True, metavar="TIME",
                    help=f"The window's new end. {TIME_HELP}"))
def extend(**options: Any) -> int:
    """Extend a maintenance window: a new scheduled end (public).

    \b
    Example:
      itsm extend MNT-0003 --until "2026-12-08 23:30"
    """
    return _run("extend", **options)


@click.command("complete", epilog=_AFTER)
@_step()
def complete(**options: Any) -> int:
    """Complete a maintenance window (public).

    \b
    Example:
      itsm complete MNT-0003
    """
    return _run("complete", **options)


@click.command("link", epilog=_AFTER)
@_step(click.option("--problem", metavar="PROBLEM", help="The Problem id (the incident is "
                    "added to the problem's incidents too)."),
       click.option("--known-error", metavar="KNOWN_ERROR", help="The KnownError id."),
       click.option("--postmortem", type=click.File(encoding="utf-8"), metavar="FILE|-",
                    help="The post-incident review, markdown, from FILE or - (stdin)."),
       click.option("--category", help="A category, such as database or network."),
       message=False, audience=False)
def link(problem: str | None, known_error: str | None, postmortem: IO[str] | None,
         category: str | None, **options: Any) -> int:
    """Link an incident to its problem, known error, postmortem or category: an edit of the
    incident's file that changes only those lines, allowed after closure too.

    \b
    Examples:
      itsm link INC-0042 --problem PRB-0007
      itsm link INC-0042 --postmortem review.md --category database
    """
    links = {"problem": problem, "known_error": known_error, "category": category,
             "postmortem": postmortem.read() if postmortem is not None else None}
    return _run("link", links={k: v for k, v in links.items() if v is not None}, **options)
