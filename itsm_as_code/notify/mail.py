"""E-mail: one RFC 5322 message per Message, handed to the channel's SMTP server.

The Message-ID is made from the idempotency key, so a message that a crash made itsm
send twice carries the same id both times and mail systems that deduplicate by it show
it once. The connection is upgraded with STARTTLS and the server's certificate checked
(the system's trust store, or the file SSL_CERT_FILE names) before a login or a byte of
the message; without STARTTLS there is no login (the `channel-settings` rule).

A message goes to the channel's `to` and to its own recipients (a request's requester,
the people an escalation level names). Only the channel's `to` is written in the To
header; the others are blind copies (envelope recipients alone), so no requester ever
sees another's address.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from itsm_as_code.model.types.notifications import Channel, Smtp
from itsm_as_code.notify.message import Message
from itsm_as_code.notify.retry import Outcome

SET_SECRET = "set it in the run's environment (in CI: the step's env, from a secret)"
# A plain address, as the channel schema's `mailbox` has it: what an SMTP envelope takes
# without quoting (a Person's `email` is looser).
MAILBOX = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")


def build(message: Message, channel: Channel, sent_at: float) -> EmailMessage:
    """The e-mail for `message` on `channel` (which has `from` and `to`)."""
    mail = EmailMessage(policy=SMTP)
    sender = channel.sender or ""
    mail["From"] = sender
    mail["To"] = ", ".join(channel.to)
    mail["Subject"] = " ".join(message.subject.split())
    mail["Date"] = format_datetime(datetime.fromtimestamp(int(sent_at), timezone.utc))
    mail["Message-ID"] = message_id(message.key, sender)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a bot
    mail["X-Itsm-Delivery"] = message.key
    mail["X-Itsm-Event"] = message.event
    body = message.text.rstrip("\n") + "\n"
    if message.url and message.url not in message.text:
        body += f"\n{message.url}\n"  # the shipped templates end with it already
    mail.set_content(body)
    return mail


def message_id(key: str, sender: str) -> str:
    """`<key@domain>`, the domain the sender's."""
    domain = sender.rpartition("@")[2] or "itsm.invalid"
    return f"<{key}@{domain}>"


def envelope(message: Message, channel: Channel) -> list[str]:
    """Whom the mail goes to: the channel's `to`, then the message's recipients that are
    plain addresses, each once (addresses differing only in case are one)."""
    found: dict[str, str] = {}
    for address in (*channel.to, *message.recipients):
        if MAILBOX.fullmatch(address):
            found.setdefault(address.lower(), address)
    return list(found.values())


def send(mail: EmailMessage, recipients: Sequence[str], server: Smtp,
         environ: Mapping[str, str], timeout: float) -> Outcome:
    """Hand `mail` to `server` for `recipients` (the envelope; the headers name only the
    channel's own); a 4xx reply, a timeout or a lost connection is transient."""
    login = _login(server, environ)
    if isinstance(login, str):
        return Outcome(False, login, fix=SET_SECRET)
    try:
        with smtplib.SMTP(server.host, server.port, timeout=timeout) as smtp:
            smtp.ehlo()
            if server.starttls:
                if not smtp.has_extn("starttls"):
                    return Outcome(False, f"{server.host} does not offer STARTTLS")
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if login is not None:
                smtp.login(*login)
            refused = smtp.send_message(mail, to_addrs=list(recipients))
    except smtplib.SMTPNotSupportedError as error:
        return Outcome(False, f"{server.host}: {error}")
    except smtplib.SMTPRecipientsRefused as error:
        codes = sorted({code for code, _ in error.recipients.values()})
        return _reply(codes[0], "every recipient refused")
    except smtplib.SMTPResponseException as error:
        said = error.smtp_error.decode("utf-8", "replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        return _reply(error.smtp_code, " ".join(said.split())[:120])
    except ssl.SSLCertVerificationError as error:
        return Outcome(False, f"the certificate of {server.host} cannot be trusted: "
                       f"{error.verify_message}", fix="give the server a certificate the "
                       "system trusts, or name its CA's file in SSL_CERT_FILE")
    except TimeoutError:
        return Outcome(False, f"no answer within {timeout:g}s", transient=True)
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(False, f"connection lost: {error}", transient=True)
    if refused:
        return Outcome(True, f"SMTP accepted, refused for {_refused(refused, mail)}")
    return Outcome(True, "SMTP accepted")


def _refused(refused: Mapping[str, object], mail: EmailMessage) -> str:
    """The refused addresses of the To header by name, the blind copies by count: a
    report may be read by more people than the mail was."""
    shown = {address.strip().lower() for address in str(mail["To"] or "").split(",")}
    named = sorted(address for address in refused if address.lower() in shown)
    hidden = len(refused) - len(named)
    if hidden:
        named.append(f"{hidden} other recipient(s)")
    return ", ".join(named)


def _reply(code: int, said: str) -> Outcome:
    return Outcome(False, f"SMTP {code} {said}".rstrip(), transient=400 <= code < 500)


def _login(server: Smtp, environ: Mapping[str, str]) -> tuple[str, str] | str | None:
    """The user name and password, None without a login, or what is missing."""
    if server.username_env is None or server.password_env is None:
        return None
    for name in (server.username_env, server.password_env):
        if not environ.get(name):
            return f"the environment variable {name} is not set"
    return environ[server.username_env], environ[server.password_env]
