"""`itsm validate`: check the records of a repository."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option, now_option, show_progress, shown_from_cwd
from itsm_as_code.config import find_root, load_config
from itsm_as_code.errors import ExitCode, UsageError
from itsm_as_code.findings import Finding
from itsm_as_code.validation.ahead import ALLOWED
from itsm_as_code.validation.repository import validate_repository

GITHUB = "github"  # --base github: the base the GitHub Actions event implies


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", "base", metavar="REF",
              help="Also check what the change did to the records since it forked from this "
                   "git revision (the merge base of REF and the head): lifecycle rules. REF is "
                   "a branch, tag or commit (for a pull request its base, origin/main), or "
                   "`github`: the base the GitHub Actions event implies.")
@click.option("--head", "head", metavar="REF",
              help="With --base: the change is this commit instead of the work tree.")
@now_option("The moment the records are checked at: a time that says something happened "
            f"(opened_at, a timeline entry's at, ...) more than {ALLOWED} after it is a "
            "finding.")
@format_option()
@click.pass_context
def command(ctx: click.Context, paths: tuple[Path, ...], base: str | None, head: str | None,
            now: datetime, output_format: str) -> int:
    """Check records: schema, ids, references, priority, time order and status.

    Without PATHS, checks every record of the repository. With PATHS (files or
    folders), the whole repository is still read, since references span files, but
    only findings under those paths are reported.

    With --base REF, also compares the change (the work tree, or the commit --head
    names) with the merge base of REF and the head, so only what the branch did is
    judged, not what REF gained since the branch forked: records are never deleted,
    kind and opened_at never change, timelines are append-only, statuses follow their
    kind's lifecycle, closed incidents stay frozen unless reopened. REF is read from
    git, never checked out.

    --base github reads the base from GitHub Actions (GITHUB_EVENT_NAME,
    GITHUB_EVENT_PATH, GITHUB_BASE_REF): a pull request from origin/<its base branch>;
    a push from the previous tip (the event's `before`), or, for a new branch or a
    force push, from where it forked from origin/<default branch>; any other event
    has no base, and a notice says so.

    Times that say something happened are compared with --now (default: the clock):
    one more than 5 minutes later is a finding, such as a year typo.

    Each finding is `path:line:col: error: message [rule]`. Exit 0 when everything
    is valid, 1 when something is not, 2 on a usage or itsm.yaml error (with --base:
    also outside a git repository, without commits, with REF missing from a shallow
    clone or sharing no history with the head; --base github outside Actions).
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
    notice = None
    if base is not None:
        # Only a comparison with a base needs git: imported for it alone.
        from itsm_as_code.validation.lifecycle import validate_change, validate_github
    if base == GITHUB:
        validation, notice = validate_github(config, os.environ, head, relative, show_progress,
                                             now)
    elif base is not None:
        validation = validate_change(config, base, head, relative, show_progress, now=now)
    else:
        validation = validate_repository(config, relative, now, show_progress)
    validation = replace(validation, findings=shown_from_cwd(validation.findings, root))
    if notice is not None and output_format == "github":
        click.echo(reporters.annotation(Finding("", 0, 0, "--base github", notice,
                                                level="notice")))
    elif notice is not None:
        click.echo(f"notice: {notice}", err=True)
    click.echo(reporters.render(validation.report(), output_format), nl=False)
    return ExitCode.FINDINGS if validation.errors else ExitCode.OK


def _inside(root: Path, target: Path) -> str:
    try:
        return target.resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{target} is outside the ITSM repository at {root}") from None
