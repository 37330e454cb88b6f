"""The unparsed skip of ended incidents follows the lifecycle's vocabulary."""

from __future__ import annotations

import pytest

from itsm_as_code.events.snapshot import _DONE_LINE
from itsm_as_code.model.lifecycle import INCIDENT


@pytest.mark.parametrize("status", INCIDENT.statuses)
@pytest.mark.parametrize("line", ["status: {}\n", "status: '{}'  # done\r\n",
                                  'status:\t"{}"\n'])
def test_exactly_the_ended_statuses_skip_a_file(status: str, line: str) -> None:
    text = b"id: INC-1\n" + line.format(status).encode()
    assert bool(_DONE_LINE.search(text)) == (status in INCIDENT.ended)


@pytest.mark.parametrize("text", ["notes: |\n  status: closed\n", "status: closed-ish\n",
                                  "status: 'closed\"\n", "xstatus: closed\n"])
def test_other_lines_do_not(text: str) -> None:
    assert not _DONE_LINE.search(text.encode())
