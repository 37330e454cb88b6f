"""Test helpers: example repositories and a runner for the `itsm` command line."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from itsm_as_code.cli.main import cli

EXAMPLES = Path(__file__).parent / "acceptance" / "examples"
BASE = EXAMPLES / "base"
DEMO = Path(__file__).parent.parent


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_itsm(*args: str, cwd: Path, stdin: str | None = None) -> Result:
    """Run `itsm ARGS...` started in `cwd`, in this process, through the real error boundary."""
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="itsm")
    finally:
        os.chdir(before)
    return Result(result.exit_code, result.stdout, result.stderr)


def example_repo(target: Path, *overlays: Path) -> Path:
    """A copy of the base example repository with each overlay folder copied on top.

    An overlay may hold `remove.txt`, listing base paths to delete; `expected.txt` and
    `README.md` in an overlay describe the case and are not copied.
    """
    shutil.copytree(BASE, target)
    for overlay in overlays:
        removals = overlay / "remove.txt"
        if removals.exists():
            for line in removals.read_text().split():
                (target / line).unlink()
        for source in overlay.rglob("*"):
            relative = source.relative_to(overlay)
            if source.is_dir() or relative.as_posix() in ("remove.txt", "expected.txt",
                                                           "README.md"):
                continue
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / relative)
    return target
