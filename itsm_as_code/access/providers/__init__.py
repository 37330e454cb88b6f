"""The access providers, by name: built-in ones here, third-party ones by entry point.

A third-party package adds a provider by declaring, in its own pyproject.toml,

    [project.entry-points."itsm_as_code.access_providers"]
    okta = "itsm_okta:connect"

where `connect(target: Target) -> Provider`. Built-in names cannot be replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from itsm_as_code.access.providers.base import (
    ChangeFailed,
    Provider,
    SystemUnavailable,
    Target,
)

__all__ = ["PROVIDERS", "ChangeFailed", "Provider", "SystemUnavailable", "Target", "factory"]

ENTRY_POINT_GROUP = "itsm_as_code.access_providers"

ProviderFactory = Callable[[Target], Provider]


# The built-in factories import their client library only when a system uses them, so a
# plan of file exports never pays for psycopg or ldap3.
def _postgres(target: Target) -> Provider:
    from itsm_as_code.access.providers import postgres

    return postgres.connect(target)


def _ldap(target: Target) -> Provider:
    from itsm_as_code.access.providers import ldap

    return ldap.connect(target)


def _file(target: Target) -> Provider:
    from itsm_as_code.access.providers import file

    return file.connect(target)


PROVIDERS: dict[str, ProviderFactory] = {"postgres": _postgres, "ldap": _ldap, "file": _file}


def factory(name: str, system: str) -> ProviderFactory:
    """The factory of provider `name`: built in, or from an installed plugin."""
    if name in PROVIDERS:
        return PROVIDERS[name]
    plugins = {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}
    if name in plugins:
        loaded: ProviderFactory = plugins[name].load()
        return loaded
    known = ", ".join(sorted({*PROVIDERS, *plugins}))
    raise SystemUnavailable(
        system,
        f"no access provider named '{name}' (known: {known}): fix the System's provider or "
        f"install the plugin that provides it (entry point group {ENTRY_POINT_GROUP})",
    )
