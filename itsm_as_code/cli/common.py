"""What the commands share: the repository they run on, `--format`, `--now` and
`--commit --branch NAME`, and how findings are shown (rendering is reporters.py's)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from itsm_as_code.config import Config, find_root, load_config, zone_at
from itsm_as_code.errors import UsageError
from itsm_as_code.findings import Finding
from itsm_as_code.reporters import FORMATS, Reporter
from itsm_as_code.store.repository import Repository, load_repository
from itsm_as_code.timefmt import parse_human, parse_timestamp

if TYPE_CHECKING:  # git (pygit2) is imported only by the commands that commit
    from itsm_as_code.git.onbranch import Target
    from itsm_as_code.model.context import RunContext

# One sentence every option that takes a time ends its help with.
TIME_HELP = ("An RFC 3339 timestamp, a local time in itsm.yaml's time zone (2026-12-06 04:40, "
             "or 04:40 for today; of a time the clocks pass twice, the first) or a time ago "
             "(-15m, -2h, -1d).")
_FORMAT_HELP = "Output for people (text, markdown) or machines (json, github annotations)."
F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str, overrides: Mapping[str, Reporter] | None = None,
                  ) -> Callable[[F], F]:
    """`--format`: the shared formats (`choices` of them, default all), then the formats
    of the command's own reporters in `overrides`; `--help` tells what each override is
    (its `help`), whether it adds a format or replaces a shared one."""
    shared = choices or FORMATS
    overrides = overrides or {}
    names = (*shared, *(name for name in overrides if name not in shared))
    text = _FORMAT_HELP if shared == FORMATS else f"Output format: {', '.join(shared)}"
    text = text.rstrip(".") + "".join(f"; {name}: {reporter.help}"
                                      for name, reporter in overrides.items()
                                      if reporter.help) + "."
    return click.option(
        "--format", "output_format", type=click.Choice(names), default=names[0],
        show_default=True, help=text,
    )


def commit_options(what: str, stacking: str) -> Callable[[F], F]:
    """`--commit` and `--branch NAME`: `what` committed on a branch instead of written into
    the work tree (read with `commit_target`); `stacking` says what two runs on one branch
    do."""
    def decorate(command: F) -> F:
        command = click.option(
            "--branch", metavar="NAME",
            help=f"The branch --commit adds to (made from HEAD when missing; {stacking}).",
        )(command)
        return click.option(
            "--commit", "commit", is_flag=True,
            help=f"Commit {what} on --branch instead of writing the work tree; the work "
                 "tree, the index and the current branch stay as they are.",
        )(command)
    return decorate


def commit_target(commit: bool, branch: str | None) -> Target | None:
    """Where `--commit --branch NAME` sends a change (None: the work tree), authored by
    ITSM_BOT_NAME and ITSM_BOT_EMAIL when set; UsageError for one without the other."""
    if commit and not branch:
        raise UsageError("--commit needs --branch NAME: the branch the change is committed to")
    if branch and not commit:
        raise UsageError("--branch is used with --commit")
    if not (commit and branch):
        return None
    from itsm_as_code.git.commit import bot_identity
    from itsm_as_code.git.onbranch import Target
    return Target(branch, bot_identity(os.environ))


def read_input(source: str, start: Path, limit: int) -> bytes:
    """The bytes of the file `source` (relative to `start`), or of standard input for `-`:
    at most `limit` + 1, so that the reader can tell a larger input and refuse it."""
    if source == "-":
        return sys.stdin.buffer.read(limit + 1)
    path = Path(source) if Path(source).is_absolute() else start / source
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as error:
        raise UsageError(f"{source}: cannot read: {error.strerror}") from None


def now_option(text: str) -> Callable[[F], F]:
    """`--now TIMESTAMP`: the moment clocks are computed for. The default, the wall clock,
    is read here at the command line and nowhere below it, so the library stays testable."""
    return click.option("--now", "now", callback=_now, metavar="TIMESTAMP",
                        help=f"{text} {TIME_HELP} Default: now.")


def _now(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime:
    if value is None:
        return wall_clock()
    return timestamp(ctx, param, value)


def wall_clock() -> datetime:
    """The one reading of the wall clock: here, at the command line, and nowhere below."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def timestamp(ctx: click.Context, param: click.Parameter, value: str) -> datetime:
    """A click callback: an aware datetime from a time as people type it (timefmt's
    `parse_human`, in the time zone of the repository the command runs on), or a usage
    error that says which forms are accepted."""
    try:
        # A time with its own offset needs no time zone: itsm.yaml is not read for it.
        return parse_timestamp(value.strip())
    except ValueError:
        pass
    try:
        return parse_human(value, zone_at(ctx.find_root().obj), wall_clock())
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def repository(ctx: click.Context) -> Repository:
    """The records of the repository the command runs on, with progress on a large one."""
    return load_repository(settings(ctx), show_progress)


def settings(ctx: click.Context) -> Config:
    """itsm.yaml of the repository the command runs on (no record is read)."""
    start: Path = ctx.find_root().obj
    return load_config(find_root(start))


def run_context(ctx: click.Context, now: datetime, early: Collection[str]) -> RunContext:
    """The run's context, its records of the `early` kinds (those the command reads)
    judged and read into the model while the rest are still being parsed."""
    from itsm_as_code.model.context import RunContext  # the model, only where it is read

    return RunContext.read(settings(ctx), now, show_progress, early)


def show_progress(done: int, total: int) -> None:
    """A progress line on standard error while a large repository is read."""
    if total < 2000:
        return
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        click.echo(f"\rreading records: {done:,}/{total:,}", err=True, nl=False)
        click.echo(end, err=True, nl=False)
    elif done == total:
        click.echo(f"read {total:,} record files", err=True)


def shown_from_cwd(findings: list[Finding], root: Path) -> list[Finding]:
    """Findings with paths as seen from the current folder, so terminals can open them."""
    here = Path.cwd()
    if root == here:
        return findings
    return [
        replace(f, path=os.path.relpath(root / f.path, here).replace(os.sep, "/"))
        for f in findings
    ]
