"""What every `itsm new KIND` command shares: the choices, the timestamp options and the
one call that creates the record and says where it went."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from itsm_as_code.authoring.new import create_in
from itsm_as_code.cli.common import TIME_HELP, show_progress, timestamp, wall_clock

LEVELS = click.Choice(["high", "medium", "low"])
PRIORITIES = click.Choice(["P1", "P2", "P3", "P4", "P5"])


def _timestamp(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    return None if value is None else timestamp(ctx, param, value)


def timestamp_option(name: str, required: bool, text: str) -> Callable[[Any], Any]:
    return click.option(name, callback=_timestamp, required=required, metavar="TIMESTAMP",
                        help=f"{text} {TIME_HELP}")


def create(kind: str, record_id: str | None = None, at: datetime | None = None,
            **options: Any) -> int:
    ctx = click.get_current_context()
    wall = wall_clock()
    created = create_in(ctx.find_root().obj, kind, record_id, at, wall, show_progress,
                        **options)
    click.echo(f"created {created.record_id}: {os.path.relpath(created.path)}")
    return 0


AT_OPTION = timestamp_option("--at", False, "When it was opened (default: now).")
