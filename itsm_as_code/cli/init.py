"""`itsm init DIR`: make a new ITSM repository."""

from __future__ import annotations

from pathlib import Path

import click

from itsm_as_code.authoring.init import initialize


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--organization", default=None,
              help="The organisation's name (default: the folder's name).")
@click.option("--timezone", default="UTC", show_default=True,
              help="The IANA time zone in which times are shown.")
@click.pass_context
def command(ctx: click.Context, directory: Path, organization: str | None,
            timezone: str) -> int:
    """Make DIRECTORY a new ITSM repository that validates cleanly.

    Writes itsm.yaml, an empty records/ folder per kind, the JSON Schemas (for
    editor completion), a GitHub Actions workflow that validates pull requests and a
    pre-commit configuration; makes DIRECTORY a git repository unless it is inside
    one. Refuses a folder that already has an itsm.yaml.
    """
    root = (ctx.obj / directory).resolve()
    done = initialize(root, organization or root.name, timezone)
    click.echo(f"created an ITSM repository in {root} ({len(done.written)} files"
               + (", git repository initialised)" if done.git_created else ")"))
    click.echo("next: cd into it, `itsm new service ...` and `itsm validate`")
    return 0
