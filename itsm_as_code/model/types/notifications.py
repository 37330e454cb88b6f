"""Telling people: the channels messages go to and the subscriptions that say who wants
to be told what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from itsm_as_code.model.types.organisation import Visibility


@dataclass(frozen=True, slots=True)
class Subscription:
    """Who wants to be told what (notify/match.py reads it): empty filters match all."""

    id: str
    channel: str
    services: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    audience: Visibility = "public"
    requester: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Smtp:
    """The SMTP server an e-mail channel hands its messages to; secrets by variable name."""

    host: str
    port: int = 587
    starttls: bool = True
    username_env: str | None = None
    password_env: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """Where messages go (notify/deliver.py sends them). Which of the settings a type
    needs is the `channel-settings` rule's to check: a value here may be None."""

    id: str
    type: Literal["slack", "teams", "webhook", "email"]
    audience: Visibility
    name: str | None = None
    description: str | None = None
    url_env: str | None = None
    secret_env: str | None = None
    smtp: Smtp | None = None
    sender: str | None = None  # `from` in the record
    to: tuple[str, ...] = ()

    @property
    def public(self) -> bool:
        return self.audience == "public"
