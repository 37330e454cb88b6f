"""The open providers of one run: one connection per system, all closed together."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType

from itsm_as_code.access.providers import Provider, SystemUnavailable, Target, factory
from itsm_as_code.config import Config
from itsm_as_code.model.types.organisation import System

Factory = Callable[[str, str], Callable[[Target], Provider]]


class Session:
    """Opens each system's provider once, when first asked, and remembers a failure so a
    system that is down is tried once per run, not once per step."""

    def __init__(self, config: Config, environ: Mapping[str, str],
                 find: Factory = factory) -> None:
        self.config = config
        self.environ = environ
        self.find = find
        self.open: dict[str, Provider] = {}
        self.failed: dict[str, SystemUnavailable] = {}

    def provider(self, system: System) -> Provider:
        if system.id in self.failed:
            raise self.failed[system.id]
        if system.id not in self.open:
            name = system.provider
            target = Target(system.id, name, system.connection, self.config.root,
                            self.config.records_dir, self.environ)
            try:
                self.open[system.id] = self.find(name, system.id)(target)
            except SystemUnavailable as error:
                self.failed[system.id] = error
                raise
        return self.open[system.id]

    def close(self) -> None:
        while self.open:
            _, provider = self.open.popitem()
            provider.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
