"""The command line as users and CI meet it: exit codes, formats, paths, help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from itsm_as_code import __version__
from itsm_as_code.cli.main import cli
from itsm_as_code.pipeline import STEPS
from tests.helpers import example_repo, run_itsm

BROKEN = """apiVersion: itsm/v1
kind: Service
id: shop
name: Shop
owner: nobody
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return example_repo(tmp_path / "repo")


@pytest.fixture
def broken(repo: Path) -> Path:
    (repo / "records/services/shop.yaml").write_text(BROKEN)
    return repo


def test_version(repo: Path) -> None:
    assert run_itsm("--version", cwd=repo).stdout == f"itsm, version {__version__}\n"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("words", _commands(cli), ids=" ".join)
def test_every_command_has_help(words: tuple[str, ...], repo: Path) -> None:
    result = run_itsm(*words, "--help", cwd=repo)
    assert result.code == 0
    assert f"Usage: itsm {' '.join(words)}" in result.stdout
    description = result.stdout.split("\n\n")[1].strip()
    assert len(description) > 10, result.stdout


def test_valid_repository_exits_0(repo: Path) -> None:
    assert run_itsm("validate", cwd=repo).code == 0


def test_findings_exit_1_with_path_line_column(broken: Path) -> None:
    result = run_itsm("validate", cwd=broken)
    assert result.code == 1
    assert result.lines == [
        "records/services/shop.yaml:5:8: error: owner: no Team with id 'nobody': add the Team "
        "or fix the id [reference]",
        "1 error(s), 0 warning(s) in 1 file(s) (12 records checked)",
    ]


def test_json_output(broken: Path) -> None:
    result = run_itsm("validate", "--format", "json", cwd=broken)
    document = json.loads(result.stdout)
    assert document["findings"] == [{
        "path": "records/services/shop.yaml", "line": 5, "column": 8, "rule": "reference",
        "record": "shop", "level": "error",
        "message": "owner: no Team with id 'nobody': add the Team or fix the id",
    }]
    assert document["summary"]["valid"] is False
    assert document["summary"]["records"] == 12


def test_github_output(broken: Path) -> None:
    result = run_itsm("validate", "--format", "github", cwd=broken)
    assert result.lines[0] == (
        "::error file=records/services/shop.yaml,line=5,col=8,title=reference::"
        "owner: no Team with id 'nobody': add the Team or fix the id"
    )


def test_markdown_output(broken: Path) -> None:
    result = run_itsm("validate", "--format", "markdown", cwd=broken)
    assert result.stdout.startswith("### itsm validate\n")
    assert "| records/services/shop.yaml | 5 | reference |" in result.stdout


def test_paths_narrow_what_is_reported(broken: Path) -> None:
    assert run_itsm("validate", "records/incidents", cwd=broken).code == 0
    result = run_itsm("validate", "records/services/shop.yaml", cwd=broken)
    assert result.code == 1
    assert len(result.lines) == 2


def test_paths_are_shown_from_the_current_folder(broken: Path) -> None:
    result = run_itsm("validate", cwd=broken / "records")
    assert result.lines[0].startswith("services/shop.yaml:5:8: error:")


def test_dash_c_points_at_a_repository(broken: Path, tmp_path: Path) -> None:
    result = run_itsm("-C", str(broken), "validate", cwd=tmp_path)
    assert result.lines[0].startswith("repo/records/services/shop.yaml:5:8:")


def test_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.startswith(f"error: no itsm.yaml in {tmp_path.resolve()} or any folder")
    assert "itsm init DIR" in result.stderr


def test_missing_path_is_a_usage_error(repo: Path) -> None:
    result = run_itsm("validate", "records/nothing.yaml", cwd=repo)
    assert result.code == 2
    assert "no such file or folder" in result.stderr


def test_path_outside_the_repository_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    result = run_itsm("validate", str(repo / "itsm.yaml"), str(tmp_path), cwd=repo)
    assert result.code == 2
    assert "is outside the ITSM repository" in result.stderr


def test_bad_settings_are_a_configuration_error_with_a_line(repo: Path) -> None:
    (repo / "itsm.yaml").write_text("organization: X\ntimezone: Mars/Base\n")
    result = run_itsm("validate", cwd=repo)
    assert result.code == 2
    assert result.stderr == (
        f"error: {repo.resolve() / 'itsm.yaml'}:2:11: unknown time zone 'Mars/Base': use an "
        "IANA name such as Europe/Berlin or UTC\n"
    )


def test_unknown_setting_is_a_configuration_error(repo: Path) -> None:
    (repo / "itsm.yaml").write_text("organization: X\ntimezon: UTC\n")
    result = run_itsm("validate", cwd=repo)
    assert result.code == 2
    assert result.stderr.endswith(
        "itsm.yaml:2:1: unknown field 'timezon': did you mean 'timezone'?\n"
    )


def test_internal_error_exits_3_without_a_traceback(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("itsm_as_code.cli.validate.validate_repository", explode)
    result = run_itsm("validate", cwd=repo)
    assert result.code == 3
    assert result.stderr.startswith("internal error: RuntimeError: boom\n")
    assert "Traceback" not in result.stderr


def test_run_reports_each_step_and_a_summary(broken: Path) -> None:
    result = run_itsm("run", cwd=broken)
    assert result.code == 1
    assert f"[1/{len(STEPS)}] validate ..." in result.stderr
    assert "validate: FAILED: 1 error(s) in 12 records" in result.stderr
    assert result.lines[0].startswith("records/services/shop.yaml:5:8: error:")
    assert "failed: validate" in result.lines[-1]


def test_the_installed_program_runs_as_a_process(broken: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "itsm_as_code", "validate", "--format", "json"],
        cwd=broken, capture_output=True, text=True, check=False,
    )
    assert process.returncode == 1
    assert json.loads(process.stdout)["summary"]["errors"] == 1
