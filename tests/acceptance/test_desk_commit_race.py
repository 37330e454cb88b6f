"""`itsm desk intake --commit` that loses the race to another intake on its branch reads
the branch again and makes its change on the new tip: one issue is one record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.git.commit import Branch
from tests.desk_repos import desk_demo, event, intake
from tests.history_repos import git

OPTIONS = ("--commit", "--branch", "desk/issue-41", "--format", "json")


def test_an_intake_that_lost_the_race_finds_the_record_the_other_committed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = desk_demo(tmp_path / "itsm")
    real = Branch.commit
    raced: list[str] = []

    def racing(branch: Branch, *args: Any) -> str:
        if not raced:  # the same issue's other run commits between this one's read and write
            raced.append(real(Branch(demo, "desk/issue-41"), *args))
        return real(branch, *args)

    monkeypatch.setattr(Branch, "commit", racing)
    code, output = intake(demo, event("issues-opened-software-install"), *OPTIONS)
    assert code == 0, output
    said = json.loads(output)
    assert (said["status"], said["commit"]) == ("already", None)
    assert git(demo, "log", "--format=%H %s", "main..desk/issue-41") == (
        f"{raced[0]} itsm desk intake: REQ-0006 from issue #41 (mnowak-nw)")
