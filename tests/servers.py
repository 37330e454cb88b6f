"""Throwaway PostgreSQL and OpenLDAP servers for the access tests, started and stopped by
fixtures (tests/acceptance/conftest.py).

PostgreSQL: a cluster in a temporary folder, reached on a unix socket only; initdb refuses
to run as root, so as root it runs as the `postgres` user through runuser. OpenLDAP: slapd
on 127.0.0.1 at a free port, with a slapd.conf made here. Missing binaries fail the tests
with what to install under CI=true: CI always has them, and a skipped test would hide a
broken provider; elsewhere tests/conftest.py skips the tests that need them, saying so in
one line (`missing_services`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # ldap3 2.9 against pyasn1 0.6
    import ldap3

INSTALL = "run .ci/run, or install Debian's packages: apt-get install postgresql slapd ldap-utils"
BOT_PASSWORD = "bot-secret"
LDAP_SUFFIX = "dc=example,dc=org"
LDAP_ADMIN = f"cn=admin,{LDAP_SUFFIX}"
LDAP_PASSWORD = "admin-secret"


CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class Service:
    """Something tests need from the host: tests that use one of `fixtures` (or carry
    `marker`) cannot run without it."""

    name: str
    packages: str
    fixtures: frozenset[str] = frozenset()
    marker: str | None = None


POSTGRES = Service("PostgreSQL (initdb)", "postgresql",
                   frozenset({"postgres", "postgres_server"}))
SLAPD = Service("OpenLDAP's slapd", "slapd ldap-utils", frozenset({"ldap", "ldap_server"}))
BROWSER = Service(f"Chromium ({CHROMIUM})", "chromium", marker="browser")


def missing_services() -> list[Service]:
    """The services this host lacks."""
    present = {POSTGRES: find_postgres() is not None, SLAPD: find_slapd() is not None,
               BROWSER: CHROMIUM.exists()}
    return [service for service, here in present.items() if not here]


def find_postgres(packages: Path = Path("/usr/lib/postgresql")) -> Path | None:
    """The newest PostgreSQL server's binaries (Debian keeps them off PATH), or None."""
    found = sorted(packages.glob("*/bin/initdb"),
                   key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb is not None else None


def postgres_bin(packages: Path = Path("/usr/lib/postgresql")) -> Path:
    found = find_postgres(packages)
    if found is None:
        pytest.fail(f"the PostgreSQL server (initdb, pg_ctl) is not installed: {INSTALL}")
    return found


class Postgres:
    """A running cluster: `dsn` is how itsm connects (as `itsm_bot`, with a password)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.dsn = (f"host={folder} port=5432 dbname=postgres user=itsm_bot "
                    f"password={BOT_PASSWORD} connect_timeout=5")
        self.admin_dsn = f"host={folder} port=5432 dbname=postgres user=postgres"

    def execute(self, *statements: str | sql.Composable) -> None:
        with psycopg.connect(self.admin_dsn, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def roles(self, *names: str, logins: tuple[str, ...] = ()) -> None:
        """Create group roles the bot administers, and login roles."""
        for name in names:
            self.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(name)),
                         sql.SQL("GRANT {} TO itsm_bot WITH ADMIN OPTION").format(
                             sql.Identifier(name)))
        for name in logins:
            self.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))

    def add(self, role: str, *members: str) -> None:
        """Memberships as itsm's role grants them: from PostgreSQL 16 on, only the role that
        granted a membership may revoke it."""
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            for member in members:
                connection.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role),
                                                                    sql.Identifier(member)))

    def members(self, role: str) -> set[str]:
        query = ("SELECT m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid "
                 "JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = %s "
                 "AND m.rolname <> 'itsm_bot'")
        with psycopg.connect(self.admin_dsn, autocommit=True) as connection:
            return {row[0] for row in connection.execute(query, (role,))}

    def reset(self) -> None:
        """Drop every role a test made, so each test starts from an empty cluster."""
        with psycopg.connect(self.admin_dsn, autocommit=True) as connection:
            names = [row[0] for row in connection.execute(
                "SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' "
                "AND rolname NOT IN ('postgres', 'itsm_bot')")]
            for name in names:
                connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@contextmanager
def postgres() -> Iterator[Postgres]:
    bindir = postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="itsm-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses root: the cluster belongs to the postgres user, who needs the folder.
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data, log = folder / "data", folder / "server.log"

    def run(*command: str) -> None:
        done = subprocess.run([*as_postgres, *command], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed: {done.stdout}{done.stderr}"
                        f"{log.read_text() if log.exists() else ''}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale", "C")
        # The admin (the tests) gets in without a password; itsm must bring one, so wrong
        # credentials can be tested.
        (data / "pg_hba.conf").write_text("local all postgres trust\n"
                                          "local all all scram-sha-256\n")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
            f"-k {folder} -c listen_addresses='' -c fsync=off -p 5432", "start")
        server = Postgres(folder)
        server.execute(sql.SQL("CREATE ROLE itsm_bot LOGIN CREATEROLE PASSWORD {}").format(
            sql.Literal(BOT_PASSWORD)))
        yield server
    finally:
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m",
                        "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Ldap:
    """A running slapd with `ou=people` and `ou=groups` under dc=example,dc=org."""

    def __init__(self, url: str) -> None:
        self.url = url

    @contextmanager
    def admin(self) -> Iterator[ldap3.Connection]:
        connection = ldap3.Connection(ldap3.Server(self.url), LDAP_ADMIN, LDAP_PASSWORD,
                                      auto_bind=True)
        try:
            yield connection
        finally:
            connection.unbind()

    def group(self, name: str, *members: str) -> None:
        with self.admin() as connection:
            connection.add(f"cn={name},ou=groups,{LDAP_SUFFIX}", ["groupOfNames"],
                           {"member": [self.dn(member) for member in members]})
            assert connection.result["description"] == "success", connection.result

    def members(self, name: str) -> list[str]:
        with self.admin() as connection:
            connection.search(f"cn={name},ou=groups,{LDAP_SUFFIX}", "(objectClass=*)",
                              ldap3.BASE, attributes=["member"])
            return sorted(connection.response[0]["attributes"]["member"])

    @staticmethod
    def dn(account: str) -> str:
        return account if "=" in account else f"uid={account},ou=people,{LDAP_SUFFIX}"

    def reset(self) -> None:
        with self.admin() as connection:
            connection.search(f"ou=groups,{LDAP_SUFFIX}", "(objectClass=groupOfNames)",
                              ldap3.LEVEL)
            for entry in list(connection.response):
                connection.delete(entry["dn"])


def find_slapd(sbin: Path = Path("/usr/sbin")) -> str | None:
    return shutil.which("slapd") or (str(sbin / "slapd") if (sbin / "slapd").exists()
                                     else None)


def slapd_bin(sbin: Path = Path("/usr/sbin")) -> str:
    binary = find_slapd(sbin)
    if binary is None:
        pytest.fail(f"OpenLDAP's slapd is not installed: {INSTALL}")
    return binary


@contextmanager
def slapd() -> Iterator[Ldap]:
    binary = slapd_bin()
    folder = Path(tempfile.mkdtemp(prefix="itsm-ldap-"))
    (folder / "db").mkdir()
    schemas = "\n".join(f"include /etc/ldap/schema/{name}.schema"
                        for name in ("core", "cosine", "inetorgperson"))
    (folder / "slapd.conf").write_text(f"""{schemas}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 104857600
suffix "{LDAP_SUFFIX}"
rootdn "{LDAP_ADMIN}"
rootpw {LDAP_PASSWORD}
directory {folder}/db
""")
    url = f"ldap://127.0.0.1:{free_port()}"
    log = (folder / "slapd.log").open("w")
    # -d keeps slapd in the foreground, so the fixture owns the process and stops it.
    process = subprocess.Popen([binary, "-d", "0", "-f", str(folder / "slapd.conf"),
                                "-h", f"{url}/"], stdout=log, stderr=subprocess.STDOUT)
    try:
        server = Ldap(url)
        _wait_for(server, process, folder / "slapd.log")
        with server.admin() as connection:
            connection.add(LDAP_SUFFIX, ["dcObject", "organization"],
                           {"dc": "example", "o": "Example"})
            for unit in ("people", "groups"):
                connection.add(f"ou={unit},{LDAP_SUFFIX}", ["organizationalUnit"])
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(server: Ldap, process: subprocess.Popen[bytes], log: Path) -> None:
    # Bounded: slapd listens within a second or two, or it has failed and said why.
    host, port = server.url.removeprefix("ldap://").split(":")
    for _ in range(200):
        if process.poll() is not None:
            pytest.fail(f"slapd stopped: {log.read_text()}")
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"slapd did not start listening: {log.read_text()}")
