"""One loop for every change committed on a branch: read, change, compare-and-swap, and
on a lost race read the new tip and make the change again."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from itsm_as_code.git.commit import Branch, Identity, RefMoved
from itsm_as_code.git.onbranch import Change, Target, commit_on_branch
from tests.unit.test_events_commit import NOW, repo  # noqa: F401  (a fixture)

TARGET = Target("state/a", Identity("itsm bot", "bot@example.com"))


def counted(branch: Branch) -> Change[int]:
    """One more than the count the branch holds: lost if another run counted meanwhile."""
    found = branch.find("records/count.txt")
    count = int(found) + 1 if found is not None else 1
    return Change(count, {"records/count.txt": f"{count}\n"}, f"count {count}")


def test_a_change_that_lost_the_race_is_made_again_on_the_new_tip(
        repo: pygit2.Repository, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    root = Path(repo.workdir) / "itsm"
    first = commit_on_branch(root, TARGET, NOW, counted, action="test")
    assert (first.value, first.attempts) == (1, 1)
    real, raced, paused = Branch.commit, [], []

    def racing(branch: Branch, *args: object) -> str:
        if not raced:  # another run lands between this one's read and its commit
            raced.append(real(Branch(root, "state/a"), {"records/count.txt": "2\n"},
                              "count 2", None, NOW))
        return real(branch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Branch, "commit", racing)
    second = commit_on_branch(root, TARGET, NOW, counted, action="test", pause=paused.append)
    assert (second.value, second.attempts, paused) == (3, 2, [1])
    tip = repo.revparse_single("state/a").peel(pygit2.Commit)
    assert (str(tip.id), tip.message, tip.parents[0].message) == (
        second.commit, "count 3", "count 2")


def test_nothing_to_commit_makes_no_commit(repo: pygit2.Repository) -> None:  # noqa: F811
    root = Path(repo.workdir) / "itsm"
    done = commit_on_branch(root, TARGET, NOW, lambda _: Change("same", {}), action="test")
    assert (done.value, done.commit, done.attempts) == ("same", None, 1)
    assert "refs/heads/state/a" not in repo.references


def test_every_attempt_lost_is_refused(repo: pygit2.Repository,  # noqa: F811
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(repo.workdir) / "itsm"

    def lost(branch: Branch, *args: object) -> str:
        raise RefMoved("--commit", branch.name)

    monkeypatch.setattr(Branch, "commit", lost)
    paused: list[int] = []
    with pytest.raises(RefMoved) as raised:
        commit_on_branch(root, TARGET, NOW, counted, action="test", attempts=3,
                         pause=paused.append)
    assert (raised.value.args, paused) == (("--commit", "state/a", 3), [1, 2, 3])
