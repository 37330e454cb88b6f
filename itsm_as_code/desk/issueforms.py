"""The desk's forms as GitHub issue forms (`.github/ISSUE_TEMPLATE/*.yml`), and the checks
GitHub applies to them, so a form GitHub would refuse is never written.

The syntax is GitHub's form schema: top-level `name`, `description`, `title`, `labels`,
`body`; body elements `markdown`, `input`, `textarea`, `dropdown` and `checkboxes`, each
with `attributes`, an `id` (letters, digits, `-`, `_`; unique in the form) and
`validations: {required: true}`. GitHub renders a submitted form as the issue's body, one
`### <label>` section per element (desk/answers.py reads it back).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from itsm_as_code.desk.forms import Form
from itsm_as_code.model.types.catalogue import FormField

ELEMENT_ID = re.compile(r"^[A-Za-z0-9_-]+$")
ELEMENTS = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
TOP_LEVEL = {"name", "description", "title", "labels", "assignees", "projects", "type", "body"}
HEAD = "# Written by `itsm desk forms` from the request catalogue: edit the records, not this.\n"
PLACEHOLDERS = {"date": "YYYY-MM-DD", "number": "a number",
                "person": "a colleague's GitHub login (@name), e-mail address or id"}


def element(item: FormField) -> dict[str, Any]:
    """The body element that asks `item`."""
    attributes: dict[str, Any] = {"label": item.label}
    described = [item.help] if item.help else []
    if item.pattern:
        described.append(f"Written as the pattern `{item.pattern}`.")
    if described:
        attributes["description"] = " ".join(described)
    if item.type in ("choice", "multichoice"):
        kind = "dropdown"
        attributes["multiple"] = item.type == "multichoice"
        attributes["options"] = list(item.options)
    elif item.type == "checkbox":
        kind = "checkboxes"
        attributes["options"] = [{"label": item.help or item.label, "required": item.required}]
        attributes.pop("description", None)
    else:
        kind = "textarea" if item.type == "textarea" else "input"
        if item.type in PLACEHOLDERS:
            attributes["placeholder"] = PLACEHOLDERS[item.type]
    found: dict[str, Any] = {"type": kind, "id": item.id, "attributes": attributes}
    if item.type != "checkbox":
        found["validations"] = {"required": item.required}
    return found


def issue_form(form: Form) -> dict[str, Any]:
    intro = form.description
    if form.request_type is not None and form.request_type.description.strip():
        intro = form.request_type.description.strip()
    # A form without questions asks for the details in words (Form.asked): GitHub wants
    # one element that is submitted.
    body = [{"type": "markdown", "attributes": {"value": intro}},
            *(element(item) for item in form.asked)]
    return {"name": form.name, "description": form.description, "title": form.title,
            "labels": [form.label], "body": body}


def render(data: dict[str, Any]) -> str:
    return HEAD + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def chooser(status_site: str, organization: str) -> dict[str, Any]:
    """`config.yml`: blank issues off (every issue comes from a form), the status site as
    a link beside the forms."""
    data: dict[str, Any] = {"blank_issues_enabled": False}
    if status_site:
        data["contact_links"] = [{"name": f"{organization} status", "url": status_site,
                                  "about": "Is it down for everyone? See the current status "
                                           "and known incidents first."}]
    return data


def problems(data: Any) -> list[str]:
    """What GitHub would refuse in an issue form: the rules of its form schema."""
    if not isinstance(data, dict):
        return ["the form must be a mapping"]
    found = [f"unknown top-level key '{key}'" for key in data if key not in TOP_LEVEL]
    for key in ("name", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            found.append(f"'{key}' must be a non-empty string")
    body = data.get("body")
    if not isinstance(body, list) or not body:
        return [*found, "'body' must be a non-empty list"]
    ids: set[str] = set()
    labels: set[str] = set()
    for number, item in enumerate(body):
        found += [f"body[{number}]: {text}" for text in _element(item, ids, labels)]
    if all(isinstance(item, dict) and item.get("type") == "markdown" for item in body):
        found.append("'body' needs an element that is not markdown")
    return found


def _element(item: Any, ids: set[str], labels: set[str]) -> list[str]:
    if not isinstance(item, dict) or item.get("type") not in ELEMENTS:
        return [f"type must be one of {', '.join(sorted(ELEMENTS))}"]
    kind, attributes = item["type"], item.get("attributes")
    if not isinstance(attributes, dict):
        return ["attributes are required"]
    found = []
    if "id" in item:
        if kind == "markdown" or not ELEMENT_ID.match(str(item["id"])):
            found.append(f"id {item['id']!r} is not allowed here")
        elif item["id"] in ids:
            found.append(f"id {item['id']!r} is used twice")
        ids.add(str(item["id"]))
    if kind == "markdown":
        if not isinstance(attributes.get("value"), str) or not attributes["value"].strip():
            found.append("markdown needs a non-empty value")
        if "validations" in item:
            found.append("markdown takes no validations")
        return found
    label = attributes.get("label")
    if not isinstance(label, str) or not label.strip():
        found.append("label is required")
    elif label in labels:
        found.append(f"label {label!r} is used twice")
    else:
        labels.add(label)
    validations = item.get("validations", {})
    if not isinstance(validations, dict) or set(validations) - {"required"} \
            or not isinstance(validations.get("required", False), bool):
        found.append("validations may only say required: true or false")
    options = attributes.get("options")
    if kind == "dropdown":
        if not isinstance(options, list) or not options \
                or not all(isinstance(o, str) and o.strip() for o in options):
            found.append("a dropdown needs non-empty text options")
        elif len(set(options)) != len(options):
            found.append("a dropdown's options must be unique")
        elif "None" in options:
            found.append("'None' is reserved: a dropdown may not offer it")
    if kind == "checkboxes" and (not isinstance(options, list) or not options or not all(
            isinstance(o, dict) and isinstance(o.get("label"), str) for o in options)):
        found.append("checkboxes need options, each with a label")
    return found


def form_files(forms: list[Form], status_site: str, organization: str) -> dict[str, str]:
    """File name -> text of every issue form and `config.yml`; a form GitHub would refuse
    raises FormError naming it and the rule."""
    files: dict[str, str] = {}
    names: set[str] = set()
    for form in forms:
        data = issue_form(form)
        found = problems(data)
        if data["name"] in names:
            found.append(f"another form is also named {data['name']!r}")
        names.add(data["name"])
        if found:
            raise FormError(f"the form of {form.key!r} would not work on GitHub: "
                            + "; ".join(found))
        files[form.file] = render(data)
    files["config.yml"] = render(chooser(status_site, organization))
    return files


class FormError(ValueError):
    """A form GitHub would refuse: the catalogue record needs fixing."""
