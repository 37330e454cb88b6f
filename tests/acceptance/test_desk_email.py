"""The front door by e-mail: a message becomes a record and gets a reply in its thread;
a reply naming the record adds to it."""

from __future__ import annotations

from email import message_from_string, policy
from pathlib import Path

import pytest
import yaml

from tests.helpers import NOW_TEXT, copy_demo, run_itsm

PAYLOADS = Path(__file__).parent / "payloads" / "email"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "itsm")


def mail(root: Path, name: str, now: str = NOW_TEXT, text: str | None = None
         ) -> tuple[int, str, str]:
    source = str(PAYLOADS / name) if text is None else "-"
    reply = root.parent / "reply.eml"
    result = run_itsm("desk", "intake", "--email", source, "--reply", str(reply), "--now",
                      now, cwd=root, stdin=text)
    written = reply.read_text() if reply.exists() else ""
    reply.unlink(missing_ok=True)
    return result.code, result.stdout + result.stderr, written


def test_a_mail_becomes_a_question_and_its_reply_threads_onto_it(demo: Path) -> None:
    code, output, sent = mail(demo, "question.eml")
    assert code == 0, output
    record = yaml.safe_load((demo / "records/requests/REQ-0006.yaml").read_text())
    assert record["type"] == "general-question"
    assert record["requested_by"] == "marta-nowak"  # From: matched case aside
    assert record["title"] == "Where do I find the settlement exports \u2013 archive?"
    assert record["answers"]["question"].startswith("Hello,\n\nwhere do I find")
    assert record["origin"] == {"channel": "email",
                                "email": "marta.nowak@northwind-payments.example",
                                "message_id": "<CAF3k9x-1a2b3c@mail.northwind-payments.example>"}
    reply = message_from_string(sent, policy=policy.default)
    assert reply["Subject"] == "Re: [REQ-0006] Where do I find the settlement exports " \
        "\u2013 archive?"
    assert reply["To"] == "Marta Nowak <marta.nowak@northwind-payments.example>"
    assert reply["From"] == \
        "Northwind Payments service desk <desk@northwind-payments.example>"
    assert reply["In-Reply-To"] == "<CAF3k9x-1a2b3c@mail.northwind-payments.example>"
    assert reply["References"] == "<CAF3k9x-1a2b3c@mail.northwind-payments.example>"
    assert reply.get_content() == """Thank you, Marta Nowak.

Your request is recorded as REQ-0006: Where do I find the settlement exports \u2013 archive?

What happens next:
- No approval is needed: this is a standard request.
- Then Platform Engineering fulfils it.
- Expected: a first answer by 2026-11-24 10:00 CET.
- Expected: done by 2026-12-02 10:00 CET.

Updates on REQ-0006 come to you by e-mail, in this thread.

Your message had 1 attachment(s): the service desk does not keep attachments; put what \
matters in the text.
"""
    # With --reply FILE, the answer's text is also shown.
    assert output == reply.get_content().split("\nYour message had")[0]
    # Her answer to the reply: an update of REQ-0006, its HTML made text, quotes left out.
    code, output, sent = mail(demo, "reply.eml", "2026-11-22T11:05:00+01:00")
    assert code == 0, output
    updates = list((demo / "records/requests/REQ-0006.updates").glob("*.yaml"))
    assert len(updates) == 1
    entry = yaml.load(updates[0].read_text(), Loader=yaml.BaseLoader)
    assert entry == {"at": "2026-11-22T11:05:00+01:00", "author": "marta-nowak",
                     "message": "E-mail from Marta Nowak:\n\nFound it myself: the exports "
                                "moved to \\\\finance\\settlement\\2026. You can close it.\n\n"
                                "Gr\u00fc\u00dfe, Marta"}
    assert "alert" not in updates[0].read_text()
    reply = message_from_string(sent, policy=policy.default)
    assert reply["Subject"] == "Re: [REQ-0006] Where do I find the settlement exports - " \
        "archive?"
    assert reply["References"].split() == [
        "<CAF3k9x-1a2b3c@mail.northwind-payments.example>",
        "<desk.3da145416e1f4c65ed71@northwind-payments.example>",
        "<CAF3k9x-7d8e9f@mail.northwind-payments.example>"]
    assert run_itsm("validate", "--now", "2026-11-22T12:00:00+01:00", cwd=demo).code == 0


STRANGER = """From: Someone <someone@elsewhere.example>
To: desk@northwind-payments.example
Subject: Re: [REQ-0001] let me in
Message-ID: <x1@elsewhere.example>

I approve this.
"""


def test_a_stranger_cannot_add_to_a_record(demo: Path) -> None:
    code, output, sent = mail(demo, "", text=STRANGER)
    assert code == 1
    assert "only the people of Northwind Payments, and whoever opened REQ-0001, may add " \
        "to it: write from your work address" in output
    assert not (demo / "records/requests/REQ-0001.updates").exists()
    assert "Re: [REQ-0001] let me in" in sent


def test_a_problem_report_by_mail_needs_its_service(demo: Path) -> None:
    text = ("From: Tom Fischer <tom.fischer@northwind-payments.example>\n"
            "To: desk+incident@northwind-payments.example\nSubject: Payouts page empty\n"
            "Message-ID: <p1@northwind-payments.example>\n\nThe payouts page is empty.\n")
    code, output, _ = mail(demo, "", text=text)
    assert code == 1
    assert '"Which service has the problem?" is required: answer it' in output
    sections = text.replace("The payouts page is empty.", (
        "### Which service has the problem?\n\nMerchant Dashboard\n\n### What happens?\n\n"
        "The payouts page is empty."))
    code, output, _ = mail(demo, "", text=sections)
    assert code == 0, output
    assert "Your report is recorded as INC-0028: Payouts page empty." in output


def test_mail_that_cannot_be_read_is_a_usage_error(demo: Path) -> None:
    assert mail(demo, "", text="Subject: no sender\n\nhello\n")[:2] == (
        2, "error: <stdin>: the message has no sender address (From:)\n")
    code, output, _ = mail(demo, "", text="From: a@b.example\n\n" + "x" * (1024 * 1024))
    assert code == 2
    assert "the message is larger than 1024 KiB" in output
