"""`itsm validate`: check the records of a repository."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option, show_progress, shown_from_cwd
from itsm_as_code.config import find_root, load_config
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.store.repository import load_repository
from itsm_as_code.validation.lifecycle import validate_change
from itsm_as_code.validation.runner import validate


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", "base", metavar="REF",
              help="Also check what the change does to the records at this git revision "
                   "(a branch, tag or commit; for a pull request its base, origin/main): "
                   "lifecycle rules.")
@click.option("--head", "head", metavar="REF",
              help="With --base: the change is this commit instead of the work tree.")
@format_option()
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], base: str | None, head: str | None,
            output_format: str) -> int:
    """Check records: schema, ids, references, priority, time order and status.

    Without PATHS, checks every record of the repository. With PATHS (files or
    folders), the whole repository is still read, since references span files, but
    only findings under those paths are reported.

    With --base REF, also compares the change (the work tree, or the commit --head
    names) with REF in git: records are never deleted, kind and opened_at never change,
    timelines are append-only, statuses follow their kind's lifecycle, closed incidents
    stay frozen unless reopened. REF is read from git, never checked out.

    Each finding is `path:line:col: error: message [rule]`. Exit 0 when everything
    is valid, 1 when something is not, 2 on a usage or itsm.yaml error (with --base:
    also outside a git repository, without commits, or with REF missing from a
    shallow clone).
    """
    start: Path = ctx.obj
    targets = [path if path.is_absolute() else start / path for path in paths]
    for target in targets:
        if not target.exists():
            raise UsageError(f"no such file or folder: {target}")
    root = find_root(targets[0] if targets and targets[0].is_dir() else
                     targets[0].parent if targets else start)
    relative = [_inside(root, target) for target in targets]
    if head is not None and base is None:
        raise UsageError("--head names the change to compare with --base REF; give --base too")
    config = load_config(root)
    if base is not None:
        validation = validate_change(config, base, head, relative, show_progress)
    else:
        validation = validate(load_repository(config, show_progress), relative)
    validation = replace(validation, findings=shown_from_cwd(validation.findings, root))
    click.echo(reporters.render(validation.report(), output_format), nl=False)
    return ExitCode.FINDINGS if validation.errors else ExitCode.OK


def _inside(root: Path, target: Path) -> str:
    try:
        return target.resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{target} is outside the ITSM repository at {root}") from None
