"""Subscriptions and channels, read from their records' data.

A reader trusts the schema: it runs only on records that passed it, and a missing
optional field becomes None, empty or its schema default (model/build.py holds the
registry of readers by kind).
"""

from __future__ import annotations

from itsm_as_code.model.readers.values import Data
from itsm_as_code.model.types.notifications import Channel, Smtp, Subscription


def subscription(data: Data) -> Subscription:
    get = data.get
    return Subscription(
        data["id"], data["channel"], tuple(get("services", ())), tuple(get("groups", ())),
        tuple(get("kinds", ())), tuple(get("events", ())), tuple(get("priorities", ())),
        get("audience", "public"), get("requester", False), get("description"),
    )


def channel(data: Data) -> Channel:
    get = data.get
    smtp = get("smtp")
    server = None if smtp is None else Smtp(
        smtp["host"], smtp.get("port", 587), smtp.get("starttls", True),
        smtp.get("username_env"), smtp.get("password_env"))
    return Channel(data["id"], data["type"], data["audience"], get("name"),
                     get("description"), get("url_env"), get("secret_env"), server,
                     get("from"), tuple(get("to", ())))
