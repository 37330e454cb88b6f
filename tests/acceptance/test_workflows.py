"""From `itsm init` to a green pull request: every workflow `itsm init` writes runs its
steps here, in the written repository (a clone of a bare `origin`), under the
environment GitHub gives them (tests/workflow_runner.py), for the events that start it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from itsm_as_code.authoring.init import ACTION_PLACEHOLDER, workflow, workflow_templates
from tests.helpers import DEMO, NOW_TEXT, run_itsm
from tests.workflow_runner import ACTION, Job, Runner

ROOT = Path(__file__).parent.parent.parent
WORKFLOWS = ".github/workflows"
REPOSITORY = {"full_name": "acme/acme", "default_branch": "main",
              "clone_url": "https://github.com/acme/acme.git"}
SERVICE_LABELS = {"alertname": "WebErrors", "service": "web", "severity": "critical"}


def git(cwd: Path, *args: str) -> str:
    environment = {**os.environ, "HOME": os.environ["ITSM_TEST_GIT_HOME"],
                   "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, env=environment, capture_output=True,
                          text=True, check=True).stdout.strip()


def itsm(cwd: Path, *args: str) -> None:
    result = run_itsm(*args, cwd=cwd)
    assert result.code == 0, result.stdout + result.stderr


@dataclass
class Organisation:
    """`itsm init acme`, pushed to a bare `origin`; `work` is the engineer's clone."""

    root: Path
    work: Path
    origin: Path
    clones: int = 0

    def branch(self, name: str, change: Callable[[Path], None], base: str = "main") -> None:
        """A pull request branch: `change` edits the work tree, which is committed, pushed."""
        git(self.work, "switch", "-q", "-c", name, f"origin/{base}")
        change(self.work)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", f"{name}: records")
        git(self.work, "push", "-q", "origin", name)

    def merge(self, name: str) -> dict[str, Any]:
        """Merge branch `name` into main on origin; the push event GitHub would send."""
        before = git(self.work, "rev-parse", "origin/main")
        git(self.work, "switch", "-q", "--detach", "origin/main")
        git(self.work, "merge", "-q", "--no-ff", "--no-edit", f"origin/{name}")
        git(self.work, "push", "-q", "origin", "HEAD:main")
        git(self.work, "fetch", "-q", "origin")
        after = git(self.work, "rev-parse", "origin/main")
        return {"ref": "refs/heads/main", "before": before, "after": after, "created": False,
                "forced": False, "deleted": False, "repository": REPOSITORY,
                "head_commit": {"id": after}}

    def clone(self) -> Path:
        """A fresh full clone (actions/checkout with fetch-depth: 0)."""
        self.clones += 1
        target = self.root / f"runner-{self.clones}"
        git(self.root, "clone", "-q", str(self.origin), str(target))
        return target

    def pull_request(self, name: str) -> tuple[Runner, dict[str, Any], list[str]]:
        """A runner on the pull request's merge commit, its event and its changed files."""
        workspace = self.clone()
        base = git(workspace, "rev-parse", "origin/main")
        head = git(workspace, "rev-parse", f"origin/{name}")
        git(workspace, "switch", "-q", "--detach", base)
        git(workspace, "merge", "-q", "--no-ff", "--no-edit", head)
        changed = git(workspace, "diff", "--name-only", f"{base}...{head}").splitlines()
        side = {"repo": REPOSITORY}
        payload = {
            "action": "opened", "number": 1, "repository": REPOSITORY,
            "pull_request": {"number": 1, "head": {"ref": name, "sha": head, **side},
                             "base": {"ref": "main", "sha": base, **side}},
        }
        return self.runner(workspace), payload, changed

    def runner(self, workspace: Path, **options: Any) -> Runner:
        return Runner(workspace, self.root / f"temp-{workspace.name}", environment={
            "HOME": os.environ["ITSM_TEST_GIT_HOME"], "GIT_CONFIG_NOSYSTEM": "1",
            "ITSM_CACHE_DIR": os.environ["ITSM_CACHE_DIR"], "LANG": "C.UTF-8"}, **options)


def run_all(runner: Runner, event: str, payload: dict[str, Any],
            changed: list[str] = ()) -> dict[str, dict[str, Job]]:  # type: ignore[assignment]
    """workflow name -> its jobs, for the written workflows this event starts."""
    ran = {}
    for path in sorted((runner.workspace / WORKFLOWS).glob("*.yml")):
        jobs = runner.run(path, event, payload, changed)
        if jobs is not None:
            ran[path.stem] = jobs
    return ran


def first_records(root: Path) -> None:
    """The README's next steps, in its order."""
    itsm(root, "new", "person", "ada", "--name", "Ada Lovelace", "--email", "ada@example.com")
    itsm(root, "new", "team", "ops", "--name", "Operations", "--member", "ada")
    itsm(root, "new", "service", "web", "--name", "Website", "--owner", "ops")
    # `--at`: the README's command, opened at a fixed moment so the file's path is known.
    itsm(root, "new", "incident", "--title", "Website slow", "--service",
         "web:degraded_performance", "--at", NOW_TEXT)
    itsm(root, "validate")


@pytest.fixture
def org(tmp_path: Path) -> Organisation:
    result = run_itsm("init", "acme", cwd=tmp_path)
    assert result.code == 0, result.stderr
    root = tmp_path / "acme"
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(origin))
    git(root, "remote", "add", "origin", str(origin))
    git(root, "push", "-q", "origin", "main")
    git(root, "fetch", "-q", "origin")
    return Organisation(tmp_path, root, origin)


def conclusions(ran: dict[str, dict[str, Job]]) -> dict[str, str]:
    return {f"{name}/{job_name}": job.conclusion for name, jobs in ran.items()
            for job_name, job in jobs.items()}


def errors(job: Job) -> list[tuple[str, str, str]]:
    return [found for found in job.annotations if found[0] == "error"]


def test_the_written_workflows_are_this_repositorys(tmp_path: Path) -> None:
    """One source: the templates in the wheel are .github/workflows/ with `uses: ./`."""
    templates = workflow_templates()
    assert sorted(templates) == ["access.yml", "audit.yml", "desk.yml", "events.yml",
                                 "kedb.yml", "notify.yml", "ops.yml", "site.yml", "sla.yml",
                                 "validate.yml"]
    for name, text in templates.items():
        assert f"uses: {ACTION_PLACEHOLDER}\n" in text, name
        assert workflow(text, "./") == (ROOT / WORKFLOWS / name).read_text(), name
    assert run_itsm("init", "acme", "--action", "example/itsm@v9", cwd=tmp_path).code == 0
    written = tmp_path / "acme" / WORKFLOWS
    assert sorted(path.name for path in written.iterdir()) == sorted(templates)
    assert "uses: example/itsm@v9\n" in (written / "validate.yml").read_text()
    assert "pip install" not in "".join(path.read_text() for path in written.iterdir())


def test_the_first_pull_request_goes_green(org: Organisation) -> None:
    org.branch("first-records", first_records)
    runner, payload, changed = org.pull_request("first-records")
    ran = run_all(runner, "pull_request", payload, changed)
    assert conclusions(ran) == {"validate/validate": "success", "kedb/match": "success",
                                "access/plan": "success", "access/apply": "skipped",
                                "notify/preview": "success", "notify/send": "skipped"}
    validate = ran["validate"]["validate"]
    assert errors(validate) == []
    assert validate.output == "ok: 4 records valid\n"
    assert validate.summary == "### itsm validate\n\nok: 4 records valid\n"
    # kedb found the new incident and wrote its comment (posting it needs GitHub).
    assert (runner.workspace / "kedb.md").read_text().startswith("<!-- itsm-kedb-match -->")
    assert [step.outcome for step in ran["kedb"]["match"].steps][-1] == "not run here"
    assert (runner.workspace / "plan.md").exists()


def test_a_pull_request_that_breaks_a_rule_goes_red_with_annotations(
        org: Organisation) -> None:
    org.branch("first-records", first_records)
    org.merge("first-records")
    org.branch("drop-web", lambda root: (root / "records/services/web.yaml").unlink())
    runner, payload, changed = org.pull_request("drop-web")
    validate = run_all(runner, "pull_request", payload, changed)["validate"]["validate"]
    assert validate.conclusion == "failure"
    assert ("error", "file=records/incidents/2026/11/INC-0001.yaml,line=7,col=7,"
            "title=reference",
            "services[0].id: no Service with id 'web': add the Service or fix the id",
            ) in errors(validate)
    assert "no Service with id 'web'" in validate.summary


def test_pushes_to_main_go_green(org: Organisation, tmp_path: Path) -> None:
    org.branch("first-records", first_records)
    payload = org.merge("first-records")
    runner = org.runner(org.clone())
    bin_dir = stub_gh(tmp_path / "gh")
    runner.environment["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    ran = run_all(runner, "push", payload, ["records/people/ada.yaml"])
    assert conclusions(ran) == {
        "validate/validate": "success", "audit/audit": "success", "sla/sla": "success",
        "site/build": "success", "site/deploy": "success", "access/plan": "skipped",
        "access/apply": "success", "desk/intake": "skipped", "desk/mirror": "success",
        "notify/send": "success", "notify/preview": "skipped"}
    # The problem report's label is made; nothing came from an issue, so nothing is said.
    assert (bin_dir / "calls").read_text().splitlines() == [
        "label create itsm:incident --force --color ededed --description Opened from a "
        "service desk form"]
    assert (runner.workspace / "_site/index.html").exists()
    assert git(runner.workspace, "check-ignore", "_site/index.html") == "_site/index.html"


def alert_event(fingerprint: int, *labels: dict[str, str]) -> dict[str, Any]:
    """A repository_dispatch event as GitHub writes it: the Alertmanager webhook (more
    properties than client_payload may have) wrapped in `payload`."""
    alert = json.loads((DEMO / "examples/alerts/firing-critical.json").read_text())
    alert["alerts"] = [{**alert["alerts"][0], "labels": one,
                        "fingerprint": f"{fingerprint + index:016x}"}
                       for index, one in enumerate(labels)]
    alert["commonLabels"] = labels[0]
    return {"action": "alert", "branch": "main", "repository": REPOSITORY,
            "client_payload": {"source": "alertmanager", "payload": alert}}


def stub_gh(folder: Path) -> Path:
    """`gh` as the events workflow uses it, without GitHub: calls are logged; after
    `pr create`, `pr list` finds the pull request."""
    folder.mkdir()
    (folder / "gh").write_text(f"""#!/bin/bash
echo "$*" >> {folder}/calls
if [ "$1 $2" = "pr list" ]; then cat {folder}/open 2>/dev/null || true; fi
if [ "$1 $2" = "pr create" ]; then echo 7 > {folder}/open; fi
""")
    (folder / "gh").chmod(0o755)
    return folder


def test_alerts_land_on_a_branch_with_a_pull_request(org: Organisation, tmp_path: Path) -> None:
    org.branch("first-records", first_records)
    org.merge("first-records")
    bin_dir = stub_gh(tmp_path / "gh")
    for number in (1, 2):
        runner = org.runner(org.clone(), secrets={"ITSM_BOT_TOKEN": "bot-token"})
        runner.environment["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
        labels = {**SERVICE_LABELS, "alertname": f"WebErrors{number}"}
        ran = run_all(runner, "repository_dispatch", alert_event(number, labels))
        job = ran["events"]["ingest"]
        assert job.conclusion == "success", job.output
        assert [found for found in job.annotations if found[0] != "notice"] == []
    calls = (bin_dir / "calls").read_text().splitlines()
    assert [call.split(" --")[0] for call in calls if not call.startswith("pr list")] == [
        "pr create", "pr comment 7"]
    # The second run read the branch the first pushed: its alert updates that incident.
    assert git(org.origin, "log", "--format=%s", "main..events/alerts").splitlines() == [
        "itsm event ingest: update INC-0002", "itsm event ingest: open INC-0002"]


def with_an_sla(root: Path) -> None:
    itsm(root, "new", "calendar", "office", "--timezone", "Europe/Berlin")
    itsm(root, "new", "sla", "basic", "--name", "Basic", "--target", "P3=4h/2d",
         "--calendar", "office")
    first_records(root)
    service = root / "records/services/web.yaml"
    service.write_text(service.read_text() + "sla: basic\n")


def test_sla_fails_once_for_a_new_breach_then_stays_green(org: Organisation) -> None:
    org.branch("first-records", with_an_sla)
    payload = org.merge("first-records")
    schedule = {"schedule": "*/15 * * * *", "repository": REPOSITORY}
    late = {"ITSM_SLA_NOW": "2026-12-01T10:00:00+01:00"}
    first = org.runner(org.clone(), variables=late).run(
        org.work / WORKFLOWS / "sla.yml", "schedule", schedule)
    assert first is not None
    job = first["sla"]
    assert job.conclusion == "failure"
    assert [level for level, _, _ in job.annotations] == ["error", "error"], job.output
    assert "breached" in job.summary
    assert git(org.origin, "ls-tree", "--name-only", "-r", "itsm/state", "sla") == (
        "sla/reported.json")
    second = org.runner(org.clone(), variables=late).run(
        org.work / WORKFLOWS / "sla.yml", "schedule", schedule)
    assert second is not None
    assert second["sla"].conclusion == "success", second["sla"].output
    assert {level for level, _, _ in second["sla"].annotations} == {"notice"}
    assert payload["after"] == git(org.origin, "rev-parse", "main")  # main untouched


def test_the_action_runs_its_command_and_exposes_the_exit_code(org: Organisation) -> None:
    runner = org.runner(org.root / "acme")
    workflow_file = org.root / "probe.yml"
    workflow_file.write_text("""name: probe
on: workflow_dispatch
jobs:
  probe:
    runs-on: ubuntu-latest
    steps:
      - id: itsm
        uses: ./
        with:
          command: validate --format json > "$RUNNER_TEMP/out.json"
          ok-exit-codes: "0 1"
      - run: test "${{ steps.itsm.outputs.exit-code }}" = 0
""")
    jobs = runner.run(workflow_file, "workflow_dispatch", {"repository": REPOSITORY})
    assert jobs is not None and jobs["probe"].conclusion == "success", jobs
    assert json.loads((runner.temp / "out.json").read_text())["findings"] == []
    assert ACTION.exists()


def test_actionlint_passes_the_written_workflows(tmp_path: Path) -> None:
    """actionlint on every workflow `itsm init` writes, and on this repository's, whose
    `uses: ./` makes actionlint check the inputs given against action.yml."""
    actionlint = Path(sys.executable).parent / "actionlint"
    if not actionlint.exists():
        pytest.fail("actionlint is not installed: pip install -e '.[test]'")
    assert run_itsm("init", "acme", cwd=tmp_path).code == 0
    written = sorted((tmp_path / "acme" / WORKFLOWS).glob("*.yml"))
    assert len(written) == 10
    ours = sorted((ROOT / WORKFLOWS).glob("*.yml"))
    result = subprocess.run([str(actionlint), *map(str, written + ours)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_sees_an_input_the_action_does_not_have(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")  # actionlint finds local actions from the repository's root
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    shutil.copy(ACTION, tmp_path / "action.yml")
    bad.write_text((ROOT / WORKFLOWS / "audit.yml").read_text().replace(
        "command: audit", "comand: audit"))
    actionlint = Path(sys.executable).parent / "actionlint"
    result = subprocess.run([str(actionlint), str(bad)], cwd=tmp_path, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 1
    assert 'input "comand" is not defined in action "itsm" defined at "./"' in result.stdout


def test_an_alert_whose_branch_moved_meanwhile_is_ingested_again_not_lost(
        org: Organisation, tmp_path: Path) -> None:
    """Two runs of a burst: the other one pushes between this run's read and its push."""
    org.branch("first-records", first_records)
    org.merge("first-records")
    bin_dir = stub_gh(tmp_path / "gh")
    secrets = {"ITSM_BOT_TOKEN": "bot-token"}
    first = org.runner(org.clone(), secrets=secrets)
    first.environment["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    assert run_all(first, "repository_dispatch", alert_event(1, SERVICE_LABELS))[
        "events"]["ingest"].conclusion == "success"
    other = org.clone()
    git(other, "switch", "-q", "-c", "other", "origin/events/alerts")
    (other / "NOTES.md").write_text("the other run's commit\n")
    git(other, "add", "NOTES.md")
    git(other, "commit", "-q", "-m", "the other run")
    # `git push` of this run: the other run lands first, once.
    real_git = shutil.which("git")
    (bin_dir / "git").write_text(f"""#!/bin/bash
if [ "$1" = push ] && [ ! -e {bin_dir}/raced ]; then
  touch {bin_dir}/raced
  {real_git} -C {other} push -q origin other:events/alerts
fi
exec {real_git} "$@"
""")
    (bin_dir / "git").chmod(0o755)
    runner = org.runner(org.clone(), secrets=secrets)
    runner.environment["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    job = run_all(runner, "repository_dispatch", alert_event(5, {
        **SERVICE_LABELS, "alertname": "WebLatency"}))["events"]["ingest"]
    assert job.conclusion == "success", job.output
    assert "the branch moved (attempt 1): ingesting again on its new tip" in job.output
    assert git(org.origin, "log", "--format=%s", "main..events/alerts").splitlines() == [
        "itsm event ingest: update INC-0002", "the other run",
        "itsm event ingest: open INC-0002"]
