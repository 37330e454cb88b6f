"""Valid means works, as a property: for every generated repository that `itsm validate`
accepts, every command finishes without an internal error and leaves no record out; for
every one it refuses, every finding names a file (see tests/fuzz_repos.py).

In the test suite the budget is a few examples (derandomized in CI, so a run is the same
on every machine, and not shrunk); `ITSM_FUZZ_EXAMPLES` raises it and `ITSM_FUZZ_SHRINK=1`
shrinks what fails (the scheduled `fuzz.yml` does both). A
failure found becomes a folder under examples/fuzz/ (its files, and `zone.txt` when the
time zone is not the demo's), which the second test checks on every run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings

from tests.conftest import in_ci
from tests.fuzz_repos import Mutation, check, mutations

EXAMPLES = Path(__file__).parent / "examples" / "fuzz"


@settings(max_examples=int(os.environ.get("ITSM_FUZZ_EXAMPLES", "3")), deadline=None,
          derandomize=in_ci() and "ITSM_FUZZ_EXAMPLES" not in os.environ, database=None,
          # Shrinking a repository takes minutes: only the scheduled run spends them.
          phases=list(Phase) if os.environ.get("ITSM_FUZZ_SHRINK") else [
              Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(mutations())
def test_a_repository_validate_accepts_works_everywhere(mutation: Mutation) -> None:
    with tempfile.TemporaryDirectory(prefix="itsm-fuzz-") as folder:
        accepted, problems = check(mutation.apply(Path(folder) / "repo"), mutation.added)
    event("validate accepts" if accepted else "validate refuses")
    if problems:
        found = Path(os.environ.get("ITSM_FUZZ_FOUND") or tempfile.mkdtemp(prefix="itsm-found-"))
        saved = mutation.save(found / hashlib.sha256(repr(mutation).encode()).hexdigest()[:12])
        pytest.fail(f"{problems}\nthe repository's files are in {saved}: copy the folder to "
                    f"{EXAMPLES} to keep it as a regression example", pytrace=False)


@pytest.mark.parametrize("case", sorted(path.name for path in EXAMPLES.iterdir()))
def test_what_the_fuzzer_found_stays_fixed(case: str, tmp_path: Path) -> None:
    folder = EXAMPLES / case
    zone = folder / "zone.txt"
    files = {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
             for path in sorted(folder.rglob("*.yaml"))}
    added = tuple(Path(path).stem for path in files if path.startswith("records/incidents/fuzz/"))
    mutation = Mutation(files, zone.read_text().strip() if zone.exists() else "Europe/Berlin",
                        added)
    assert check(mutation.apply(tmp_path / "repo"), added)[1] == []
