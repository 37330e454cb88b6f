"""A password in a PostgreSQL connection string never reaches any output: planted in every
form libpq accepts (a URI's userinfo and query, key=value plain and quoted), in strings
libpq cannot parse and in strings that parse but reach no server, then looked for in
every format of the plan, in the apply's output and in its evidence file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.access_records import RECONCILED_AT, readers_policy, system, write_repo
from tests.helpers import run_itsm
from tests.servers import free_port

# Two halves, each looked for alone: libpq may quote the token where it stopped.
SECRET = ("Planted", "S3cret")
# Written with `{port}`, filled in at run time (a free port, where nothing listens, so a
# well-formed string is refused at once): test ids must not change between workers.
PORT = free_port()
MALFORMED = [
    "postgresql://itsm_bot:Planted%S3cret@127.0.0.1:{port}/x",  # % not written %25
    "postgresql://127.0.0.1:{port}/x?user=itsm_bot&password=Planted%S3cret",
    "postgres://itsm_bot:Planted%zzS3cret@127.0.0.1:{port}/x",
    "host=127.0.0.1 port={port} user=itsm_bot password=Planted S3cret dbname=x",
    "host=127.0.0.1 port={port} user=itsm_bot password='Planted S3cret dbname=x",
    "host=127.0.0.1 port={port} user=itsm_bot password=Planted-S3cret bogus=1",
    "postgresql://itsm_bot:Planted-S3cret@127.0.0.1:{port}/x?sslmode=Planted-S3cret&x=1",
]
WELL_FORMED = [
    "postgresql://itsm_bot:Planted%25S3cret@127.0.0.1:{port}/x",
    "postgres://itsm_bot:Planted-S3cret@127.0.0.1:{port}/x?connect_timeout=5",
    "postgresql://127.0.0.1:{port}/x?user=itsm_bot&password=Planted-S3cret",
    "host=127.0.0.1 port={port} user=itsm_bot password=Planted-S3cret dbname=x",
    "host=127.0.0.1 port={port} user=itsm_bot password='Planted S3cret' dbname=x",
    "host=127.0.0.1 port={port} user=itsm_bot password = 'Planted\\'S3cret' dbname=x",
    "host=Planted-S3cret port={port} user=itsm_bot password=Planted-S3cret dbname=x",
]
SHAPE = ("error: db: the value of ITSM_TEST_DSN is not a connection string libpq can read "
         "(its own message is not shown, as it quotes the string): in a URI write % as %25 "
         "and percent-encode @ : / ? # in the user and password; in key=value form put a "
         "value with spaces, quotes or backslashes in single quotes, with \\' and \\\\ "
         "inside\n")


def outputs(repo: Path, evidence: Path) -> list[str]:
    """Everything a plan and an apply show, in every format, and the evidence files."""
    shown = []
    for output_format in ("text", "json", "markdown", "github"):
        plan = run_itsm("access", "plan", "--format", output_format, "--now", RECONCILED_AT,
                        cwd=repo)
        assert plan.code == 2
        shown += [plan.stdout, plan.stderr]
    applied = run_itsm("access", "apply", "--yes", "--evidence", str(evidence), "--now",
                       RECONCILED_AT, cwd=repo)
    assert applied.code == 2
    shown += [applied.stdout, applied.stderr]
    files = list(evidence.iterdir())
    assert len(files) == 1
    shown += [path.read_text(encoding="utf-8") for path in files]
    return shown


@pytest.mark.parametrize("dsn", [*MALFORMED, *WELL_FORMED])
def test_no_output_and_no_evidence_holds_the_password(
        dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_repo(tmp_path / "repo", system("db", "postgres", {"dsn_env": "ITSM_TEST_DSN"}),
                      readers_policy())
    monkeypatch.setenv("ITSM_TEST_DSN", dsn.format(port=PORT))
    for text in outputs(repo, tmp_path / "evidence"):
        for half in SECRET:
            assert half not in text, text


@pytest.mark.parametrize("dsn", MALFORMED[:6])
def test_a_string_libpq_cannot_read_is_described_not_quoted(
        dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_repo(tmp_path / "repo", system("db", "postgres", {"dsn_env": "ITSM_TEST_DSN"}),
                      readers_policy())
    monkeypatch.setenv("ITSM_TEST_DSN", dsn.format(port=PORT))
    result = run_itsm("access", "plan", "--now", RECONCILED_AT, cwd=repo)
    assert (result.code, result.stderr) == (2, SHAPE)


def test_a_password_libpq_repeats_is_hidden(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_repo(tmp_path / "repo", system("db", "postgres", {"dsn_env": "ITSM_TEST_DSN"}),
                      readers_policy())
    # The password set as the host name too: libpq names the host it could not resolve.
    monkeypatch.setenv("ITSM_TEST_DSN", WELL_FORMED[-1].format(port=PORT))
    result = run_itsm("access", "plan", "--now", RECONCILED_AT, cwd=repo)
    assert result.code == 2
    assert result.stderr.startswith("error: db: cannot connect to PostgreSQL: ")
    assert "[hidden]" in result.stderr
