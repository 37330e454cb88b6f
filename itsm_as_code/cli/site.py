"""`itsm site build`: the status site, its feeds, JSON API and badges."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from itsm_as_code.cli.common import now_option, settings, show_progress, shown_from_cwd
from itsm_as_code.errors import ExitCode
from itsm_as_code.findings import Summary
from itsm_as_code.reporters import Report, render
from itsm_as_code.site.kept import build_repository
from itsm_as_code.site.options import BuildOptions, BuildResult
from itsm_as_code.store.repository import collector_paused

DEFAULT_OUT = "_site"


@click.group("site")
def command() -> None:
    """The static status site: pages, Atom feeds, a Statuspage-compatible JSON API and
    SVG badges, all computed from the records at build time."""


@command.command("build")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR",
              help=f"Folder to write the site to (default: {DEFAULT_OUT}/ at the repository "
                   "root). It must be new, empty, or an earlier site build.")
@click.option("--internal", is_flag=True,
              help="The engineers' build: adds internal services, incidents and updates, "
                   "problems, the known error database and the SLA, KPI and access pages "
                   "where their data exists. Never publish it.")
@now_option("The moment the site shows: statuses and uptime are computed for it.")
@click.option("--base-url", metavar="URL", default=None,
              help="The URL the site is published at, for the feeds and the API's links "
                   "(default: itsm.yaml's site.base_url).")
@click.pass_context
def build(ctx: click.Context, out: Path | None, internal: bool, now: datetime,
          base_url: str | None) -> int:
    """Build the status site into DIR.

    The public build (the default) holds public services, incidents and maintenance
    windows with their public updates, and nothing else. Pages link relative to each
    other, so the folder can be served from any path or opened from disk.

    Every record is checked against its schema first; with errors, nothing is written
    and the findings are printed (exit 1). Files whose content did not change are not
    rewritten; files an earlier build wrote and this one does not are removed. When
    nothing changed since the last build into DIR (records, itsm.yaml, --now, the
    options and the folder's files), that build's result is the answer and no record is
    read (README, "The record cache").
    """
    # The records live as long as the command: no cycle collection meanwhile.
    with collector_paused():
        config = settings(ctx)
        target = out if out is not None else config.root / DEFAULT_OUT
        if not target.is_absolute():
            target = Path(ctx.obj) / target
        result = build_repository(config, BuildOptions(target, internal, base_url), now,
                                  show_progress)
    if not result.built:
        findings = shown_from_cwd(result.findings, config.root)
        summary = Summary("itsm site build", f"site not built: {len(findings)} error(s) in "
                          "the records; fix them (see `itsm validate`) and build again", {})
        click.echo(render(Report(summary, findings), "text"), nl=False)
        return ExitCode.FINDINGS
    click.echo(describe(result))
    return ExitCode.OK


def describe(result: BuildResult) -> str:
    where = os.path.relpath(result.out, Path.cwd())
    return result.summary(str(result.out) if where.startswith("..") else where)
