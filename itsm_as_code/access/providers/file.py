"""A file export of actual memberships (as identity providers export them): read-only.

Connection settings: `path`, the export relative to the records folder (the demo's
`access/exports/okta-groups.json` is `records/access/exports/okta-groups.json`), or
`path_env`, an environment variable holding the path (relative to the repository root),
for exports that CI fetches before the run. JSON (`.json`) or YAML (`.yaml`, `.yml`):

    {"groups": {"warehouse-analysts": ["clara@example.com", ...], ...}}

or `{"groups": [{"name": "warehouse-analysts", "members": [...]}, ...]}`; a member is an
account name, or a mapping with a `login`, `email` or `name`.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from itsm_as_code.access.providers.base import ChangeFailed, SystemUnavailable, Target
from itsm_as_code.files import NotRegular, read_regular
from itsm_as_code.yamlerrors import YamlProblem
from itsm_as_code.yamlsafe import load

MAX_BYTES = 256 * 1024 * 1024


class FileProvider:
    # An export is a picture of another system: changes are made there, not here.
    writable = False

    def __init__(self, system: str, groups: dict[str, set[str]]) -> None:
        self.system = system
        self.groups = groups

    def read(self, roles: Sequence[str]) -> dict[str, set[str]]:
        return {role: set(self.groups[role]) for role in roles if role in self.groups}

    def grant(self, role: str, account: str) -> None:
        raise ChangeFailed(f"{self.system} is a read-only file export: grant in the source system")

    def revoke(self, role: str, account: str) -> None:
        raise ChangeFailed(f"{self.system} is a read-only file export: revoke in the source system")

    def close(self) -> None:
        """Nothing to close: the export was read whole when the provider was made."""


def connect(target: Target) -> FileProvider:
    if "path_env" in target.connection:
        path = target.root / target.secret("path_env")
        shown = str(path)
    else:
        relative = target.required("path", "the export's path, relative to the records folder")
        path = target.records_dir / relative
        shown = f"{target.records_dir.name}/{relative}"
        if not path.resolve().is_relative_to(target.root.resolve()):
            raise SystemUnavailable(target.system, f"connection.path '{relative}' leaves the "
                                    "repository: use a path inside it, or path_env")
    try:
        # Never waits on a FIFO (a plan would hang for ever) nor reads through a link.
        raw = read_regular(path, MAX_BYTES + 1)
    except NotRegular:
        raise SystemUnavailable(target.system, f"the export {shown} is not a regular file "
                                "(a FIFO, a socket, a device or a folder): point "
                                "connection.path at the exported file") from None
    except OSError as error:
        why = ("it is a symbolic link, which is not followed" if error.errno == errno.ELOOP
               else error.strerror)
        raise SystemUnavailable(target.system, f"cannot read the export {shown}: "
                                f"{why}: check connection.path") from None
    if len(raw) > MAX_BYTES:
        raise SystemUnavailable(target.system, f"the export {shown} is larger than 256 MiB")
    try:
        data = _parse(path, raw.decode("utf-8-sig"))
        return FileProvider(target.system, _groups(data))
    except (ValueError, YamlProblem) as error:
        raise SystemUnavailable(target.system, f"the export {shown} cannot be read: {error}"
                                ) from None


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() in (".yaml", ".yml"):
        return load(text, max_aliases=100)
    return json.loads(text)


def _groups(data: Any) -> dict[str, set[str]]:
    groups = data.get("groups") if isinstance(data, dict) else None
    if isinstance(groups, dict):
        pairs = list(groups.items())
    elif isinstance(groups, list):
        pairs = [(g.get("name"), g.get("members")) for g in groups if isinstance(g, dict)]
    else:
        raise ValueError("expected an object with `groups` (a mapping or a list of groups)")
    found: dict[str, set[str]] = {}
    for name, members in pairs:
        if not isinstance(name, str) or not isinstance(members, list):
            raise ValueError(f"group {name!r}: expected a name and a list of members")
        found[name] = {_member(name, member) for member in members}
    return found


def _member(group: str, member: Any) -> str:
    if isinstance(member, dict):
        member = member.get("login") or member.get("email") or member.get("name")
    if not isinstance(member, str) or not member:
        raise ValueError(f"group {group!r}: a member is neither an account name nor a mapping "
                         "with login, email or name")
    return member
