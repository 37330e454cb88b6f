"""Known error patterns under budgets: what validate refuses is what kedb match cannot
run, and a run that spends its time budget stops and names what it left out."""

from __future__ import annotations

from itertools import count

import pytest

from itsm_as_code.problems import kedb_report
from itsm_as_code.problems.kedb import incidents_to_match, match
from itsm_as_code.problems.patterns import Matcher, compile_pattern
from itsm_as_code.validation.rules.patterns import compile_match
from tests.helpers import context
from tests.unit.test_kedb_ranking import incident, known_error

UNROLLS = ("unrolls to more than 100,000 steps when compiled (counted repeats multiply: "
           "(?:x{100}){100} is 10,000): write smaller counts, or + and *")


@pytest.mark.parametrize("pattern", ["(?:x{65535}){65535}", "(?:(?:x{100}){100}){100}",
                                     "x{100001}", "(?:a|b{400}){300}"])
def test_a_pattern_that_unrolls_past_the_budget_is_refused_before_compiling(
        pattern: str) -> None:
    assert compile_match(pattern) == UNROLLS
    refused = compile_pattern("KE-1", 0, pattern)
    assert (refused.compiled, refused.error) == (None, UNROLLS)


@pytest.mark.parametrize("pattern", ["(?:x{1,65535}){1,65535}", "x{2000}", "(a|aa)+$",
                                     r"log(in|ged out)\b.*\bafter two-factor",
                                     "(?:(?:x{100}){10}){10}"])
def test_ordinary_and_unbounded_patterns_compile(pattern: str) -> None:
    assert not isinstance(compile_match(pattern), str)


def test_a_slow_compile_is_refused() -> None:
    ticks = iter([0.0, 0.7])
    assert compile_match("abc", clock=lambda: next(ticks)) == (
        "took 0.7 s to compile (at most 0.5 s): write it shorter or with smaller counted "
        "repeats")


def test_a_syntax_error_says_where() -> None:
    assert compile_match("logins (") == (
        "is not a valid regular expression: missing ), unterminated subpattern at position 7"
        ": fix it or quote special characters with a backslash")


def test_a_spent_budget_stops_matching_and_names_the_incidents_left_out() -> None:
    repo = context(*(incident(f"INC-{n}", "Logins fail") for n in range(1, 5)),
                   known_error("KE-1", "logins", "fail", "never"))
    # Every call of the clock is a second later: the budget of 5 s lasts two incidents.
    seconds = count()
    matcher = Matcher(budget=5, clock=lambda: float(next(seconds)))
    result = match(repo, incidents_to_match(repo, [], open_only=True), matcher)
    assert [m.incident.id for m in result.matches] == ["INC-1", "INC-2"]
    assert [i.id for _, i in result.unmatched] == ["INC-3", "INC-4"]
    shown = kedb_report.report(result)
    assert [f"{f.path}:{f.line}: {f.level}: {f.message}" for f in shown.findings][-1] == (
        "records/incidents/INC-4.yaml:4: error: INC-4 was not matched: known error matching "
        "stopped when its budget of 5 s per run was spent; match fewer incidents at once, or "
        "make slow patterns simpler")
    assert shown.summary.text == ("2 suggestion(s) for 2 of 2 incident(s) from 1 known "
                                  "error(s); 2 incident(s) not matched: the time budget of 5 s "
                                  "was spent")
    assert shown.summary.data["unmatched"] == ["INC-3", "INC-4"]


def test_within_the_budget_nothing_is_left_out() -> None:
    repo = context(incident("INC-1", "Logins fail"), known_error("KE-1", "logins"))
    result = match(repo, incidents_to_match(repo, [], open_only=True))
    assert (result.unmatched, kedb_report.kedb_summary(result).unmatched) == ([], [])
