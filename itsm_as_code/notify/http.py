"""One HTTP POST to a webhook, and what its answer means for trying again.

Redirects are not followed (a webhook that moved is a failure to fix, and a signed body
goes to no other address than the one configured). A URL must be https, or http to this
machine only: the URL itself is the secret of an incoming webhook and is never shown.
"""

from __future__ import annotations

import email.utils
import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import urlsplit

from itsm_as_code import __version__
from itsm_as_code.notify.retry import Outcome

USER_AGENT = f"itsm-as-code/{__version__}"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
ANSWER_SHOWN = 120  # characters of an error's answer in a report


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                         msg: str, headers: http.client.HTTPMessage, newurl: str) -> None:
        return None  # the 3xx comes back as an HTTPError


_OPENER = urllib.request.build_opener(_NoRedirect)


def url_problem(url: str) -> str | None:
    """Why `url` is not sent to, or None; never quoting it (it is a secret)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return "is not a URL"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and host in LOOPBACK:
        return None
    if parts.scheme == "http":
        return "is http: only https is sent to (http to this machine only)"
    return "is not an https URL"


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float,
         now: float) -> Outcome:
    """POST `body` (at `now`, epoch seconds, for a Retry-After given as a date); a 2xx is
    success, a 5xx, 429, timeout or lost connection transient."""
    request = urllib.request.Request(url.strip(), data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
        **headers})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65536)
            return Outcome(True, f"HTTP {response.status}")
    except urllib.error.HTTPError as error:
        return _refused(error, now)
    except TimeoutError:
        return Outcome(False, f"no answer within {timeout:g}s", transient=True)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return Outcome(False, f"no answer within {timeout:g}s", transient=True)
        return Outcome(False, f"cannot connect: {_reason(error.reason)}", transient=True)
    except (http.client.HTTPException, OSError) as error:
        return Outcome(False, f"connection lost: {_reason(error)}", transient=True)


def _refused(error: urllib.error.HTTPError, now: float) -> Outcome:
    code = error.code
    try:
        answer = error.read(4096).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        answer = ""
    finally:
        error.close()
    said = " ".join(answer.split())[:ANSWER_SHOWN]
    status = f"HTTP {code} {error.reason}".rstrip() + (f": {said}" if said else "")
    wait = retry_after(error.headers.get("Retry-After"), now) if code in (429, 503) else None
    return Outcome(False, status, transient=code >= 500 or code == 429, wait=wait)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a Retry-After asks for: a number, or an HTTP date (`now`: epoch seconds)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)


def _reason(reason: Any) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
