"""On a machine without PostgreSQL, slapd or Chromium, the tests that need them are skipped
with one loud line naming what is missing and how to install it; with CI=true nothing is
skipped (the fixtures then fail, saying what to install)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests import conftest, servers


@dataclass
class Item:
    fixturenames: list[str]
    markers: list[str] = field(default_factory=list)
    added: list[Any] = field(default_factory=list)

    def get_closest_marker(self, name: str) -> str | None:
        return name if name in self.markers else None

    def add_marker(self, marker: Any) -> None:
        self.added.append(marker)


class Terminal:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, bool]]] = []

    def write_line(self, line: str, **markup: bool) -> None:
        self.lines.append((line, markup))


def items() -> dict[str, Item]:
    return {"pg": Item(["repo", "postgres"]), "ldap": Item(["ldap_server"]),
            "browser": Item(["sites"], ["browser"]), "plain": Item(["tmp_path"])}


@pytest.fixture
def no_slapd_no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers, "missing_services", lambda: [servers.SLAPD, servers.BROWSER])


@pytest.mark.usefixtures("no_slapd_no_browser")
def test_outside_ci_the_tests_that_need_a_missing_service_are_skipped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    found = items()
    conftest.pytest_collection_modifyitems(list(found.values()))  # type: ignore[arg-type]
    skipped = {name: [marker.kwargs["reason"] for marker in item.added]
               for name, item in found.items()}
    assert skipped == {"pg": [], "ldap": ["OpenLDAP's slapd is not installed"],
                       "browser": ["Chromium (/usr/bin/chromium) is not installed"],
                       "plain": []}
    terminal = Terminal()
    conftest.pytest_terminal_summary(terminal)  # type: ignore[arg-type]
    assert terminal.lines == [(
        "SKIPPED the tests that need OpenLDAP's slapd, Chromium (/usr/bin/chromium): not "
        "installed here; install them with `sudo apt-get install slapd ldap-utils chromium` "
        "(or run .ci/run); with CI=true they fail", {"yellow": True, "bold": True})]


@pytest.mark.usefixtures("no_slapd_no_browser")
def test_in_ci_nothing_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    found = items()
    conftest.pytest_collection_modifyitems(list(found.values()))  # type: ignore[arg-type]
    assert [item.added for item in found.values()] == [[], [], [], []]
    terminal = Terminal()
    conftest.pytest_terminal_summary(terminal)  # type: ignore[arg-type]
    assert terminal.lines == []


def test_this_machine_is_asked_for_each_service(tmp_path: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers, "find_postgres", lambda: None)
    monkeypatch.setattr(servers, "find_slapd", lambda: "/usr/sbin/slapd")
    monkeypatch.setattr(servers, "CHROMIUM", tmp_path / "chromium")
    assert servers.missing_services() == [servers.POSTGRES, servers.BROWSER]
