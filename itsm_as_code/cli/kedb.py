"""`itsm kedb match`: the known errors that fit incidents, with their workarounds."""

from __future__ import annotations

from dataclasses import replace

import click

from itsm_as_code.cli.common import format_option, repository, shown_from_cwd, wall_clock
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.model.context import RunContext
from itsm_as_code.problems import kedb_report
from itsm_as_code.problems.kedb import incidents_to_match, match
from itsm_as_code.reporters import render


@click.group("kedb")
def command() -> None:
    """The known error database: known errors (records/known-errors/) put to use."""


@command.command("match")
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--open", "open_only", is_flag=True, help="Match every open incident.")
@format_option(overrides=kedb_report.OVERRIDES)
@click.pass_context
def match_command(ctx: click.Context, ids: tuple[str, ...], open_only: bool,
                  output_format: str) -> int:
    """Suggest known errors for incidents (by ID, or every open one with --open).

    \b
    A known error fits an incident when one of its `match` patterns (regular
    expressions, Python syntax, case-insensitive) is found in the incident's
    title, an alert name or a timeline message, or when it names a service the
    incident affects. Best first: a hit in the title weighs 4, in an alert name
    2, in a timeline message 1 (added up); then shared services; then open
    before fixed known errors; then the id. Retired ones are never suggested.

    A pattern that runs longer than a twentieth of a second is skipped for the
    rest of the run and reported as a warning; so is one that does not compile.

    Matching as a whole stops after 10 seconds; the incidents left unmatched
    are named as errors (exit 1).

    --format markdown writes a pull request comment. Exit 0: this is a report;
    1 when the time ran out; 2 on a usage error (such as an unknown incident id).
    """
    if bool(ids) == open_only:
        raise UsageError("give incident ids or --open (one of the two)")
    # Matching does not depend on the time; the context wants one, read here as always.
    run = RunContext(repository(ctx), wall_clock())
    result = match(run, incidents_to_match(run, ids, open_only))
    shown = kedb_report.report(result)
    shown = replace(shown, findings=shown_from_cwd(list(shown.findings), run.repo.root))
    click.echo(render(shown, output_format, kedb_report.OVERRIDES), nl=False)
    return ExitCode.FINDINGS if result.unmatched else ExitCode.OK
