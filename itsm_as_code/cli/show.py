"""`itsm show ID`: one record as every command reads it."""

from __future__ import annotations

from pathlib import Path

import click

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option, show_progress
from itsm_as_code.errors import ExitCode
from itsm_as_code.steps.show import ShownText, show_record


@click.command("show")
@click.argument("record_id", metavar="ID")
@format_option("text", "json")
@click.pass_context
def command(ctx: click.Context, record_id: str, output_format: str) -> int:
    """Show one record as every command reads it: its file with its update files
    (ID.updates/) folded in, so the timeline is whole and the status, resolved_at,
    assignee and the other fields the updates set are as they stand now.

    The text is the record as YAML; a comment before each timeline entry gives its time
    in itsm.yaml's zone and the file it came from (the record file or an update file),
    and a comment before each field an update set names that update. `--format json`
    gives the record (`record`), the file of each timeline entry (`timeline`: `index`,
    `from`), the fields the updates set (`set_by`: `from`, `timeline`) and the update
    files (`updates`).

    \b
    Examples:
      itsm show INC-0042
      itsm show INC-0042 --format json | jq '.record.status'

    Exit 0 when the record is shown, 2 when no record has that id.
    """
    start: Path = ctx.obj
    found = show_record(start, record_id, show_progress)
    click.echo(reporters.render(found.report(), output_format, {"text": ShownText(found)}),
               nl=False)
    return ExitCode.OK
