"""Real receivers for the notification tests, on 127.0.0.1 only.

`WebhookReceiver`: an HTTP server that takes POSTs on any path, checks the signature of a
signed webhook as the README tells a receiver to (HMAC-SHA256 over `timestamp.body`,
a timestamp within five minutes, compared in constant time), records what it accepted,
and fails on purpose when told to: an error status a number of times (with Retry-After),
or an answer slower than the sender waits.

`MailReceiver`: aiosmtpd's SMTP server with STARTTLS required (a self-signed certificate
made here with the openssl command line) and a login, which records each message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SmtpServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

REPLAY_WINDOW = 300  # seconds, as the README advises


def verify(secret: str, headers: dict[str, str], body: bytes, now: float) -> str | None:
    """What is wrong with a signed delivery, or None: the README's receiver, in Python."""
    stamp = headers.get("x-itsm-timestamp", "")
    given = headers.get("x-itsm-signature", "")
    if not stamp.isdigit() or abs(now - int(stamp)) > REPLAY_WINDOW:
        return "stale or missing timestamp"
    expected = "sha256=" + hmac.new(secret.encode(), stamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, given) else "bad signature"


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Misbehaviour:
    status: int = 500
    delay: float = 0.0
    retry_after: str | None = None


@dataclass
class WebhookReceiver:
    """Deliveries by path; `secrets` by path makes that path check signatures."""

    secrets: dict[str, str] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    accepted: list[Request] = field(default_factory=list)
    refused: list[tuple[Request, str]] = field(default_factory=list)
    answers: list[tuple[str, int]] = field(default_factory=list)  # (path, status) each
    plans: dict[str, deque[Misbehaviour]] = field(default_factory=dict)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def fail(self, path: str, status: int, times: int = 1,
             retry_after: str | None = None) -> None:
        """Answer `status` to the next `times` requests on `path`."""
        self.plans.setdefault(path, deque()).extend(
            Misbehaviour(status, 0.0, retry_after) for _ in range(times))

    def stall(self, path: str, seconds: float, times: int = 1) -> None:
        """Answer the next `times` requests on `path` only after `seconds`."""
        self.plans.setdefault(path, deque()).extend(
            Misbehaviour(200, seconds) for _ in range(times))

    def on(self, path: str) -> list[Request]:
        return [request for request in self.accepted if request.path == path]

    def handle(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        plan = self.plans.get(request.path)
        if plan:
            misbehaviour = plan.popleft()
            if misbehaviour.delay:
                time.sleep(misbehaviour.delay)
            if misbehaviour.status >= 300:
                extra = ({"Retry-After": misbehaviour.retry_after}
                         if misbehaviour.retry_after else {})
                return misbehaviour.status, extra, b"failing on purpose"
        secret = self.secrets.get(request.path)
        if secret is not None:
            problem = verify(secret, request.headers, request.body, self.clock())
            if problem is not None:
                self.refused.append((request, problem))
                return 401, {}, problem.encode()
        self.accepted.append(request)
        return 200, {}, b"ok"


@contextmanager
def webhook_receiver(receiver: WebhookReceiver) -> Iterator[WebhookReceiver]:
    """`receiver` listening on a free port of 127.0.0.1 for the duration."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                              self.rfile.read(length))
            status, headers, body = receiver.handle(request)
            receiver.answers.append((request.path, status))
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the sender gave up waiting (a stalled answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a connection the sender dropped

    server = Server(("127.0.0.1", 0), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, made by openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@dataclass
class MailReceiver:
    """What the SMTP server took, and replies it gives on purpose."""

    user: str = "itsm"
    password: str = "mail-secret"
    messages: list[tuple[str, list[str], EmailMessage, bool]] = field(default_factory=list)
    replies: deque[str] = field(default_factory=deque)  # e.g. "451 try later", once each
    unknown: set[str] = field(default_factory=set)  # addresses refused at RCPT TO
    port: int = 0

    def parsed(self) -> list[EmailMessage]:
        return [message for _, _, message, _ in self.messages]

    async def handle_RCPT(self, server: SmtpServer, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.unknown:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SmtpServer, session: Session,
                          envelope: Envelope) -> str:
        if self.replies:
            return self.replies.popleft()
        content = envelope.original_content or b""
        parsed = message_from_bytes(content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos],
                              parsed, session.ssl is not None))
        return "250 OK"

    def authenticate(self, server: SmtpServer, session: Session, envelope: Envelope,
                     mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user.encode()
              and auth_data.password == self.password.encode())
        return AuthResult(success=ok, handled=False)  # False: the server says 535


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def mail_receiver(receiver: MailReceiver, cert: Path, key: Path) -> Iterator[MailReceiver]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS before a login or a message."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    receiver.port = _free_port()
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port,
                            tls_context=context, require_starttls=True,
                            auth_require_tls=True, authenticator=receiver.authenticate)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()
