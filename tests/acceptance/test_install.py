"""A non-editable install carries its schemas: it validates without the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import DEMO, example_repo

pytestmark = pytest.mark.slow  # builds and installs a wheel


def test_wheel_install_validates_without_the_source_tree(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(DEMO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "records", "tests", "bench", "*.egg-info", "__pycache__", "_site",
    ))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("itsm_as_code-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
         str(tmp_path / "site"), str(wheel)],
        check=True, capture_output=True,
    )
    shutil.rmtree(source)
    repo = example_repo(tmp_path / "repo")
    (repo / "records/services/web.yaml").write_text(
        (repo / "records/services/web.yaml").read_text() + "colour: blue\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    probe = subprocess.run(
        [sys.executable, "-c", "import itsm_as_code.resources as r; print(r.schema_dir())"],
        cwd=repo, env=environment, capture_output=True, text=True, check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, "-m", "itsm_as_code", "validate"],
        cwd=repo, env=environment, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == (
        "records/services/web.yaml:8:1: error: unknown field 'colour': allowed fields are "
        "apiVersion, kind, id, name, description, group, owner, visibility, sla, depends_on, "
        "position [schema]"
    )
