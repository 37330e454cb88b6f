"""The desk's forms: one per request type of the catalogue, plus a problem report (an
incident from a user) and a question (a request of the general-question type).

A form is the one description every channel reads: the GitHub issue forms are rendered
from it (desk/issueforms.py), an issue's body and an e-mail are read back by it
(desk/answers.py). Each form has a marker, the label its issues carry, which intake reads
to know which form an issue was opened from.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import FormField, RequestType

MARKER = "itsm:"
INCIDENT_FORM = "incident"
QUESTION_TYPE = "general-question"  # the request type a question becomes
# A user-reported problem: how many are affected (impact) and how badly (urgency).
IMPACTS = {"Just me": "low", "My team or a few colleagues": "medium",
           "Many colleagues or customers": "high"}
URGENCIES = {"I can work around it": "low", "My work is slowed down": "medium",
             "I cannot work at all": "high"}
DEFAULT_LEVEL = "medium"
# A request type without questions still asks for its details in words (GitHub wants one
# element that is submitted); what is written there becomes the request's description.
DETAILS = FormField("details", "Details", "textarea")


@dataclass(frozen=True)
class Form:
    """A form: `key` is `incident` or the request type's id; `fields` are asked in order."""

    key: str
    name: str
    description: str
    title: str
    fields: tuple[FormField, ...]
    request_type: RequestType | None = None

    @property
    def label(self) -> str:
        """The marker label of the issues opened from this form."""
        if self.request_type is None:
            return f"{MARKER}{self.key}"
        return f"{MARKER}request-type:{self.key}"

    @property
    def file(self) -> str:
        return f"{self.key}.yml"

    @property
    def is_incident(self) -> bool:
        return self.request_type is None

    @property
    def asked(self) -> tuple[FormField, ...]:
        """What the form asks: its fields, or the details in words when it has none."""
        return self.fields or (DETAILS,)

    def field(self, field_id: str) -> FormField | None:
        return next((item for item in self.fields if item.id == field_id), None)


def service_options(model: Model) -> dict[str, str]:
    """Option text -> Service id, for the problem report: every service (public and
    internal: the form is for the organisation's own people), named as people know it; a
    name two services share gets the id beside it."""
    names = [service.name for service in model.services.values()]
    ordered = sorted(model.services.values(),
                     key=lambda s: (s.position if s.position is not None else 10**6, s.name))
    return {(s.name if names.count(s.name) == 1 else f"{s.name} ({s.id})"): s.id
            for s in ordered}


def incident_form(model: Model) -> Form:
    fields = (
        FormField("service", "Which service has the problem?", "choice", True,
                  tuple(service_options(model)),
                  "Pick the service as you know it; choose the closest one if unsure."),
        FormField("what", "What happens?", "textarea", True,
                  help="What you tried to do, what you expected and what happened instead "
                       "(error messages too)."),
        FormField("since", "Since when?", "text",
                  help="Such as `today 09:30` or `since the morning`."),
        FormField("affected", "Who is affected?", "choice", options=tuple(IMPACTS)),
        FormField("urgency", "How much does it stop your work?", "choice",
                  options=tuple(URGENCIES)),
    )
    return Form(INCIDENT_FORM, "Report a problem with a service",
                "Something does not work as it should: the service desk opens an incident.",
                "[Problem] ", fields)


def request_form(kind: RequestType) -> Form:
    first_line = kind.description.strip().splitlines()[0] if kind.description.strip() else ""
    name = "Ask a question" if kind.id == QUESTION_TYPE else kind.name
    return Form(kind.id, name, first_line or kind.name, f"[{kind.name}] ", kind.form, kind)


def desk_forms(model: Model) -> list[Form]:
    """Every form: the problem report, the question, then the catalogue by name."""
    kinds = sorted(model.request_types.values(), key=lambda kind: kind.name.lower())
    question = [request_form(kind) for kind in kinds if kind.id == QUESTION_TYPE]
    return [incident_form(model), *question,
            *(request_form(kind) for kind in kinds if kind.id != QUESTION_TYPE)]


def form_by_label(forms: list[Form], labels: list[str]) -> Form | None:
    """The form whose marker is among an issue's `labels`."""
    wanted = set(labels)
    return next((form for form in forms if form.label in wanted), None)
