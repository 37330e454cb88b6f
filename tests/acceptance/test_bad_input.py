"""Hostile input that an example folder cannot hold (the overlay copy follows symlinks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import example_repo, run_itsm

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
