"""`--base github`: the base revision of a change, read from the GitHub Actions event.

A pull request is judged from its base branch (`origin/$GITHUB_BASE_REF`). A push is
judged from the branch's previous tip (the event's `before`) when the new tip descends
from it; a new branch, or a force push that left `before` behind (or out of the clone),
is judged from where it forked from the repository's default branch. Any other event
has no base: the usual checks run alone and a notice says why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsm_as_code.errors import UsageError
from itsm_as_code.git.repo import is_ancestor, names_commit

NEEDS = "--base github"
NO_COMMIT = "0" * 40  # `before` of a push that created the branch
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


@dataclass(frozen=True)
class ChosenBase:
    """The revision a change is compared with (its merge base with the head), and how
    findings name it; `ref` None: no base. `notice` says why, when it is not the obvious
    choice."""

    ref: str | None
    label: str
    notice: str | None = None


def github_base(root: Path, environment: Mapping[str, str], head: str | None = None,
                ) -> ChosenBase:
    """The base of the change that the Actions run in `environment` checks."""
    event = environment.get("GITHUB_EVENT_NAME", "")
    if not event:
        raise UsageError(f"{NEEDS} reads the GitHub Actions environment, but GITHUB_EVENT_NAME "
                         "is not set: run it in a workflow, or name the base (--base origin/main)")
    if event in PULL_REQUEST_EVENTS:
        branch = environment.get("GITHUB_BASE_REF") or _text(
            _event(environment), ("pull_request", "base", "ref"))
        if not branch:
            raise UsageError(f"{NEEDS}: a {event} event without GITHUB_BASE_REF or "
                             "pull_request.base.ref: no base branch to compare with")
        return ChosenBase(f"origin/{branch}", f"origin/{branch}")
    if event == "push":
        return _push(root, _event(environment), head or "HEAD")
    return ChosenBase(None, "", f"{NEEDS}: a {event} event has no base revision, so only the "
                      "usual checks ran")


def _push(root: Path, data: dict[str, Any], head: str) -> ChosenBase:
    before = _text(data, ("before",))
    if before and before != NO_COMMIT and is_ancestor(root, before, head, NEEDS):
        return ChosenBase(before, before[:7])
    if not before or before == NO_COMMIT:
        why = "a push that created the branch"
    elif names_commit(root, before, NEEDS):
        why = f"a force push ({before[:7]}, the previous tip, is not an ancestor of {head})"
    else:
        why = f"a force push ({before[:7]}, the previous tip, is not in this clone)"
    default = _text(data, ("repository", "default_branch"))
    fork = f"origin/{default}"
    if default and names_commit(root, fork, NEEDS):
        return ChosenBase(fork, fork, f"{NEEDS}: {why}: judged from where it forked from {fork}")
    missing = f"{fork} is not in this clone" if default else \
        "the event names no repository.default_branch"
    return ChosenBase(None, "", f"{NEEDS}: {why}, and {missing}: no base, so only the usual "
                      "checks ran (fetch the default branch: `fetch-depth: 0` in "
                      "actions/checkout)")


def _event(environment: Mapping[str, str]) -> dict[str, Any]:
    path = environment.get("GITHUB_EVENT_PATH", "")
    if not path:
        raise UsageError(f"{NEEDS}: GITHUB_EVENT_PATH is not set, so the event cannot be read")
    try:
        data = json.loads(Path(path).read_bytes())
    except OSError as error:
        raise UsageError(f"{NEEDS}: {path}: cannot read the event: {error.strerror}") from None
    except (ValueError, RecursionError):
        raise UsageError(f"{NEEDS}: {path}: the event is not valid JSON") from None
    if not isinstance(data, dict):
        raise UsageError(f"{NEEDS}: {path}: the event is not a JSON object")
    return data


def _text(data: Any, keys: tuple[str, ...]) -> str:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else ""
