"""GitHub Actions expressions (`${{ ... }}` and `if:`), as far as the workflows use them:
contexts by dotted path, string, number and boolean literals, `!`, `==`, `!=`, `&&`, `||`,
parentheses, and the functions always, success, failure, cancelled, toJSON, contains and
startsWith. Semantics follow GitHub's: `&&` and `||` give an operand's value, a missing
property is null, strings compare without case, null and "" are falsy."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)"
                   r"|(?P<op>==|!=|&&|\|\||!|\(|\)|,)|(?P<name>[A-Za-z_][\w.\-]*))")
EMBEDDED = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(f"cannot read the expression {text!r} at {position}")
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def truthy(value: Any) -> bool:
    return value not in (None, False, "", 0)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2)
    return str(value)


class Evaluator:
    """Evaluates expressions against `contexts` (github, env, secrets, steps, ...);
    `status` answers success() and failure() (True when an earlier step failed)."""

    def __init__(self, contexts: dict[str, Any], failed: Callable[[], bool]) -> None:
        self.contexts, self.failed = contexts, failed
        self.functions: dict[str, Callable[..., Any]] = {
            "always": lambda: True, "cancelled": lambda: False,
            "success": lambda: not self.failed(), "failure": self.failed,
            "tojson": lambda value: json.dumps(value, indent=2),
            "contains": lambda haystack, needle: (
                as_text(needle).lower() in as_text(haystack).lower()
                if not isinstance(haystack, list) else needle in haystack),
            "startswith": lambda text, start: as_text(text).lower().startswith(
                as_text(start).lower()),
        }

    def evaluate(self, text: str) -> Any:
        self._tokens, self._at = tokens(text), 0
        value = self._or()
        if self._at != len(self._tokens):
            raise ValueError(f"unexpected {self._tokens[self._at]} in {text!r}")
        return value

    def interpolate(self, text: str) -> str:
        """A string with every `${{ ... }}` replaced by its value as text."""
        return EMBEDDED.sub(lambda match: as_text(self.evaluate(match.group(1))), text)

    def condition(self, text: str | bool | None, default: str = "success()") -> bool:
        """A step's or job's `if:`; without a status function it also needs success()."""
        if isinstance(text, bool):
            return text
        expression = (text or default).strip()
        match = EMBEDDED.fullmatch(expression)
        expression = match.group(1) if match else expression
        if not re.search(r"\b(always|success|failure|cancelled)\(", expression):
            expression = f"success() && ({expression})"
        return truthy(self.evaluate(expression))

    def _peek(self) -> tuple[str, str] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _take(self, value: str | None = None) -> tuple[str, str]:
        token = self._peek()
        if token is None or (value is not None and token[1] != value):
            raise ValueError(f"expected {value!r}, found {token!r}")
        self._at += 1
        return token

    def _or(self) -> Any:
        value = self._and()
        while self._peek() == ("op", "||"):
            self._take()
            right = self._and()
            value = value if truthy(value) else right
        return value

    def _and(self) -> Any:
        value = self._compare()
        while self._peek() == ("op", "&&"):
            self._take()
            right = self._compare()
            value = right if truthy(value) else value
        return value

    def _compare(self) -> Any:
        value = self._unary()
        while self._peek() in (("op", "=="), ("op", "!=")):
            operator = self._take()[1]
            right = self._unary()
            same = _normal(value) == _normal(right)
            value = same if operator == "==" else not same
        return value

    def _unary(self) -> Any:
        if self._peek() == ("op", "!"):
            self._take()
            return not truthy(self._unary())
        return self._primary()

    def _primary(self) -> Any:
        kind, text = self._take()
        if (kind, text) == ("op", "("):
            value = self._or()
            self._take(")")
            return value
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind != "name":
            raise ValueError(f"unexpected {text!r}")
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self._peek() == ("op", "("):
            self._take()
            arguments = []
            while self._peek() != ("op", ")"):
                arguments.append(self._or())
                if self._peek() == ("op", ","):
                    self._take()
            self._take(")")
            return self.functions[text.lower()](*arguments)
        return self._lookup(text)

    def _lookup(self, path: str) -> Any:
        value: Any = self.contexts
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value


def _normal(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value
