"""Later updates of records that came from GitHub issues, as actions for the workflow:
a comment per update the requester may read, closing the issue when the record ends;
the same range gives the same keys every time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.desk_repos import desk_demo, event, intake
from tests.helpers import run_itsm
from tests.history_repos import git


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return desk_demo(tmp_path / "itsm")


def step(root: Path, *args: str) -> None:
    result = run_itsm(*args, cwd=root)
    assert result.code == 0, result.stdout + result.stderr


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def mirror(root: Path, since: str, until: str) -> list[dict[str, object]]:
    result = run_itsm("desk", "mirror", "--since", since, "--until", until, "--format",
                      "json", cwd=root)
    assert result.code == 0, result.stdout + result.stderr
    actions: list[dict[str, object]] = json.loads(result.stdout)["actions"]
    return actions


def test_public_updates_become_comments_and_the_end_closes_the_issue(demo: Path) -> None:
    assert intake(demo, event("issues-opened-problem"))[0] == 0
    assert intake(demo, event("issues-opened-software-install"))[0] == 0
    since = commit(demo, "desk: INC-0028, REQ-0006")
    step(demo, "ack", "INC-0028", "--author", "tom-fischer", "--at", "2026-11-22 10:20")
    step(demo, "update", "INC-0028", "--public", "-m", "A cache was stale; cleared.",
         "--status", "identified", "--author", "tom-fischer", "--at", "2026-11-22 10:40")
    step(demo, "reject", "REQ-0006", "--by", "lukas-brandt", "--comment", "Use the BI tool.",
         "--author", "lukas-brandt", "--at", "2026-11-22 10:45")
    middle = commit(demo, "work")
    step(demo, "resolve", "INC-0028", "-m", "The payouts page shows again.",
         "--author", "tom-fischer", "--at", "2026-11-22 11:00")
    until = commit(demo, "resolved")
    actions = mirror(demo, since, until)
    assert [(a["issue"], a["record"], a["action"], a["reason"]) for a in actions] == [
        (42, "INC-0028", "comment", None),   # the acknowledgement is internal: not told
        (41, "REQ-0006", "comment", None),
        (41, "REQ-0006", "close", "not planned"),
        # The resolution of an internal incident is internal too: the closing says it.
        (42, "INC-0028", "close", "completed")]
    assert [a["commit"] for a in actions] == [middle] * 3 + [until]
    first = actions[0]
    assert first["body"] == (f"<!-- itsm-desk:{first['key']} -->\n**INC-0028** updated "
                             "2026-11-22 10:40 CET, now **identified**:\n\n"
                             "A cache was stale; cleared.\n")
    assert actions[2]["body"] == (f"<!-- itsm-desk:{actions[2]['key']} -->\n"
                                  "REQ-0006 is rejected: this issue is closed.\n")
    # Run again, or over a range that overlaps: the same actions under the same keys.
    assert mirror(demo, since, until) == actions
    assert mirror(demo, middle, until) == actions[3:]
    assert actions[3]["body"] == (f"<!-- itsm-desk:{actions[3]['key']} -->\n"
                                  "INC-0028 is resolved: this issue is closed.\n")
    text = run_itsm("desk", "mirror", "--since", middle, "--until", until, cwd=demo)
    assert text.stdout == (f"#42 INC-0028: close (completed) [{actions[3]['key']}]\n"
                           "1 action(s)\n")
