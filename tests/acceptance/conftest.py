"""Real servers for the access tests: one PostgreSQL cluster and one slapd per test
process, emptied before each test that uses them and stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import servers


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[servers.Postgres]:
    with servers.postgres() as server:
        yield server


@pytest.fixture
def postgres(postgres_server: servers.Postgres) -> servers.Postgres:
    postgres_server.reset()
    return postgres_server


@pytest.fixture(scope="session")
def ldap_server() -> Iterator[servers.Ldap]:
    with servers.slapd() as server:
        yield server


@pytest.fixture
def ldap(ldap_server: servers.Ldap) -> servers.Ldap:
    ldap_server.reset()
    return ldap_server
