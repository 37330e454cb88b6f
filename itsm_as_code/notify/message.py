"""A message to one channel: what delivery sends, whatever made it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    key: str        # idempotency key: hex sha256 of (event key, channel id)[:32]
    channel: str    # Channel id
    event: str      # e.g. "incident.opened"
    record: str     # record id
    subject: str    # one line
    text: str       # plain text body (markdown allowed: chat channels render it)
    public: bool    # True only when the record and the entry are public
    url: str | None = None   # the record's page on the status site, when public
    # Addresses told beside the channel's own (a service request's requester, on an
    # e-mail channel); empty for most messages.
    recipients: tuple[str, ...] = ()
