"""The unparsed skip of ended incidents follows the lifecycle's vocabulary."""

from __future__ import annotations

import pytest

from itsm_as_code.events.snapshot import _DONE_LINE, ended
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


OPEN, DONE = b"id: INC-1\nstatus: investigating\n", b"id: INC-1\nstatus: resolved\n"


def update(at: str, status: str | None = None, name: str = "u.yaml") -> tuple[str, bytes]:
    text = f"at: {at}\n" + (f"status: {status}\n" if status else "") + "message: m\n"
    return f"records/incidents/INC-1.updates/{name}", text.encode()


@pytest.mark.parametrize(("record", "updates", "expected"), [
    (DONE, [], True),
    (OPEN, [], False),
    # The last update that names a status decides, in time order, not in file order.
    (OPEN, [update("2026-11-24T10:00:00Z", "resolved", "b.yaml"),
            update("2026-11-24T09:00:00Z", "monitoring", "a.yaml")], True),
    (OPEN, [update("2026-11-24T10:00:00+02:00", "resolved", "a.yaml"),
            update("2026-11-24T09:00:00Z", "monitoring", "b.yaml")], False),
    # A reopening after the record file's resolution; a note after it changes nothing.
    (DONE, [update("2026-11-24T10:00:00Z", "investigating")], False),
    (DONE, [update("2026-11-24T10:00:00Z")], True),
    (OPEN, [update("'2026-11-24 10:00:00Z'", "closed")], True),
    # An `at` written in a way a line cannot read: parsed, not skipped.
    (DONE, [("records/incidents/INC-1.updates/u.yaml", b"at: >-\n  2026-11-24T10:00:00Z\n")],
     False),
])
def test_an_incident_with_updates_is_skipped_only_when_they_say_it_ended(
        record: bytes, updates: list[tuple[str, bytes]], expected: bool) -> None:
    assert ended(record, updates) is expected
