"""Helpers for the status site tests: building, reading and serving a built site, and
finding the links and markup in its pages."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.helpers import DEMO, run_itsm

# The moment the site tests build at, two hours after `helpers.NOW`: what they expect
# of a page is the records as of noon.
BUILT_AT = "2026-11-22T12:00:00+01:00"
SITE_EXAMPLES = Path(__file__).parent / "acceptance" / "examples" / "site"


def build(repo: Path, out: Path, *args: str) -> Path:
    """`itsm site build -o OUT --now BUILT_AT ARGS` in `repo`; fails the test unless it works."""
    result = run_itsm("site", "build", "-o", str(out), "--now", BUILT_AT, *args, cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    return out


def build_demo(out: Path, *args: str) -> Path:
    return build(DEMO, out, *args)


def files(site: Path) -> dict[str, bytes]:
    """Every file a build wrote, by path under the site folder."""
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


class Markup(HTMLParser):
    """The tags, attributes and ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.ids.add(values["id"])


def parse(html: bytes) -> Markup:
    parser = Markup()
    parser.feed(html.decode("utf-8"))
    parser.close()
    return parser


def links(page: Markup) -> list[str]:
    """Every URL a page refers to: links, stylesheets, scripts, images."""
    found = []
    for _, attrs in page.tags:
        for name in ("href", "src"):
            if name in attrs:
                found.append(attrs[name])
    return found


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while the block runs; yields its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def access_review(ctx: Any) -> Any:
    """A section provider as the access review would be: internal data, with a table."""
    from itsm_as_code.templating.sections import Figure, Link, Section, State, Table

    return Section(
        "access-review", "Access review", "Grants due for review, as of the build.",
        (Figure("grants", "3"), Figure("overdue", "1", "needs an owner", "bad")),
        (Table("Grants", ("grant", "subject", "state", "days"), (
            (Link("payments readers", "web"), "PLANT_ACCESS_SUBJECT@leak.example",
             State("overdue", "bad"), 12),
            ("dba", None, State("ok", "ok"), 3.5),
        )),),
    )


def no_data(ctx: Any) -> None:
    """A provider whose data does not exist yet."""
