"""`itsm new subscription`: a subscription written as the user asked, checked against the
channels before it is written."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import copy_demo, run_itsm


def test_new_subscription_writes_the_filters_given(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    result = run_itsm("new", "subscription", "merchant-p1", "--channel", "status-slack",
                      "--service", "payments-api", "--group", "Payments", "--kind", "Incident",
                      "--event", "incident.opened", "--event", "incident.resolved",
                      "--priority", "P1", "--description", "P1 incidents for merchants.",
                      cwd=root)
    assert (result.code, result.stdout) == (
        0, "created merchant-p1: records/subscriptions/merchant-p1.yaml\n")
    assert (root / "records/subscriptions/merchant-p1.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schemas/subscription.schema.json\n"
        "apiVersion: itsm/v1\n"
        "kind: Subscription\n"
        "id: merchant-p1\n"
        "description: P1 incidents for merchants.\n"
        "channel: status-slack\n"
        "services:\n- payments-api\n"
        "groups:\n- Payments\n"
        "kinds:\n- Incident\n"
        "events:\n- incident.opened\n- incident.resolved\n"
        "priorities:\n- P1\n"
        "audience: public\n")
    assert run_itsm("validate", cwd=root).code == 0


def test_an_internal_subscription_on_a_public_channel_is_not_written(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    result = run_itsm("new", "subscription", "leak", "--channel", "status-slack",
                      "--audience", "internal", cwd=root)
    assert result.code == 1
    assert result.stderr == (
        "error: records/subscriptions/leak.yaml was not written, it would be invalid:\n"
        "  audience: internal, but channel status-slack is public: internal records, "
        "entries and services never go to a public channel; write audience: public, or "
        "use a channel whose audience is internal [subscription-audience]\n")
    assert not (root / "records/subscriptions/leak.yaml").exists()


def test_an_unknown_event_is_a_usage_error(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")
    result = run_itsm("new", "subscription", "typo", "--channel", "status-slack", "--event",
                      "incident.open", cwd=root)
    assert result.code == 2
    assert "Invalid value for '--event': 'incident.open' is not one of 'incident.opened'," \
        in result.stderr
