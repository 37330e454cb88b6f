"""A run of `itsm validate` in which nothing changed gives the findings of the last one
without loading a record, and they are exactly those of a run without any cache: on the
demo, on every example repository, after an edit, and as the run's now moves past a time
written in the future."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itsm_as_code.model import model
from tests.helpers import EXAMPLES, NOW_TEXT, copy_demo, example_repo, run_itsm

CASES = sorted(case for group in ("positive", "negative", "fuzz")
               for case in (EXAMPLES / group).iterdir() if case.is_dir())


def cold(repo: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The output of a run with every cache off."""
    with monkeypatch.context() as patch:
        patch.setenv("ITSM_NO_CACHE", "1")
        result = run_itsm("validate", "--format", "json", *args, cwd=repo)
    return result.code, result.stdout


def kept(repo: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The output of a run that must not load the records: answered from the kept result."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the records were loaded")

    with monkeypatch.context() as patch:
        patch.setattr(model, "load_repository", refuse)  # where the records are loaded
        result = run_itsm("validate", "--format", "json", *args, cwd=repo)
    assert "the records were loaded" not in result.stdout + result.stderr
    return result.code, result.stdout


def warm(repo: Path, *args: str) -> tuple[int, str]:
    result = run_itsm("validate", "--format", "json", *args, cwd=repo)
    return result.code, result.stdout


def test_the_demo_validates_alike_cold_and_kept(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    repo = copy_demo(tmp_path / "demo")
    now = f"--now={NOW_TEXT}"
    expected = cold(repo, now, monkeypatch=monkeypatch)
    assert warm(repo, now) == expected
    assert kept(repo, now, monkeypatch=monkeypatch) == expected
    assert kept(repo, now, "records/incidents", monkeypatch=monkeypatch) == cold(
        repo, now, "records/incidents", monkeypatch=monkeypatch)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_every_example_validates_alike_cold_and_kept(case: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path / "repo", case)
    expected = cold(repo, monkeypatch=monkeypatch)
    assert warm(repo) == expected
    assert kept(repo, monkeypatch=monkeypatch) == expected


def test_an_edit_is_seen_at_once_even_of_the_same_size(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path / "repo")
    incident = repo / "records/incidents/INC-0001.yaml"
    assert warm(repo) == cold(repo, monkeypatch=monkeypatch)
    assert kept(repo, monkeypatch=monkeypatch)[0] == 0
    # The same number of bytes, written within the same second: a reference gone wrong.
    text = incident.read_text(encoding="utf-8")
    incident.write_text(text.replace("assignee: ada", "assignee: adb"), encoding="utf-8")
    changed = warm(repo)
    assert changed == cold(repo, monkeypatch=monkeypatch)
    assert changed[0] == 1 and "no Person with id 'adb'" in changed[1]
    incident.write_text(text, encoding="utf-8")
    assert warm(repo) == cold(repo, monkeypatch=monkeypatch)


def test_an_edit_to_an_old_file_is_seen(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path / "repo")
    person = repo / "records/people/ben.yaml"
    # Files written long ago: their content keys come from their status alone.
    for path in (repo / "records").rglob("*.yaml"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    warm(repo)
    assert kept(repo, monkeypatch=monkeypatch)[0] == 0
    text = person.read_text(encoding="utf-8")
    person.write_text(text.replace("kind: Person", "kind: Persom"), encoding="utf-8")
    os.utime(person, (1_700_000_000, 1_700_000_000))  # even with its old times put back
    changed = warm(repo)
    assert changed[0] == 1 and changed == cold(repo, monkeypatch=monkeypatch)


def test_a_new_file_and_a_removed_one_are_seen(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path / "repo")
    warm(repo)
    (repo / "records/people/ben.yaml").rename(repo / "records/people/.ben.yaml")
    assert warm(repo) == cold(repo, monkeypatch=monkeypatch)
    (repo / "records/people/.ben.yaml").rename(repo / "records/people/ben.yaml")
    (repo / "records/people/stray.yaml").write_text("kind: Person\n", encoding="utf-8")
    assert warm(repo) == cold(repo, monkeypatch=monkeypatch)


def test_a_time_in_the_future_is_judged_at_each_runs_now(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo = example_repo(tmp_path / "repo")
    incident = repo / "records/incidents/INC-0001.yaml"
    incident.write_text(incident.read_text(encoding="utf-8").replace(
        "opened_at: 2026-11-02T09:14:00+01:00", "opened_at: 2025-11-02T09:14:00+01:00").replace(
        "  - at: 2026-11-02T10:02:00+01:00", "  - at: 2027-11-02T10:02:00+01:00"),
        encoding="utf-8")
    nows = ("2026-11-22T10:00:00+01:00",  # the entry is in the future
            "2027-01-05T08:00:00Z",  # still is: the kept result, with this now in its message
            "2027-11-02T10:00:00+01:00",  # 2 minutes before it: within the tolerance
            "2026-11-22T10:00:00+01:00")  # back again
    first = warm(repo, f"--now={nows[0]}")
    assert first == cold(repo, f"--now={nows[0]}", monkeypatch=monkeypatch)
    assert first[0] == 1 and "later than now (2026-11-22" in first[1]
    second = kept(repo, f"--now={nows[1]}", monkeypatch=monkeypatch)
    assert second == cold(repo, f"--now={nows[1]}", monkeypatch=monkeypatch)
    assert "later than now (2027-01-05" in second[1]
    passed = warm(repo, f"--now={nows[2]}")
    assert passed == cold(repo, f"--now={nows[2]}", monkeypatch=monkeypatch)
    assert "later than now" not in passed[1]
    assert warm(repo, f"--now={nows[3]}") == first


def test_a_damaged_or_forged_result_is_not_read(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ITSM_CACHE_DIR", str(cache))
    repo = example_repo(tmp_path / "repo", EXAMPLES / "negative" / "reference-missing")
    expected = cold(repo, monkeypatch=monkeypatch)
    warm(repo)
    (kept_file,) = cache.glob("results-*.json")
    header, signature, body = kept_file.read_bytes().split(b"\n", 2)
    kept_file.write_bytes(b"\n".join([header, signature, body.replace(b'"error"', b'"notice"')]))
    assert warm(repo) == expected
