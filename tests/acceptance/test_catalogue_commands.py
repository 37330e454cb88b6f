"""The catalogue through the commands: `itsm new request-type`, a typed `itsm new request`,
`itsm approve` stage by stage, and `itsm update --done` before `itsm fulfil`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import example_repo, parse_timestamp, run_itsm

NOW = parse_timestamp("2026-11-22T10:00:00+01:00")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example repository with a two-stage laptop type: ops's lead, then ops."""
    for module in ("itsm_as_code.cli.common", "itsm_as_code.cli.stepoptions"):
        monkeypatch.setattr(f"{module}.wall_clock", lambda: NOW)
    root = example_repo(tmp_path / "repo")
    (root / "records/teams/ops.yaml").write_text(
        "apiVersion: itsm/v1\nkind: Team\nid: ops\nname: Operations\nlead: ada\n"
        "members: [ada, ben]\n")
    result = run_itsm(
        "new", "request-type", "laptop", "--name", "New laptop", "--description", "A laptop.",
        "--service", "web", "--team", "ops", "--field", "model:choice!:Model", "--option",
        "model=Mac", "--option", "model=ThinkPad", "--field", "count:number:How many",
        "--stage", "Lead:requester_lead", "--stage", "IT:people=ada,ben", "--step", "Order it",
        "--step", "Hand it over", cwd=root)
    assert result.lines == ["created laptop: records/request-types/laptop.yaml"], result.stderr
    return root


def test_a_typed_request_is_approved_stage_by_stage_and_fulfilled_step_by_step(
        repo: Path) -> None:
    (repo / "records/people/cleo.yaml").write_text(
        "apiVersion: itsm/v1\nkind: Person\nid: dee\nname: Dee\nemail: dee@example.com\n")
    (repo / "records/people/cleo.yaml").rename(repo / "records/people/dee.yaml")
    (repo / "records/teams/design.yaml").write_text(
        "apiVersion: itsm/v1\nkind: Team\nid: design\nname: Design\nlead: ben\n"
        "members: [dee]\n")
    created = run_itsm("new", "request", "--type", "laptop", "--requested-by", "dee",
                       "--title", "A laptop", "--answer", "model=Mac", "--answer", "count=2",
                       "--at", "08:00", cwd=repo)
    assert created.code == 0, created.stderr
    text = (repo / "records/requests/REQ-0001.yaml").read_text()
    assert "type: laptop\nanswers:\n  model: Mac\n  count: 2\n" in text
    assert "service: web\n" in text and "team: ops\n" in text
    first = run_itsm("approve", "REQ-0001", "--by", "ben", "--at", "08:10", cwd=repo)
    assert first.lines[0] == ('REQ-0001 "A laptop": approved by ben (still submitted) at '
                              "2026-11-22 08:10 CET")
    second = run_itsm("approve", "REQ-0001", "--by", "ada", "--at", "08:20", cwd=repo)
    assert second.lines[0] == ('REQ-0001 "A laptop": submitted -> approved at 2026-11-22 '
                               "08:20 CET")
    assert run_itsm("start", "REQ-0001", "--at", "08:30", cwd=repo).code == 0
    refused = run_itsm("fulfil", "REQ-0001", "--at", "08:40", cwd=repo)
    assert refused.code == 1
    assert refused.lines[0].endswith(
        "error: timeline[3] moves REQ-0001 to fulfilled at 2026-11-22T08:40:00+01:00, but "
        "steps of laptop are not done by then (1: Order it; 2: Hand it over): tick each off "
        "with itsm update REQ-0001 --done STEP [request-steps]")
    unknown = run_itsm("update", "REQ-0001", "--done", "3", cwd=repo)
    assert (unknown.code, unknown.stderr.strip()) == (
        2, "error: --done: '3' is not a fulfilment step of REQ-0001: choose one of 1, 2")
    done = run_itsm("update", "REQ-0001", "--done", "1", "--done", "2", "--at", "08:45",
                    cwd=repo)
    assert done.lines[0] == ('REQ-0001 "A laptop": done 1, 2 (still in_fulfilment) at '
                            "2026-11-22 08:45 CET")
    assert run_itsm("fulfil", "REQ-0001", "--at", "08:50", cwd=repo).code == 0
    assert run_itsm("validate", cwd=repo).stdout.startswith("ok: ")


def test_a_bad_stage_or_answer_is_a_usage_error(repo: Path) -> None:
    stage = run_itsm("new", "request-type", "x", "--name", "X", "--description", "X.",
                     "--service", "web", "--team", "ops", "--stage", "IT:group=ops", cwd=repo)
    assert (stage.code, stage.stderr.strip()) == (
        2, "error: --stage: 'IT:group=ops' is not NAME:HOW with HOW one of team=TEAM, "
        "policy_owners=POLICY, people=P1,P2, requester_lead, such as 'IT:team=platform'")
    answer = run_itsm("new", "request", "--type", "laptop", "--requested-by", "ben",
                      "--title", "A laptop", "--answer", "model=Macbook", cwd=repo)
    assert answer.code == 1
    assert answer.stderr.splitlines()[1:] == [
        "  answers.model is 'Macbook', which is not one of Mac, ThinkPad: did you mean 'Mac'? "
        "[request-answers]"]
