"""The work tree's lock: one writer at a time, a clear message when one waits too long."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from itsm_as_code.errors import RecordError
from itsm_as_code.worklock import lock_path, work_tree_lock


def test_the_lock_is_in_git_when_there_is_git(tmp_path: Path) -> None:
    assert lock_path(tmp_path) == tmp_path / ".itsm.lock"
    (tmp_path / ".git").mkdir()
    assert lock_path(tmp_path) == tmp_path / ".git/itsm/work-tree.lock"


def test_a_holder_that_takes_too_long_is_named_and_nothing_waits_for_ever(
        tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    # A second open file description: flock conflicts as with another process.
    with work_tree_lock(tmp_path), pytest.raises(RecordError) as refused, \
            work_tree_lock(tmp_path, wait=0.1):
        pass
    assert str(refused.value) == (
        ".git/itsm/work-tree.lock: another itsm command has been writing to this work tree "
        "for more than 0.1 s (it holds this lock); nothing was written: run this one again "
        "when it has finished")
    with work_tree_lock(tmp_path, wait=0):  # released on leaving the block
        pass


def test_a_symbolic_link_at_the_lock_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    (tmp_path / ".itsm.lock").symlink_to(target)
    with pytest.raises(RecordError, match=r"^\.itsm\.lock: cannot open the lock file"), \
            work_tree_lock(tmp_path):
        pass
    assert target.read_text() == "keep"


def test_the_lock_is_an_flock(tmp_path: Path) -> None:
    with work_tree_lock(tmp_path):
        handle = os.open(tmp_path / ".itsm.lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(handle)
