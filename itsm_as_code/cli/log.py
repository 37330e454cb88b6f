"""`itsm log ID`: a record's history from git."""

from __future__ import annotations

import click

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option, settings
from itsm_as_code.errors import ExitCode
from itsm_as_code.git.history import load_history
from itsm_as_code.history.record_log import LogText, record_log
from itsm_as_code.store.loader import Limits

SHALLOW_NOTE = ("note: this is a shallow clone, so the history stops early and the oldest "
                "commit shown may not be where the record was created; fetch the full "
                "history (`git fetch --unshallow`) for all of it")


@click.command("log")
@click.argument("record_id", metavar="ID")
@click.option("--ref", default="HEAD", show_default=True,
              help="The revision whose history is read (a branch, tag or commit).")
@format_option("text", "json")
@click.pass_context
def command(ctx: click.Context, record_id: str, ref: str, output_format: str) -> int:
    """Show the history of one record, newest first: each commit that changed it, its
    author and time, and what it changed field by field (status, timeline entries,
    fields set, changed or removed, the file moving between folders).

    The record is followed by its id (the file name) when its file moves. What each
    commit changed is kept in an index under the git folder (.git/itsm/), so only the
    first run walks the whole history. In a shallow clone it shows what the
    clone holds and says on stderr that the history stops early.

    Exit 0 when the record has a history, 2 when the id is unknown or there is no
    git history to read.
    """
    config = settings(ctx)
    history = load_history(config.root, config.records_dir, ref, "itsm log", show_indexing)
    log = record_log(history, record_id, Limits(config.max_file_bytes, config.max_aliases), ref)
    if history.shallow:
        click.echo(SHALLOW_NOTE, err=True)
    click.echo(reporters.render(log.report(), output_format, {"text": LogText(log)}), nl=False)
    return ExitCode.OK


def show_indexing(done: int, total: int) -> None:
    """Progress on standard error while commits are indexed for the first time."""
    if total >= 2000 and (done % 10000 == 0 or done == total):
        click.echo(f"indexed {done:,}/{total:,} commits", err=True)
