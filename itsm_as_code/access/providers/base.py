"""What every access provider is: the protocol, what it is told about its system, its errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from itsm_as_code.errors import ExitCode, ItsmError


class SystemUnavailable(ItsmError):
    """A system cannot be read or written at all: misconfigured, unreachable, refused.

    `configured` is False when the settings the run needs are missing (an environment
    variable is not set): `itsm run` reports that as a notice, since pull requests from
    forks and laptops never have the secrets.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, system: str, message: str, *, configured: bool = True) -> None:
        super().__init__(f"{system}: {message}")
        self.system = system
        self.configured = configured


class ChangeFailed(ItsmError):
    """One grant or revoke did not go through; the run carries on with the others."""

    exit_code = ExitCode.FINDINGS


class Provider(Protocol):
    """One open connection to one system.

    `read` is the only way a plan learns the actual state: one call per system with every
    role its policies name, so a provider makes one round trip, not one per member.
    Roles that do not exist on the system are left out of the answer.
    """

    @property
    def writable(self) -> bool: ...

    def read(self, roles: Sequence[str]) -> dict[str, set[str]]: ...

    def grant(self, role: str, account: str) -> None: ...

    def revoke(self, role: str, account: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Target:
    """What a provider is told about its system: the System record's settings and where to
    find its secrets. Secrets come only from `environ`, by the names the record gives."""

    system: str
    provider: str
    connection: Mapping[str, Any]
    root: Path
    records_dir: Path
    environ: Mapping[str, str]

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A plain setting, or the value of the environment variable named by `KEY_env`."""
        if f"{key}_env" in self.connection:
            return self.secret(f"{key}_env")
        value = self.connection.get(key, default)
        return None if value is None else str(value)

    def required(self, key: str, what: str) -> str:
        value = self.setting(key)
        if value is None:
            raise SystemUnavailable(
                self.system,
                f"the System record sets neither connection.{key} nor connection.{key}_env: "
                f"add one of them ({what})",
                configured=False,
            )
        return value

    def secret(self, key: str) -> str:
        """The value of the environment variable that `connection[key]` names."""
        name = self.connection.get(key)
        if not isinstance(name, str) or not name:
            raise SystemUnavailable(
                self.system,
                f"connection.{key} must name an environment variable",
                configured=False,
            )
        value = self.environ.get(name)
        if not value:
            raise SystemUnavailable(
                self.system,
                f"the environment variable {name} (connection.{key}) is not set: set it where "
                "itsm runs (in CI, from a repository secret)",
                configured=False,
            )
        return value
