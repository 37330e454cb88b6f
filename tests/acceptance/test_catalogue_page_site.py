"""The catalogue page in a built site: in the public build with public services' types
only and links to the issue forms, linked from every page; in the internal build with
every type."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import BASE, example_repo, service, write
from tests.site_helpers import build, links, parse
from tests.unit.test_catalogue_page import request_type

REPO = "https://github.com/acme/itsm"


def repo(tmp_path: Path) -> Path:
    root = example_repo(tmp_path / "repo")
    settings = (BASE / "itsm.yaml").read_text(encoding="utf-8")
    (root / "itsm.yaml").write_text(f"{settings}site:\n  repository: {REPO}/\n",
                                    encoding="utf-8")
    write(root, service("workplace", name="Workplace IT", visibility="internal", owner="ops"),
          request_type("password-reset", priority="P2",
                       description="Locked out? <script>alert(1)</script>"),
          request_type("laptop", service="workplace", approval={"stages": [
              {"name": "IT", "approvers": {"people": ["ada"]}}]}))
    return root


def test_the_public_catalogue_shows_public_types_with_their_forms(tmp_path: Path) -> None:
    site = build(repo(tmp_path), tmp_path / "out")
    page = (site / "catalogue.html").read_text(encoding="utf-8")
    assert "Password reset" in page and "Laptop" not in page and "Workplace" not in page
    assert f'href="{REPO}/issues/new?template=password-reset.yml"' in page
    assert f'href="{REPO}/issues/new?template=incident.yml"' in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # the base SLA's P2 resolution target, 3 business days of the office calendar
    assert "<dd>3 business days</dd>" in page
    assert "catalogue.html" in links(parse((site / "index.html").read_bytes()))
    assert "queue.html" not in links(parse((site / "index.html").read_bytes()))
    assert not (site / "queue.html").exists()


def test_the_internal_catalogue_has_every_type_and_names_no_approver(tmp_path: Path) -> None:
    site = build(repo(tmp_path), tmp_path / "out", "--internal")
    page = (site / "catalogue.html").read_text(encoding="utf-8")
    assert "Laptop" in page and "Needed: IT" in page and "Ada" not in page
    assert (site / "queue.html").exists()


def test_without_request_types_there_is_no_catalogue(tmp_path: Path) -> None:
    site = build(example_repo(tmp_path / "repo"), tmp_path / "out")
    assert not (site / "catalogue.html").exists()
    assert "catalogue.html" not in links(parse((site / "index.html").read_bytes()))
