"""`itsm kedb match` as a user and the pull request bot meet it: the demo's incident that
fits KE-0003, --open, the markdown comment, a hostile pattern, and usage errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import DEMO, example_repo, run_itsm

KE_0003_TITLE = r"log(in|ged out)\b.*\bafter two-factor"


def test_an_incident_that_fits_a_known_errors_pattern_gets_it_suggested() -> None:
    result = run_itsm("kedb", "match", "INC-0027", cwd=DEMO)
    assert result.code == 0, result.stderr
    assert result.lines == [
        "records/incidents/2026/11/INC-0027.yaml:5:8: notice: INC-0027 looks like KE-0003 "
        f"(matched `{KE_0003_TITLE}` in the title, matched `session[_ ]expired[_ ]after[_ ]2fa` "
        "in the alert name, matched `session[_ ]expired[_ ]after[_ ]2fa` in the timeline "
        "message and shares service identity); workaround: Ask the merchant to sign in from "
        "a private browser window, or reset their sessions: [kedb-match]",
        "1 suggestion(s) for 1 of 1 incident(s) from 3 known error(s)",
    ]


def test_the_markdown_is_the_pull_request_comment() -> None:
    result = run_itsm("kedb", "match", "INC-0027", "INC-0020", "--format", "markdown",
                      cwd=DEMO)
    assert result.stdout.startswith(
        "### Known errors that fit\n\n**INC-0027** looks like **KE-0003** (matched "
        f"`{KE_0003_TITLE}` in the title, ")
    assert ("Workaround:\n\n> Ask the merchant to sign in from a private browser window, or "
            "reset their sessions:\n>\n>     identity-admin sessions revoke") in result.stdout
    # KE-0001 names card-processing, but it is fixed: listed, flagged, and last.
    assert "**INC-0020** looks like **KE-0001** (shares service card-processing; marked fixed)" \
        in result.stdout
    assert result.stdout.endswith("2 suggestion(s) for 2 of 2 incident(s) from 3 known "
                                  "error(s)\n")


def test_open_takes_every_open_incident_and_json_has_the_ranking() -> None:
    result = run_itsm("kedb", "match", "--open", "--format", "json", cwd=DEMO)
    assert result.code == 0
    incidents = json.loads(result.stdout)["summary"]["incidents"]
    assert [i["id"] for i in incidents] == ["INC-0023", "INC-0024", "INC-0025", "INC-0026"]
    [settlement] = incidents[2]["suggestions"]
    assert (settlement["known_error"], settlement["linked"], settlement["hits"][0]["in"]) == (
        "KE-0002", True, "title")


def test_usage_errors_exit_2() -> None:
    unknown = run_itsm("kedb", "match", "INC-9999", cwd=DEMO)
    assert (unknown.code, unknown.stderr) == (
        2, "error: no incident with the id 'INC-9999' in this repository\n")
    neither = run_itsm("kedb", "match", cwd=DEMO)
    assert (neither.code, neither.stderr) == (2, "error: give incident ids or --open (one of "
                                                 "the two)\n")
    both = run_itsm("kedb", "match", "INC-0027", "--open", cwd=DEMO)
    assert both.code == 2


def test_a_hostile_pattern_from_a_pull_request_is_cut_off_and_reported(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    incident = repo / "records/incidents/INC-0001.yaml"
    incident.write_text(incident.read_text(encoding="utf-8").replace(
        "title: Website returns errors", "title: Website returns errors " + "x" * 80),
        encoding="utf-8")
    (repo / "records/known-errors/KE-0001.yaml").write_text(
        "apiVersion: itsm/v1\nkind: KnownError\nid: KE-0001\ntitle: Slow pattern\n"
        "status: open\nsymptoms: Errors.\nworkaround: Reload.\n"
        "match:\n  - '(x|xx)+y'\n  - 'returns errors'\n", encoding="utf-8")
    assert run_itsm("validate", cwd=repo).code == 0  # it compiles: only running it tells
    result = run_itsm("kedb", "match", "INC-0001", cwd=repo)
    assert result.code == 0
    assert result.lines == [
        "records/incidents/INC-0001.yaml:4:8: notice: INC-0001 looks like KE-0001 (matched "
        "`returns errors` in the title); workaround: Reload. [kedb-match]",
        "records/known-errors/KE-0001.yaml:9:5: warning: match[0] ran longer than 0.05 s on "
        "one incident and was skipped: rewrite it without nested repetition such as (a+)+ or "
        "(a|aa)* [kedb-match]",
        "1 suggestion(s) for 1 of 1 incident(s) from 1 known error(s)",
    ]


def test_the_readme_example_is_the_demos_real_output() -> None:
    result = run_itsm("kedb", "match", "INC-0027", cwd=DEMO)
    example = "\n".join(["$ itsm kedb match INC-0027", *result.lines])
    assert example in (DEMO / "README.md").read_text(encoding="utf-8")


def test_a_pattern_that_unrolls_past_the_budget_is_refused_and_never_compiled(
        tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    (repo / "records/known-errors/KE-0001.yaml").write_text(
        "apiVersion: itsm/v1\nkind: KnownError\nid: KE-0001\ntitle: Unrolls\n"
        "status: open\nsymptoms: Errors.\nworkaround: Reload.\n"
        "match:\n  - '(?:x{65535}){65535}'\n  - 'returns errors'\n", encoding="utf-8")
    refused = run_itsm("validate", cwd=repo)
    assert refused.code == 1
    said = ("records/known-errors/KE-0001.yaml:9:5: {level}: match[0] unrolls to more than "
            "100,000 steps when compiled (counted repeats multiply: (?:x{{100}}){{100}} is "
            "10,000): write smaller counts, or + and *{tail}")
    assert refused.lines[0] == said.format(level="error", tail=" [match-pattern]")
    # kedb match runs what validate passed too (on a branch that skipped validation).
    result = run_itsm("kedb", "match", "INC-0001", cwd=repo)
    assert result.code == 0
    assert said.format(level="warning", tail="; it was skipped [kedb-match]") in result.lines
