"""The one registry of readers: the function that reads each kind's record data, checked
by its schema, into the model's type (model/readers/, a module per area)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from itsm_as_code.model.readers.catalogue import request_type
from itsm_as_code.model.readers.itil import (
    incident,
    known_error,
    maintenance,
    problem,
    service_request,
)
from itsm_as_code.model.readers.notifications import channel, subscription
from itsm_as_code.model.readers.operations import routine
from itsm_as_code.model.readers.organisation import (
    access_policy,
    calendar,
    person,
    service,
    sla,
    system,
    team,
)
from itsm_as_code.model.readers.values import Data

READERS: dict[str, Callable[[Data], Any]] = {
    "Service": service, "Team": team, "Person": person, "Calendar": calendar, "SLA": sla,
    "Incident": incident, "Problem": problem, "KnownError": known_error,
    "ServiceRequest": service_request, "Maintenance": maintenance, "System": system,
    "AccessPolicy": access_policy,
    "RequestType": request_type,
    "Subscription": subscription,
    "Channel": channel,
    "Routine": routine,
}
