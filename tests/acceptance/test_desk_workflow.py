"""desk.yml as a runner runs it: an issue opened from the problem form lands as a record on
desk/issue-N with a pull request, and the answer is commented on the issue."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.acceptance.test_workflows import (  # noqa: F401 (org is a fixture)
    WORKFLOWS,
    Organisation,
    first_records,
    git,
    org,
    stub_gh,
)

PAYLOAD = Path(__file__).parent / "payloads" / "github" / "issues-opened-problem.json"


def test_an_issue_becomes_a_pull_request_and_an_answer(org: Organisation,  # noqa: F811
                                                       tmp_path: Path) -> None:
    org.branch("first-records", first_records)
    org.merge("first-records")
    event = json.loads(PAYLOAD.read_text())
    event["issue"]["body"] = event["issue"]["body"].replace("Merchant Dashboard", "Website")
    event["repository"]["default_branch"] = "main"
    bin_dir = stub_gh(tmp_path / "gh")
    runner = org.runner(org.clone())
    runner.environment["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    jobs = runner.run(org.work / WORKFLOWS / "desk.yml", "issues", event)
    assert jobs is not None
    assert jobs["mirror"].conclusion == "skipped"
    job = jobs["intake"]
    assert job.conclusion == "success", job.output
    assert "Your report is recorded as **INC-0002**" in job.summary
    calls = (bin_dir / "calls").read_text().splitlines()
    assert [call.split(" --")[0] for call in calls] == ["pr list", "pr create",
                                                        "issue comment 42"]
    assert git(org.origin, "log", "--format=%s", "main..desk/issue-42") == \
        "itsm desk intake: INC-0002 from issue #42 (some-contractor)"
    answer = (runner.temp / "answer.md").read_text()
    assert answer.startswith("<!-- itsm-desk:INC-0002 -->\nThank you, @some-contractor.")
