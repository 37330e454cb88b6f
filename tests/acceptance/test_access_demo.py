"""`itsm access` on the demo organisation, out of the box: the Okta export differs from the
policies in every instructive way, and the payments database has no DSN here."""

from __future__ import annotations

import json

import pytest

from tests.helpers import DEMO, NOW_TEXT, run_itsm


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAYMENTS_DB_DSN", raising=False)


def test_plan_shows_missing_unauthorised_expired_and_leavers() -> None:
    result = run_itsm("access", "plan", "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 2  # payments-db cannot be planned without PAYMENTS_DB_DSN
    assert result.lines == [
        "okta-export (file, read-only)",
        "  CHANGE       ROLE                       ACCOUNT                                 "
        "PERSON       VIA       REASON        POLICY",
        "  + grant      merchant-dashboard-admins  jonas.weber@northwind-payments.example  "
        "jonas-weber  payments  missing       okta-dashboard-admins",
        "  - revoke     merchant-dashboard-admins  dev.contractor@partner-agency.example   "
        "-            -         unauthorised  okta-dashboard-admins",
        "  - revoke     merchant-dashboard-admins  emre.yilmaz@northwind-payments.example  "
        "emre-yilmaz  -         expired       okta-dashboard-admins",
        "  - revoke     merchant-dashboard-admins  tom.fischer@northwind-payments.example  "
        "tom-fischer  -         left          okta-dashboard-admins",
        "  + grant      warehouse-analysts         sofia.rossi@northwind-payments.example  "
        "sofia-rossi  -         missing       okta-warehouse-analysts",
        "  = kept       merchant-dashboard-admins  okta-admin@northwind-payments.example   "
        "-            -         break-glass   okta-dashboard-admins",
        "  ~ unmanaged  warehouse-analysts         jonas.weber@northwind-payments.example  "
        "jonas-weber  -         unauthorised  okta-warehouse-analysts",
        "  ~ unmanaged  warehouse-analysts         tom.fischer@northwind-payments.example  "
        "tom-fischer  -         left          okta-warehouse-analysts",
        "payments-db (postgres)",
        "  not reachable: payments-db: the environment variable PAYMENTS_DB_DSN "
        "(connection.dsn_env) is not set: set it where itsm runs (in CI, from a repository "
        "secret)",
        "Plan: 2 to grant, 3 to revoke, 3 unmanaged on 2 system(s); 1 system(s) not reachable.",
    ]
    assert result.stderr == (
        "error: payments-db: the environment variable PAYMENTS_DB_DSN (connection.dsn_env) is "
        "not set: set it where itsm runs (in CI, from a repository secret)\n")


def test_one_system_plans_cleanly() -> None:
    result = run_itsm("access", "plan", "--system", "okta-export", "--format", "json",
                      "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 0
    document = json.loads(result.stdout)
    assert document["summary"] == {"grants": 2, "revokes": 3, "unmanaged": 3, "unreachable": 0}
    assert set(document["changes"][0]) >= {"system", "policy", "action", "subject", "account",
                                           "role", "reason"}
    assert run_itsm("access", "plan", "--system", "okta-export", "--detailed-exitcode",
                    "--now", NOW_TEXT, cwd=DEMO).code == 2


def test_unknown_system_is_a_usage_error() -> None:
    result = run_itsm("access", "plan", "--system", "nope", cwd=DEMO)
    assert (result.code, result.stderr) == (2, "error: no System with id 'nope' in "
                                               "records/access/\n")


def test_markdown_leads_with_counts_and_calls_out_removals() -> None:
    result = run_itsm("access", "plan", "--system", "okta-export", "--format", "markdown",
                      "--now", NOW_TEXT, cwd=DEMO)
    assert result.lines[:9] == [
        "<!-- itsm-access-plan -->",
        "### itsm access plan",
        "",
        "**2 to grant, 3 to revoke, 3 unmanaged on 1 system(s).**",
        "",
        "Read-only, changed in their source systems: okta-export.",
        "",
        "> [!WARNING]",
        "> **3 removal(s)**:",
    ]
    assert "<details><summary>Changes (5)</summary>" in result.lines
    assert "| | System | Role | Account | Person | Reason | Policy |" in result.lines


def test_apply_annotates_each_result_and_unreachable_system_without_a_place() -> None:
    result = run_itsm("access", "apply", "--yes", "--format", "github", "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 2
    assert result.lines[0] == (
        "::notice title=itsm access apply::skipped: okta-export: grant merchant-dashboard-admins "
        "to jonas.weber@northwind-payments.example (jonas-weber) via team payments [missing]: "
        "okta-export is read-only (file): change it in the source system")
    assert result.lines[5:] == [
        "::error title=itsm access apply::payments-db: the environment variable PAYMENTS_DB_DSN "
        "(connection.dsn_env) is not set: set it where itsm runs (in CI, from a repository "
        "secret)",
        "Apply: 0 applied, 0 failed, 0 unverified, 5 skipped; 1 system(s) not reachable.",
    ]


def test_apply_on_a_file_export_changes_nothing_and_says_so() -> None:
    result = run_itsm("access", "apply", "--yes", "--system", "okta-export", "--now", NOW_TEXT,
                      cwd=DEMO)
    assert result.code == 0, result.stdout
    assert result.lines[:2] == [
        "RESULT   CHANGE    SYSTEM       ROLE                       ACCOUNT                     "
        "            PERSON       VIA       REASON        DETAIL",
        "skipped  + grant   okta-export  merchant-dashboard-admins  "
        "jonas.weber@northwind-payments.example  jonas-weber  payments  missing       "
        "okta-export is read-only (file): change it in the source system",
    ]
    assert len(result.lines) == 7
    assert result.lines[-1] == "Apply: 0 applied, 0 failed, 0 unverified, 5 skipped."


def test_review_finds_the_leaver_and_the_expiring_grant() -> None:
    result = run_itsm("access", "review", "--system", "okta-export", "--format", "json",
                      "--now", NOW_TEXT, cwd=DEMO)
    assert result.code == 0
    document = json.loads(result.stdout)
    assert document["summary"] == {"accounts": 10, "granted": 3, "expiring": 1, "expired": 1,
                                   "left": 2, "unauthorised": 2, "break-glass": 1}
    lukas = next(row for row in document["accounts"]
                 if row["account"] == "lukas.brandt@northwind-payments.example")
    assert (lukas["status"], lukas["approved_by"], lukas["age_days"], lukas["expires"]) == (
        "expiring", "anna-keller", 1, "2026-12-01T18:00:00+01:00")


def test_itsm_run_reports_the_plan_without_failing() -> None:
    result = run_itsm("run", "--now", NOW_TEXT, cwd=DEMO)
    assert ("access: ok: 2 to grant, 3 to revoke, 3 unmanaged on 2 system(s); 1 system(s) "
            "not reachable (not configured here: payments-db)") in result.stderr
    assert ("records/access/payments-db.yaml:9:1: notice: payments-db: the environment variable "
            "PAYMENTS_DB_DSN (connection.dsn_env) is not set: set it where itsm runs (in CI, "
            "from a repository secret) [access-plan]") in result.lines
