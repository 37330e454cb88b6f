"""What CI checks beyond behaviour: lint and strict typing, run by the same test command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "itsm_as_code", "tests", "bench"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="actionlint ships as a Linux wheel only")
def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    from tests.helpers import run_itsm

    assert run_itsm("init", "fresh", cwd=tmp_path).code == 0
    workflows = [*sorted((ROOT / ".github/workflows").glob("*.yml")),
                 tmp_path / "fresh/.github/workflows/validate.yml"]
    result = subprocess.run([_tool("actionlint"), *map(str, workflows)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
