"""`itsm init DIR`: make a new ITSM repository."""

from __future__ import annotations

from pathlib import Path

import click

from itsm_as_code.authoring.init import DEFAULT_ACTION, initialize
from itsm_as_code.cli.common import wall_clock

NEXT = """\
next, in {root}:
  itsm new person ada --name "Ada Lovelace" --email ada@example.com
  itsm new team ops --name Operations --member ada
  itsm new service web --name Website --owner ops
  itsm new incident --title "Website slow" --service web:degraded_performance
  itsm validate
then push to GitHub: README.md says which repository settings and secrets the workflows
need"""


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--organization", default=None,
              help="The organisation's name (default: the folder's name).")
@click.option("--timezone", "zone", default="UTC", show_default=True,
              help="The IANA time zone in which times are shown.")
@click.option("--action", default=DEFAULT_ACTION, show_default=True, metavar="OWNER/REPO@REF",
              help="The itsm GitHub Action the workflows use (a fork, or a pinned ref).")
@click.pass_context
def command(ctx: click.Context, directory: Path, organization: str | None, zone: str,
            action: str) -> int:
    """Make DIRECTORY a new ITSM repository that validates cleanly and whose CI works.

    Writes itsm.yaml, an empty records/ folder per kind, the JSON Schemas (for editor
    completion), the GitHub Actions workflows (validate, audit, sla, site, kedb, events,
    access) using the itsm action at --action, a pre-commit configuration, a .gitignore
    and a README with the next steps. Unless DIRECTORY is inside a git repository, makes
    it one and commits all of it as the user git is configured for. Refuses a folder that
    already has an itsm.yaml.
    """
    root = (ctx.obj / directory).resolve()
    done = initialize(root, organization or root.name, zone, action, wall_clock())
    click.echo(f"created an ITSM repository in {root} ({len(done.written)} files"
               + (f", git repository initialised, first commit {done.commit[:12]})"
                  if done.commit else ")"))
    click.echo(f"the workflows use the action {done.action}")
    click.echo(NEXT.format(root=root))
    return 0
