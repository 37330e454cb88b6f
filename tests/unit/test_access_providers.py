"""Providers without servers: the file export, the registry and plugins, secrets, DNs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.access import providers
from itsm_as_code.access.providers import ChangeFailed, SystemUnavailable, Target, factory
from itsm_as_code.access.providers.file import FileProvider
from itsm_as_code.access.providers.file import connect as file_connect
from itsm_as_code.access.providers.ldap import LdapProvider
from itsm_as_code.access.providers.ldap import connect as ldap_connect


def _target(tmp_path: Path, connection: dict[str, Any], environ: dict[str, str] | None = None,
            provider: str = "file") -> Target:
    (tmp_path / "records").mkdir(exist_ok=True)
    return Target("sys", provider, connection, tmp_path, tmp_path / "records", environ or {})


@pytest.mark.parametrize(("name", "text"), [
    ("a.json", json.dumps({"groups": {"g": ["ada", {"login": "ben"}], "h": []}})),
    ("a.json", json.dumps({"groups": [{"name": "g", "members": ["ada", {"email": "ben"}]},
                                      {"name": "h", "members": []}]})),
    ("a.yaml", "groups:\n  g: [ada, {name: ben}]\n  h: []\n"),
])
def test_file_export_shapes(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / "records" / "exports").mkdir(parents=True)
    (tmp_path / "records" / "exports" / name).write_text(text)
    provider = file_connect(_target(tmp_path, {"path": f"exports/{name}"}))
    assert provider.read(["g", "h", "missing"]) == {"g": {"ada", "ben"}, "h": set()}
    assert provider.writable is False


def test_file_export_is_read_only(tmp_path: Path) -> None:
    with pytest.raises(ChangeFailed, match="read-only file export: grant in the source system"):
        FileProvider("sys", {}).grant("g", "ada")


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "expected an object with `groups` (a mapping or a list of groups)"),
    ('{"groups": {"g": "ada"}}', "group 'g': expected a name and a list of members"),
    ('{"groups": {"g": [7]}}', "group 'g': a member is neither an account name nor a mapping"),
    ("{not json", "Expecting property name enclosed in double quotes"),
])
def test_a_broken_export_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "records" / "e.json").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "records" / "e.json").write_text(text)
    with pytest.raises(SystemUnavailable) as raised:
        file_connect(_target(tmp_path, {"path": "e.json"}))
    assert str(raised.value).startswith("sys: the export records/e.json cannot be read: ")
    assert message in str(raised.value)


def test_an_export_path_may_not_leave_the_repository(tmp_path: Path) -> None:
    leaves = re.escape("connection.path '../../etc/passwd' leaves")
    with pytest.raises(SystemUnavailable, match=leaves):
        file_connect(_target(tmp_path, {"path": "../../etc/passwd"}))


def test_an_export_path_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "fetched.json").write_text('{"groups": {"g": ["ada"]}}')
    target = _target(tmp_path, {"path_env": "EXPORT"}, {"EXPORT": "fetched.json"})
    assert file_connect(target).read(["g"]) == {"g": {"ada"}}


def test_a_missing_variable_names_it_and_is_not_a_configured_failure(tmp_path: Path) -> None:
    with pytest.raises(SystemUnavailable) as raised:
        _target(tmp_path, {"dsn_env": "DB_DSN"}).secret("dsn_env")
    assert str(raised.value) == ("sys: the environment variable DB_DSN (connection.dsn_env) is "
                                 "not set: set it where itsm runs (in CI, from a repository "
                                 "secret)")
    assert raised.value.configured is False


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(SystemUnavailable) as raised:
        factory("okta", "sys")
    assert str(raised.value) == (
        "sys: no access provider named 'okta' (known: file, ldap, postgres): fix the System's "
        "provider or install the plugin that provides it (entry point group "
        "itsm_as_code.access_providers)")


class _Point:
    name = "okta"

    @staticmethod
    def load() -> object:
        return lambda target: FileProvider(target.system, {"admins": {"ada"}})


def test_plugins_come_from_the_entry_point_group(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    asked: list[str] = []

    def entry_points(group: str) -> list[_Point]:
        asked.append(group)
        return [_Point()]

    monkeypatch.setattr(providers, "entry_points", entry_points)
    provider = factory("okta", "sys")(_target(tmp_path, {}, provider="okta"))
    assert provider.read(["admins"]) == {"admins": {"ada"}}
    assert asked == ["itsm_as_code.access_providers"]
    assert factory("file", "sys") is providers.PROVIDERS["file"]  # built-ins come first


@pytest.mark.parametrize(("dn", "account"), [
    ("uid=ada,ou=people,dc=example,dc=org", "ada"),
    ("UID=Ada,OU=People,DC=example,DC=org", "Ada"),
    ("uid=o\\2Cbrien,ou=people,dc=example,dc=org", "o,brien"),
    ("uid=o\\,brien,ou=people,dc=example,dc=org", "o,brien"),
    ("uid=j\\C3\\BCrgen,ou=people,dc=example,dc=org", "j\u00fcrgen"),
    ("uid=ada,ou=robots,dc=example,dc=org", "uid=ada,ou=robots,dc=example,dc=org"),
    ("cn=ada,ou=people,dc=example,dc=org", "cn=ada,ou=people,dc=example,dc=org"),
])
def test_member_dns_become_accounts_through_the_template(tmp_path: Path, dn: str,
                                                          account: str) -> None:
    target = _target(tmp_path, {"group_base": "ou=groups,dc=example,dc=org",
                                "member_template": "uid={account},ou=people,dc=example,dc=org"},
                     provider="ldap")
    provider = LdapProvider(target, connection=None)  # type: ignore[arg-type]
    assert provider._account(dn) == account


def test_ldap_template_needs_the_account(tmp_path: Path) -> None:
    target = _target(tmp_path, {"group_base": "ou=g", "member_template": "uid=x,ou=p"},
                     provider="ldap")
    needs = re.escape("member_template must contain {account}")
    with pytest.raises(SystemUnavailable, match=needs):
        LdapProvider(target, connection=None)  # type: ignore[arg-type]


def test_a_fifo_as_the_export_is_refused_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    os.mkfifo(tmp_path / "records" / "e.json")
    with pytest.raises(SystemUnavailable) as raised:
        file_connect(_target(tmp_path, {"path": "e.json"}))
    assert str(raised.value) == (
        "sys: the export records/e.json is not a regular file (a FIFO, a socket, a device or "
        "a folder): point connection.path at the exported file")


def test_a_linked_export_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "real.json").write_text('{"groups": {}}')
    (tmp_path / "records" / "e.json").symlink_to(tmp_path / "real.json")
    with pytest.raises(SystemUnavailable) as raised:
        file_connect(_target(tmp_path, {"path": "e.json"}))
    assert str(raised.value) == (
        "sys: cannot read the export records/e.json: it is a symbolic link, which is not "
        "followed: check connection.path")


@pytest.mark.parametrize("url", [
    "ldap://cn=admin:s3cr%t@ldap.internal:389",
    "ldap://admin:s3cr/t?x@ldap.internal:389",
    "admin:s3cr%t@ldap.internal:389",
])
def test_an_ldap_url_never_shows_its_credentials(tmp_path: Path, url: str) -> None:
    target = _target(tmp_path, {"url": url, "group_base": "ou=g",
                                "member_template": "uid={account},ou=p"}, provider="ldap")
    with pytest.raises(SystemUnavailable) as raised:
        ldap_connect(target)
    scheme = "ldap://" if url.startswith("ldap://") else ""
    assert str(raised.value) == (
        f"sys: connection.url '{scheme}[hidden]@ldap.internal:389' is not usable: write it "
        "as ldap://host:389 or ldaps://host:636, with the account in bind_dn and the "
        "password in password_env")
    assert "s3cr" not in str(raised.value)
