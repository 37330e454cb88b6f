"""Writing a site: only changed files, nothing left behind, nothing else touched."""

from __future__ import annotations

import ctypes
import errno
import json
import os
from pathlib import Path

import pytest

from itsm_as_code.errors import UsageError
from itsm_as_code.site import manifest, output
from itsm_as_code.site import stamps as site_stamps
from itsm_as_code.site.stamps import load as load_stamps

PAGES = [f"incidents/INC-{n:04d}.html" for n in range(40)] + ["index.html"]


def render(index: int) -> bytes:
    return f"<p>page {index}: {PAGES[index]}</p>\n".encode()


def build(out: Path, pages: list[str] = PAGES, files: dict[str, bytes] | None = None,
          internal: bool = False, parallel_from: int = output.PARALLEL_FROM,
          ) -> output.Written:
    return output.write(out, pages, render, files or {"api/v2/status.json": b"{}\n"},
                        manifest.prepare(out), internal, parallel_from=parallel_from)


def test_a_new_site_and_its_manifest(tmp_path: Path) -> None:
    written = build(tmp_path / "site")
    assert (written.files, written.changed, written.removed) == (42, 42, 0)
    assert (tmp_path / "site/incidents/INC-0007.html").read_bytes() == render(7)
    listed = json.loads((tmp_path / "site" / manifest.MANIFEST).read_text())
    assert listed == {"generator": "itsm-as-code", "internal": False,
                      "files": sorted([*PAGES, "api/v2/status.json"])}


def test_unchanged_files_are_not_written_again(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(out)
    page = out / "index.html"
    os.utime(page, (1_000_000, 1_000_000))
    assert build(out).changed == 0
    assert page.stat().st_mtime == 1_000_000


def test_what_the_last_build_made_and_this_one_does_not_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(out, files={"api/v2/status.json": b"{}", "problems/PRB-1.html": b"secret"},
          internal=True)
    (out / "notes.txt").write_text("the user's own file")
    written = build(out, PAGES[:10])
    assert written.removed == 32
    assert not (out / "problems").exists()
    assert not (out / "incidents/INC-0039.html").exists()
    assert (out / "notes.txt").read_text() == "the user's own file"


def test_a_folder_not_made_by_a_build_is_refused(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records/x.yaml").write_text("keep me")
    with pytest.raises(UsageError, match="not empty and was not written by"):
        manifest.prepare(tmp_path / "records")
    (tmp_path / "empty").mkdir()
    assert manifest.prepare(tmp_path / "empty") == manifest.Previous(empty=True)
    assert manifest.prepare(tmp_path / "new") == manifest.Previous(empty=True)


@pytest.mark.parametrize("renameat2", [True, False], ids=["renameat2", "link"])
def test_create_writes_only_a_new_file_and_tells_its_stamp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renameat2: bool) -> None:
    if renameat2:
        assert output._renameat2() is not None  # Linux: the one-step rename is used
    else:
        monkeypatch.setattr(output, "_renameat2", lambda: None)
    made = output.create(str(tmp_path / "page.html"), b"<p>new</p>")
    found = (tmp_path / "page.html").stat()
    assert made is not None
    assert (made.st_size, made.st_mtime_ns) == (found.st_size, found.st_mtime_ns)
    assert (tmp_path / "page.html").read_bytes() == b"<p>new</p>"
    (tmp_path / "old.html").write_bytes(b"kept")
    (tmp_path / "link.html").symlink_to(tmp_path / "elsewhere.html")
    assert output.create(str(tmp_path / "old.html"), b"other") is None
    assert output.create(str(tmp_path / "link.html"), b"other") is None
    assert (tmp_path / "old.html").read_bytes() == b"kept"
    assert not (tmp_path / "elsewhere.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "old.html",
                                                          "page.html"]


def test_a_file_system_without_the_one_step_rename_falls_back_to_a_link(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refused: list[bytes] = []

    def unsupported(_at: int, source: bytes, _at2: int, _target: bytes, _flags: int) -> int:
        refused.append(source)
        ctypes.set_errno(errno.EINVAL)
        return -1

    monkeypatch.setattr(output, "_renameat2", lambda: unsupported)
    assert output.create(str(tmp_path / "page.html"), b"<p>new</p>") is not None
    assert (tmp_path / "page.html").read_bytes() == b"<p>new</p>"
    assert len(refused) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_tampered_manifest_cannot_remove_files_outside_the_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(out)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    written = out / manifest.MANIFEST
    listed = json.loads(written.read_text())
    listed["files"] += ["../victim.txt", str(victim), "a/../../victim.txt"]
    written.write_text(json.dumps(listed))
    build(out)
    assert victim.read_text() == "keep"


def test_two_processes_write_what_one_writes(tmp_path: Path) -> None:
    build(tmp_path / "one", parallel_from=10_000)
    written = build(tmp_path / "two", parallel_from=2)
    assert written.changed == 42
    one = {p.relative_to(tmp_path / "one"): p.read_bytes()
           for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes()
           for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_a_link_in_the_site_is_replaced_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(out)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(outside)
    build(out)
    assert outside.read_text() == "keep"
    assert not (out / "index.html").is_symlink()
    assert (out / "index.html").read_bytes() == render(PAGES.index("index.html"))


def test_a_page_whose_key_and_file_are_unchanged_is_not_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, rendered = tmp_path / "site", []

    def counting(index: int) -> bytes:
        rendered.append(PAGES[index])
        return render(index)

    def keyed(keys: list[str | None]) -> output.Written:
        rendered.clear()
        # One process: the pages a forked process renders would not be counted here.
        return output.write(out, PAGES, counting, {}, manifest.prepare(out), False, keys,
                            parallel_from=10_000)

    keys: list[str | None] = [f"k{n}" for n in range(40)] + [None]
    assert keyed(keys).changed == 41 and len(rendered) == 41
    stamps = load_stamps(out)
    assert sorted(stamps) == sorted(PAGES[:40]) and stamps[PAGES[3]].startswith("k3 ")
    assert keyed(keys).changed == 0 and rendered == ["index.html"]
    keys[1] = "new"
    (out / PAGES[2]).write_text("edited by hand")
    (out / PAGES[3]).unlink()
    os.utime(out / PAGES[4], (1_000_000, 1_000_000))  # same bytes, another time
    assert keyed(keys).changed == 2
    assert rendered == [PAGES[1], PAGES[2], PAGES[3], PAGES[4], "index.html"]
    assert (out / PAGES[2]).read_bytes() == render(2)
    assert keyed(keys).changed == 0 and rendered == ["index.html"]
    stamps_file = site_stamps.stamps_file(out)
    assert stamps_file is not None
    stamps_file.write_text("{damaged")
    assert keyed(keys).changed == 0 and len(rendered) == 41  # no stamps: all again
    monkeypatch.setenv("ITSM_NO_CACHE", "1")
    assert keyed(keys).changed == 0 and len(rendered) == 41
    assert keyed(keys).changed == 0 and len(rendered) == 41


def test_two_processes_keep_the_stamps_one_keeps(tmp_path: Path) -> None:
    keys: list[str | None] = [f"k{n}" for n in range(40)] + [None]
    out = tmp_path / "site"
    output.write(out, PAGES, render, {}, manifest.prepare(out), False, keys, parallel_from=2)
    stamps = load_stamps(out)
    assert sorted(stamps) == sorted(PAGES[:40])
    again = output.write(out, PAGES, render, {}, manifest.prepare(out), False, keys,
                         parallel_from=2)
    assert again.changed == 0
    assert load_stamps(out) == stamps
    assert "stamps" not in (out / manifest.MANIFEST).read_text()  # the site stays the same
