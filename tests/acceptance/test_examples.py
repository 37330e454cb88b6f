"""Example repositories: every `positive/` case validates, every `negative/` case fails
with exactly the findings in its `expected.txt`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, example_repo, run_itsm

POSITIVE = sorted(p for p in (EXAMPLES / "positive").iterdir() if p.is_dir())
NEGATIVE = sorted(p for p in (EXAMPLES / "negative").iterdir() if p.is_dir())


def test_base_is_valid(tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=example_repo(tmp_path / "repo"))
    assert (result.code, result.stdout) == (0, "ok: 11 records valid\n")


@pytest.mark.parametrize("case", POSITIVE, ids=[p.name for p in POSITIVE])
def test_positive(case: Path, tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=example_repo(tmp_path / "repo", case))
    assert result.code == 0, result.stdout
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative(case: Path, tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=example_repo(tmp_path / "repo", case))
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1, result.stdout + result.stderr
    assert result.lines[:-1] == expected
    assert "Traceback" not in result.stdout + result.stderr
