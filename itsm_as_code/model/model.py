"""The model of one repository: every record that passed its schema, as a typed value.

Built once per run and shared by every step. Each kind is checked and read the first time
something asks for it, so a command that needs only incidents checks and reads only
incidents; `itsm validate` asks for every kind, and whatever it checked is not checked
again by a later step of the same run.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from itsm_as_code.config import Config
from itsm_as_code.findings import Finding
from itsm_as_code.model.types.catalogue import RequestType
from itsm_as_code.model.types.itil import Incident, KnownError, Maintenance, Problem, ServiceRequest
from itsm_as_code.model.types.notifications import Channel, Subscription
from itsm_as_code.model.types.operations import Routine
from itsm_as_code.model.types.organisation import (
    SLA,
    AccessPolicy,
    Calendar,
    Person,
    Service,
    System,
    Team,
)
from itsm_as_code.model.verdicts import Verdicts
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.loader import Found
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import (
    Progress,
    Repository,
    collector_paused,
    load_repository,
)
from itsm_as_code.store.stats import StatIndex

T = TypeVar("T")


class Model:
    """Typed values by kind and id, with the schema's verdict on every record."""

    def __init__(self, repo: Repository, verdicts: Verdicts | None = None) -> None:
        self.repo = repo
        self._verdicts = verdicts or Verdicts(ZoneInfo(repo.config.timezone))
        self._values: dict[str, dict[str, Any]] = {}
        self._sources: dict[str, Record] = {}
        self._refused: dict[str, list[tuple[Record, list[Finding]]]] = {}
        self._links: dict[str, frozenset[str]] | None = None

    @classmethod
    def read(cls, config: Config, progress: Progress | None = None,
             early: Collection[str] = KINDS, *, found: Found | None = None,
             stats: StatIndex | None = None) -> Model:
        """The model of the repository `config` describes, its records of the `early`
        kinds judged and read as they arrive, while the parse workers read the rest
        (model/verdicts.py). `found` and `stats` as `load_repository` takes them."""
        verdicts = Verdicts(ZoneInfo(config.timezone), early)
        repo = load_repository(config, progress, found=found, stats=stats,
                               each=verdicts.judge)
        return cls(repo, verdicts)

    # -- the verdict ---------------------------------------------------------------
    def _judge(self, kind: str) -> dict[str, Any]:
        values = self._values.get(kind)
        if values is not None:
            return values
        values, refused = {}, []
        # Many small values and no cycles: the collector would only walk them again.
        with collector_paused():
            for record in self.repo.of_kind(kind):
                value, problems = self._verdicts.of(record)
                if problems:
                    refused.append((record, problems))
                elif record.id not in values:
                    values[record.id] = value
                    self._sources[record.id] = record
        self._values[kind], self._refused[kind] = values, refused
        return values

    def schema_findings(self, kinds: Collection[str] = KINDS) -> list[Finding]:
        """Every record's schema findings (checking every kind not yet checked), or those
        of the records of `kinds` only (checking only those kinds)."""
        for kind in kinds:
            self._judge(kind)
        return [finding for kind, refused in self._refused.items() if kind in kinds
                for _, problems in refused for finding in problems]

    def valid_records(self, kind: str | None = None) -> list[Record]:
        """The records (of `kind`) that passed their schema and became values."""
        kinds = [kind] if kind else list(KINDS)
        found: list[Record] = []
        for name in kinds:
            self._judge(name)
            refused = {id(record) for record, _ in self._refused[name]}
            found.extend(r for r in self.repo.of_kind(name) if id(r) not in refused)
        return found

    def refused(self, kind: str) -> list[Record]:
        """The records of `kind` left out of the model: they failed their schema."""
        self._judge(kind)
        return [record for record, _ in self._refused[kind]]

    def source(self, record_id: str) -> Record:
        """The record a value was read from: its path, and positions for findings."""
        return self._sources[record_id]

    # -- values by kind ----------------------------------------------------------------
    def of(self, kind: str, cls: type[T]) -> dict[str, T]:
        return cast(dict[str, T], self._judge(kind))

    @property
    def services(self) -> dict[str, Service]:
        return self.of("Service", Service)

    @property
    def teams(self) -> dict[str, Team]:
        return self.of("Team", Team)

    @property
    def people(self) -> dict[str, Person]:
        return self.of("Person", Person)

    @property
    def calendars(self) -> dict[str, Calendar]:
        return self.of("Calendar", Calendar)

    @property
    def slas(self) -> dict[str, SLA]:
        return self.of("SLA", SLA)

    @property
    def incidents(self) -> dict[str, Incident]:
        return self.of("Incident", Incident)

    @property
    def problems(self) -> dict[str, Problem]:
        return self.of("Problem", Problem)

    @property
    def known_errors(self) -> dict[str, KnownError]:
        return self.of("KnownError", KnownError)

    @property
    def requests(self) -> dict[str, ServiceRequest]:
        return self.of("ServiceRequest", ServiceRequest)

    @property
    def maintenance(self) -> dict[str, Maintenance]:
        return self.of("Maintenance", Maintenance)

    @property
    def systems(self) -> dict[str, System]:
        return self.of("System", System)

    @property
    def policies(self) -> dict[str, AccessPolicy]:
        return self.of("AccessPolicy", AccessPolicy)

    @property
    def routines(self) -> dict[str, Routine]:
        return self.of("Routine", Routine)

    @property
    def request_types(self) -> dict[str, RequestType]:
        return self.of("RequestType", RequestType)

    @property
    def subscriptions(self) -> dict[str, Subscription]:
        return self.of("Subscription", Subscription)

    @property
    def channels(self) -> dict[str, Channel]:
        return self.of("Channel", Channel)

    # -- links ---------------------------------------------------------------------------
    def problem_links(self) -> dict[str, frozenset[str]]:
        """The problems each incident is linked to: the one definition of "linked to a
        problem". A link is made from either side, by the incident's `problem` or by the
        problem's `incidents`."""
        if self._links is None:
            found: dict[str, set[str]] = {}
            for problem in self.problems.values():
                for incident_id in problem.incidents:
                    found.setdefault(incident_id, set()).add(problem.id)
            for incident in self.incidents.values():
                if incident.problem:
                    found.setdefault(incident.id, set()).add(incident.problem)
            self._links = {key: frozenset(value) for key, value in found.items()}
        return self._links

    # -- names, for people ---------------------------------------------------------------
    def name_of(self, record_id: str) -> str:
        """A service's, team's or person's name; the id itself for anything else."""
        for values in (self.services, self.people, self.teams):
            found = values.get(record_id)
            if found is not None:
                return found.name
        return record_id

    def members(self, subject: str) -> Iterator[str]:
        """The people a grant's subject stands for: a team's members, or the person."""
        team = self.teams.get(subject)
        if team is None:
            yield subject
        else:
            yield from team.members
