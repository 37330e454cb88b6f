"""Builders for the service desk's tests: the demo in git with a GitHub login on a person,
and `issues` events from the payloads GitHub sends (tests/acceptance/payloads/github)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import NOW_TEXT, copy_demo, run_itsm
from tests.history_repos import git

PAYLOADS = Path(__file__).parent / "acceptance" / "payloads" / "github"
FORMS = ".github/ISSUE_TEMPLATE"
Given = str | list[str] | bool


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


def rendered_body(form: Mapping[str, Any], answers: Mapping[str, Given]) -> str:
    """The body GitHub writes for an issue opened from the issue form `form` with
    `answers` by element id: a `### <label>` section per element that is not markdown,
    `_No response_` for one left empty, a dropdown's chosen options joined by `, `, a
    checkbox as `- [X] <label>` (`- [ ]` unticked)."""
    sections = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        attributes, given = element["attributes"], answers.get(element["id"])
        if element["type"] == "checkboxes":
            text = "\n".join(f"- [{'X' if given else ' '}] {option['label']}"
                             for option in attributes["options"])
        elif isinstance(given, list):
            text = ", ".join(given)
        else:
            text = str(given) if given else "_No response_"
        sections.append(f"### {attributes['label']}\n\n{text}")
    return "\n\n".join(sections)


def form_event(root: Path, key: str, title: str, answers: Mapping[str, Given], *,
               login: str = "mnowak-nw", number: int = 57) -> dict[str, object]:
    """An `opened` event of an issue opened from the form `key` (as `itsm desk forms`
    writes it into `root`, run first): its title, labels and body as GitHub makes them."""
    form = yaml.safe_load((root / FORMS / f"{key}.yml").read_text())
    data = event("issues-opened-software-install", number=number,
                 title=form["title"] + title, body=rendered_body(form, answers),
                 labels=[{"name": label} for label in form["labels"]],
                 user={"login": login},
                 html_url=f"https://github.com/northwind-payments/itsm/issues/{number}")
    data["sender"] = {"login": login, "type": "User"}
    return data


def acted(data: dict[str, object], action: str, sender: str) -> dict[str, object]:
    """`data`'s issue, `action` (`closed`, `edited`) by the GitHub user `sender`."""
    changed = json.loads(json.dumps(data))
    changed["action"], changed["sender"] = action, {"login": sender, "type": "User"}
    if action == "closed":
        changed["issue"].update(state="closed", state_reason="completed",
                                closed_at="2026-11-22T09:30:00Z")
    return changed
