"""Example repositories: every `positive/` case validates, every `negative/` case fails
with exactly the findings in its `expected.txt`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, example_repo, run_itsm

POSITIVE = sorted(p for p in (EXAMPLES / "positive").iterdir() if p.is_dir())
NEGATIVE = sorted(p for p in (EXAMPLES / "negative").iterdir() if p.is_dir())


def test_base_is_valid(tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=example_repo(tmp_path / "repo"))
    assert (result.code, result.stdout) == (0, "ok: 11 records valid\n")


@pytest.mark.parametrize("case", POSITIVE, ids=[p.name for p in POSITIVE])
def test_positive(case: Path, tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=example_repo(tmp_path / "repo", case))
    assert result.code == 0, result.stdout
    assert result.stdout.startswith("ok: ")


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative(case: Path, tmp_path: Path) -> None:
    result = run_itsm("validate", cwd=example_repo(tmp_path / "repo", case))
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1, result.stdout + result.stderr
    assert result.lines[:-1] == expected
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(("written", "zone", "suggested"), [
    ("2026-12-06 04:40", "Europe/Berlin", "2026-12-06T04:40:00+01:00"),
    ("2027-07-06T04:40", "Europe/Berlin", "2027-07-06T04:40:00+02:00"),
    ("2026-11-03T08:00:00.5", "Europe/Berlin", "2026-11-03T08:00:00+01:00"),
    ("2027-03-28 02:30", "Europe/Berlin", "2027-03-28T03:30:00+02:00"),  # skipped: after
    ("2026-12-06 04:40", None, "2026-12-06T04:40:00Z"),  # no time zone set: UTC
    ("2026-12-06T04:40+01:00", "Europe/Berlin", "2026-12-06T04:40:00+01:00"),  # no seconds
])
def test_a_timestamp_finding_suggests_a_correction_that_validates(
        written: str, zone: str | None, suggested: str, tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    config = repo / "itsm.yaml"
    text = config.read_text(encoding="utf-8").replace("timezone: Europe/Berlin\n", "")
    config.write_text(text + (f"timezone: {zone}\n" if zone else ""), encoding="utf-8")
    incident = repo / "records/incidents/INC-0001.yaml"
    good = incident.read_text(encoding="utf-8")
    incident.write_text(good.replace("resolved_at: 2026-11-02T10:02:00+01:00",
                                     f"resolved_at: '{written}'"), encoding="utf-8")
    # Some suggestions lie in 2027: checked as of a later now, so none is in the future.
    later = "--now=2028-01-01T00:00:00Z"
    refused = run_itsm("validate", later, cwd=repo)
    assert refused.code == 1
    assert f"such as {suggested}" in refused.lines[0], refused.lines[0]
    # The timeline's resolving entry is moved to the suggested time too, so the record
    # also agrees with itself; the suggestion alone is what is checked here.
    incident.write_text(good.replace("2026-11-02T10:02:00+01:00", suggested), encoding="utf-8")
    assert run_itsm("validate", later, cwd=repo).stdout.startswith("ok: ")
