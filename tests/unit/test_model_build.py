"""The typed model read from records: every kind of the demo, and what it leaves out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.config import load_config
from itsm_as_code.findings import Finding
from itsm_as_code.model.context import RunContext
from itsm_as_code.model.model import Model
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
from itsm_as_code.model.types.timeline import Affected
from itsm_as_code.store.kinds import KINDS
from itsm_as_code.store.record import Record
from itsm_as_code.store.repository import load_repository
from itsm_as_code.store.schema import SchemaCheck
from tests.helpers import (
    DEMO,
    NOW,
    affected,
    calendar,
    context,
    copy_demo,
    incident,
    person,
    service,
    team,
)

UTC = timezone.utc
ATTRIBUTES = {
    "Service": "services", "Team": "teams", "Person": "people", "Calendar": "calendars",
    "SLA": "slas", "Incident": "incidents", "Problem": "problems",
    "KnownError": "known_errors", "ServiceRequest": "requests", "Maintenance": "maintenance",
    "System": "systems", "AccessPolicy": "policies",
    "RequestType": "request_types",
    "Channel": "channels",
    "Routine": "routines",
    "Subscription": "subscriptions",
}
TYPES = {
    "Service": Service, "Team": Team, "Person": Person, "Calendar": Calendar,
    "SLA": SLA, "Incident": Incident, "Problem": Problem, "KnownError": KnownError,
    "ServiceRequest": ServiceRequest, "Maintenance": Maintenance, "System": System,
    "AccessPolicy": AccessPolicy,
    "RequestType": RequestType,
    "Channel": Channel,
    "Routine": Routine,
    "Subscription": Subscription,
}


@pytest.fixture(scope="module")
def demo() -> Model:
    return Model(load_repository(load_config(DEMO)))


def _times(value: Any) -> Iterator[datetime]:
    """Every datetime inside a model value, however deep."""
    if isinstance(value, datetime):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _times(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _times(getattr(value, name))


def test_every_kind_has_an_attribute_and_a_type() -> None:
    assert set(ATTRIBUTES) == set(TYPES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_demo_record_becomes_a_value_of_its_kind(demo: Model, kind: str) -> None:
    values = getattr(demo, ATTRIBUTES[kind])
    records = demo.repo.of_kind(kind)
    assert records, f"the demo has no {kind}"
    assert sorted(values) == sorted(record.id for record in records)
    assert all(isinstance(value, TYPES[kind]) and value.id == key
               for key, value in values.items())
    assert all(demo.source(key).kind == kind for key in values)
    assert demo.refused(kind) == []
    assert {time.tzinfo for value in values.values() for time in _times(value)} <= {UTC}


def test_the_demo_passes_its_schemas(demo: Model) -> None:
    assert demo.schema_findings() == []
    assert len(demo.valid_records()) == len(demo.repo.records)


def test_timestamps_are_utc_instants_and_durations_timedeltas(demo: Model) -> None:
    first = demo.incidents["INC-0027"]
    # opened_at: 2026-11-18T08:55:00+01:00
    assert first.opened_at == datetime(2026, 11, 18, 7, 55, tzinfo=UTC)
    assert first.opened_at.tzinfo is UTC
    assert first.services == (Affected("identity", "degraded_performance"),)
    assert first.alerts[0].fingerprint == "5f0c2b7e91d4a3c8"
    assert first.alerts[0].started_at == datetime(2026, 11, 18, 7, 52, tzinfo=UTC)
    assert [entry.status for entry in first.timeline] == [
        "investigating", None, "monitoring", "resolved"]
    assert [entry.public for entry in first.timeline] == [True, False, True, True]
    gold = demo.slas["gold"]
    assert (gold.targets["P1"].response, gold.targets["P1"].resolution) == (
        timedelta(minutes=15), timedelta(hours=4))
    assert demo.policies["okta-dashboard-admins"].max_duration == timedelta(days=180)


def test_optional_fields_get_their_defaults() -> None:
    model = context(incident(), service(), person(), team()).model
    read = model.incidents["INC-0001"]
    assert (read.major, read.visibility, read.reopen_count, read.alerts, read.problem,
            read.acknowledged_at, read.resolved_at) == (False, "public", 0, (), None, None,
                                                        None)
    web = model.services["web"]
    assert (web.visibility, web.internal, web.depends_on, web.sla, web.group) == (
        "public", False, (), None, None)
    ada = model.people["ada"]
    assert (ada.status, ada.active, ada.left_at, ada.account("db")) == (
        "active", True, None, "ada")
    assert model.teams["ops"].members == ("ada",)


def test_a_timeline_entry_may_set_component_statuses() -> None:
    model = context(incident(timeline=[
        {"at": "2026-11-22T09:00:00+01:00", "status": "investigating", "message": "Down.",
         "services": [affected("web", "major_outage")]},
        {"at": "2026-11-22T09:30:00+01:00", "message": "Slow only.",
         "services": [affected("web", "degraded_performance")]},
    ])).model
    first, second = model.incidents["INC-0001"].timeline
    assert first.services == (Affected("web", "major_outage"),)
    assert (second.status, second.services) == (
        None, (Affected("web", "degraded_performance"),))


def test_a_record_refused_by_its_schema_is_left_out_and_reported_once() -> None:
    model = context(incident(), incident("INC-0002", status="bogus")).model
    assert list(model.incidents) == ["INC-0001"]
    assert [record.id for record in model.refused("Incident")] == ["INC-0002"]
    findings = model.schema_findings()
    assert [(f.record, f.rule, f.path) for f in findings] == [
        ("INC-0002", "schema", "records/incidents/INC-0002.yaml")]
    assert model.schema_findings() == findings  # asked again: the same, not twice
    assert [record.id for record in model.valid_records("Incident")] == ["INC-0001"]


def test_a_time_that_cannot_be_used_refuses_the_record_with_a_finding() -> None:
    # Valid RFC 3339, but before year 1 once moved to UTC: Python cannot hold it.
    model = context(incident(opened_at="0001-01-01T00:00:00+01:00"), incident("INC-0002")).model
    assert list(model.incidents) == ["INC-0002"]
    [finding] = model.schema_findings()
    assert (finding.record, finding.rule, finding.level) == ("INC-0001", "schema", "error")
    assert finding.message == (
        "opened_at: 0001-01-01T00:00:00+01:00 lies outside the times itsm can hold (2 "
        "January of year 1 to 30 December 9999, in UTC): write the time it really was")
    record = model.repo.of_kind("Incident")[0]
    assert (finding.line, finding.column) == record.locate(("opened_at",))


def test_the_first_of_two_records_with_one_id_is_kept() -> None:
    model = context(incident(title="First"), incident(title="Second")).model
    assert model.incidents["INC-0001"].title == "First"


def checks_counted(monkeypatch: pytest.MonkeyPatch) -> list[Record]:
    """The records the schema check is asked about from now on, in order."""
    checked: list[Record] = []
    real = SchemaCheck.check

    def counting(self: SchemaCheck, record: Record) -> list[Finding]:
        checked.append(record)
        return real(self, record)

    monkeypatch.setattr(SchemaCheck, "check", counting)
    return checked


def test_kinds_are_checked_once_and_only_when_asked_for(monkeypatch: pytest.MonkeyPatch,
                                                       ) -> None:
    checked = checks_counted(monkeypatch)
    model = context(incident(), service(), person()).model
    assert list(model.services) == ["web"]
    assert [record.id for record in checked] == ["web"]
    assert list(model.incidents) == ["INC-0001"]
    model.schema_findings()
    assert list(model.services) == ["web"]
    assert sorted(record.id for record in checked) == ["INC-0001", "ada", "web"]


def test_a_date_that_does_not_exist_is_refused_in_the_schema_s_words() -> None:
    # The compiled check reads the pattern only; the model reads the date and hands one it
    # cannot read back to jsonschema, whose format check words it.
    model = context(calendar(holidays=["2026-12-24", "2026-02-30"])).model
    assert model.calendars == {}
    [finding] = model.schema_findings()
    assert (finding.rule, finding.message) == (
        "schema", "holidays[1]: '2026-02-30' is not valid: expected a calendar date, "
        "`YYYY-MM-DD`.")


def test_holidays_are_dates() -> None:
    model = context(calendar(holidays=["2026-12-24"])).model
    [value] = model.calendars.values()
    assert value.holidays == (date(2026, 12, 24),)


def test_records_judged_while_loading_give_the_model_a_lazy_one_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "demo")
    # One refused record, and records whose update files are folded in after loading.
    (root / "records/services/broken.yaml").write_text(
        "apiVersion: itsm/v1\nkind: Service\nid: broken\nname: 7\n", encoding="utf-8")
    config = load_config(root)
    lazy = Model(load_repository(config))
    lazy_findings = lazy.schema_findings()
    checked = checks_counted(monkeypatch)
    early = RunContext.read(config, NOW).model
    folded = {record.id for record in early.repo.records if record.parts}
    assert folded  # the demo has records with update files
    # Every other record was judged while loading; those with update files wait.
    assert sorted(record.id for record in checked) == sorted(
        record.id for record in early.repo.records if record.id not in folded)
    assert early.schema_findings() == lazy_findings
    # Judged once each: early, or when the model asked.
    assert sorted(record.id for record in checked) == sorted(
        record.id for record in early.repo.records)
    assert {finding.record for finding in early.schema_findings()} == {"broken"}
    for kind, attribute in ATTRIBUTES.items():
        assert getattr(early, attribute) == getattr(lazy, attribute), kind
        assert [r.path for r in early.valid_records(kind)] == \
            [r.path for r in lazy.valid_records(kind)]


def test_a_command_judges_early_only_the_kinds_it_reads(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    checked = checks_counted(monkeypatch)
    model = RunContext.read(load_config(root), NOW, early=("Service",)).model
    assert {record.kind for record in checked} == {"Service"}
    assert model.services and {record.kind for record in checked} == {"Service"}
