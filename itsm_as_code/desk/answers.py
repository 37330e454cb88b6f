"""A submitted form read back: the `### <label>` sections GitHub renders an issue form's
answers into (an e-mail's body is read the same way when it has them), then each answer
checked and typed by its field (text, number, date, choice, person, checkbox, ...).

Everything here is hostile input: a body edited into something else, a missing section,
an answer of the wrong kind, HTML or script in a text. Each problem is one sentence the
requester can act on, naming the question by its label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from itsm_as_code.model.forms import fits
from itsm_as_code.model.model import Model
from itsm_as_code.model.types.catalogue import Answer, FormField

NO_RESPONSE = "_No response_"
MAX_BODY = 65536  # characters: GitHub's own limit for an issue's body
MAX_ANSWER = 20000
# Raw HTML is refused, not cleaned: a tag in an answer is either a mistake or an attack,
# and the requester can say it in words. (The site renders markdown with raw HTML off.)
HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
BAD_LINKS = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
CHECKED = re.compile(r"^- \[([ xX])\] ", re.MULTILINE)


@dataclass
class Read:
    """The answers of a form, by field id, and what is wrong with them."""

    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """Text without control or direction-changing characters, with Unix line ends."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def sections(body: str, labels: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """The text under each `### <label>` heading, in the form's order (None for GitHub's
    `_No response_`); a heading the body lacks is a problem. Only the form's own headings
    split the body, so an answer may hold `###` lines of its own."""
    found: dict[str, str | None] = {}
    missing: list[str] = []
    places: list[tuple[str, int, int]] = []
    position = 0
    for label in labels:
        heading = re.compile(rf"^###[ \t]+{re.escape(label)}[ \t]*$", re.MULTILINE)
        match = heading.search(body, position)
        if match is None:
            missing.append(label)
            continue
        places.append((label, match.start(), match.end()))
        position = match.end()
    for index, (label, _, end) in enumerate(places):
        stop = places[index + 1][1] if index + 1 < len(places) else len(body)
        text = body[end:stop].strip()
        found[label] = None if text in ("", NO_RESPONSE) else text
    return found, [f"the section \"{label}\" is missing: the issue's text was changed from "
                   "the form's; open a new issue from the form" for label in missing]


def read_answers(fields: tuple[FormField, ...], given: Mapping[str, str | None],
                 model: Model) -> Read:
    """Each field's answer from `given` (field id -> text, None: not answered), typed."""
    read = Read()
    for item in fields:
        text = given.get(item.id)
        if text is not None and item.type != "checkbox":
            text = text.strip() or None
        if text is None or (item.type == "checkbox" and not _ticked(text)):
            if item.type == "checkbox" and text is not None:
                read.answers[item.id] = False
            if item.required:
                read.problems.append(f"\"{item.label}\" is required: "
                                     + ("tick it" if item.type == "checkbox" else "answer it"))
            continue
        if len(text) > MAX_ANSWER:
            read.problems.append(f"\"{item.label}\" is too long: at most {MAX_ANSWER:,} "
                                 "characters")
            continue
        unsafe = _unsafe(text)
        if unsafe:
            read.problems.append(f"\"{item.label}\" {unsafe}")
            continue
        value, problem = _typed(item, text, model)
        if problem is not None:
            read.problems.append(f"\"{item.label}\" {problem}")
        elif value is not None:
            read.answers[item.id] = value
    return read


def _unsafe(text: str) -> str | None:
    tag = HTML.search(text)
    if tag is not None:
        return f"holds HTML ({_quoted(tag.group(0))}): write it in words, without tags"
    if BAD_LINKS.search(text):
        return "holds a script link (javascript:, vbscript: or data:): remove it"
    return None


def _ticked(text: str) -> bool:
    return any(mark in "xX" for mark in CHECKED.findall(text))


def _typed(item: FormField, text: str, model: Model) -> tuple[Answer | None, str | None]:
    kind = item.type
    if kind == "checkbox":
        return True, None
    if kind == "text":
        if "\n" in text:
            return None, "must be one line"
        if item.pattern and not fits(item.pattern, text):  # None: out of time
            return None, f"must be written as the pattern `{item.pattern}`"
        return text, None
    if kind == "textarea":
        return _unfenced(text), None
    if kind == "number":
        try:
            number = float(text) if re.search(r"[.eE]", text) else int(text)
        except ValueError:
            return None, f"must be a number, such as 2 or 2.5, not {_quoted(text)}"
        return number, None
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, f"must be a date written YYYY-MM-DD, not {_quoted(text)}"
    if kind == "choice":
        if text not in item.options:
            return None, f"must be one of: {', '.join(item.options)}"
        return text, None
    if kind == "multichoice":
        chosen = _choices(text, item.options)
        if chosen is None:
            return None, f"must be some of: {', '.join(item.options)}"
        return chosen, None
    return _person(text, model)


def _unfenced(text: str) -> str:
    """A textarea GitHub rendered as code (`render:`) comes fenced: the text inside."""
    match = re.fullmatch(r"```[A-Za-z0-9_-]*\n(.*)\n```", text, re.DOTALL)
    return match.group(1) if match else text


def _choices(text: str, options: tuple[str, ...]) -> tuple[str, ...] | None:
    """GitHub joins the options chosen in a multiple dropdown with `, `; an option may
    hold a comma itself, so the text is matched against the options, longest first."""
    chosen: list[str] = []
    rest = text
    while rest:
        match = next((option for option in sorted(options, key=len, reverse=True)
                      if rest == option or rest.startswith(option + ", ")), None)
        if match is None:
            return None
        chosen.append(match)
        rest = rest[len(match) + 2:]
    return tuple(chosen)


def _person(text: str, model: Model) -> tuple[Answer | None, str | None]:
    wanted = text.strip().lower()
    for person in model.people.values():
        if wanted in (person.id.lower(), person.email.lower()) or (
                person.github and wanted.lstrip("@") == person.github.lower()):
            return person.id, None
    return None, (f"names nobody we know ({_quoted(text)}): give a colleague's GitHub login "
                  "(@name), e-mail address or id")


def _quoted(text: str) -> str:
    """The requester's text, quoted back as code: no mention, link or markup works there."""
    short = " ".join(text.split())
    short = short if len(short) <= 40 else short[:37] + "..."
    return "`" + short.replace("`", "'") + "`"
