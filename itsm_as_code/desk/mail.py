"""An e-mail to the desk (RFC 5322, as a mail-to-webhook gateway or procmail delivers
it) into a submission, or into an update of the record its subject names; and the reply.

Which form a message fills is told by a tag, in the address (`desk+incident@...`,
`desk+new-laptop@...`) or in the subject (`[incident] VPN drops`); without one it is a
question (the general-question request type). Its text answers the form's first textarea,
or, when it holds the form's `### <label>` sections (as an issue's body does), each
question. A subject that names a record (`Re: [REQ-0042] ...`) makes the message an
update of that record, when its sender is a Person or the address the record came from.

Hostile mail: a message over 1 MiB is refused unread; attachments are never kept (the
reply says so); HTML-only mail is turned into text, its markup dropped, never stored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

from itsm_as_code.desk.answers import clean, sections
from itsm_as_code.desk.forms import INCIDENT_FORM, QUESTION_TYPE, Form
from itsm_as_code.desk.intake import Submission
from itsm_as_code.errors import UsageError

MAX_MAIL = 1024 * 1024
RECORD_TAG = re.compile(r"\[([A-Z][A-Z0-9]{0,9}-[0-9]{1,9})\]")
FORM_TAG = re.compile(r"^\s*\[([a-z0-9][a-z0-9._-]{0,63})\]\s*")
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|fwd?|wg|sv)\s*:\s*)+", re.IGNORECASE)
QUOTED = re.compile(r"^(?:>.*|On .{0,200} wrote:\s*)$")


@dataclass(frozen=True)
class Mail:
    """What intake reads of a message."""

    sender: str
    sender_name: str
    to: str
    subject: str
    text: str
    message_id: str | None
    references: tuple[str, ...]
    attachments: int
    tag: str | None


def read_mail(raw: bytes, name: str) -> Mail:
    """The message's sender, subject, text and threading headers; UsageError when it is
    not a message intake can read (too large, no sender)."""
    if len(raw) > MAX_MAIL:
        raise UsageError(f"{name}: the message is larger than {MAX_MAIL // 1024} KiB: it was "
                         "not read")
    message = message_from_bytes(raw, policy=policy.default)
    try:
        senders = message["from"].addresses if message["from"] is not None else ()
    except (AttributeError, ValueError, IndexError):
        senders = ()
    if not senders or not senders[0].addr_spec or "@" not in senders[0].addr_spec:
        raise UsageError(f"{name}: the message has no sender address (From:)")
    subject = " ".join(clean(str(message.get("subject", "") or "")).split())
    text, attachments = _text(message)
    to = _first(message, "delivered-to") or _first(message, "to") or ""
    return Mail(senders[0].addr_spec.lower(), clean(senders[0].display_name or "")[:100],
                to, subject[:998], text, _message_id(message.get("message-id")),
                tuple(_ids(str(message.get("references", "") or ""))), attachments,
                _tag(to, subject))


def _first(message: EmailMessage, header: str) -> str | None:
    try:
        found = message[header]
        addresses = found.addresses if found is not None else ()
    except (AttributeError, ValueError, IndexError):
        return None
    return addresses[0].addr_spec.lower() if addresses else None


def _tag(to: str, subject: str) -> str | None:
    local = to.partition("@")[0]
    if "+" in local:
        return local.partition("+")[2] or None
    match = FORM_TAG.match(REPLY_PREFIX.sub("", subject))
    return match.group(1) if match else None


def _message_id(value: Any) -> str | None:
    found = _ids(str(value or ""))
    return found[0] if found else None


def _ids(text: str) -> list[str]:
    return re.findall(r"<[^<>\s]{1,900}>", text)[:50]


def _text(message: EmailMessage) -> tuple[str, int]:
    """The message's text (plain preferred, else HTML made text) and how many attachments
    it had (not kept)."""
    attachments = sum(1 for _ in message.iter_attachments()) if message.is_multipart() else 0
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", attachments
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):
        content = body.get_payload(decode=True) or b""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        return "", attachments
    if body.get_content_subtype() == "html":
        content = html_text(content)
    return clean(content).strip(), attachments


class _Text(HTMLParser):
    """HTML to text: the text between the tags, line breaks at blocks; what scripts,
    styles, the head and quoted messages hold is dropped."""

    # A blockquote is the message replied to: not the sender's own words.
    SKIP = frozenset({"script", "style", "head", "title", "template", "blockquote"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", no_markup("\n".join(lines))).strip()


def no_markup(text: str) -> str:
    """Text whose angle brackets are quotation marks: what looked like a tag (`<script>`,
    or `&lt;script&gt;` in HTML) stays readable text, and no markup reaches a record."""
    return text.replace("<", "\u2039").replace(">", "\u203a")


def without_quotes(text: str) -> str:
    """A reply's own words: the quoted message below it (`> ...`, `On ... wrote:`)
    left out."""
    kept = [line for line in text.splitlines() if not QUOTED.match(line)]
    return "\n".join(kept).strip()


def record_named(mail: Mail) -> str | None:
    match = RECORD_TAG.search(mail.subject)
    return match.group(1) if match else None


def mail_submission(mail: Mail, forms: list[Form]) -> Submission:
    origin: dict[str, Any] = {"channel": "email", "email": mail.sender}
    if mail.message_id is not None:
        origin["message_id"] = mail.message_id
    key = mail.tag or QUESTION_TYPE
    form = next((item for item in forms if item.key == key), None)
    if form is None:
        known = ", ".join(sorted(item.key for item in forms))
        return Submission(None, mail.subject, {}, origin, (
            f"the desk has no form `{key}`: write to an address or subject tagged with one "
            f"of {known}",))
    subject = FORM_TAG.sub("", REPLY_PREFIX.sub("", mail.subject), count=1)
    labels = [item.label for item in form.fields]
    found, missing = sections(mail.text, labels) if labels else ({}, [])
    if labels and len(missing) < len(labels):
        given = {item.id: found.get(item.label) for item in form.fields}
    else:
        first = next((item for item in form.asked if item.type == "textarea"), None)
        given = {first.id: mail.text or None} if first is not None else {}
        if form.key == INCIDENT_FORM:
            given["service"] = None
    return Submission(form, subject, given, origin)


def reply_message(mail: Mail, record_id: str | None, text: str, now_text: str,
                  desk: str, organization: str) -> str:
    """The reply as RFC 5322 text: to the sender, from the desk's address, in the same
    thread (In-Reply-To, References), its subject naming the record."""
    message = EmailMessage(policy=policy.SMTP)
    subject = REPLY_PREFIX.sub("", mail.subject) or "Your message"
    if record_id is not None and f"[{record_id}]" not in subject:
        subject = f"[{record_id}] {subject}"
    message["Subject"] = f"Re: {subject}"
    message["From"] = Address(f"{organization} service desk", addr_spec=desk)
    message["To"] = Address(mail.sender_name, addr_spec=mail.sender)
    message["Date"] = now_text
    digest = hashlib.sha256(f"{mail.message_id}{record_id}{text}".encode()).hexdigest()[:20]
    message["Message-ID"] = f"<desk.{digest}@{desk.partition('@')[2] or 'localhost'}>"
    if mail.message_id is not None:
        message["In-Reply-To"] = mail.message_id
        message["References"] = " ".join([*mail.references, mail.message_id][-20:])
    message.set_content(text)
    return message.as_string(policy=policy.SMTP.clone(linesep="\n"))

