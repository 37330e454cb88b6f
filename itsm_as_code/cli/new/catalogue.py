"""`itsm new request-type`: an entry of the request catalogue."""

from __future__ import annotations

from typing import Any

import click

from itsm_as_code.cli.new.common import PRIORITIES, create


@click.command("request-type")
@click.argument("record_id", metavar="ID")
@click.option("--name", required=True, help="What is asked for, as the catalogue shows it.")
@click.option("--description", required=True)
@click.option("--service", required=True, help="The Service id its requests are made on.")
@click.option("--team", required=True, help="The Team id that fulfils its requests.")
@click.option("--sla", help="The SLA id the fulfilment is measured against.")
@click.option("--priority", type=PRIORITIES, default="P4", show_default=True)
@click.option("--access-policy", help="For access requests: the AccessPolicy id granted.")
@click.option("--field", "fields", multiple=True, metavar="ID:TYPE:LABEL",
              help="A question of the form (repeat, in order); TYPE is text, textarea, "
              "number, date, choice, multichoice, person or checkbox, with a trailing ! "
              "when required.")
@click.option("--option", "options", multiple=True, metavar="FIELD=CHOICE",
              help="A choice of a choice or multichoice field (repeat).")
@click.option("--stage", "stages", multiple=True, metavar="NAME:HOW",
              help="An approval stage (repeat, in order); HOW is team=TEAM, "
              "policy_owners=POLICY, people=P1,P2 or requester_lead. No stage: a "
              "standard, pre-approved request.")
@click.option("--step", "steps", multiple=True, metavar="TEXT",
              help="A fulfilment step (repeat, in order); its id is its number.")
def new_request_type(record_id: str, fields: tuple[str, ...], options: tuple[str, ...],
                     stages: tuple[str, ...], steps: tuple[str, ...], **more: Any) -> int:
    """A new entry of the request catalogue.

    \b
    Example:
      itsm new request-type new-laptop --name "New laptop" --service workplace \\
          --team platform --description "A new or replacement laptop." \\
          --field 'model:choice!:Model' --option 'model=MacBook Pro 14' \\
          --stage 'Team lead:requester_lead' --stage 'IT:team=platform' \\
          --step "Order the laptop" --step "Hand it over"
    """
    return create("RequestType", record_id, fields=list(fields), options=list(options),
                   stages=list(stages), steps=list(steps), **more)
