"""`itsm update` and the short verbs (`ack`, `resolve`, `close`, ...): one lifecycle step
each. Options become a StepRequest; steps/run.py does the rest."""

from __future__ import annotations

from typing import IO, Any

import click

from itsm_as_code.cli.common import TIME_HELP
from itsm_as_code.cli.stepoptions import (
    AFTER,
    ASSIGNEE,
    BY,
    STATUS,
    TEAM,
    optional_time,
    run,
    service_statuses,
    step_options,
)


@click.command("update", epilog=AFTER)
@step_options(STATUS, ASSIGNEE, TEAM,
              click.option("--service", "services", multiple=True, callback=service_statuses,
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
    return run("update", done=done, **options)


@click.command("ack", epilog=AFTER)
@step_options()
def ack(**options: Any) -> int:
    """Acknowledge an incident or a request: the first acknowledgement stops the response
    clock; a new incident moves to investigating.

    \b
    Example:
      itsm ack INC-0042
    """
    return run("ack", **options)


@click.command("resolve", epilog=AFTER)
@step_options()
def resolve(**options: Any) -> int:
    """Resolve an incident: service is restored (public: the status site says so).

    \b
    Example:
      itsm resolve INC-0042 -m "A fix is in place; payments work again." --at 05:40
    """
    return run("resolve", **options)


@click.command("close", epilog=AFTER)
@step_options()
def close(**options: Any) -> int:
    """Close a resolved incident.

    \b
    Example:
      itsm close INC-0042
    """
    return run("close", **options)


@click.command("reopen", epilog=AFTER)
@step_options(click.option("--status", metavar="STATUS", help="The active status it reopens into "
                           "(default: investigating)."))
def reopen(**options: Any) -> int:
    """Reopen a resolved or closed incident (counted in reopen_count).

    \b
    Example:
      itsm reopen INC-0042 -m "Errors are back since 09:10."
    """
    return run("reopen", **options)


@click.command("cancel", epilog=AFTER)
@step_options()
def cancel(**options: Any) -> int:
    """Cancel an incident (a false alarm), a service request or a maintenance window.

    \b
    Example:
      itsm cancel MNT-0003 -m "Postponed to next week."
    """
    return run("cancel", **options)


@click.command("assign", epilog=AFTER)
@click.argument("assignee", metavar="PERSON")
@step_options(TEAM)
def assign(**options: Any) -> int:
    """Assign an incident or a request to a Person (and a Team).

    \b
    Example:
      itsm assign INC-0042 alice --team payments
    """
    return run("assign", **options)


@click.command("approve", epilog=AFTER)
@step_options(BY, click.option("--comment", help="Why (optional)."))
def approve(**options: Any) -> int:
    """Record an approval of a service request by a named approver; it moves to approved
    (a request whose type has approval stages: once the last stage has all its approvals).

    \b
    Example:
      itsm approve REQ-0012 --by bob --comment "Needed for the audit."
    """
    return run("approve", **options)


@click.command("reject", epilog=AFTER)
@step_options(BY, click.option("--comment", help="Why (optional)."))
def reject(**options: Any) -> int:
    """Reject a service request on an approver's behalf.

    \b
    Example:
      itsm reject REQ-0012 --by bob --comment "Use the shared account instead."
    """
    return run("reject", **options)


@click.command("start", epilog=AFTER)
@step_options()
def start(**options: Any) -> int:
    """Start fulfilling a service request, or start a maintenance window.

    \b
    Examples:
      itsm start REQ-0012
      itsm start MNT-0003 --at 22:00
    """
    return run("start", **options)


@click.command("fulfil", epilog=AFTER)
@step_options()
def fulfil(**options: Any) -> int:
    """Fulfil a service request.

    \b
    Example:
      itsm fulfil REQ-0012 -m "Access granted."
    """
    return run("fulfil", **options)


@click.command("extend", epilog=AFTER)
@step_options(click.option("--until", callback=optional_time, required=True, metavar="TIME",
                           help=f"The window's new end. {TIME_HELP}"))
def extend(**options: Any) -> int:
    """Extend a maintenance window: a new scheduled end (public).

    \b
    Example:
      itsm extend MNT-0003 --until "2026-12-08 23:30"
    """
    return run("extend", **options)


@click.command("complete", epilog=AFTER)
@step_options()
def complete(**options: Any) -> int:
    """Complete a maintenance window (public).

    \b
    Example:
      itsm complete MNT-0003
    """
    return run("complete", **options)


@click.command("link", epilog=AFTER)
@step_options(click.option("--problem", metavar="PROBLEM", help="The Problem id (the incident is "
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
    return run("link", links={k: v for k, v in links.items() if v is not None}, **options)
