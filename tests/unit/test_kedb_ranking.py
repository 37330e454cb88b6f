"""Known error matching: where patterns are looked for, the ranking, and hostile patterns."""

from __future__ import annotations

import time
from typing import Any

import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.model.context import RunContext
from itsm_as_code.problems import kedb_report
from itsm_as_code.problems.kedb import incidents_to_match, match
from itsm_as_code.problems.patterns import Matcher, compile_pattern
from itsm_as_code.reporters import render
from tests.helpers import Data, affected, context
from tests.helpers import incident as incident_data
from tests.helpers import known_error as known_error_data


def incident(record_id: str, title: str, *, status: str = "investigating",
             **fields: Any) -> Data:
    """An incident on `identity` with no timeline (timeline messages are searched too)."""
    return incident_data(record_id, **{
        "title": title, "status": status, "services": [affected("identity")],
        "opened_at": "2026-11-01T00:00:00Z", "timeline": [], **fields})


def known_error(record_id: str, *match: str, status: str = "open",
                services: tuple[str, ...] = ()) -> Data:
    return known_error_data(record_id, title=f"{record_id} title", status=status,
                            match=list(match), services=list(services),
                            workaround=f"Restart it ({record_id}).\nThen wait.", symptoms="x")


def ranked(repo: RunContext, *ids: str) -> dict[str, list[str]]:
    result = match(repo, incidents_to_match(repo, ids, open_only=not ids))
    return {m.incident.id: [s.known_error.id for s in m.suggestions] for m in result.matches}


def test_an_incident_that_fits_a_pattern_gets_the_known_error_suggested() -> None:
    repo = context(incident("INC-1", "Merchants logged out after two-factor login"),
                      known_error("KE-1", r"log(in|ged out)\b.*\bafter two-factor"),
                      known_error("KE-2", "disk full"))
    result = match(repo, incidents_to_match(repo, ["INC-1"], False))
    [suggestion] = result.matches[0].suggestions
    assert suggestion.known_error.id == "KE-1"
    assert [hit.place for hit in suggestion.hits] == ["title"]
    assert [f.message for f in kedb_report.findings(result)] == [
        r"INC-1 looks like KE-1 (matched `log(in|ged out)\b.*\bafter two-factor` in the "
        "title); workaround: Restart it (KE-1)."]
    [fitted] = kedb_report.summary(result).data["incidents"]
    assert fitted == {"id": "INC-1", "suggestions": [{
        "known_error": "KE-1", "status": "open",
        "hits": [{"in": "title", "match_index": 0,
                  "pattern": r"log(in|ged out)\b.*\bafter two-factor"}],
        "services": [], "linked": False, "workaround": "Restart it (KE-1).\nThen wait."}]}


def test_title_beats_alert_names_beats_messages_then_services_then_open_before_fixed() -> None:
    repo = context(
        incident("INC-1", "Logins fail", alerts=[{"fingerprint": "f", "name": "SessionLost"}],
                 timeline=[{"at": "2026-11-01T00:00:00Z", "message": "token expired"}]),
        known_error("KE-message", "token expired"),
        known_error("KE-alert", "sessionlost"),
        known_error("KE-title", "LOGINS? FAIL"),
        known_error("KE-title-fixed", "logins fail", status="fixed", services=("identity",)),
        known_error("KE-title-service", "logins fail", services=("identity",)),
        known_error("KE-service", "nothing here", services=("identity",)),
        known_error("KE-retired", "logins fail", status="retired"),
        known_error("KE-elsewhere", "nothing here", services=("web",)),
    )
    assert ranked(repo, "INC-1") == {"INC-1": [
        "KE-title-service", "KE-title-fixed", "KE-title", "KE-alert", "KE-message",
        "KE-service"]}


def test_open_matches_every_open_incident_and_flags_links() -> None:
    repo = context(incident("INC-2", "Logins fail", known_error="KE-1"),
                      incident("INC-1", "Logins fail", status="resolved"),
                      incident("INC-3", "Logins fail", status="on_hold"),
                      known_error("KE-1", "logins"))
    result = match(repo, incidents_to_match(repo, [], open_only=True))
    assert [m.incident.id for m in result.matches] == ["INC-2", "INC-3"]
    assert [s.linked for m in result.matches for s in m.suggestions] == [True, False]
    assert "; already linked)" in kedb_report.findings(result)[0].message


def test_an_unknown_id_is_a_usage_error() -> None:
    repo = context(known_error("KE-1", "x"))
    with pytest.raises(UsageError, match="no incident with the id 'KE-1' in this repository"):
        incidents_to_match(repo, ["KE-1"], False)


def test_an_incident_its_schema_refuses_is_named_not_matched() -> None:
    repo = context({**incident("INC-1", "Logins fail"), "impact": "huge"},
                      incident("INC-2", "Logins fail"), known_error("KE-1", "logins"))
    with pytest.raises(UsageError, match=r"^the incident 'INC-1' does not match its schema, "
                       "so it cannot be matched: run itsm validate$"):
        incidents_to_match(repo, ["INC-1"], False)
    assert ranked(repo) == {"INC-2": ["KE-1"]}


def test_a_backtracking_pattern_is_stopped_set_aside_and_reported() -> None:
    repo = context(
        *(incident(f"INC-{n}", "a" * 60 + "!") for n in range(1, 6)),
        known_error("KE-evil", "(a|aa)+$", "^a"),
    )
    started = time.monotonic()
    result = match(repo, incidents_to_match(repo, [], open_only=True), Matcher(timeout=0.05))
    # One time-out, not one per incident: the pattern is set aside after the first.
    assert time.monotonic() - started < 2
    assert [(record.id, pattern.index) for record, pattern in result.timed_out] == [
        ("KE-evil", 0)]
    # The known error's other pattern still works.
    assert all(m.suggestions[0].hits[0].pattern.index == 1 for m in result.matches)
    warning = kedb_report.findings(result)[-1]
    assert (warning.level, warning.path, warning.line) == (
        "warning", "records/known-errors/KE-evil.yaml", 11)
    assert warning.message.startswith("match[0] ran longer than 0.05 s on one incident")


def test_an_invalid_pattern_is_skipped_and_reported() -> None:
    repo = context(incident("INC-1", "Logins fail"), known_error("KE-1", "logins (", "fail"))
    result = match(repo, incidents_to_match(repo, ["INC-1"], False))
    assert [p.index for _, p in result.invalid] == [0]
    assert result.matches[0].suggestions[0].hits[0].pattern.text == "fail"
    assert kedb_report.kedb_summary(result).skipped_patterns == [
        kedb_report.SkippedPattern("KE-1", 0, "invalid")]
    assert kedb_report.summary(result).data["skipped_patterns"] == [
        {"known_error": "KE-1", "index": 0, "reason": "invalid"}]


def test_long_text_is_cut_before_it_is_searched() -> None:
    pattern = compile_pattern("KE-1", 0, "needle")
    assert Matcher().search(pattern, "x" * 1000 + "needle")
    assert not Matcher().search(pattern, "x" * 5000 + "needle")


def test_the_markdown_comment_reads_like_a_bot() -> None:
    repo = context(incident("INC-1", "Logins fail"),
                      incident("INC-2", "Disk full",
                               services=[{"id": "storage", "status": "major_outage"}]),
                      known_error("KE-1", "logins? fail"),
                      known_error("KE-2", "x`y", services=("identity",)))
    result = match(repo, incidents_to_match(repo, ["INC-1", "INC-2"], False))
    comment = render(kedb_report.report(result), "markdown", kedb_report.OVERRIDES)
    assert comment == (
        "### Known errors that fit\n\n"
        "**INC-1** looks like **KE-1** (matched `logins? fail` in the title): KE-1 title\n\n"
        "Workaround:\n\n> Restart it (KE-1).\n> Then wait.\n\n"
        "Also possible:\n- **KE-2** (shares service identity): KE-2 title\n\n"
        "INC-2: no known error fits.\n\n"
        "2 suggestion(s) for 1 of 2 incident(s) from 2 known error(s)\n")


def test_code_spans_hold_any_backticks() -> None:
    assert kedb_report.code("a`b") == "``a`b``"
    assert kedb_report.code("`a") == "`` `a ``"
