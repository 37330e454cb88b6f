"""Commits on a branch without a checkout, and the compare-and-swap that guards them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pygit2
import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.git.commit import Branch, Identity, RefMoved, bot_identity

SIGNATURE = pygit2.Signature("Ada Example", "ada@example.com", 1_790_000_000, 0)
BOT = Identity("itsm bot", "bot@example.com")
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=timezone.utc)


@pytest.fixture
def repo(tmp_path: Path) -> pygit2.Repository:
    """A repository whose ITSM folder is `itsm/`, one commit on main."""
    repo = pygit2.init_repository(str(tmp_path), initial_head="main")
    folder = tmp_path / "itsm/records/incidents/2026/10"
    folder.mkdir(parents=True)
    (folder / "INC-0001.yaml").write_text("id: INC-0001\n")
    (tmp_path / "itsm/records/.hidden.yaml").write_text("x: 1\n")
    (tmp_path / "README.md").write_text("hello\n")
    repo.index.add_all()
    repo.index.write()
    repo.create_commit("HEAD", SIGNATURE, SIGNATURE, "first", repo.index.write_tree(), [])
    return repo


def test_a_new_branch_starts_at_head_and_gets_the_files(repo: pygit2.Repository) -> None:
    root = Path(repo.workdir) / "itsm"
    branch = Branch(root, "events/a")
    assert branch.tip is None
    assert branch.paths("records") == ["records/incidents/2026/10/INC-0001.yaml"]
    assert branch.read("records/incidents/2026/10/INC-0001.yaml") == b"id: INC-0001\n"
    oid = branch.commit({"records/incidents/2026/11/INC-0002.yaml": "id: INC-0002\n",
                         "records/incidents/2026/10/INC-0001.yaml": "id: INC-0001\nx: 2\n"},
                        "ingest", BOT, NOW)
    commit = repo.revparse_single("events/a").peel(pygit2.Commit)
    assert str(commit.id) == oid
    assert commit.parents[0].id == repo.head.target
    assert (commit.author.name, commit.author.time, commit.committer.email) == (
        "itsm bot", int(NOW.timestamp()), "bot@example.com")
    tree = commit.tree
    assert sorted(Branch(root, "events/a").paths("records/incidents")) == [
        "records/incidents/2026/10/INC-0001.yaml", "records/incidents/2026/11/INC-0002.yaml"]
    assert "README.md" in tree
    assert repo.head.name == "refs/heads/main"
    assert repo.status() == {}


def test_a_stale_read_is_refused_not_overwritten(repo: pygit2.Repository) -> None:
    root = Path(repo.workdir) / "itsm"
    Branch(root, "events/a").commit({"records/a.yaml": "a: 1\n"}, "one", BOT, NOW)
    stale, fresh = Branch(root, "events/a"), Branch(root, "events/a")
    moved_to = fresh.commit({"records/b.yaml": "b: 1\n"}, "two", BOT, NOW)
    with pytest.raises(RefMoved):
        stale.commit({"records/c.yaml": "c: 1\n"}, "three", BOT, NOW)
    assert str(repo.references["refs/heads/events/a"].target) == moved_to
    # Two first commits racing for a branch that did not exist: the second loses.
    first, second = Branch(root, "events/b"), Branch(root, "events/b")
    first.commit({"records/a.yaml": "a: 1\n"}, "one", BOT, NOW)
    with pytest.raises(RefMoved):
        second.commit({"records/a.yaml": "a: 2\n"}, "two", BOT, NOW)


def test_the_author_comes_from_the_environment_or_git_config(repo: pygit2.Repository,
                                                             ) -> None:
    assert bot_identity({"ITSM_BOT_NAME": "bot", "ITSM_BOT_EMAIL": "b@x"}) == Identity(
        "bot", "b@x")
    assert bot_identity({"ITSM_BOT_NAME": "bot"}) is None
    repo.config["user.name"] = "Local Name"
    repo.config["user.email"] = "local@example.com"
    Branch(Path(repo.workdir), "events/a").commit({"a.yaml": "a: 1\n"}, "m", None, NOW)
    author = repo.revparse_single("events/a").peel(pygit2.Commit).author
    assert (author.name, author.email) == ("Local Name", "local@example.com")


def test_an_empty_repository_has_nothing_to_branch_from(tmp_path: Path) -> None:
    pygit2.init_repository(str(tmp_path), initial_head="main")
    with pytest.raises(UsageError, match=r"^--commit: the git repository has no commits yet"):
        Branch(tmp_path, "events/a")
