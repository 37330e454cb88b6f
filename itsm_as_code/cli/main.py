"""The `itsm` program: the command group and the one place errors become exit codes."""

from __future__ import annotations

import importlib
import os
import traceback
from pathlib import Path
from typing import Any

import click

from itsm_as_code import __version__
from itsm_as_code.cli.gitwords import describe
from itsm_as_code.errors import ExitCode, ItsmError

_PASSTHROUGH = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


# Command name -> the module that defines it (`module:name` when a module defines several
# commands; otherwise its `command`); a module is imported only when its command runs (or
# help lists it), so `itsm validate` does not pay for git or the templates.
_STEPS = "itsm_as_code.cli.steps"
COMMANDS = {
    "access": "itsm_as_code.cli.access",
    "audit": "itsm_as_code.cli.audit",
    "desk": "itsm_as_code.cli.desk",
    "event": "itsm_as_code.cli.event",
    "init": "itsm_as_code.cli.init",
    "kedb": "itsm_as_code.cli.kedb",
    "log": "itsm_as_code.cli.log",
    "new": "itsm_as_code.cli.new.group",
    "ops": "itsm_as_code.cli.ops",
    "notify": "itsm_as_code.cli.notify",
    "problems": "itsm_as_code.cli.problems",
    "report": "itsm_as_code.cli.report",
    "run": "itsm_as_code.cli.run",
    "show": "itsm_as_code.cli.show",
    "site": "itsm_as_code.cli.site",
    "sla": "itsm_as_code.cli.sla",
    "validate": "itsm_as_code.cli.validate",
    # One lifecycle step each (`itsm update` and its short verbs).
    "ack": f"{_STEPS}:ack",
    "approve": f"{_STEPS}:approve",
    "assign": f"{_STEPS}:assign",
    "cancel": f"{_STEPS}:cancel",
    "close": f"{_STEPS}:close",
    "complete": f"{_STEPS}:complete",
    "extend": f"{_STEPS}:extend",
    "fulfil": f"{_STEPS}:fulfil",
    "link": f"{_STEPS}:link",
    "reject": f"{_STEPS}:reject",
    "reopen": f"{_STEPS}:reopen",
    "resolve": f"{_STEPS}:resolve",
    "start": f"{_STEPS}:start",
    "update": f"{_STEPS}:update",
}


def load_command(name: str) -> click.Command:
    """The command `name` of COMMANDS, importing its module."""
    module, _, attribute = COMMANDS[name].partition(":")
    command: click.Command = getattr(importlib.import_module(module), attribute or "command")
    return command


class ItsmGroup(click.Group):
    """Runs a command and turns its result or error into the documented exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        return load_command(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except _PASSTHROUGH:
            raise
        except ItsmError as error:
            click.echo(f"error: {describe(error)}", err=True)
            ctx.exit(int(error.exit_code))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as error:
            if os.environ.get("ITSM_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in itsm; rerun with ITSM_DEBUG=1 to see the traceback and "
                "report it.",
                err=True,
            )
            ctx.exit(int(ExitCode.INTERNAL))
        if isinstance(result, int):
            ctx.exit(result)
        return result


@click.group(cls=ItsmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="itsm")
@click.option(
    "-C", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Run as if itsm was started in DIRECTORY (like git -C).",
)
@click.pass_context
def cli(ctx: click.Context, directory: Path | None) -> None:
    """ITIL Service Operation as code: records in git, checked and published by CI.

    Every command works on the ITSM repository found from the current folder (the
    nearest folder holding itsm.yaml).

    \b
    Exit codes:
      0  all good
      1  findings: invalid records, breaches at the --fail-on level, ...
      2  usage or configuration error
      3  internal error (a bug in itsm)
    """
    if directory is not None and not directory.is_dir():
        raise click.BadParameter(f"{directory} is not a folder", param_hint="-C")
    ctx.obj = (directory or Path.cwd()).resolve()


def main() -> None:
    cli(prog_name="itsm")


if __name__ == "__main__":
    main()
