"""`itsm audit`: findings from the git history of the records."""

from __future__ import annotations

from dataclasses import replace

import click

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option, settings, shown_from_cwd
from itsm_as_code.cli.log import show_indexing
from itsm_as_code.errors import ExitCode
from itsm_as_code.history.audit import audit_repository


@click.command("audit")
@click.option("--ref", default="HEAD", show_default=True,
              help="The revision whose history is audited (a branch, tag or commit).")
@format_option()
@click.pass_context
def command(ctx: click.Context, ref: str, output_format: str) -> int:
    """Audit the records' git history, for auditors and incident reviews.

    \b
    Rules:
      backdated              a timestamp written longer before its commit than
                             audit.backdate_tolerance in itsm.yaml (default 24h)
      changed-after-closure  a closed record changed on this branch without reopening
      timeline-rewritten     earlier timeline entries changed or removed
      history-rewritten      commits a remote-tracking branch held (see its reflog)
                             and no longer holds: a force-push

    A record's update files (ID.updates/) are part of its timeline: a new one is an
    entry written, one changed or deleted an entry rewritten.

    Each finding names the record, the file and line as the commit wrote them, and the
    commit. A shallow clone cannot be audited (fetch the full history first).

    Exit 0 when the history shows nothing, 1 when it does, 2 on a usage error (no git
    history, unknown --ref, shallow clone).
    """
    config = settings(ctx)
    audit = audit_repository(config, ref, show_indexing)
    audit = replace(audit, findings=shown_from_cwd(audit.findings, config.root))
    click.echo(reporters.render(audit.report(ref), output_format), nl=False)
    return ExitCode.FINDINGS if audit.findings else ExitCode.OK
