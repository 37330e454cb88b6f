"""Commits on a branch without a checkout, and the compare-and-swap that guards them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pygit2
import pytest
from pygit2.enums import ConfigLevel

from itsm_as_code.git.commit import Branch, Identity, RefMoved, bot_identity
from itsm_as_code.git.errors import CheckedOutBranch, InvalidBranchName, NoAuthor, NoCommits
from tests.helpers import DEMO, copy_demo, run_itsm

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
    with pytest.raises(NoCommits) as raised:
        Branch(tmp_path, "events/a")
    assert (raised.value.needs, raised.value.ref) == ("--commit", None)


def test_a_branch_must_be_valid_and_not_the_checked_out_one(repo: pygit2.Repository) -> None:
    with pytest.raises(InvalidBranchName) as invalid:
        Branch(Path(repo.workdir), "a..b")
    assert (invalid.value.needs, invalid.value.name) == ("--commit", "a..b")
    with pytest.raises(CheckedOutBranch) as current:
        Branch(Path(repo.workdir), "main", "--into")
    assert (current.value.needs, current.value.name) == ("--into", "main")


# -- what people read: the command line words the typed errors -------------------------

ALERT = str(DEMO / "examples/alerts/firing-critical.json")
COMMIT = ("--commit", "--branch", "events/a", "--now", "2026-11-24T09:15:00Z")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of the demo in a git repository without commits."""
    root = copy_demo(tmp_path / "demo")
    pygit2.init_repository(str(root), initial_head="main")
    return root


def _commit_all(root: Path) -> None:
    git = pygit2.Repository(str(root))
    git.index.add_all()
    git.index.write()
    git.create_commit("HEAD", SIGNATURE, SIGNATURE, "demo", git.index.write_tree(), [])


def test_the_command_line_says_there_is_nothing_to_branch_from(demo: Path) -> None:
    result = run_itsm("event", "ingest", ALERT, *COMMIT, cwd=demo)
    assert (result.code, result.stderr) == (
        2, "error: --commit: the git repository has no commits yet; commit the records first\n")


@pytest.fixture
def no_git_config(tmp_path: Path) -> Iterator[None]:
    """No git configuration of this machine is read: nobody is configured anywhere."""
    levels = (ConfigLevel.SYSTEM, ConfigLevel.XDG, ConfigLevel.GLOBAL)
    before = {level: pygit2.settings.search_path[level] for level in levels}
    nowhere = tmp_path / "no-config"
    nowhere.mkdir()
    try:
        for level in levels:
            pygit2.settings.search_path[level] = str(nowhere)
        yield
    finally:
        for level, path in before.items():
            pygit2.settings.search_path[level] = path


@pytest.mark.usefixtures("no_git_config")
def test_the_command_line_asks_for_an_author(demo: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _commit_all(demo)
    monkeypatch.delenv("ITSM_BOT_NAME", raising=False)
    monkeypatch.delenv("ITSM_BOT_EMAIL", raising=False)
    with pytest.raises(NoAuthor):
        Branch(demo, "events/a").commit({"a.yaml": "a: 1\n"}, "m", None, NOW)
    result = run_itsm("event", "ingest", ALERT, *COMMIT, cwd=demo)
    assert (result.code, result.stderr) == (
        2, "error: --commit needs an author: set ITSM_BOT_NAME and ITSM_BOT_EMAIL, or git "
           "config user.name and user.email\n")


def test_the_command_line_gives_up_on_a_branch_that_keeps_moving(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _commit_all(demo)
    monkeypatch.setenv("ITSM_BOT_NAME", "itsm bot")
    monkeypatch.setenv("ITSM_BOT_EMAIL", "bot@example.com")
    attempts: list[str] = []

    def moving(branch: Branch, *args: object) -> str:
        attempts.append(branch.name)
        raise RefMoved("--commit", branch.name)

    monkeypatch.setattr(Branch, "commit", moving)
    result = run_itsm("event", "ingest", ALERT, *COMMIT, cwd=demo)
    assert (result.code, result.stderr) == (
        2, "error: --commit: the branch events/a moved 5 times while the alerts were ingested; "
           "nothing was committed: run the ingest again\n")
    assert attempts == ["events/a"] * 5
    assert "refs/heads/events/a" not in pygit2.Repository(str(demo)).references
