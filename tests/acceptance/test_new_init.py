"""`itsm init` makes repositories and `itsm new` makes records that validate."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pygit2
import pytest
from pygit2.enums import ConfigLevel

from itsm_as_code.authoring.init import DEFAULT_ACTION
from tests.helpers import NOW_TEXT, example_repo, run_itsm

AT = ["--at", NOW_TEXT]
NEW = {
    "incident": ["--title", "Website slow", "--service", "web:degraded_performance",
                 "--impact", "high", "--urgency", "high", "--message", "Looking into it.", *AT],
    "problem": ["--title", "Slow pages", "--incident", "INC-0001", *AT],
    "known-error": ["--title", "Cache misses", "--symptoms", "Slow pages", "--workaround",
                    "Warm the cache", "--match", "slow|timeout", "--service", "web", *AT],
    "request": ["--title", "Read access", "--service", "web", "--requested-by", "ben", *AT],
    "maintenance": ["--title", "Upgrade", "--service", "api", "--start",
                    "2026-12-01T10:00:00Z", "--end", "2026-12-01T11:00:00Z"],
    "service": ["shop", "--name", "Shop", "--owner", "ops", "--sla", "standard"],
    "team": ["sre", "--name", "SRE", "--member", "ada"],
    "person": ["dana", "--name", "Dana Lee", "--email", "dana@example.com"],
    "calendar": ["weekdays", "--timezone", "Europe/Berlin", "--holiday", "2026-12-25"],
    "sla": ["basic", "--name", "Basic", "--target", "P1=30m/8h", "--target", "P3=-/5d",
            "--calendar", "office", "--pause-on", "on_hold"],
    "system": ["ldap", "--provider", "ldap", "--connection", "url_env=LDAP_URL"],
    "channel": ["ops-hook", "--type", "webhook", "--audience", "internal", "--url-env",
                "OPS_WEBHOOK_URL", "--secret-env", "OPS_WEBHOOK_SECRET"],
    "policy": ["db-writers", "--system", "db", "--role", "writers", "--owner", "ada"],
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return example_repo(tmp_path / "repo")


def files(repo: Path) -> list[Path]:
    """Every path in the repository but the work tree's lock, which `itsm new` holds (in
    `.git/itsm/` in a git repository, in the root of one without git)."""
    return sorted(path for path in repo.rglob("*") if path.name != ".itsm.lock")


@pytest.mark.parametrize("kind", NEW)
def test_new_record_validates_and_points_editors_at_its_schema(kind: str, repo: Path) -> None:
    result = run_itsm("new", kind, *NEW[kind], cwd=repo)
    assert result.code == 0, result.stderr
    created = repo / result.stdout.split(": ", 1)[1].strip()
    first = created.read_text().splitlines()[0]
    hint = re.fullmatch(r"# yaml-language-server: \$schema=(.+)", first)
    assert hint is not None
    assert (created.parent / hint.group(1)).resolve() == (
        repo / "schemas" / hint.group(1).rsplit("/", 1)[1]
    ).resolve()
    assert run_itsm("validate", cwd=repo).code == 0


def test_new_incident_fills_in_priority_team_and_first_update(repo: Path) -> None:
    result = run_itsm("new", "incident", *NEW["incident"], cwd=repo)
    assert result.stdout == "created INC-0002: records/incidents/2026/11/INC-0002.yaml\n"
    text = (repo / "records/incidents/2026/11/INC-0002.yaml").read_text()
    assert "\npriority: P1\nstatus: investigating\n" in text
    assert "\nteam: ops\n" in text
    assert f"opened_at: {NOW_TEXT}\n" in text


def test_ids_are_fresh(repo: Path) -> None:
    for expected in ("PRB-0001", "PRB-0002"):
        result = run_itsm("new", "problem", "--title", "Something", *AT, cwd=repo)
        assert result.stdout.startswith(f"created {expected}: ")


def test_an_invalid_new_record_is_not_written(repo: Path) -> None:
    before = files(repo)
    result = run_itsm("new", "incident", "--title", "X", "--service", "wbe", cwd=repo)
    assert result.code == 1
    assert "services[0].id: no Service with id 'wbe': did you mean 'web'?" in result.stderr
    assert files(repo) == before


def test_a_taken_id_is_refused(repo: Path) -> None:
    result = run_itsm("new", "person", "ada", "--name", "A", "--email", "a@b.c", cwd=repo)
    assert result.code == 2
    assert "the id 'ada' is already used by records/people/ada.yaml" in result.stderr


@pytest.mark.parametrize("record_id", ["/tmp/shop", "../shop", "a/b", "shop\u202etxt.exe"])
def test_an_id_that_is_no_file_name_is_a_usage_error(repo: Path, record_id: str) -> None:
    before = files(repo)
    result = run_itsm("new", "service", record_id, "--name", "Shop", "--owner", "ops",
                      cwd=repo)
    shown = record_id.replace("\u202e", "\\u202e")
    assert (result.code, result.stderr) == (2, (
        f"error: the id '{shown}' cannot be used: A record id: letters, digits, `.`, `_` and "
        "`-`, starting with a letter or digit, at most 64 characters.\n"))
    assert files(repo) == before


def test_a_local_time_option_is_written_with_the_offset_in_force(repo: Path) -> None:
    result = run_itsm("new", "problem", "--title", "X", "--at", "2026-07-22 10:00", cwd=repo)
    assert result.stdout == "created PRB-0001: records/problems/PRB-0001.yaml\n"
    text = (repo / "records/problems/PRB-0001.yaml").read_text()
    assert "opened_at: 2026-07-22T10:00:00+02:00\n" in text
    assert run_itsm("validate", cwd=repo).code == 0


def test_an_unreadable_time_option_is_a_usage_error(repo: Path) -> None:
    result = run_itsm("new", "problem", "--title", "X", "--at", "yesterday", cwd=repo)
    assert result.code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--at': 'yesterday' is not a time: give an RFC 3339 "
        "timestamp (2026-12-06T04:40:00+01:00), a date and time in Europe/Berlin "
        "(2026-12-06 04:40), a time today (04:40) or a time ago (-15m, -2h, -1d)")


def test_init_makes_a_repository_that_validates(tmp_path: Path) -> None:
    result = run_itsm("init", "acme", "--organization", 'Acme: "Shop" #1', cwd=tmp_path)
    assert result.code == 0, result.stderr
    root = tmp_path / "acme"
    assert (root / ".git").is_dir()
    for path in ("itsm.yaml", ".github/workflows/validate.yml", ".pre-commit-config.yaml",
                 ".gitignore", "README.md", "records/incidents/.gitkeep",
                 "schemas/incident.schema.json"):
        assert (root / path).is_file(), path
    assert run_itsm("validate", cwd=root).stdout == "ok: 0 records valid\n"
    assert run_itsm("new", "team", "ops", "--name", "Ops", cwd=root).code == 0
    assert run_itsm("validate", cwd=root).stdout == "ok: 1 records valid\n"


def test_init_inside_a_git_repository_makes_no_new_one(tmp_path: Path) -> None:
    assert run_itsm("init", "outer", cwd=tmp_path).code == 0
    assert run_itsm("init", "outer/inner", cwd=tmp_path).code == 0
    assert not (tmp_path / "outer/inner/.git").exists()


def test_init_refuses_an_existing_repository(tmp_path: Path) -> None:
    assert run_itsm("init", "acme", cwd=tmp_path).code == 0
    result = run_itsm("init", "acme", cwd=tmp_path)
    assert result.code == 2
    assert "already exists: this is an ITSM repository" in result.stderr


def test_init_commits_everything_it_wrote_as_the_configured_user(tmp_path: Path) -> None:
    result = run_itsm("init", "acme", cwd=tmp_path)
    repository = pygit2.Repository(str(tmp_path / "acme"))
    head = repository.head.peel(pygit2.Commit)
    assert result.stdout.splitlines()[0] == (
        f"created an ITSM repository in {tmp_path / 'acme'} (46 files, git repository "
        f"initialised, first commit {str(head.id)[:12]})")
    assert repository.head.shorthand == "main"
    assert (head.author.name, head.author.email) == ("Itsm Tester", "tester@example.com")
    assert head.message == "itsm init: a new ITSM repository"
    assert repository.status() == {}  # nothing left out of the commit
    assert ".github/workflows/sla.yml" in [entry.path for entry in repository.index]
    assert run_itsm("validate", "--base", "main", cwd=tmp_path / "acme").code == 0


def test_init_prints_the_action_and_next_steps_in_an_order_that_works(tmp_path: Path) -> None:
    lines = run_itsm("init", "acme", cwd=tmp_path).stdout.splitlines()
    assert lines[1] == f"the workflows use the action {DEFAULT_ACTION}"
    steps = [line.strip() for line in lines[3:8]]
    assert [step.split()[:3] for step in steps] == [
        ["itsm", "new", "person"], ["itsm", "new", "team"], ["itsm", "new", "service"],
        ["itsm", "new", "incident"], ["itsm", "validate"]]
    root = tmp_path / "acme"
    for step in steps[:-1]:  # each as printed, in order
        words = re.findall(r'"[^"]*"|\S+', step)[1:]
        result = run_itsm(*[word.strip('"') for word in words], cwd=root)
        assert result.code == 0, (step, result.stderr)
    assert run_itsm("validate", cwd=root).stdout == "ok: 4 records valid\n"
    readme = (root / "README.md").read_text()
    assert all(step in readme for step in steps)
    for setting in ("ITSM_BOT_TOKEN", "Allow GitHub Actions to create and approve pull "
                    "requests", "Settings > Pages > Source: GitHub Actions"):
        assert setting in readme


def test_init_writes_the_action_reference_everywhere(tmp_path: Path) -> None:
    assert run_itsm("init", "acme", "--action", "acme-it/itsm-fork@1a2b3c",
                    cwd=tmp_path).code == 0
    root = tmp_path / "acme"
    assert (root / ".pre-commit-config.yaml").read_text().splitlines()[3:7] == [
        "  - repo: https://github.com/acme-it/itsm-fork", "    rev: 1a2b3c", "    hooks:",
        "      - id: itsm-validate"]
    for path in (root / ".github/workflows").iterdir():
        assert "uses: acme-it/itsm-fork@1a2b3c\n" in path.read_text(), path.name
    result = run_itsm("init", "other", "--action", "not a reference", cwd=tmp_path)
    assert (result.code, result.stderr) == (
        2, f"error: --action 'not a reference' is not OWNER/REPO@REF, such as "
           f"{DEFAULT_ACTION}\n")
    assert not (tmp_path / "other").exists()


def test_init_ignores_the_site_and_local_tools(tmp_path: Path) -> None:
    assert run_itsm("init", "acme", cwd=tmp_path).code == 0
    repository = pygit2.Repository(str(tmp_path / "acme"))
    for path in ("_site/index.html", ".venv/bin/python", "evidence/x.json"):
        assert repository.path_is_ignored(path), path
    assert not repository.path_is_ignored("records/incidents/INC-0001.yaml")


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_init_writes_files_with_the_users_umask(tmp_path: Path, umask: int) -> None:
    before = os.umask(umask)
    try:
        assert run_itsm("init", "acme", cwd=tmp_path).code == 0
    finally:
        os.umask(before)
    root = tmp_path / "acme"
    written = [path for path in root.rglob("*") if ".git" not in path.relative_to(root).parts]
    modes = {stat.S_IMODE(path.stat().st_mode) for path in written if path.is_file()}
    folders = {stat.S_IMODE(path.stat().st_mode) for path in written if path.is_dir()}
    assert modes == {0o666 & ~umask}
    assert folders == {0o777 & ~umask}


@pytest.fixture
def nobody_configured(tmp_path: Path) -> Iterator[None]:
    levels = (ConfigLevel.SYSTEM, ConfigLevel.XDG, ConfigLevel.GLOBAL)
    before = {level: pygit2.settings.search_path[level] for level in levels}
    (tmp_path / "empty").mkdir()
    try:
        for level in levels:
            pygit2.settings.search_path[level] = str(tmp_path / "empty")
        yield
    finally:
        for level, path in before.items():
            pygit2.settings.search_path[level] = path


@pytest.mark.usefixtures("nobody_configured")
def test_init_without_a_git_identity_says_what_to_set_and_writes_nothing(
        tmp_path: Path) -> None:
    result = run_itsm("init", "acme", cwd=tmp_path)
    assert (result.code, result.stderr) == (
        2, 'error: itsm init makes a first commit, but git does not know who you are: run '
           '`git config --global user.name "Your Name"` and `git config --global user.email '
           'you@example.com`, then try again\n')
    assert not (tmp_path / "acme").exists()
