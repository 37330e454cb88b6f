"""Channels: each type has the settings it needs, and secrets are only ever named.

A channel's `*_env` fields hold the names of environment variables. A URL or a key
pasted there instead is a secret committed to git: the finding says so before a pull
request merges (the history keeps it even after a fix, hence the advice to rotate).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from itsm_as_code.model.types.notifications import Channel
from itsm_as_code.rule import Hit, Place
from itsm_as_code.validation.rules.base import Judged
from itsm_as_code.yamlerrors import shown

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
# Prefixes of well-known tokens that are valid variable names all the same.
TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "sk_live_",
                  "rk_live_", "AKIA", "ASIA")
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(?:www\.|hooks\.)", re.IGNORECASE)
NEEDS: dict[str, tuple[str, ...]] = {
    "slack": ("url_env",), "teams": ("url_env",), "webhook": ("url_env", "secret_env"),
    "email": ("smtp", "from", "to"),
}
ALL_SETTINGS = ("url_env", "secret_env", "smtp", "from", "to")


def _settings(channel: Channel) -> dict[str, object]:
    return {"url_env": channel.url_env, "secret_env": channel.secret_env,
            "smtp": channel.smtp, "from": channel.sender, "to": channel.to or None}


def settings(judged: Judged) -> Iterator[Hit]:
    """Each type's settings are there, and no other type's: a webhook without its signing
    key, an e-mail channel without a server, a login without STARTTLS."""
    for record, channel in judged.values("Channel", Channel):
        given = _settings(channel)
        needed = NEEDS[channel.type]
        for name in needed:
            if given[name] is None:
                yield Hit(record, f"{_a(channel.type)} channel needs `{name}`: "
                          f"{_why(channel.type, name)}", ("type",))
        for name in ALL_SETTINGS:
            if name not in needed and given[name] is not None:
                yield Hit(record, f"`{name}` is not used by {_a(channel.type)} channel "
                          f"(it needs {', '.join(f'`{n}`' for n in needed)}): remove it",
                          (name,), key=True)
        smtp = channel.smtp
        if smtp is not None and channel.type == "email":
            if (smtp.username_env or smtp.password_env) and not smtp.starttls:
                yield Hit(record, "a login without STARTTLS would send the password in "
                          "clear text: set `starttls: true` or remove the login",
                          ("smtp", "starttls"))
            if bool(smtp.username_env) != bool(smtp.password_env):
                missing = "password_env" if smtp.username_env else "username_env"
                yield Hit(record, f"a login needs both `username_env` and `password_env`: "
                          f"add `{missing}`", ("smtp",))


def _a(kind: str) -> str:
    return f"an {kind}" if kind == "email" else f"a {kind}"


def _why(kind: str, name: str) -> str:
    if name == "url_env":
        return (f"the name of the environment variable that holds the {kind} webhook's URL, "
                "such as OPS_WEBHOOK_URL")
    if name == "secret_env":
        return ("the name of the environment variable that holds the key each request is "
                "signed with, such as OPS_WEBHOOK_SECRET")
    return {"smtp": "the server, such as `{host: smtp.example.org, port: 587}`",
            "from": "the sender's address", "to": "the addresses messages go to"}[name]


def secrets(judged: Judged) -> Iterator[Hit]:
    """Every `*_env` field names an environment variable, and is neither a URL nor
    something that looks like a key or token."""
    for record, channel in judged.values("Channel", Channel):
        for place, value in _names(channel):
            problem = secret_problem(value)
            if problem is not None:
                yield Hit(record, f"{'.'.join(map(str, place))}: {problem}", place)


def _names(channel: Channel) -> Iterator[tuple[Place, str]]:
    for name in ("url_env", "secret_env"):
        value = getattr(channel, name)
        if value is not None:
            yield (name,), value
    if channel.smtp is not None:
        for name in ("username_env", "password_env"):
            value = getattr(channel.smtp, name)
            if value is not None:
                yield ("smtp", name), value


def secret_problem(value: str) -> str | None:
    """Why `value` cannot stand as the name of an environment variable, or None."""
    rotate = ("if it is real, treat it as leaked: rotate it, store it as a secret "
              "of the CI runner, and write the variable's name here")
    if URL.search(value.strip()):
        return (f"{_short(value)} is a URL, not the name of an environment variable: "
                f"{rotate}")
    if not ENV_NAME.match(value):
        return (f"{_short(value)} is not the name of an environment variable (letters, "
                f"digits and `_`, not starting with a digit, at most 128): {rotate}")
    if _looks_like_key(value):
        return f"{_short(value)} looks like a key or token, not a variable's name: {rotate}"
    return None


def _looks_like_key(name: str) -> bool:
    if name.startswith(TOKEN_PREFIXES):
        return True
    digits = sum(character.isdigit() for character in name)
    mixed_case = any(c.islower() for c in name) and any(c.isupper() for c in name)
    # Variable names are words joined by `_`; keys are long runs of mixed characters.
    return ((len(name) >= 20 and mixed_case and digits >= 2)
            or (len(name) >= 16 and "_" not in name and digits >= 4))


def _short(value: str) -> str:
    """Enough of the value to find it, never the whole secret."""
    return f"'{shown(value[:8])}...'" if len(value) > 16 else f"'{shown(value)}'"
