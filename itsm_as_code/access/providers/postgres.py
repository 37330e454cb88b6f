"""PostgreSQL role membership (`GRANT role TO account`), through psycopg 3.

Connection settings (System `connection`): `dsn_env`, the environment variable holding a
libpq connection string or URI (`postgresql://itsm_bot:...@db.internal/payments`).
The connecting role needs CREATEROLE (or ADMIN OPTION on the managed roles).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import sql

from itsm_as_code.access.providers.base import ChangeFailed, SystemUnavailable, Target
from itsm_as_code.access.providers.dsn import Malformed, redact, secrets

# One query for every managed role of the system. Built-in `pg_*` roles are PostgreSQL's
# own business, never a policy's; so is the role itsm connects as, which PostgreSQL 16
# makes a member (with ADMIN OPTION) of every role it creates or administers.
READ = """
SELECT r.rolname, m.rolname
FROM pg_catalog.pg_roles AS r
LEFT JOIN pg_catalog.pg_auth_members AS am ON am.roleid = r.oid
LEFT JOIN pg_catalog.pg_roles AS m ON m.oid = am.member
    AND left(m.rolname, 3) <> 'pg_' AND m.rolname <> current_user
WHERE r.rolname = ANY(%s)
"""


class PostgresProvider:
    writable = True

    def __init__(self, system: str, connection: psycopg.Connection[tuple[str, str | None]],
                 hidden: list[str]) -> None:
        self.system = system
        self.connection = connection
        self.hidden = hidden  # never in a message (see access/providers/dsn.py)
        self.warnings: list[str] = []
        connection.add_notice_handler(self._notice)

    def _notice(self, diagnostic: psycopg.errors.Diagnostic) -> None:
        # PostgreSQL 16 and later answer a REVOKE of a membership that another role granted
        # with a WARNING, and keep the membership: that is a failed change, not a success.
        if diagnostic.severity_nonlocalized == "WARNING" and diagnostic.message_primary:
            self.warnings.append(diagnostic.message_primary)

    def read(self, roles: Sequence[str]) -> dict[str, set[str]]:
        members: dict[str, set[str]] = {}
        try:
            with self.connection.cursor() as cursor:
                for role, member in cursor.execute(READ, (list(roles),)):
                    found = members.setdefault(role, set())
                    if member is not None:
                        found.add(member)
        except psycopg.Error as error:
            raise SystemUnavailable(
                self.system,
                f"cannot read role memberships: {_first_line(error, self.hidden)}: check "
                "that the role in the connection string may read pg_roles and "
                "pg_auth_members",
            ) from None
        return members

    def grant(self, role: str, account: str) -> None:
        self._execute("GRANT {} TO {}", role, account)

    def revoke(self, role: str, account: str) -> None:
        self._execute("REVOKE {} FROM {}", role, account)

    def _execute(self, template: str, role: str, account: str) -> None:
        statement = sql.SQL(template).format(sql.Identifier(role), sql.Identifier(account))
        self.warnings.clear()
        try:
            # autocommit: each change is its own transaction, so one failure leaves the
            # others standing and the run carries on.
            self.connection.execute(statement)
        except psycopg.Error as error:
            raise ChangeFailed(_first_line(error, self.hidden)) from None
        if self.warnings:
            hint = (" (from PostgreSQL 16 on, a role revokes only the memberships it granted: "
                    "let itsm's role make them)"
                    if self.connection.info.server_version >= 160000 else "")
            raise ChangeFailed(
                f"PostgreSQL did not make the change: {'; '.join(self.warnings)}{hint}")

    def close(self) -> None:
        self.connection.close()


def connect(target: Target) -> PostgresProvider:
    dsn = target.secret("dsn_env")
    variable = target.connection["dsn_env"]
    try:
        hidden = secrets(dsn)
    except Malformed as error:
        raise SystemUnavailable(target.system, f"the value of {variable} {error}") from None
    try:
        connection: psycopg.Connection[tuple[str, str | None]] = psycopg.connect(
            dsn, autocommit=True, connect_timeout=10, application_name="itsm access")
    except psycopg.Error as error:
        raise SystemUnavailable(
            target.system,
            f"cannot connect to PostgreSQL: {_first_line(error, hidden)}: check that "
            f"{variable} names a reachable server, the database, and the right user and "
            "password",
        ) from None
    return PostgresProvider(target.system, connection, hidden)


def _first_line(error: Exception, hidden: list[str]) -> str:
    """The first line of libpq's message, without any secret of the connection string."""
    text = str(error).strip() or type(error).__name__
    return redact(text.splitlines()[0], hidden)
