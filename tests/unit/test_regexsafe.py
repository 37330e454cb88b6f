"""One check for every regular expression a record holds: known errors' patterns and
request forms' patterns are refused by the same limits, and the desk reads an answer
against a pattern as `itsm validate` does."""

from __future__ import annotations

import pytest

from itsm_as_code.desk.answers import read_answers
from itsm_as_code.model.forms import compile_pattern, fits
from itsm_as_code.model.types.catalogue import FormField
from itsm_as_code.regexsafe import compile_checked
from itsm_as_code.validation.rules.patterns import compile_match
from tests.helpers import context

UNROLLS = ("unrolls to more than 100,000 steps when compiled (counted repeats multiply: "
           "(?:x{100}){100} is 10,000): write smaller counts, or + and *")
NESTED = ("repeats a part that is itself repeated (such as (a+)+), which can take "
          "exponential time: repeat only once")


@pytest.mark.parametrize("pattern", ["(?:x{65535}){65535}", "x{100001}"])
def test_a_form_pattern_that_unrolls_past_the_budget_is_refused_as_a_known_errors_is(
        pattern: str) -> None:
    # A fixed count inside a fixed count cannot backtrack, but compiling it would take
    # the memory of the machine.
    assert compile_pattern(pattern) == UNROLLS == compile_match(pattern)


def test_each_caller_keeps_its_own_policy() -> None:
    assert compile_pattern("(a+)+") == NESTED
    assert not isinstance(compile_match("(a+)+"), str)  # kedb match runs it under a timeout
    assert compile_match("LOGIN").search("login failed") is not None  # type: ignore[union-attr]
    assert compile_pattern("LOGIN").search("login failed") is None  # type: ignore[union-attr]
    assert compile_checked("a" * 201) != compile_pattern("a" * 201)


def test_a_slow_compile_is_refused_for_forms_too() -> None:
    ticks = iter([0.0, 0.7])
    assert compile_checked("abc", max_length=200, refuse_backtracking=True,
                           clock=lambda: next(ticks)) == (
        "took 0.7 s to compile (at most 0.5 s): write it shorter or with smaller counted "
        "repeats")


def test_the_desk_reads_an_answer_against_a_pattern_as_validate_does() -> None:
    fields = (FormField("code", "Code", "text", pattern="CC-[0-9]{4}"),
              FormField("tag", "Tag", "text", pattern="(a|ab)*c"))
    model = context().model
    found = read_answers(fields, {"code": "CC-12", "tag": "anything"}, model)
    # An unusable pattern is the request type's finding (validate), not the requester's.
    assert (fits("CC-[0-9]{4}", "CC-12"), fits("(a|ab)*c", "anything")) == (False, True)
    assert (dict(found.answers), found.problems) == (
        {"tag": "anything"}, ['"Code" must be written as the pattern `CC-[0-9]{4}`'])
    assert dict(read_answers(fields, {"code": "CC-1234"}, model).answers) == {
        "code": "CC-1234"}
