"""Builders for the service desk's tests: the demo in git with a GitHub login on a person,
and `issues` events from the payloads GitHub sends (tests/acceptance/payloads/github)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import NOW_TEXT, copy_demo, run_itsm
from tests.history_repos import git

PAYLOADS = Path(__file__).parent / "acceptance" / "payloads" / "github"


def desk_demo(root: Path) -> Path:
    """The demo, in git at `root` (Marta Nowak's person record carries her GitHub login)."""
    copy_demo(root)
    assert "github: mnowak-nw" in (root / "records/people/marta-nowak.yaml").read_text()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "demo")
    return root


def event(name: str, **changes: object) -> dict[str, object]:
    """The payload `name`, its issue's fields replaced by `changes`."""
    data: dict[str, object] = json.loads((PAYLOADS / f"{name}.json").read_text())
    issue = data["issue"]
    assert isinstance(issue, dict)
    issue.update(changes)
    return data


def intake(root: Path, data: dict[str, object], *options: str) -> tuple[int, str]:
    """`itsm desk intake --github-event` on `data`: its exit code and what it printed."""
    path = root.parent / "event.json"
    path.write_text(json.dumps(data))
    result = run_itsm("desk", "intake", "--github-event", str(path), "--now", NOW_TEXT,
                      *options, cwd=root)
    return result.code, result.stdout + result.stderr
