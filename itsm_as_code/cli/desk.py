"""`itsm desk`: the service desk's front door on GitHub and by e-mail."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from itsm_as_code.cli.common import (
    commit_options,
    commit_target,
    now_option,
    read_input,
    settings,
    wall_clock,
)
from itsm_as_code.desk.github import MAX_EVENT
from itsm_as_code.desk.mail import MAX_MAIL
from itsm_as_code.desk.run import Result, intake_issue
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.model.context import RunContext
from itsm_as_code.store.repository import load_repository

FORMS_FOLDER = ".github/ISSUE_TEMPLATE"


@click.group("desk")
def command() -> None:
    """The service desk: issue forms from the request catalogue; GitHub issues and
    e-mails into requests and incidents; answers and updates back to the requester."""


@command.command("forms")
@click.option("-o", "--output", "output", metavar="DIR", default=FORMS_FOLDER,
              show_default=True, help="The folder the issue forms are written to.")
@click.option("--labels", "labels", is_flag=True,
              help="Print the labels the forms use, one per line, and write nothing.")
@click.pass_context
def forms(ctx: click.Context, output: str, labels: bool) -> int:
    """Write a GitHub issue form per request type of the catalogue, plus "Report a
    problem with a service" and "Ask a question", and config.yml (blank issues off, a
    link to the status site).

    Each form labels its issues (itsm:request-type:ID, itsm:incident): create these
    labels in the repository (the desk workflow does on every push to main), since
    GitHub adds only labels that exist.

    \b
    Examples:
      itsm desk forms
      itsm desk forms -o /tmp/forms
      itsm desk forms --labels
    """
    config = settings(ctx)
    if labels:
        from itsm_as_code.desk.forms import desk_forms
        model = RunContext(load_repository(config), wall_clock()).model
        click.echo("".join(f"{form.label}\n" for form in desk_forms(model)), nl=False)
        return ExitCode.OK
    folder = Path(output) if Path(output).is_absolute() else ctx.find_root().obj / output
    from itsm_as_code.desk.write import write_forms
    written = write_forms(RunContext(load_repository(config), wall_clock()), folder)
    shown = os.path.relpath(written.folder, Path.cwd())
    click.echo(f"wrote {len(written.written)} file(s) to {shown}: "
               + ", ".join(written.written))
    if written.removed:
        click.echo(f"removed forms of request types that are gone: {', '.join(written.removed)}")
    click.echo("labels the forms use: " + ", ".join(written.labels))
    return ExitCode.OK


@command.command("intake")
@click.option("--github-event", "github_event", metavar="FILE",
              help="An `issues` event as GitHub writes it (in a workflow: \"$GITHUB_EVENT_PATH\").")
@click.option("--email", "email", metavar="FILE|-",
              help="An RFC 5322 message (a file, or - for standard input).")
@click.option("--reply", "reply", metavar="FILE",
              help="With --email: write the reply message to FILE (default: standard output).")
@commit_options("the record", "a second intake of one issue finds the first's record")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="text: the answer to post; json: what happened, with the answer.")
@now_option("When the record is opened.")
@click.pass_context
def intake(ctx: click.Context, github_event: str | None, email: str | None,
           reply: str | None, commit: bool, branch: str | None, output_format: str,
           now: datetime) -> int:
    """Take in a GitHub issue opened from a desk form, or an e-mail, as a record.

    A request form makes a ServiceRequest of its type; "Report a problem" an Incident
    (status new, internal until a responder confirms it); "Ask a question" a request of
    the general-question type. The requester is the Person whose `github` login or
    `email` it is. The answer says the record's id, what happens next and by when; a
    submission with a missing or wrong answer is refused with what to fix, and nothing
    is written. An e-mail whose subject names a record (`Re: [REQ-0042] ...`) adds an
    update to that record instead.

    After intake, closing the issue cancels an open request when the requester or its
    fulfilment team closed it (anyone else's closing is answered and ignored); editing
    the issue changes nothing, and the answer says to write what changed in a comment.

    \b
    Exit codes:
      0  recorded (or recorded before, or nothing to take in or change)
      1  refused: the answer says what to fix; nothing was written
      2  a malformed event or message, or a bad option

    \b
    Examples:
      itsm desk intake --github-event "$GITHUB_EVENT_PATH" --commit --branch desk/issue-12
      itsm desk intake --email message.eml --reply answer.eml
    """
    if (github_event is None) == (email is None):
        raise UsageError("give one of --github-event FILE and --email FILE|-")
    if reply is not None and email is None:
        raise UsageError("--reply is for --email")
    target = commit_target(commit, branch)
    start = ctx.find_root().obj
    config = settings(ctx)
    if github_event is not None:
        result = intake_issue(config, read_input(github_event, start, MAX_EVENT), github_event,
                              now, target)
        shown = result.answer.markdown() if result.answer else ""
    else:
        from itsm_as_code.desk.run import intake_mail
        assert email is not None
        name = "<stdin>" if email == "-" else email
        result, message = intake_mail(config, read_input(email, start, MAX_MAIL), name, now,
                                      target)
        shown = message
        if reply is not None and message:
            (Path(reply) if Path(reply).is_absolute() else start / reply).write_text(
                message, encoding="utf-8")
            shown = result.answer.plain() if result.answer else ""
    if output_format == "json":
        click.echo(json.dumps(_json(result, shown), indent=2))
    elif shown:
        click.echo(shown, nl=False)
    else:
        click.echo(result.note)
    refused = result.outcome is not None and result.outcome.status == "refused"
    return ExitCode.FINDINGS if refused else ExitCode.OK


def _json(result: Result, shown: str) -> dict[str, Any]:
    outcome = result.outcome
    record = outcome.record if outcome else None
    return {
        "status": outcome.status if outcome else "ignored",
        "record": record.id if record else None,
        "kind": type(record).__name__ if record else None,
        "path": outcome.path if outcome else None,
        "files": sorted(outcome.files) if outcome else [],
        "commit": result.commit,
        "problems": outcome.problems if outcome else [],
        "answer": shown,
        "note": result.note,
    }


@command.command("mirror")
@click.option("--since", "since", metavar="REV", required=True,
              help="The revision the last run saw (in a push workflow: github.event.before).")
@click.option("--until", "until", metavar="REV", default="HEAD", show_default=True,
              help="The revision to mirror up to.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="text: one line per action; json: the actions for the workflow.")
@click.pass_context
def mirror(ctx: click.Context, since: str, until: str, output_format: str) -> int:
    """The actions that tell requesters on GitHub what happened to their records between
    two revisions: a comment per update they may read, and closing the issue when the
    record is resolved, fulfilled, rejected or canceled. itsm posts nothing itself: the
    desk workflow performs the actions with gh, skipping a comment whose key (a hidden
    marker in its body) is already on the issue, so a range mirrored twice is harmless.

    \b
    Example:
      itsm desk mirror --since "$BEFORE" --until "$AFTER" --format json
    """
    from itsm_as_code.desk.mirror import as_json
    from itsm_as_code.desk.mirror import mirror as run_mirror
    config = settings(ctx)
    actions = run_mirror(config, since, until)
    if output_format == "json":
        click.echo(json.dumps(as_json(actions), indent=2))
    else:
        for action in actions:
            what = f"close ({action.reason})" if action.kind == "close" else "comment"
            click.echo(f"#{action.issue} {action.record}: {what} [{action.key}]")
        click.echo(f"{len(actions)} action(s)")
    return ExitCode.OK
