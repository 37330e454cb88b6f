"""The access review's rows and formats: expiring grants, and exports safe to open."""

from __future__ import annotations

import json
from pathlib import Path

from tests.access_records import RECONCILED_AT, grant, policy, system, write_repo
from tests.helpers import run_itsm

SOON = "2026-12-01T00:00:00Z"


def _repo(tmp_path: Path) -> Path:
    repo = write_repo(tmp_path / "r", system("e", "file", {"path": "e.json"}),
                      policy("p", "e", "admins", [grant("eve", expires=SOON), grant("ada")]))
    (repo / "records/e.json").write_text(json.dumps(
        {"groups": {"admins": ["eve", "ada", "=HYPERLINK(\"http://x\")", "a|b<i>"]}}))
    return repo


def test_csv_defuses_formulas_from_account_names(tmp_path: Path) -> None:
    result = run_itsm("access", "review", "--format", "csv", "--now", RECONCILED_AT,
                      cwd=_repo(tmp_path))
    assert result.code == 0, result.stderr
    assert result.lines[1:] == [
        'e,admins,"\'=HYPERLINK(""http://x"")",,unauthorised,p,,,,,,',
        "e,admins,ada,ada,granted,p,1,ada,olga,2026-10-01T00:00:00Z,52,",
        "e,admins,a|b<i>,,unauthorised,p,,,,,,",
        "e,admins,eve,eve,expiring,p,0,eve,olga,2026-10-01T00:00:00Z,52,2026-12-01T00:00:00Z",
    ]


def test_markdown_escapes_cells(tmp_path: Path) -> None:
    result = run_itsm("access", "review", "--format", "markdown", "--now", RECONCILED_AT,
                      cwd=_repo(tmp_path))
    assert result.lines[2] == ("4 account(s) reviewed: 1 granted, 1 expiring, "
                               "2 unauthorised")
    assert result.lines[6:] == [
        '| e | admins | =HYPERLINK("http://x") | - | unauthorised | p | - | - | - |',
        "| e | admins | ada | ada | granted | p | olga | 52d | never |",
        "| e | admins | a\\|b&lt;i&gt; | - | unauthorised | p | - | - | - |",
        "| e | admins | eve | eve | expiring | p | olga | 52d | 2026-12-01T00:00:00Z |",
    ]


def test_text_marks_accounts_without_a_grant(tmp_path: Path) -> None:
    result = run_itsm("access", "review", "--now", RECONCILED_AT, cwd=_repo(tmp_path))
    assert result.lines == [
        "SYSTEM  ROLE    ACCOUNT                 PERSON  STATUS        POLICY  APPROVED BY  AGE  "
        "EXPIRES",
        'e       admins  =HYPERLINK("http://x")  -       unauthorised  p       -            -    -',
        "e       admins  ada                     ada     granted       p       olga         52d  "
        "never",
        "e       admins  a|b<i>                  -       unauthorised  p       -            -    -",
        "e       admins  eve                     eve     expiring      p       olga         52d  "
        "2026-12-01T00:00:00Z",
        "4 account(s) reviewed: 1 granted, 1 expiring, 2 unauthorised",
    ]


def test_times_are_shown_in_the_display_time_zone(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "r", system("e", "file", {"path": "e.json"}),
                      policy("p", "e", "admins", [grant("eve", expires=SOON)]),
                      settings="timezone: Europe/Berlin\n")
    (repo / "records/e.json").write_text('{"groups": {"admins": ["eve"]}}')
    result = run_itsm("access", "review", "--format", "json", "--now", RECONCILED_AT, cwd=repo)
    (row,) = json.loads(result.stdout)["accounts"]
    assert (row["approved_at"], row["expires"], row["age_days"]) == (
        "2026-10-01T02:00:00+02:00", "2026-12-01T01:00:00+01:00", 52)
