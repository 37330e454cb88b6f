"""Runs a GitHub Actions workflow's jobs on this machine, as a runner would run them.

`run:` steps run in bash in the workspace with the environment GitHub gives them
(GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STEP_SUMMARY,
GITHUB_BASE_REF, GITHUB_HEAD_REF, GITHUB_WORKSPACE, RUNNER_TEMP, CI=true, ...), their
`${{ }}` expressions evaluated. A `uses:` step is replaced by its local effect: checkout
(the workspace is already a clone), setup-python and caches (the test's virtual
environment is first on PATH), configure-pages (a Pages URL); the itsm action runs its
own `run:` steps from action.yml with the step's inputs, except the install (itsm is
installed here already); the rest (comments, uploads, deployments) need GitHub itself and
are recorded as not run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import yaml

from tests.workflow_expressions import Evaluator, as_text

ACTION = Path(__file__).parent.parent / "action.yml"
ANNOTATION = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")
SHELLS = {None: ["bash", "-e"], "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"]}
NOT_RUN_HERE = ("actions/github-script", "actions/upload-artifact",
                "actions/upload-pages-artifact", "actions/deploy-pages")
PAGES_URL = "https://acme.github.io/acme"


@dataclass
class Step:
    name: str
    outcome: str  # success, failure, skipped, or "not run here" (needs GitHub itself)
    output: str = ""


@dataclass
class Job:
    conclusion: str = "skipped"
    steps: list[Step] = field(default_factory=list)
    summary: str = ""

    @property
    def output(self) -> str:
        return "".join(step.output for step in self.steps)

    @property
    def annotations(self) -> list[tuple[str, str, str]]:
        """(level, properties, message) of each workflow command printed."""
        return [match.groups("") for line in self.output.splitlines()  # type: ignore[misc]
                if (match := ANNOTATION.match(line))]


@dataclass
class Runner:
    """One repository's workspace and what GitHub would know about it."""

    workspace: Path
    temp: Path
    repository: str = "acme/acme"
    secrets: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)

    def triggered(self, workflow: dict[str, Any], event: str, payload: dict[str, Any],
                  changed: list[str]) -> bool:
        """Whether `on:` starts the workflow for this event (types, branches, paths)."""
        triggers = workflow.get("on", workflow.get(True))
        if isinstance(triggers, (str, list)):
            return event in ([triggers] if isinstance(triggers, str) else triggers)
        if event not in triggers:
            return False
        spec = triggers[event] or {}
        if "types" in spec and payload.get("action") not in spec["types"]:
            return False
        if "branches" in spec and event == "push":
            branch = payload["ref"].removeprefix("refs/heads/")
            if not any(fnmatch(branch, pattern) for pattern in spec["branches"]):
                return False
        return "paths" not in spec or any(
            _path_matches(path, pattern) for path in changed for pattern in spec["paths"])

    def run(self, workflow_path: Path, event: str, payload: dict[str, Any],
            changed: Sequence[str] = ()) -> dict[str, Job] | None:
        """Every job of the workflow, in order; None when the event does not start it."""
        workflow = yaml.safe_load(workflow_path.read_text(encoding="utf-8"))
        if not self.triggered(workflow, event, payload, list(changed)):
            return None
        self.temp.mkdir(parents=True, exist_ok=True)
        event_path = self.temp / "event.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        pull = payload.get("pull_request") or {}
        github = {
            "event_name": event, "event": payload, "repository": self.repository,
            "repository_owner": self.repository.split("/")[0], "workflow": workflow["name"],
            "base_ref": pull.get("base", {}).get("ref", ""),
            "head_ref": pull.get("head", {}).get("ref", ""),
            "ref": payload.get("ref", f"refs/pull/{payload.get('number')}/merge"
                               if pull else "refs/heads/main"),
            "sha": _git(self.workspace, "rev-parse", "HEAD"), "run_id": "1",
            "run_attempt": "1", "token": "github-token", "workspace": str(self.workspace),
            "action_path": str(ACTION.parent), "server_url": "https://github.com",
        }
        base_env = {
            **self.environment, "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_BASE_REF": github["base_ref"], "GITHUB_HEAD_REF": github["head_ref"],
            "GITHUB_REF": github["ref"], "GITHUB_SHA": github["sha"],
            "GITHUB_REPOSITORY": self.repository, "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_WORKFLOW": workflow["name"], "GITHUB_ACTION_PATH": str(ACTION.parent),
            "RUNNER_TEMP": str(self.temp), "RUNNER_OS": "Linux",
            "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                     self.environment.get("PATH", os.environ["PATH"])]),
        }
        contexts = {"github": github, "secrets": {"GITHUB_TOKEN": "github-token",
                                                  **self.secrets},
                    "vars": self.variables, "runner": {"os": "Linux", "temp": str(self.temp)},
                    "matrix": {}, "inputs": {}}
        jobs: dict[str, Job] = {}
        for name, spec in workflow["jobs"].items():
            needs = spec.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            job = Job()
            jobs[name] = job
            evaluator = Evaluator({**contexts, "env": {}}, lambda: False)
            if any(jobs[other].conclusion != "success" for other in needs) or \
                    not evaluator.condition(spec.get("if")):
                continue
            env = dict(base_env)
            for source in (workflow.get("env", {}), spec.get("env", {})):
                env.update({key: evaluator.interpolate(as_text(value))
                            for key, value in source.items()})
            self._job(job, spec["steps"], env, contexts)
        return jobs

    def _job(self, job: Job, steps: list[dict[str, Any]], env: dict[str, str],
             contexts: dict[str, Any]) -> None:
        outputs: dict[str, Any] = {}
        failed = False
        evaluator = Evaluator({**contexts, "steps": outputs, "env": env}, lambda: failed)
        for number, spec in enumerate(steps):
            name = spec.get("name") or spec.get("uses") or spec["run"].splitlines()[0]
            if not evaluator.condition(spec.get("if")):
                job.steps.append(Step(name, "skipped"))
                continue
            step_env = {**env, **{key: evaluator.interpolate(as_text(value))
                                  for key, value in spec.get("env", {}).items()}}
            if "run" in spec:
                step = self._shell(name, evaluator.interpolate(spec["run"]), step_env,
                                   spec.get("shell"), spec.get("working-directory"), env)
            else:
                step = self._uses(name, spec, step_env, evaluator, env)
            job.steps.append(step)
            job.summary += step.summary
            failed = failed or step.outcome == "failure"
            outputs[spec.get("id", f"step{number}")] = {
                "outputs": step.outputs, "outcome": step.outcome, "conclusion": step.outcome}
        job.conclusion = "failure" if failed else "success"

    def _uses(self, name: str, spec: dict[str, Any], env: dict[str, str],
              evaluator: Evaluator, job_env: dict[str, str]) -> _Ran:
        action = spec["uses"]
        given = {key: evaluator.interpolate(as_text(value))
                 for key, value in (spec.get("with") or {}).items()}
        if action.startswith("actions/configure-pages"):
            return _Ran(name, "success", outputs={"base_url": PAGES_URL})
        if action.startswith(NOT_RUN_HERE):
            return _Ran(name, "not run here")
        if action.startswith(("actions/checkout", "actions/setup-python", "actions/cache")):
            return _Ran(name, "success")
        return self._itsm_action(name, given, env, job_env)

    def _itsm_action(self, name: str, given: dict[str, str], env: dict[str, str],
                     job_env: dict[str, str]) -> _Ran:
        """The composite action's own `run:` steps (the install is this venv)."""
        metadata = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
        inputs = {key: given.get(key, spec.get("default", ""))
                  for key, spec in metadata["inputs"].items()}
        unknown = set(given) - set(inputs)
        assert not unknown, f"inputs the action does not have: {unknown}"
        outputs: dict[str, Any] = {}
        evaluator = Evaluator({"inputs": inputs, "steps": outputs, "runner": {
            "os": "Linux", "temp": str(self.temp)}, "github": {}}, lambda: False)
        ran = _Ran(name, "success")
        for spec in metadata["runs"]["steps"]:
            if "run" not in spec or spec.get("name") == "Install itsm":
                continue
            step_env = {**env, **{key: evaluator.interpolate(as_text(value))
                                  for key, value in spec.get("env", {}).items()}}
            step = self._shell(spec.get("name", "action step"), evaluator.interpolate(
                spec["run"]), step_env, spec["shell"], evaluator.interpolate(
                spec.get("working-directory", ".")), job_env)
            outputs[spec.get("id", "")] = {"outputs": step.outputs}
            ran.output += step.output
            ran.summary += step.summary
            if step.outcome == "failure":
                ran.outcome = "failure"
                break
        ran.outputs = {key: evaluator.interpolate(spec["value"])
                       for key, spec in metadata["outputs"].items()}
        return ran

    def _shell(self, name: str, script: str, env: dict[str, str], shell: str | None,
               directory: str | None, job_env: dict[str, str]) -> _Ran:
        files = {kind: self.temp / f"{kind}.txt" for kind in ("output", "env", "summary")}
        for path in files.values():
            path.write_text("", encoding="utf-8")
        script_path = self.temp / "step.sh"
        script_path.write_text(script, encoding="utf-8")
        env = {**env, "GITHUB_OUTPUT": str(files["output"]), "GITHUB_ENV": str(files["env"]),
               "GITHUB_STEP_SUMMARY": str(files["summary"])}
        done = subprocess.run([*SHELLS[shell], str(script_path)],
                              cwd=self.workspace / (directory or "."), env=env,
                              capture_output=True, text=True, check=False, timeout=300)
        job_env.update(_key_values(files["env"].read_text(encoding="utf-8")))
        return _Ran(name, "success" if done.returncode == 0 else "failure",
                    output=done.stdout + done.stderr,
                    outputs=_key_values(files["output"].read_text(encoding="utf-8")),
                    summary=files["summary"].read_text(encoding="utf-8"))


@dataclass
class _Ran(Step):
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def _key_values(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT and GITHUB_ENV lines: `name=value` or `name<<END` ... `END`."""
    found, lines = {}, iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, end = line.split("<<", 1)
            value = []
            for more in lines:
                if more == end:
                    break
                value.append(more)
            found[key] = "\n".join(value)
        elif "=" in line:
            key, value_text = line.split("=", 1)
            found[key] = value_text
    return found


def _path_matches(path: str, pattern: str) -> bool:
    regex = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, path) is not None


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()
