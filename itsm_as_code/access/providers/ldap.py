"""LDAP `groupOfNames` membership, through ldap3.

Connection settings (System `connection`):

- `url` or `url_env`: `ldap://ldap.internal:389` or `ldaps://...`
- `bind_dn` or `bind_dn_env`, and `password_env`: who itsm binds as
- `group_base`: where the groups are, `ou=groups,dc=example,dc=org`
- `group_attribute`: the attribute naming a group (default `cn`)
- `member_template`: a member's DN, `uid={account},ou=people,dc=example,dc=org`
- `empty_member`: the DN kept in a group whose last member is removed (default
  `cn=nobody`), since the schema requires a `groupOfNames` to have a member; it is
  never reported as a member
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Sequence
from string import hexdigits
from typing import Any

from itsm_as_code.access.providers.base import ChangeFailed, SystemUnavailable, Target

with warnings.catch_warnings():
    # ldap3 2.9 imports names that pyasn1 0.6 deprecates; nothing here can change that.
    warnings.simplefilter("ignore", DeprecationWarning)
    import ldap3
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars
    from ldap3.utils.dn import escape_rdn, parse_dn

# Result codes that mean the write was already in effect: the plan was right, the
# directory changed meanwhile, the read back will confirm.
ALREADY = {"attributeOrValueExists", "noSuchAttribute"}
_MARKER = "itsm-account-placeholder"


class LdapProvider:
    writable = True

    def __init__(self, target: Target, connection: ldap3.Connection) -> None:
        self.system = target.system
        self.connection = connection
        self.base = target.required("group_base", "the DN under which the groups are")
        self.attribute = target.setting("group_attribute", "cn") or "cn"
        self.template = target.required(
            "member_template", "a member's DN such as uid={account},ou=people,dc=example,dc=org")
        if "{account}" not in self.template:
            raise SystemUnavailable(self.system, "connection.member_template must contain "
                                    "{account}", configured=False)
        try:
            self.pattern = [(attribute.lower(), value) for attribute, value, _ in
                            parse_dn(self.template.replace("{account}", _MARKER))]
        except LDAPException:
            raise SystemUnavailable(self.system, f"connection.member_template "
                                    f"'{self.template}' is not a DN", configured=False) from None
        self.empty = target.setting("empty_member", "cn=nobody") or "cn=nobody"
        self.groups: dict[str, str] = {}
        self.seen: dict[str, str] = {}

    def read(self, roles: Sequence[str]) -> dict[str, set[str]]:
        if not roles:
            return {}
        names = "".join(f"({self.attribute}={escape_filter_chars(role)})" for role in roles)
        try:
            self.connection.search(
                self.base, f"(&(objectClass=groupOfNames)(|{names}))",
                attributes=[self.attribute, "member"])
        except LDAPException as error:
            raise SystemUnavailable(self.system, f"cannot search {self.base}: {error}") from None
        if self.connection.result["description"] not in ("success", "noSuchObject"):
            raise SystemUnavailable(self.system, f"cannot search {self.base}: "
                                    f"{_describe(self.connection.result)}")
        wanted = set(roles)
        found: dict[str, set[str]] = {}
        for entry in self.connection.response or []:
            if entry.get("type") != "searchResEntry":
                continue
            attributes: dict[str, Any] = entry["attributes"]
            role = next((name for name in attributes.get(self.attribute, []) if name in wanted),
                        None)
            if role is None:
                continue
            self.groups[role] = entry["dn"]
            accounts = found[role] = set()
            for dn in attributes.get("member", []):
                if not _same_dn(dn, self.empty):
                    account = self._account(dn)
                    self.seen[account] = dn
                    accounts.add(account)
        return found

    def grant(self, role: str, account: str) -> None:
        # Adding the member and dropping the placeholder in one modify keeps the group
        # valid at every moment.
        changes: list[tuple[str, list[str]]] = [(ldap3.MODIFY_ADD, [self._dn(account)])]
        self._modify(role, changes)
        self._modify(role, [(ldap3.MODIFY_DELETE, [self.empty])], quiet=True)

    def revoke(self, role: str, account: str) -> None:
        try:
            self._modify(role, [(ldap3.MODIFY_DELETE, [self._dn(account)])])
        except ChangeFailed as failure:
            if "objectClassViolation" not in str(failure):
                raise
            # The last member: the schema requires one, so the placeholder takes its place.
            self._modify(role, [(ldap3.MODIFY_ADD, [self.empty]),
                                (ldap3.MODIFY_DELETE, [self._dn(account)])])

    def close(self) -> None:
        self.connection.unbind()

    def _modify(self, role: str, changes: list[tuple[str, list[str]]], quiet: bool = False
                ) -> None:
        group = self.groups.get(role) or f"{self.attribute}={escape_rdn(role)},{self.base}"
        try:
            # types-ldap3 leaves modify untyped.
            self.connection.modify(group, {"member": changes})  # type: ignore[no-untyped-call]
        except LDAPException as error:
            raise ChangeFailed(f"{group}: {error}") from None
        description = self.connection.result["description"]
        if description != "success" and not quiet and description not in ALREADY:
            raise ChangeFailed(f"{group}: {_describe(self.connection.result)}")

    def _dn(self, account: str) -> str:
        # A member as read (its DN may differ in case or not follow the template at all),
        # else the DN the template makes.
        return self.seen.get(account) or self.template.replace("{account}", escape_rdn(account))

    def _account(self, dn: str) -> str:
        """The account in a member DN built from the template; the whole DN otherwise."""
        try:
            parts = [(attribute.lower(), value) for attribute, value, _ in parse_dn(dn)]
        except LDAPException:
            return dn
        if len(parts) != len(self.pattern):
            return dn
        account = None
        for (attribute, value), (want_attribute, want) in zip(parts, self.pattern, strict=True):
            if attribute != want_attribute:
                return dn
            if want == _MARKER:
                account = _unescape(value)
            elif value.lower() != want.lower():
                return dn
        return dn if account is None else account


def connect(target: Target) -> LdapProvider:
    url = target.required("url", "the server, such as ldap://ldap.internal:389")
    user = target.setting("bind_dn")
    password = target.secret("password_env") if "password_env" in target.connection else None
    try:
        server = ldap3.Server(url, connect_timeout=10)
        connection = ldap3.Connection(server, user=user, password=password, receive_timeout=30)
    except LDAPException as error:
        raise SystemUnavailable(target.system, f"connection.url '{without_userinfo(url)}' "
                                f"is not usable{_said(error)}: write it as "
                                "ldap://host:389 or ldaps://host:636, with the account in "
                                "bind_dn and the password in password_env",
                                configured=False) from None
    try:
        bound = connection.bind()
    except LDAPException as error:
        _abandon(connection)
        raise SystemUnavailable(
            target.system, f"cannot reach the LDAP server: {error}: check connection.url "
            "and that the server is up") from None
    if not bound:
        result = _describe(connection.result)
        _abandon(connection)
        raise SystemUnavailable(
            target.system, f"the LDAP server refused the bind: {result}: check the bind DN "
            "and the password in the environment variable connection.password_env names")
    return LdapProvider(target, connection)


def without_userinfo(url: str) -> str:
    """`url` as a message may quote it: whatever stands before an `@` (an account and its
    password, which ldap3 refuses in a URL) replaced by [hidden]. Up to the last `@`, so a
    password holding `@`, `/` or `?` is hidden whole."""
    if "@" not in url:
        return url
    scheme, separator, _ = url.partition("://")
    head = scheme + separator if separator else ""
    return f"{head}[hidden]@{url.rpartition('@')[2]}"


def _said(error: LDAPException) -> str:
    # ldap3 often raises with no text at all: then there is nothing to add.
    text = str(error).strip()
    return f" ({without_userinfo(text)})" if text else ""


def _abandon(connection: ldap3.Connection) -> None:
    # ldap3 leaves the socket of a failed open or bind open; close it, or Python warns.
    with contextlib.suppress(LDAPException):
        connection.unbind()
    if connection.socket is not None:
        connection.socket.close()


def _same_dn(left: str, right: str) -> bool:
    try:
        return [(a.lower(), v.lower()) for a, v, _ in parse_dn(left)] == [
            (a.lower(), v.lower()) for a, v, _ in parse_dn(right)]
    except LDAPException:
        return left.lower() == right.lower()


def _unescape(value: str) -> str:
    """An attribute value as written in a DN (RFC 4514: `\\,` or `\\2C`), as text."""
    out, index = bytearray(), 0
    while index < len(value):
        pair = value[index + 1:index + 3]
        if value[index] == "\\" and len(pair) == 2 and all(c in hexdigits for c in pair):
            out.append(int(pair, 16))
            index += 3
        elif value[index] == "\\" and index + 1 < len(value):
            out += value[index + 1].encode()
            index += 2
        else:
            out += value[index].encode()
            index += 1
    return out.decode("utf-8", errors="replace")


def _describe(result: dict[str, Any]) -> str:
    message = (result.get("message") or "").strip()
    return f"{result.get('description')}" + (f" ({message})" if message else "")
