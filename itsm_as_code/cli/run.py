"""`itsm run`: what CI does on this repository, step by step."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from itsm_as_code import reporters
from itsm_as_code.cli.common import format_option, now_option, run_context, shown_from_cwd
from itsm_as_code.pipeline import STEPS, RunResult, StepResult, run
from itsm_as_code.store.kinds import KINDS


@click.command("run")
@format_option()
@now_option("The moment the SLA clocks and the problems window are computed for.")
@click.pass_context
def command(ctx: click.Context, output_format: str, now: datetime) -> int:
    """Run what CI runs on this repository: every step, with a closing summary.

    \b
    Steps, in order:
      validate   schema, ids, references, priority, time order, status
      sla        SLA clocks as of --now; fails on breached running clocks
      access     the access plan; reports drift, fails only on a configured
                 system it cannot reach (see itsm access plan)
      problems   candidate problems in the last 30 days before --now; never
                 fails (see itsm problems detect)
      site       the public status site, built into _site/ (see itsm site build)

    Progress goes to standard error, one line per step; findings and the summary
    go to standard output. The exit code is the worst of the steps' codes.
    """
    started = time.monotonic()
    click.echo(f"itsm run: loading records from {Path(ctx.obj)}", err=True)
    # Its first step validates every kind: each record is judged as it is read.
    context = run_context(ctx, now, KINDS)
    repo = context.repo
    clock = {"step": time.monotonic()}

    def on_start(index: int, name: str) -> None:
        clock["step"] = time.monotonic()
        click.echo(f"[{index}/{len(STEPS)}] {name} ...", err=True)

    results: list[StepResult] = []
    for result in run(context, on_start):
        results.append(replace(result, findings=shown_from_cwd(result.findings, repo.root)))
        mark = "ok" if result.exit_code == 0 else "FAILED"
        click.echo(f"      {result.name}: {mark}: {result.summary} "
                   f"({time.monotonic() - clock['step']:.2f}s)", err=True)
    done = RunResult(results, time.monotonic() - started)
    click.echo(reporters.render(done.report(), output_format), nl=False)
    return done.exit_code
