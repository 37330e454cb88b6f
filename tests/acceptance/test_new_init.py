"""`itsm init` makes repositories and `itsm new` makes records that validate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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
    "policy": ["db-writers", "--system", "db", "--role", "writers", "--owner", "ada"],
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return example_repo(tmp_path / "repo")


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
    before = sorted(repo.rglob("*"))
    result = run_itsm("new", "incident", "--title", "X", "--service", "wbe", cwd=repo)
    assert result.code == 1
    assert "services[0].id: no Service with id 'wbe': did you mean 'web'?" in result.stderr
    assert sorted(repo.rglob("*")) == before


def test_a_taken_id_is_refused(repo: Path) -> None:
    result = run_itsm("new", "person", "ada", "--name", "A", "--email", "a@b.c", cwd=repo)
    assert result.code == 2
    assert "the id 'ada' is already used by records/people/ada.yaml" in result.stderr


def test_a_naive_timestamp_option_is_a_usage_error(repo: Path) -> None:
    result = run_itsm("new", "problem", "--title", "X", "--at", "2026-11-22T10:00:00",
                      cwd=repo)
    assert result.code == 2
    assert "is not an RFC 3339 timestamp with an offset" in result.stderr


def test_init_makes_a_repository_that_validates(tmp_path: Path) -> None:
    result = run_itsm("init", "acme", "--organization", 'Acme: "Shop" #1', cwd=tmp_path)
    assert result.code == 0, result.stderr
    root = tmp_path / "acme"
    assert (root / ".git").is_dir()
    for path in ("itsm.yaml", ".github/workflows/validate.yml", ".pre-commit-config.yaml",
                 "records/incidents/.gitkeep", "schemas/incident.schema.json"):
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
