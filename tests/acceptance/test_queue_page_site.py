"""The queue page in a built site: internal builds only, the open requests in order, the
missing approval named, nothing of it in a public build."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import example_repo, request, write
from tests.site_helpers import build, files
from tests.unit.test_catalogue_page import request_type


def repo(tmp_path: Path) -> Path:
    root = example_repo(tmp_path / "repo")
    write(root,
          request_type("laptop", approval={"stages": [
              {"name": "Budget", "approvers": {"people": ["ben", "cleo"]}, "count": 2}]}),
          request("REQ-0001", title="Second in line", opened_at="2026-11-22T09:00:00+01:00",
                  assignee="ben"),
          request("REQ-0002", title="First in line", priority="P2",
                  opened_at="2026-11-22T11:00:00+01:00"),
          request("REQ-0003", title="A laptop, please", type="laptop",
                  opened_at="2026-11-22T08:00:00+01:00",
                  approvals=[{"by": "cleo", "at": "2026-11-22T08:30:00+01:00",
                              "decision": "approved"}]))
    return root


def test_the_internal_queue_lists_open_requests_most_urgent_first(tmp_path: Path) -> None:
    site = build(repo(tmp_path), tmp_path / "out", "--internal")
    page = (site / "queue.html").read_text(encoding="utf-8")
    titles = re.findall(r"<h3 class=\"h3\">(REQ-\d+): ([^<]+)</h3>", page)
    assert titles == [("REQ-0002", "First in line"), ("REQ-0003", "A laptop, please"),
                      ("REQ-0001", "Second in line")]
    assert "approval “Budget”: 1 more from Ben Okafor</dd>" in page
    assert "<dd>Ben Okafor</dd>" in page  # REQ-0001's assignee, by name
    assert "3 open." in page


def test_no_queue_in_a_public_build(tmp_path: Path) -> None:
    site = build(repo(tmp_path), tmp_path / "out")
    built = files(site)
    assert "queue.html" not in built
    assert not any(b"REQ-000" in content for content in built.values())
