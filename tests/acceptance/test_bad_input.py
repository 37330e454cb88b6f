"""Hostile input that an example folder cannot hold (the overlay copy follows symlinks)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, example_repo, run_itsm

SYMLINK = (
    "error: symbolic links are not allowed among records: replace the link with what it "
    "points to [file-symlink]"
)


def _symlink(link: Path, target: Path | str) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):  # pragma: no cover - Windows without privileges
        pytest.skip("symbolic links cannot be made here")


def test_symlinks_among_records_are_reported_and_not_followed(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    # Followed, this file would be a second Person 'ada' and a duplicate id finding.
    (outside / "secret.yaml").write_text((repo / "records/people/ada.yaml").read_text())
    _symlink(repo / "records/services/link.yaml", "../people/ada.yaml")
    _symlink(repo / "records/people/secret.yaml", outside / "secret.yaml")
    _symlink(repo / "records/incidents/archive", outside)

    result = run_itsm("validate", cwd=repo)

    assert result.code == 1, result.stdout + result.stderr
    assert result.lines[:-1] == [
        f"records/incidents/archive:1:1: {SYMLINK}",
        f"records/people/secret.yaml:1:1: {SYMLINK}",
        f"records/services/link.yaml:1:1: {SYMLINK}",
    ]


def test_a_fifo_among_records_is_reported_and_never_opened(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    os.mkfifo(repo / "records/services/pipe.yaml")  # opened, it would block for ever

    result = run_itsm("validate", cwd=repo)

    assert result.code == 1, result.stdout + result.stderr
    assert result.lines[:-1] == [
        "records/services/pipe.yaml:1:1: error: not a regular file (a FIFO, socket or device), "
        "so it was not opened: records are plain files, remove it [file-special]"]


def test_a_folder_that_cannot_be_read_is_a_finding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path / "repo")
    locked = repo / "records/problems"
    scandir = os.scandir

    def refusing(path: Any) -> Any:  # tests run as root, whom chmod 000 does not stop
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result = run_itsm("validate", cwd=repo)

    assert result.code == 1, result.stdout + result.stderr
    assert result.lines[:-1] == [
        "records/problems:1:1: error: cannot read the folder: Permission denied [file-read]"]


def test_a_stale_temporary_file_is_a_notice(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    fresh = repo / "records/incidents/.itsm-writing.tmp"
    stale = repo / "records/incidents/.itsm-k1ll3d.tmp"
    for left in (fresh, stale):
        left.write_text("apiVersion: itsm/v1\nkind: Incident\n")  # never read as a record
    os.utime(stale, (0, 0))

    result = run_itsm("validate", cwd=repo)

    assert result.code == 0, result.stdout + result.stderr
    assert result.lines[0] == (
        "records/incidents/.itsm-k1ll3d.tmp:1:1: notice: a temporary file left by an "
        "interrupted itsm command: delete it [file-temporary]")


def _settings(repo: Path, records: str) -> None:
    config = repo / "itsm.yaml"
    config.write_text(config.read_text() + f"records: {records}\n")


def test_records_written_as_dot_slash_is_the_same_folder(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    _settings(repo, "./records/")

    result = run_itsm("validate", cwd=repo)

    assert (result.code, result.stdout) == (0, "ok: 11 records valid\n")


@pytest.mark.parametrize("records", ["records", "data/records"])
def test_a_records_folder_through_a_symlink_is_refused(tmp_path: Path, records: str) -> None:
    repo = example_repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    (repo / "records").rename(outside)
    link = repo / records.partition("/")[0]
    _symlink(link, outside if records == "records" else tmp_path)
    if records != "records":
        (tmp_path / "records").symlink_to(outside)
        _settings(repo, records)
    # Not written, `records` is found at the top of itsm.yaml.
    line = 1 if records == "records" else len((repo / "itsm.yaml").read_text().splitlines())

    for args in (("validate",), ("new", "service", "x", "--name", "X", "--owner", "ops")):
        result = run_itsm(*args, cwd=repo)
        assert result.code == 2, result.stdout + result.stderr
        column = 1 if records == "records" else 10
        assert result.stderr.rstrip("\n").endswith(
            f"itsm.yaml:{line}:{column}: the records folder '{records}' is or goes through a "
            f"symbolic link ({records.partition('/')[0]}): records are read and written only "
            "inside the repository, make it a real folder")
    assert sorted(p.name for p in (outside / "services").iterdir()) == ["api.yaml", "web.yaml"]


def test_itsm_new_does_not_write_through_a_linked_kind_folder(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    (repo / "records/teams").rename(outside)
    _symlink(repo / "records/teams", outside)

    result = run_itsm("new", "team", "night-shift", "--name", "Night shift", cwd=repo)

    assert result.code == 1, result.stdout + result.stderr
    assert result.stderr == (
        "error: records/teams is a symbolic link: itsm new writes only inside the repository, "
        "replace the link with a folder\n")
    assert sorted(p.name for p in outside.iterdir()) == ["ops.yaml"]


def test_records_nested_too_deep_without_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSM_NO_CACHE", "1")
    repo = example_repo(tmp_path / "repo", EXAMPLES / "negative/yaml-too-deep")
    (repo / "records/services/deeper.yaml").write_text(
        "apiVersion: itsm/v1\nkind: Service\nid: deeper\nname: D\nowner: ops\nx: "
        + "[" * 990 + "]" * 990 + "\n")

    result = run_itsm("validate", cwd=repo)

    assert result.code == 1, result.stdout + result.stderr
    assert [line.split(": ")[0] for line in result.lines[:-1]] == [
        "records/services/deeper.yaml:6:67", "records/services/shop.yaml:6:72"]
    assert all(line.endswith("[yaml-depth]") for line in result.lines[:-1])


def test_settings_nested_too_deep_are_refused(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    _settings(repo, "records\nsite: {groups: " + "[" * 990 + "]" * 990 + "}")

    result = run_itsm("validate", cwd=repo)

    assert result.code == 2, result.stdout + result.stderr
    assert "itsm.yaml:" in result.stderr
    assert result.stderr.rstrip("\n").endswith(
        "values nest more than 64 levels deep here: records are a few levels deep, flatten "
        "the data")
