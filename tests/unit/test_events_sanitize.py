"""Payload text cleaned once, as the JSON is read: keys and values alike."""

from __future__ import annotations

import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.events.sanitize import clean, loads


def test_controls_go_and_lone_surrogates_become_replacement_characters() -> None:
    assert clean("a\x00b\x1bc\x7fd\x85e\x9ff\ufffeg\tk\nl") == "abcdefg\tk\nl"
    assert loads('{"lab\\u0085el": ["\\ud800x", {"k": "\\udfff"}], "n": 7}', "p") == {
        "label": ["\ufffdx", {"k": "\ufffd"}], "n": 7}


def test_a_long_number_is_refused_with_its_place_even_after_long_digits_in_text() -> None:
    digits = "1" * 4301
    with pytest.raises(UsageError, match=r"^p:3:8: a number of 4,301 digits; at most 4,300 "
                       r"are read; nothing was written$"):
        loads(f'{{"text": "{digits}",\n"x": 1,\n"n": [ {digits}]}}', "p")
    assert loads(f'{{"n": {"9" * 4300}}}', "p")["n"] == int("9" * 4300)
