"""The exception tree and the exit codes every command shares."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of every `itsm` command (documented in the README)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


class ItsmError(Exception):
    """Root of the errors the library raises on purpose; the CLI maps them to exit codes."""

    exit_code = ExitCode.INTERNAL


class UsageError(ItsmError):
    """The command was called in a way that cannot work (bad option, missing argument)."""

    exit_code = ExitCode.USAGE


class ConfigError(ItsmError):
    """The repository's configuration (itsm.yaml) is missing or wrong."""

    exit_code = ExitCode.USAGE


class RecordError(ItsmError):
    """A record cannot be read or written; the message names the file."""

    exit_code = ExitCode.FINDINGS
