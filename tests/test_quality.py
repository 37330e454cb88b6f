"""What CI checks beyond behaviour: lint, strict typing, the layers of the package and
where raw record data may be read, run by the same test command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "itsm_as_code"
# Reading a record's fields by string: `x.data[...]`, `x.data.get(...)`, and `.get("...")`
# or `["..."]` on a name that holds a record (or a raw part of one).
RAW_ACCESS = re.compile(
    r"\.data\[|\.data\.get\("
    r"|\b(?:record|incident|problem|known_error|request|maintenance|service|person|team"
    r"|policy|grant|system|calendar|sla)\.get\(\s*[\"']"
    r"|\brecord\[\s*[\"']"
)
# Where reading the raw data is the job; everywhere else reads the typed model.
RAW_ALLOWED = {
    "model/readers/": "the readers that build the model",
    "model/steps.py": "one lifecycle step on raw data, folded in before the schema check",
    "store/": "the loader: bytes to records",
    "validation/rules/references.py": "a raw-shape rule: must see malformed references",
    "validation/rules/identity.py": "a raw-shape rule: ids and file names of any record",
    "validation/rules/derived.py": "replays the timeline by the raw-data step (model/steps.py)",
    "validation/lifecycle/": "compares a record's raw versions (--base)",
    "history/": "compares a record's raw versions in the git history",
    "authoring/": "writes records",
    "events/incidents.py": "writes incidents",
    "events/ingest.py": "writes incidents",
    "events/sources.py": "alert payloads from monitoring, not records",
    "steps/edits.py": "a problem's move as the edit of its file's fields",
    "steps/show.py": "prints a record's data as it was read",
}


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "itsm_as_code", "tests", "bench"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_hold_and_nothing_imports_in_a_cycle() -> None:
    """The contracts in pyproject.toml ([tool.importlinter])."""
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def raw_record_access(package: Path) -> list[str]:
    """`path:line: text` of each line outside RAW_ALLOWED that reads a record's raw data."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if any(relative.startswith(allowed) for allowed in RAW_ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if RAW_ACCESS.search(code):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_the_raw_access_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store/loader.py").write_text('kind = record.data["kind"]\n')
    (tmp_path / "report.py").write_text(
        'a = record.get("status")\nb = incident.data.get("id")\nc = policy.get(\'grants\')\n'
        'd = record["id"]\ne = model.incidents.get(key)\n# record.get("status")\n')
    assert raw_record_access(tmp_path) == [
        'report.py:1: a = record.get("status")', 'report.py:2: b = incident.data.get("id")',
        "report.py:3: c = policy.get('grants')", 'report.py:4: d = record["id"]',
    ]


def test_records_are_read_through_the_model() -> None:
    """Outside the loader, the model's readers and the rules that must see malformed data,
    no code reads `record.data` by string: it reads the typed model (model/types/)."""
    assert [allowed for allowed in RAW_ALLOWED if not (PACKAGE / allowed).exists()] == []
    assert raw_record_access(PACKAGE) == []


@pytest.mark.skipif(sys.platform != "linux", reason="actionlint ships as a Linux wheel only")
def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    from tests.helpers import run_itsm

    assert run_itsm("init", "fresh", cwd=tmp_path).code == 0
    workflows = [*sorted((ROOT / ".github/workflows").glob("*.yml")),
                 tmp_path / "fresh/.github/workflows/validate.yml"]
    result = subprocess.run([_tool("actionlint"), *map(str, workflows)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
