"""PostgreSQL connection strings, read without ever repeating the secrets they hold.

libpq quotes the string, or the token it stopped at, in its parse errors (`invalid
percent-encoded token: "s3cr%t"`, `missing "=" after "cr"`): that text would reach the
plan, a pull request comment and the evidence file. So the string is parsed here first
and a string that does not parse is described without libpq's words; the messages of a
string that parsed are cleaned of its password and of the string itself, in every form
they may take (as written, percent-decoded, percent-encoded).
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from psycopg import Error
from psycopg.conninfo import conninfo_to_dict

HIDDEN = "[hidden]"
MALFORMED = ("is not a connection string libpq can read (its own message is not shown, as "
             "it quotes the string): in a URI write % as %25 and percent-encode @ : / ? # "
             "in the user and password; in key=value form put a value with spaces, quotes "
             "or backslashes in single quotes, with \\' and \\\\ inside")


class Malformed(Exception):
    """The connection string does not parse; the message never quotes it."""


def secrets(dsn: str) -> list[str]:
    """What a message about `dsn` must never show: the string, its password and the
    password's other spellings, longest first (so a part never hides a longer one)."""
    try:
        password = conninfo_to_dict(dsn).get("password")
    except Error:
        raise Malformed(MALFORMED) from None
    found = {dsn}
    if isinstance(password, str) and password:
        found |= {password, quote(password, safe=""), quote(password), unquote(password)}
    return sorted(found, key=len, reverse=True)


def redact(text: str, hidden: list[str]) -> str:
    """`text` with every secret replaced by HIDDEN."""
    for secret in hidden:
        if secret:
            text = text.replace(secret, HIDDEN)
    return text
