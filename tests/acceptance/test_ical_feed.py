"""The maintenance calendar, `maintenance.ics`: RFC 5545 as a calendar parser (the
`icalendar` package) reads it, and byte for byte for one window.

A calendar subscribed to the feed must follow a window through its life: the same UID
every build, a SEQUENCE that grows with each change, a cancellation kept in the feed as
STATUS:CANCELLED (so the calendar removes the event), and nothing internal in a public
build.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import icalendar
import pytest

from itsm_as_code.site.ical import escape, fold, uid
from tests.helpers import copy_demo
from tests.site_helpers import build

UTC = timezone.utc

CANCELED = """\
apiVersion: itsm/v1
kind: Maintenance
id: MNT-0901
title: Card network certificate rotation; step 2, retried
description: |-
  Rotation of the card network's TLS certificates, second try.
  Back\\slash and "quotes" stay as written.
services: [card-processing]
scheduled_start: 2026-12-05T22:00:00+01:00
scheduled_end: 2026-12-05T23:30:00+01:00
status: canceled
timeline:
  - at: 2026-11-19T09:00:00+01:00
    status: scheduled
    message: Scheduled for 5 December, 22:00 to 23:00 CET.
  - at: 2026-11-20T09:00:00+01:00
    scheduled_end: 2026-12-05T23:30:00+01:00
    message: Extended by half an hour.
  - at: 2026-11-21T09:00:00+01:00
    public: false
    message: PLANT_INTERNAL_ENTRY not needed after all.
  - at: 2026-11-21T09:05:00+01:00
    status: canceled
    message: This scheduled maintenance has been canceled.
"""

INTERNAL = """\
apiVersion: itsm/v1
kind: Maintenance
id: MNT-0902
title: PLANT_INTERNAL_WINDOW patch of the build runners
services: [card-processing]
visibility: internal
scheduled_start: 2026-12-01T20:00:00+01:00
scheduled_end: 2026-12-01T21:00:00+01:00
status: scheduled
"""

# The demo's MNT-0002 as the public feed writes it (lines folded at 75 octets, CRLF).
MNT_0002 = (
    "BEGIN:VEVENT\r\n"
    "UID:MNT-0002@status.northwind-payments.example\r\n"
    "DTSTAMP:20261118T090000Z\r\n"
    "LAST-MODIFIED:20261118T090000Z\r\n"
    "SEQUENCE:1\r\n"
    "DTSTART:20261128T000000Z\r\n"
    "DTEND:20261128T020000Z\r\n"
    "STATUS:CONFIRMED\r\n"
    "SUMMARY:Maintenance: Reporting database migration for the Merchant Dashboar\r\n"
    " d\r\n"
    "DESCRIPTION:Status: Scheduled.\\nAffects: Merchant Dashboard\\, Settlement Re\r\n"
    " ports.\\n\\nWe are moving the reporting database behind the Merchant Dashboa\r\n"
    " rd and settlement reports to new hardware. During the window\\, reports and\r\n"
    "  CSV exports may be unavailable for up to 30 minutes. Payments\\, refunds a\r\n"
    " nd webhooks are not affected.\\n\\nLatest update: Scheduled for Saturday 28 \r\n"
    " November\\, 01:00 to 03:00 CET.\\n\\nhttps://status.northwind-payments.exampl\r\n"
    " e/maintenance/MNT-0002.html\r\n"
    "URL:https://status.northwind-payments.example/maintenance/MNT-0002.html\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n"
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ical")
    repo = copy_demo(root / "repo")
    (repo / "records/maintenance/MNT-0901.yaml").write_text(CANCELED, encoding="utf-8")
    (repo / "records/maintenance/MNT-0902.yaml").write_text(INTERNAL, encoding="utf-8")
    return {"public": build(repo, root / "public"),
            "internal": build(repo, root / "internal", "--internal")}


def _events(site: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((site / "maintenance.ics").read_bytes())
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_a_calendar_parser_reads_every_public_window(sites: dict[str, Path]) -> None:
    calendar = icalendar.Calendar.from_ical((sites["public"] / "maintenance.ics").read_bytes())
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == (
        "2.0", "-//itsm-as-code//status site//EN")
    events = _events(sites["public"])
    assert {"MNT-0001", "MNT-0002", "MNT-0901"} <= set(events)
    assert "MNT-0902" not in events
    first = events["MNT-0001"]
    assert first.decoded("DTSTART") == datetime(2026, 10, 11, 0, 0, tzinfo=UTC)
    assert first.decoded("DTEND") == datetime(2026, 10, 11, 2, 0, tzinfo=UTC)
    assert str(first["URL"]) == ("https://status.northwind-payments.example/maintenance/"
                                 "MNT-0001.html")
    # Three public entries (scheduled, started, completed); the internal note is not one.
    assert int(first["SEQUENCE"]) == 3


def test_a_canceled_window_stays_in_the_feed_to_be_removed(sites: dict[str, Path]) -> None:
    event = _events(sites["public"])["MNT-0901"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == ("Maintenance: Card network certificate rotation; step "
                                     "2, retried")
    # The extension moved the end; each public change is one more revision.
    assert event.decoded("DTEND") == datetime(2026, 12, 5, 22, 30, tzinfo=UTC)
    assert int(event["SEQUENCE"]) == 3
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 11, 21, 8, 5, tzinfo=UTC)
    description = str(event["DESCRIPTION"])
    assert description.startswith("Status: Canceled.\nAffects: Card Processing.\n\n"
                                  "Rotation of the card network's TLS certificates, second "
                                  "try.\nBack\\slash and \"quotes\" stay as written.")
    assert "PLANT_INTERNAL" not in (sites["public"] / "maintenance.ics").read_text()


def test_the_internal_build_has_every_window(sites: dict[str, Path]) -> None:
    events = _events(sites["internal"])
    assert {"MNT-0001", "MNT-0002", "MNT-0901", "MNT-0902"} <= set(events)
    assert str(events["MNT-0902"]["CLASS"]) == "PRIVATE"
    assert str(events["MNT-0902"]["SUMMARY"]).endswith("runners (internal)")
    # Internal entries count too: the one internal note makes a fourth revision.
    assert int(events["MNT-0901"]["SEQUENCE"]) == 4
    assert int(events["MNT-0001"]["SEQUENCE"]) == 4


def test_one_window_byte_for_byte(sites: dict[str, Path]) -> None:
    data = (sites["public"] / "maintenance.ics").read_bytes()
    text = data.decode("utf-8")
    assert MNT_0002 in text
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")


def test_text_is_escaped_and_folded_as_rfc_5545_says() -> None:
    assert escape("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 40  # two octets each: never cut inside one
    folded = fold(line)
    parts = folded.split("\r\n")
    assert parts[-1] == "" and all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:-1])
    assert "".join(p[1:] if n else p for n, p in enumerate(parts[:-1])) == line


def test_a_window_keeps_its_uid_without_a_base_url() -> None:
    assert uid("MNT-1", "https://status.example.org/sub", "Acme") == "MNT-1@status.example.org"
    first = uid("MNT-1", "", "Acme")
    assert first == uid("MNT-1", "", "Acme") != uid("MNT-1", "", "Other")
    assert first.startswith("MNT-1@") and first.endswith(".invalid")
