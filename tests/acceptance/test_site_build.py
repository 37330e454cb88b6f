"""`itsm site build` as a user runs it: on the demo, twice, on broken records, in CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import DEMO, example_repo, run_itsm
from tests.site_helpers import BUILT_AT, build, build_demo, files

API = ["summary.json", "status.json", "components.json", "incidents.json",
       "incidents/unresolved.json", "scheduled-maintenances.json",
       "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "site")


def test_the_demo_site_has_every_page_feed_endpoint_and_badge(demo: Path) -> None:
    built = files(demo)
    expected = ["index.html", "404.html", "history.html", "history/2026-11.html",
                "incidents/INC-0011.html", "services/payments-api.html",
                "maintenance/MNT-0002.html", "feed.atom", "services/webhooks.atom",
                "badges/status.svg", "badges/services/webhooks.svg",
                "badges/uptime/webhooks.svg", "static/style.css", "static/favicon.svg",
                *(f"api/v2/{path}" for path in API)]
    assert [path for path in expected if path not in built] == []
    # Internal records and pages are not there at all.
    assert not [p for p in built if p.startswith(("problems", "known-errors", "sections"))]
    assert "incidents/INC-0022.html" not in built  # an internal incident
    assert "services/data-warehouse.html" not in built  # an internal service
    assert "static/filter.js" not in built  # the public site has no script at all
    assert not any(b"<script" in data for data in built.values())


def test_the_command_says_what_it_built_and_where(tmp_path: Path) -> None:
    result = run_itsm("site", "build", "-o", "out", "--now", BUILT_AT, cwd=_copy_demo(tmp_path))
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("public site written to out/: 74 pages, 85 files "
                                    "(85 changed)")
    again = run_itsm("site", "build", "-o", "out", "--now", BUILT_AT, cwd=tmp_path / "demo")
    assert again.stdout == "public site written to out/: 74 pages, 85 files (0 changed)\n"


def _copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO / "records", target / "records")
    shutil.copy(DEMO / "itsm.yaml", target / "itsm.yaml")
    return target


def test_the_same_records_and_now_give_the_same_bytes(tmp_path: Path, demo: Path) -> None:
    # Another process, with another string hash seed: no set or dict order leaks out.
    for seed, out in (("1", tmp_path / "again"), ("2", tmp_path / "internal-2")):
        subprocess.run([sys.executable, "-m", "itsm_as_code", "site", "build", "-o", str(out),
                        "--now", BUILT_AT, *(["--internal"] if "internal" in out.name else [])],
                       cwd=DEMO, env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
                       capture_output=True)
    assert files(tmp_path / "again") == files(demo)
    internal = build_demo(tmp_path / "internal-1", "--internal")
    assert files(internal) == files(tmp_path / "internal-2")


def test_another_now_gives_another_site(tmp_path: Path, demo: Path) -> None:
    later = run_itsm("site", "build", "-o", str(tmp_path / "later"), "--now",
                     "2026-12-24T12:00:00+01:00", cwd=DEMO)
    assert later.code == 0
    summary = json.loads((tmp_path / "later/api/v2/summary.json").read_text())
    assert summary["status"]["description"] == "Minor Service Outage"
    assert (tmp_path / "later/index.html").read_bytes() != (demo / "index.html").read_bytes()


def test_broken_records_build_nothing(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    (repo / "records/services/web.yaml").write_text(
        (repo / "records/services/web.yaml").read_text() + "visibility: Internal\n")
    result = run_itsm("site", "build", "--now", BUILT_AT, cwd=repo)
    assert result.code == 1
    assert result.stdout.splitlines()[0].startswith(
        "records/services/web.yaml:8:13: error: visibility: ")
    assert result.stdout.splitlines()[-1] == (
        "site not built: 1 error(s) in the records; fix them (see `itsm validate`) and "
        "build again")
    assert not (repo / "_site").exists()


def test_a_folder_of_other_files_is_never_written_to(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    result = run_itsm("site", "build", "-o", "records", "--now", BUILT_AT, cwd=repo)
    assert result.code == 2
    assert "is not empty and was not written by `itsm site build`" in result.stderr
    assert sorted(p.name for p in (repo / "records").iterdir()) == sorted(
        p.name for p in (example_repo(tmp_path / "fresh") / "records").iterdir())


def test_base_url_makes_feed_and_api_links_absolute(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    build(repo, tmp_path / "site", "--base-url", "https://ops.example.org/status/")
    feed = (tmp_path / "site/feed.atom").read_text()
    assert "<id>https://ops.example.org/status/feed.atom</id>" in feed
    assert 'href="https://ops.example.org/status/incidents/INC-0001.html"' in feed
    page = json.loads((tmp_path / "site/api/v2/status.json").read_text())["page"]
    assert page["url"] == "https://ops.example.org/status"
    assert 'href="/status/index.html"' in (tmp_path / "site/404.html").read_text()
    assert 'href="index.html"' in (tmp_path / "site/index.html").read_text()
    bad = run_itsm("site", "build", "-o", "x", "--base-url", "ftp://x", cwd=repo)
    assert (bad.code, bad.stderr) == (
        2, "error: base URL 'ftp://x' must start with http:// or https://\n")


def test_itsm_run_builds_the_public_site_and_says_where(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "repo")
    result = run_itsm("run", "--now", BUILT_AT, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert ("site: ok: public site written to _site/: 17 pages, 28 files (28 changed)"
            in result.stderr)
    assert (repo / "_site/index.html").is_file()
    (repo / "records/services/web.yaml").write_text("kind: Service\n")
    failed = run_itsm("run", "--now", BUILT_AT, cwd=repo)
    assert "site: FAILED: not built: " in failed.stderr


@pytest.mark.slow  # builds and installs a wheel with pip, as test_install does
def test_an_installed_wheel_ships_the_templates_and_styles(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(DEMO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "records", "tests", "bench", "*.egg-info", "__pycache__", "_site",
        ".*_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist"), str(source)], check=True,
                   capture_output=True)
    wheel = next((tmp_path / "dist").glob("itsm_as_code-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(tmp_path / "lib"), str(wheel)], check=True, capture_output=True)
    shutil.rmtree(source)
    repo = example_repo(tmp_path / "repo")
    result = subprocess.run(
        [sys.executable, "-m", "itsm_as_code", "site", "build", "-o", "site", "--now", BUILT_AT],
        cwd=repo, env={**os.environ, "PYTHONPATH": str(tmp_path / "lib")},
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (repo / "site/static/style.css").read_bytes() == (
        DEMO / "itsm_as_code/site/static/style.css").read_bytes()
    assert "<h1" in (repo / "site/index.html").read_text()


def test_a_new_repository_builds_a_site(tmp_path: Path) -> None:
    assert run_itsm("init", "fresh", "--organization", "Acme", cwd=tmp_path).code == 0
    result = run_itsm("site", "build", "--now", BUILT_AT, cwd=tmp_path / "fresh")
    assert result.stdout == "public site written to _site/: 7 pages, 18 files (18 changed)\n"
    index = (tmp_path / "fresh/_site/index.html").read_text()
    assert '<h1 id="banner-title">All Systems Operational</h1>' in index
    assert "No services on record yet." in index


def test_caches_and_processes_never_change_a_byte(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The record cache, the page stamps and rendering in two processes are speed-ups
    only: every build is the one a single process makes with no cache, also after a
    record changes."""
    from itsm_as_code.site import output

    repo = tmp_path / "repo"
    shutil.copytree(DEMO / "records", repo / "records")
    shutil.copy(DEMO / "itsm.yaml", repo / "itsm.yaml")
    monkeypatch.setenv("ITSM_CACHE_DIR", str(tmp_path / "cache"))

    def fresh(name: str) -> dict[str, bytes]:
        with monkeypatch.context() as plain:
            plain.setenv("ITSM_NO_CACHE", "1")
            plain.setattr(output, "PARALLEL_FROM", 10_000)
            return files(build(repo, tmp_path / name, "--internal"))

    monkeypatch.setattr(output, "PARALLEL_FROM", 2)
    kept = tmp_path / "kept"
    assert files(build(repo, kept, "--internal")) == fresh("one")
    again = run_itsm("site", "build", "-o", str(kept), "--now", BUILT_AT, "--internal", cwd=repo)
    assert again.stdout.endswith("(0 changed)\n")
    assert files(kept) == fresh("one")
    incident = sorted((repo / "records/incidents").rglob("*.yaml"))[0]
    incident.write_text(incident.read_text().replace("\ntitle: ", "\ntitle: Changed ", 1))
    service = sorted((repo / "records/services").glob("*.yaml"))[0]
    service.write_text(service.read_text().replace("\nname: ", "\nname: Renamed ", 1))
    assert files(build(repo, kept, "--internal")) == fresh("two")
    assert b"Renamed " in b"".join(fresh("two").values())
    # A page of each other keyed kind, and a person every internal page may name.
    for folder in ("problems", "known-errors", "maintenance"):
        record = sorted((repo / "records" / folder).glob("*.yaml"))[0]
        record.write_text(record.read_text().replace("\ntitle: ", "\ntitle: Retitled ", 1))
    for person in (repo / "records/people").glob("*.yaml"):
        person.write_text(person.read_text().replace("\nname: ", "\nname: Dr ", 1))
    site = files(build(repo, kept, "--internal"))
    assert site == fresh("three")
    assert sum(b"Retitled " in data for data in site.values()) >= 6
    assert any(b"Dr " in data for path, data in site.items() if path.startswith("problems/"))
