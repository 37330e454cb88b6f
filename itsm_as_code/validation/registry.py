"""Every rule itsm reports under, in one registry: the README's rule tables are tested
against it (every rule here is in its table, and nothing is in a table that is not here).

The file rules are made by the loader (store/loader.py) and the schema rule by the model's
schema check; they are registered here for their ids and summaries.
"""

from __future__ import annotations

from typing import Any

from itsm_as_code.history.audit_rules import AUDIT_RULES
from itsm_as_code.rule import Rule, Scope
from itsm_as_code.store.loader import FILE_RULES
from itsm_as_code.validation.lifecycle.check import HISTORY_RULES
from itsm_as_code.validation.rules import RULES as RECORD_RULES


def _all() -> dict[str, Rule[Any]]:
    found: dict[str, Rule[Any]] = {
        rule_id: Rule[Any](rule_id, summary, "file") for rule_id, summary in FILE_RULES.items()}
    for rules in (RECORD_RULES, HISTORY_RULES, AUDIT_RULES):
        for rule in rules.values():
            if rule.id in found:
                raise ValueError(f"rule {rule.id} is registered twice")
            found[rule.id] = rule
    return found


RULES: dict[str, Rule[Any]] = _all()


def of_scope(*scopes: Scope) -> list[str]:
    """The ids of the rules of these scopes, in registry order."""
    return [rule.id for rule in RULES.values() if rule.scope in scopes]
