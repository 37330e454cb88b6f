"""Generated repositories for the "valid means works" property: the demo with records added
or rewritten by Hypothesis strategies, and the one check every such repository must pass.

A repository is the demo's `records/` and `itsm.yaml` with a `Mutation` on top: new files
(incidents with odd but legal unicode, times in every form RFC 3339 allows, long and deeply
nested markdown, many timeline entries and alerts) and demo records written again in other
YAML styles. `check` runs `itsm validate`; when it accepts the repository every command
must finish without an internal error and without leaving a record out, and when it refuses
it every finding must name a file.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from itsm_as_code.timefmt import parse_timestamp
from tests.helpers import DEMO, NOW, NOW_TEXT, Result, run_itsm
from tests.history_repos import git

NOW_OPTION = f"--now={NOW_TEXT}"

SERVICE = "merchant-dashboard"  # public, under the gold SLA: its incidents get clocks
ZONES = ["Europe/Berlin", "UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns"]
COMMANDS: list[tuple[str, ...]] = [
    ("site", "build", "-o", "_fuzz/public", NOW_OPTION),
    ("site", "build", "-o", "_fuzz/internal", "--internal", NOW_OPTION),
    ("sla", "check", "--format", "json", "--fail-on", "never", NOW_OPTION),
    *[("report", "--format", form, NOW_OPTION) for form in ("text", "json", "markdown", "html")],
    ("problems", "detect", NOW_OPTION), ("kedb", "match", "--open"),
    ("access", "plan", "--system", "okta-export", NOW_OPTION), ("log", "INC-0001"), ("audit",),
    ("run", NOW_OPTION), ("ops", "check", "--format", "json", NOW_OPTION),
]
_UTC = timezone.utc
_EDGES = [datetime(1, 1, 1, tzinfo=_UTC), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_UTC)]
LEAP_SECONDS = ["2026-12-31T23:59:60Z", "2016-12-31T23:59:60.25Z", "2017-01-01T00:59:60+01:00"]
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Mutation:
    """What a generated repository changes in the demo: files by path, and the zone."""

    files: dict[str, str] = field(default_factory=dict)
    zone: str = "Europe/Berlin"
    added: tuple[str, ...] = ()  # the incident ids it adds

    def __repr__(self) -> str:  # the files are long: save() writes them out in full
        size = sum(len(text) for text in self.files.values())
        return (f"Mutation({self.zone}: {len(self.files)} files, {size:,} chars, "
                f"adds {', '.join(self.added) or 'no incident'})")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints a dataclass field by field unless told otherwise: this repr.
        printer.text(repr(self))

    def save(self, folder: Path) -> Path:
        """Write the mutation as a regression example folder (see test_valid_means_works)."""
        for path, text in self.files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
        if self.zone != "Europe/Berlin":
            (folder / "zone.txt").write_text(self.zone + "\n", encoding="utf-8")
        return folder

    def apply(self, root: Path) -> Path:
        shutil.copytree(DEMO / "records", root / "records")
        config = (DEMO / "itsm.yaml").read_text(encoding="utf-8")
        (root / "itsm.yaml").write_text(config.replace("Europe/Berlin", self.zone),
                                        encoding="utf-8")
        for path, text in self.files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        git(root, "init", "--quiet")
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", "Generated")
        return root


# -- times, texts and records ------------------------------------------------------------

def _render(moment: datetime, offset_minutes: int, digits: int, extra: str, sep: str) -> str:
    """`moment` as RFC 3339 text at an offset, with `digits` fraction digits."""
    zone = timezone(timedelta(minutes=offset_minutes))
    try:
        local = moment.astimezone(zone)
    except OverflowError:  # beyond the calendar there: the text names another moment
        local = moment.replace(tzinfo=zone)
    fraction = (f"{local.microsecond:06d}" + extra)[:digits]
    sign, minutes = ("-" if offset_minutes < 0 else "+"), abs(offset_minutes)
    offset = "Z" if offset_minutes == 0 and extra[:1] in "02468" else (
        f"{sign}{minutes // 60:02d}:{minutes % 60:02d}")
    return local.strftime(f"%Y-%m-%d{sep}%H:%M:%S").rjust(19, "0") + (
        f".{fraction}" if digits else "") + offset


@st.composite
def timestamps(draw: st.DrawFn, moment: datetime) -> str:
    offset = draw(st.integers(-12 * 4, 14 * 4)) * 15 + draw(st.sampled_from([0, 0, 0, 7]))
    return _render(moment, max(-720, min(840, offset)), draw(st.integers(0, 9)),
                   draw(st.text("0123456789", min_size=3, max_size=3)),
                   draw(st.sampled_from(["T", "T", "t", " "])))


def instants() -> st.SearchStrategy[datetime]:
    near = st.datetimes(datetime(2025, 1, 1), datetime(2027, 1, 1), timezones=st.just(_UTC))
    far = st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31), timezones=st.just(_UTC))
    return st.one_of(near, near, far, st.sampled_from(_EDGES))


# Odd but legal: every category but surrogates, private use and C0/C1 controls, which the
# loader refuses; line and paragraph separators and bidi marks included.
_LEGAL = st.characters(codec="utf-8", exclude_categories=("Cs", "Co", "Cc"))
TITLES = st.text(_LEGAL, min_size=1, max_size=200).filter(
    lambda text: bool(text.strip()) and "\n" not in text and "\r" not in text
    and "\x85" not in text and "\u2028" not in text and "\u2029" not in text)


@st.composite
def markdown(draw: st.DrawFn) -> str:
    """Long, odd, or deeply nested (quotes in lists in quotes...) but legal markdown."""
    words = draw(st.text(_LEGAL | st.sampled_from(["\n", " ", "*", "`", "<", "&"]),
                         min_size=1, max_size=draw(st.sampled_from([50, 2000, 20000]))))
    depth = draw(st.integers(0, 200))
    nest = "".join(draw(st.sampled_from(["> ", "- ", "1. ", "  "])) for _ in range(depth))
    return f"{nest}{words}" if words.strip() else "x"


@st.composite
def incidents(draw: st.DrawFn, number: int) -> dict[str, Any]:
    """An incident on SERVICE opened at a generated moment, with many updates and alerts."""
    opened = draw(instants())
    moments = [opened]
    for step in draw(st.lists(st.integers(0, 3 * 86400), max_size=draw(
            st.sampled_from([3, 40, 400])))):
        try:
            moments.append(moments[-1] + timedelta(seconds=step))
        except OverflowError:
            break
    texts = [draw(timestamps(moment)) for moment in moments]
    resolved = draw(st.booleans()) and len(texts) > 1
    timeline: list[dict[str, Any]] = [
        {"at": text, "message": draw(markdown()) if index < 3 else "update"}
        for index, text in enumerate(texts)]
    timeline[0]["status"] = "investigating"
    record: dict[str, Any] = {
        "apiVersion": "itsm/v1", "kind": "Incident", "id": f"INC-{number:04d}",
        "title": draw(TITLES), "services": [{"id": SERVICE, "status": "major_outage"}],
        "impact": "high", "urgency": "high", "priority": "P1",
        "status": "resolved" if resolved else "investigating",
        "opened_at": texts[0], "team": "payments", "description": draw(markdown()),
        "timeline": timeline,
    }
    if resolved:
        timeline[-1]["status"] = "resolved"
        record["resolved_at"] = texts[-1]
    alerts = draw(st.integers(0, 3)) * draw(st.sampled_from([1, 1, 150]))
    if alerts:
        record["alerts"] = [{"fingerprint": f"fp{number}-{index}", "name": "HighLatency",
                             "started_at": draw(st.sampled_from(texts)), "resolved_at": None}
                            for index in range(alerts)]
    if draw(st.booleans()):
        record["opened_at"] = draw(st.sampled_from([*LEAP_SECONDS, texts[0]]))
    return record


# -- YAML in every style -------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with timestamps kept as text, as itsm keeps them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@st.composite
def yaml_text(draw: st.DrawFn, data: Any) -> str:
    """`data` as YAML with each string in a drawn scalar style, and drawn layout."""
    styles = draw(st.lists(st.sampled_from([None, "'", '"', "|", ">"]), min_size=1, max_size=8))
    count = [0]

    class Dumper(yaml.SafeDumper):
        pass

    def string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        count[0] += 1
        return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                       style=styles[count[0] % len(styles)])

    Dumper.add_representer(str, string)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=draw(st.booleans()), sort_keys=False,
                     default_flow_style=draw(st.sampled_from([False, None, True])),
                     indent=draw(st.integers(2, 9)), width=draw(st.sampled_from([20, 80, 4096])),
                     explicit_start=draw(st.booleans()))


@cache
def demo_files() -> list[str]:
    return sorted(path.relative_to(DEMO).as_posix()
                  for path in (DEMO / "records").rglob("*.yaml"))


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    files: dict[str, str] = {}
    for path in draw(st.lists(st.sampled_from(demo_files()), max_size=4, unique=True)):
        data = yaml.load((DEMO / path).read_text(encoding="utf-8"), Loader=_Loader)
        files[path] = draw(yaml_text(data))
    added = []
    for number in range(900, 900 + draw(st.integers(0, 3))):
        files[f"records/incidents/fuzz/INC-{number:04d}.yaml"] = draw(
            yaml_text(draw(incidents(number))))
        added.append(f"INC-{number:04d}")
    return Mutation(files, draw(st.sampled_from(ZONES)), tuple(added))


# -- the property --------------------------------------------------------------------------

def _pages(site: Path) -> set[str]:
    return {path.stem for path in (site / "incidents").glob("*.html")}


def _clocked(result: Result) -> set[str]:
    """The records with clocks, and those a finding says were left out (a time the clocks
    cannot count: reported, so not lost)."""
    found = json.loads(result.stdout)
    return {clock["record"] for clock in found["clocks"]} | {
        finding["record"] for finding in found["findings"]
        if finding["message"].startswith("left out of the SLA clocks")}


@cache
def baseline() -> tuple[set[str], set[str], set[str]]:
    """The demo's public and internal incident pages, and the records with clocks."""
    with tempfile.TemporaryDirectory() as folder:
        outcome = _every_command(Mutation().apply(Path(folder)))
        return (_pages(Path(folder, "_fuzz/public")), _pages(Path(folder, "_fuzz/internal")),
                _clocked(outcome[COMMANDS[2]]))


def _every_command(repo: Path) -> dict[tuple[str, ...], Result]:
    return {command: run_itsm(*command, cwd=repo) for command in COMMANDS}


def check(repo: Path, added: tuple[str, ...]) -> tuple[bool, list[str]]:
    """Whether `itsm validate` accepted the repository, and what is wrong with the
    outcomes (nothing: an empty list)."""
    # As of the same now as every command: a time later than it is refused (time-future).
    validated = run_itsm("validate", "--format", "json", NOW_OPTION, cwd=repo)
    if validated.code != 0:
        return False, _refused(repo, validated)
    return True, _works(repo, added)


def _works(repo: Path, added: tuple[str, ...]) -> list[str]:
    problems = []
    outcome = _every_command(repo)
    for command, result in outcome.items():
        text = result.stdout + result.stderr
        if result.code not in (0, 1) or "internal error" in text or "Traceback" in text:
            problems.append(f"itsm {' '.join(command)}: exit {result.code}: {text[-2000:]}")
    if problems:
        return problems
    public, internal, clocked = baseline()
    shown = {record for record in added if _opened(repo, record) <= NOW}  # as of now
    for name, expected in (("public", public), ("internal", internal)):
        missing = (expected | shown) - _pages(repo / "_fuzz" / name)
        if missing:
            problems.append(f"the {name} site leaves out {sorted(missing)}")
    missing = (clocked | shown) - _clocked(outcome[COMMANDS[2]])
    if missing:
        problems.append(f"sla check leaves out {sorted(missing)}")
    return problems


def _opened(repo: Path, record: str) -> datetime:
    text = (repo / f"records/incidents/fuzz/{record}.yaml").read_text(encoding="utf-8")
    return parse_timestamp(yaml.load(text, Loader=_Loader)["opened_at"])


def _refused(repo: Path, validated: Result) -> list[str]:
    if validated.code != 1:
        return [f"itsm validate: exit {validated.code}: {validated.stdout}{validated.stderr}"]
    findings = json.loads(validated.stdout)["findings"]
    return [f"a finding names no file of the repository: {finding}" for finding in findings
            if not finding.get("path") or not (repo / finding["path"]).is_file()]
