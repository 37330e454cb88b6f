"""The fast record path changes no finding: every example repository (positive, negative,
fuzz, site) validates to the same output with the compiled parser as with the careful
loader alone, every record file of the examples and the demo parses to the same data
either way, and hostile texts are declined by the fast path before they can hurt it."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.store import fast, loader
from itsm_as_code.store.loader import Limits, parse_bytes
from itsm_as_code.yamlerrors import YamlProblem
from itsm_as_code.yamlsafe import load
from tests.helpers import DEMO, EXAMPLES, example_repo, run_itsm

pytestmark = pytest.mark.skipif(not fast.available(), reason="no compiled parser here")

CASES = sorted(case for group in ("positive", "negative", "fuzz", "site")
               for case in (EXAMPLES / group).iterdir() if case.is_dir())
FILES = sorted(path for root in (EXAMPLES, DEMO / "records")
               for path in root.rglob("*") if path.suffix in (".yaml", ".yml"))
# Texts that must never reach the compiled parser: each is refused by the careful
# loader, and the last two overflow yaml-rs's stack (a crash, not an exception).
HOSTILE = (
    "a: &x [1]\nb: *y\n",
    "a: &x [*x]\n",
    "a: !!python/object/apply:os.system [echo]\n",
    "a: !!binary aGk=\n",
    "<<: {a: 1}\nb: 2\n",
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    "1: a\n",
    "[a]: b\n",
    "? [a]\n: b\n",
    "a: 1234567890123456789\n",
    "a: 1e400\n",
    "a: b\n---\nc: d\n",
    "a: \"\\x01\"\n",
    "a: \x01\n",
    "a: b\u2028a: d\n",
    "a: b\ufeff\n",
    "a:\n" + "- " * 30000 + "x\n",
    "a:\n" + ": " * 30000 + "x\n",
)


def validate(repo: Path, careful_only: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    with monkeypatch.context() as patch:
        if careful_only:
            patch.setattr(loader, "fast_load", lambda text: None)
        result = run_itsm("validate", "--format", "json", cwd=repo)
    return result.code, result.stdout


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_findings_are_the_same_on_either_path(case: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITSM_NO_CACHE", "1")
    repo = example_repo(tmp_path / "repo", case)
    assert validate(repo, False, monkeypatch) == validate(repo, True, monkeypatch)


def typed(value: Any) -> Any:
    if isinstance(value, dict):
        return [(typed(k), typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, repr(value)


def test_every_example_and_demo_file_parses_alike_and_most_take_the_fast_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    limits, taken = Limits(), 0
    for path in FILES:
        raw = path.read_bytes()
        with monkeypatch.context() as patch:
            patch.setattr(loader, "fast_load", lambda text: None)
            careful = parse_bytes(raw, path.name, limits)
        assert typed(parse_bytes(raw, path.name, limits)) == typed(careful), path
        with contextlib.suppress(UnicodeDecodeError):
            taken += fast.fast_load(raw.decode("utf-8")) is not None
    assert taken > len(FILES) * 0.7, (taken, len(FILES))


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_texts_are_declined_by_the_fast_path(text: str) -> None:
    assert fast.fast_load(text) is None
    with pytest.raises(YamlProblem):
        load(text, 100)
