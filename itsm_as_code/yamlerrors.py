"""What a YAML file can be refused for, worded for people: the problem value, libyaml's
complaints in plain language, and text made safe to quote in a message."""

from __future__ import annotations

import re

from yaml.error import Mark, MarkedYAMLError

# What a message must not echo as it is: controls, and the bidirectional controls that
# make a terminal or a pull request page show text in another order than it is written.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                      "\ufeff]")
# Lines as editors and git count them: NEL, LS and PS, which YAML 1.1 also breaks at, not.
LINE_BREAK = re.compile(r"\r\n?|\n")
# Plain-language help for libyaml's most common complaints.
_HINTS = (
    ("mapping values are not allowed", "a value containing ': ' must be quoted"),
    ("expected ',' or ']'", "close the list with ]"),
    ("expected ',' or '}'", "close the mapping with }"),
    ("could not find expected ':'", "write each field as `name: value`, and check for an "
     "unclosed quote above"),
    ("found unexpected end of stream", "close the quote"),
    ("found undefined alias", "define the anchor (&name) before its alias (*name)"),
    ("block sequence entries are not allowed", "put a list under its own key, on the next line"),
    ("did not find expected key", "line up the fields of a mapping at the same indentation"),
    ("did not find expected '-' indicator", "line up the items of a list at the same indentation"),
)


def shown(text: str) -> str:
    """`text` as a message may quote it: controls and bidirectional controls escaped."""
    return _UNSHOWN.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def location(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based) of the character at `index`, as an editor counts them."""
    line = 1 + sum(1 for _ in LINE_BREAK.finditer(text, 0, index))
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return line, index - start + 1


class YamlProblem(Exception):
    """A file that is not acceptable YAML for a record; `rule` names why."""

    def __init__(self, rule: str, message: str, mark: Mark | None = None,
                 text: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.index = mark.index if mark else None
        self.line = mark.line + 1 if mark else 1
        self.column = mark.column + 1 if mark else 1
        if text is not None:
            self.place(text)

    def place(self, text: str) -> None:
        """Count the line and column in `text` as editors do (libyaml's marks also break
        lines at NEL, LS and PS)."""
        if self.index is not None:
            self.line, self.column = location(text, self.index)


def syntax_problem(error: MarkedYAMLError, text: str) -> YamlProblem:
    problem = (error.problem or "").strip()
    mark = error.problem_mark or error.context_mark
    if mark is not None and text[mark.index:mark.index + 1] == "\t":
        return YamlProblem("yaml-syntax", "YAML syntax error: a tab character here: indent "
                           "with spaces, not tabs", mark)
    if problem == "second occurrence" and error.context_mark and error.problem_mark:
        line, column = location(text, error.context_mark.index)
        return YamlProblem("yaml-syntax", f"YAML syntax error: this anchor is also defined at "
                           f"line {line}, column {column}: give each anchor "
                           "(&name) its own name", error.problem_mark)
    # libyaml quotes the character it stumbled on; it may be one a terminal must not show.
    message = f"YAML syntax error: {shown(problem or str(error.context))}"
    if error.context and error.context_mark and error.problem_mark:
        start = error.context_mark
        if start.index != error.problem_mark.index:
            line, column = location(text, start.index)
            message += f" ({error.context} that starts at line {line}, column {column})"
    hint = next((hint for clue, hint in _HINTS if clue in f"{error.context} {problem}"), None)
    message += f": {hint}" if hint else ": fix the YAML at this position"
    return YamlProblem("yaml-syntax", message, mark)
