from __future__ import annotations

from itsm_as_code.authoring.ids import next_id


def test_first_id() -> None:
    assert next_id("INC", []) == "INC-0001"


def test_one_past_the_highest_of_that_prefix() -> None:
    taken = ["INC-0007", "INC-0012", "PRB-0099", "INC-12x", "payments"]
    assert next_id("INC", taken) == "INC-0013"


def test_numbers_grow_past_four_digits() -> None:
    assert next_id("INC", ["INC-9999"]) == "INC-10000"
