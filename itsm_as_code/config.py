"""itsm.yaml: finding the repository and reading its settings."""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema_rs

from itsm_as_code.errors import ConfigError
from itsm_as_code.explain import Explained, explain_all, validator_for
from itsm_as_code.positions import Located
from itsm_as_code.resources import load_schema
from itsm_as_code.settings.events import EventSettings, event_settings
from itsm_as_code.timefmt import parse_duration
from itsm_as_code.yamlerrors import YamlProblem, shown
from itsm_as_code.yamlsafe import load

CONFIG_FILE = "itsm.yaml"
CONFIG_SCHEMA = "itsm.schema.json"
DEFAULT_MATRIX = {
    "high": {"high": "P1", "medium": "P2", "low": "P3"},
    "medium": {"high": "P2", "medium": "P3", "low": "P4"},
    "low": {"high": "P3", "medium": "P4", "low": "P5"},
}
# Availability: how much of the time a component status counts as downtime. These are
# Statuspage's uptime weights (a partial outage is 30% of a major one; degraded
# performance is not downtime); itsm.yaml's `availability.weights` overrides each.
DEFAULT_WEIGHTS = {"major_outage": 1.0, "partial_outage": 0.3, "degraded_performance": 0.0}


@dataclass(frozen=True)
class SiteSettings:
    """itsm.yaml's `site`: what the status site says about itself."""

    title: str | None = None  # None: "<organization> Status"
    description: str = ""
    base_url: str = ""
    groups: tuple[str, ...] = ()  # the order of the service groups
    # The web address of the repository holding the records (a GitHub repository's
    # https://github.com/OWNER/REPO): the site links there to sign up and to ask.
    repository: str = ""


@dataclass(frozen=True)
class Config:
    """The settings of one ITSM repository."""

    root: Path
    organization: str
    records: str = "records"
    timezone: str = "UTC"
    priority_matrix: dict[str, dict[str, str]] = field(default_factory=lambda: DEFAULT_MATRIX)
    max_file_bytes: int = 1024 * 1024
    max_aliases: int = 100
    site: SiteSettings = field(default_factory=SiteSettings)
    availability_weights: dict[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    # `itsm access apply` refuses a plan that removes more members than this.
    max_removals: int = 10
    # `itsm audit` reports timestamps written longer than this before their commit.
    backdate_tolerance: timedelta = timedelta(hours=24)
    # `itsm audit` reports force pushes only to these branches (glob patterns); None: the
    # remote's default branch (origin/HEAD), else main and master.
    protected_branches: tuple[str, ...] | None = None
    # Where routines' check-ins are committed and read (`operations.branch`).
    ops_branch: str = "itsm/ops"
    events: EventSettings = field(default_factory=EventSettings)

    @property
    def records_dir(self) -> Path:
        return self.root / self.records

    def priority(self, impact: str, urgency: str) -> str | None:
        return self.priority_matrix.get(impact, {}).get(urgency)


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds itsm.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_FILE} in {start} or any folder above it: run the command inside an ITSM "
        "repository, point at one with `itsm -C DIR`, or make one with `itsm init DIR`"
    )


def zone_at(start: Path) -> ZoneInfo:
    """The time zone of the repository found from `start` (itsm.yaml's `timezone`), in
    which times typed without an offset are read; UTC outside a repository."""
    try:
        root = find_root(start)
    except ConfigError:
        return ZoneInfo("UTC")
    return ZoneInfo(load_config(root).timezone)


def load_config(root: Path) -> Config:
    """Read and check `root/itsm.yaml`; a problem raises ConfigError naming file and line."""
    path = root / CONFIG_FILE
    raw = _read(path, 1024 * 1024 + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    if len(raw) > 1024 * 1024:
        raise ConfigError(f"{path}: larger than 1 MiB")
    try:
        data = load(text, max_aliases=100)
    except YamlProblem as bad:
        raise ConfigError(f"{path}:{bad.line}:{bad.column}: {bad.message}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1:1: {CONFIG_FILE} must be a mapping of settings")
    schema = load_schema(CONFIG_SCHEMA)
    if not jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(data):
        _refuse(path, text, explain_all(validator_for(schema), data))
    config = _from_data(root, data)
    _check_values(path, text, config)
    return config


def _read(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file, never waiting on a FIFO or a device."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ConfigError(f"{path}: not a regular file")
        try:
            return stream.read(limit)
        except OSError as error:
            raise ConfigError(f"{path}: cannot read: {error.strerror}") from None


def _refuse(path: Path, text: str, problems: list[Explained]) -> None:
    if problems:
        located = Located(text)
        lines = []
        for problem in problems:
            line, column = located.find(problem.at, problem.key)
            lines.append(f"{path}:{line}:{column}: {problem.message}")
        raise ConfigError("\n".join(lines))
    raise ConfigError(f"{path}: the settings do not match {CONFIG_SCHEMA}")


def _from_data(root: Path, data: dict[str, Any]) -> Config:
    limits = data.get("limits", {})
    return Config(
        root=root,
        organization=data["organization"],
        # `./records` and `records/` name the folder that record paths start with.
        records=posixpath.normpath(data.get("records", "records")),
        timezone=data.get("timezone", "UTC"),
        priority_matrix=data.get("priority_matrix", DEFAULT_MATRIX),
        max_file_bytes=limits.get("max_file_bytes", 1024 * 1024),
        max_aliases=limits.get("max_aliases", 100),
        site=_site_settings(data.get("site", {})),
        availability_weights={**DEFAULT_WEIGHTS,
                              **data.get("availability", {}).get("weights", {})},
        max_removals=data.get("access", {}).get("max_removals", 10),
        backdate_tolerance=parse_duration(data.get("audit", {}).get("backdate_tolerance", "24h")),
        protected_branches=_protected(data.get("audit", {})),
        ops_branch=data.get("operations", {}).get("branch", "itsm/ops"),
        events=event_settings(data.get("events", {})),
    )


def _protected(audit: dict[str, Any]) -> tuple[str, ...] | None:
    branches = audit.get("protected_branches")
    return None if branches is None else tuple(branches)


def _site_settings(data: dict[str, Any]) -> SiteSettings:
    return SiteSettings(data.get("title") or None, data.get("description", ""),
                        data.get("base_url", ""), tuple(data.get("groups", ())),
                        data.get("repository", "").rstrip("/"))


def _check_values(path: Path, text: str, config: Config) -> None:
    located = Located(text)
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        line, column = located.find(("timezone",))
        raise ConfigError(
            f"{path}:{line}:{column}: unknown time zone '{shown(config.timezone)}': use an IANA "
            "name such as Europe/Berlin or UTC"
        ) from None
    line, column = located.find(("records",))
    where = f"{path}:{line}:{column}: the records folder '{shown(config.records)}'"
    parts = config.records.split("/")
    if config.records.startswith("/") or ".." in parts or config.records == ".":
        raise ConfigError(f"{where} is not a folder inside the repository: give a path "
                          "relative to itsm.yaml, such as records")
    for depth in range(1, len(parts) + 1):
        if (config.root.joinpath(*parts[:depth])).is_symlink():
            raise ConfigError(f"{where} is or goes through a symbolic link "
                              f"({'/'.join(parts[:depth])}): records are read and written "
                              "only inside the repository, make it a real folder")
    if not config.records_dir.is_dir():
        raise ConfigError(f"{where} does not exist: create it or fix `records`")
