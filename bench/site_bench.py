"""Time `itsm site build` on 10,000 incidents against Hugo building the same pages.

    python bench/site_bench.py [--incidents 10000] [--runs 3] [--keep] [--json FILE]

The repository comes from bench/generate.py (cached in bench/out/). For Hugo, this
script writes one markdown page per page of the itsm build (each incident with its
updates and postmortem, each service, month, maintenance window, problem and known error
with its list of incidents) under a minimal theme (one base layout, a single and a list
template, no JavaScript, no taxonomies, feeds or sitemap), so both tools render the same
pages from the same text. Both run as whole processes, timed by wall clock, interleaved
run by run so that a noisy machine slows both alike:

- cold: into an empty output folder; for itsm also with an empty cache folder
  (ITSM_CACHE_DIR), so nothing of an earlier run is reused;
- warm: again into the folder of the previous build, nothing changed in between (itsm
  finds its record cache and page stamps; Hugo keeps no render cache by default);
- rebuild: after one incident's title changed (its record for itsm, its page for Hugo).

The itsm build is the internal one (`--internal`), which has a page for every incident;
the public build (about 80% of the incidents) is timed too, cold, and so is the parse
floor of the same records (bench/floor_parse.py: one libyaml parse, one process).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
NOW = "2026-11-01T12:00:00+01:00"  # generate.py opens incidents until 2026-11-01
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402 - a sibling script, not a package

HUGO_CONFIG = """baseURL = "https://status.example.com/"
title = "Example Retail status"
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/index.html">{{ .Site.Title }}</a>
<nav><a href="/index.html">Status</a> <a href="/history.html">History</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>Status as of {{ now.Format "2 Jan 2006, 15:04 MST" }}</p></footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ with .Params.status }}<p class="meta">{{ . }}
{{ with $.Params.services }} · Affects {{ delimit . ", " }}{{ end }}</p>{{ end }}
<p>Started <time datetime="{{ .Date.UTC.Format "2006-01-02T15:04:05Z" }}">
{{ .Date.Format "2 Jan 2006, 15:04 MST" }}</time></p>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range first 50 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>
{{ range first 30 (where .Site.RegularPages "Section" "incidents") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
""",
}


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall-clock and CPU seconds (user + system, with the processes it started), exit
    code and output of one whole process. CPU time moves less on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          check=False, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, done.stdout


def records_for(incidents: int) -> int:
    """The generator's --records that yields exactly `incidents` incidents."""
    low = incidents
    while generate.counts(low)["incidents"] < incidents:
        low += 1
    if generate.counts(low)["incidents"] != incidents:
        sys.exit(f"generate.py cannot make exactly {incidents} incidents")
    return low


def ensure_repo(incidents: int, seed: int) -> tuple[Path, bool]:
    source = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:10]
    repo = OUT / f"site-repo-{incidents}-s{seed}-{source}"
    if (repo / "itsm.yaml").is_file():
        return repo, False
    tmp = OUT / f".tmp-{repo.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    generate.generate(tmp, records_for(incidents), seed)
    tmp.replace(repo)
    return repo, True


def _front(**fields: object) -> str:
    # JSON values are YAML: titles with colons or quotes need no escaping of their own.
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in fields.items()) + "---\n"


def hugo_project(repo: Path, target: Path) -> int:
    """Hugo content for every page of the itsm internal build; returns the page count."""
    from itsm_as_code.config import load_config
    from itsm_as_code.model.model import Model
    from itsm_as_code.site.records import select
    from itsm_as_code.site.views import INCIDENT_LABELS, STATUS_LABELS, build_views
    from itsm_as_code.store.repository import load_repository
    from itsm_as_code.timefmt import parse_timestamp

    shutil.rmtree(target, ignore_errors=True)
    config = load_config(repo)
    loaded = load_repository(config)
    view = build_views(select(Model(loaded), True, parse_timestamp(NOW)),
                       ZoneInfo(config.timezone), config.availability_weights)
    pages: dict[str, str] = {}
    names = {sid: v.service.name for sid, v in view.services.items()}
    for incident in view.incidents:
        description = incident.details.description if incident.details else None
        body = f"{description or ''}\n\n" + "".join(
            f"**{INCIDENT_LABELS[e.status] if e.status else 'Update'}** · "
            f"{e.at.isoformat()}\n\n{e.message}\n\n" for e in reversed(incident.entries))
        if incident.postmortem:
            body += f"## Post-incident review\n\n{incident.postmortem}\n"
        pages[f"incidents/{incident.id}.md"] = _front(
            title=incident.title, date=incident.opened.isoformat(),
            status=INCIDENT_LABELS[incident.status] + ", " + STATUS_LABELS[incident.severity],
            services=[names[a.service] for a in incident.services]) + body

    def listing(items: list[tuple[str, str]]) -> str:
        return "".join(f"- [{title}](/{path})\n" for title, path in items)

    for sid, service in view.services.items():
        pages[f"services/{sid}.md"] = _front(title=service.service.name, date=NOW) + listing(
            [(i.title, f"incidents/{i.id}.html") for i in service.incidents])
    for month in view.months:
        pages[f"history/{month.slug}.md"] = _front(title=month.slug, date=NOW) + listing(
            [(i.title, f"incidents/{i.id}.html") for i in month.incidents])
    for window in view.selection.maintenance:
        pages[f"maintenance/{window.id}.md"] = _front(
            title=window.title, date=window.start.isoformat()) + "".join(
            f"{e.message}\n\n" for e in window.entries)
    for kind, folder in (("Problem", "problems"), ("KnownError", "known-errors")):
        for record in loaded.of_kind(kind):
            text = "\n\n".join(str(record.get(k) or "") for k in (
                "description", "root_cause", "symptoms", "workaround", "fix"))
            pages[f"{folder}/{record.id}.md"] = _front(title=record.get("title"),
                                                       date=NOW) + text
    for path, text in pages.items():
        (target / "content" / path).parent.mkdir(parents=True, exist_ok=True)
        (target / "content" / path).write_text(text, encoding="utf-8")
    for path, text in HUGO_LAYOUTS.items():
        (target / "layouts" / path).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / path).write_text(text, encoding="utf-8")
    (target / "static").mkdir()
    (target / "static/style.css").write_text("body { font-family: system-ui; }\n")
    (target / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    return len(pages)


class Toggle:
    """Changes one line of a file on every call, and puts the file back at the end."""

    def __init__(self, path: Path, prefix: str) -> None:
        self.path, self.prefix, self.original, self.count = path, prefix, path.read_text(), 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_text(self.original.replace(
            self.prefix, f"{self.prefix}Changed {self.count} ", 1))

    def restore(self) -> None:
        self.path.write_text(self.original)


def pages_of(output: str, tool: str) -> str:
    if tool == "hugo":
        found = re.search(r"^\s*Pages\s*\|\s*(\d+)", output, re.MULTILINE)
        return found.group(1) if found else "?"
    found = re.search(r"(\d+) pages, (\d+) files \((\d+) changed", output)
    return f"{found.group(1)} ({found.group(3)} written)" if found else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    ap.add_argument("--json", type=Path, help="write the results to this file")
    args = ap.parse_args(argv)
    hugo = shutil.which("hugo")
    itsm = Path(sys.executable).parent / "itsm"
    if hugo is None or not itsm.exists():
        sys.exit("needs `hugo` (apt-get install hugo) and `itsm` in this venv")
    OUT.mkdir(exist_ok=True)
    repo, generated = ensure_repo(args.incidents, args.seed)
    work = OUT / f"site-work-{os.getpid()}"
    cache = work / "cache"
    os.environ["ITSM_CACHE_DIR"] = str(cache)
    os.environ.pop("ITSM_NO_CACHE", None)
    toggles: list[Toggle] = []
    try:
        hugo_pages = hugo_project(repo, work / "hugo")
        changed = sorted((repo / "records/incidents").rglob("*.yaml"))[-1]
        toggles = [Toggle(changed, "\ntitle: "),
                   Toggle(work / "hugo/content/incidents" / f"{changed.stem}.md", 'title: "')]
        internal = [str(itsm), "site", "build", "--internal", "-o", str(work / "itsm"),
                    "--now", NOW]
        hugo_cmd = [hugo, "-s", str(work / "hugo"), "-d", str(work / "hugo-out")]

        def cold(*folders: Path) -> Callable[[], None]:
            def clear() -> None:
                for folder in folders:
                    shutil.rmtree(folder, ignore_errors=True)
            return clear

        def nothing() -> None:
            pass

        jobs = {  # name -> (command, folder, what to do before)
            "itsm cold": (internal, repo, cold(work / "itsm", cache)),
            "hugo cold": (hugo_cmd, work, cold(work / "hugo-out")),
            "itsm warm": (internal, repo, nothing),
            "hugo warm": (hugo_cmd, work, nothing),
            "itsm rebuild": (internal, repo, toggles[0]),
            "hugo rebuild": (hugo_cmd, work, toggles[1]),
            "itsm public cold": ([str(itsm), "site", "build", "-o", str(work / "public"),
                                  "--now", NOW], repo, cold(work / "public", cache)),
            # The parse floor of the same files in the same run (bench/floor_parse.py).
            "floor parse": ([sys.executable, str(BENCH / "floor_parse.py"), "."], repo,
                            nothing),
        }
        times: dict[str, list[float]] = {name: [] for name in jobs}
        cpus: dict[str, list[float]] = {name: [] for name in jobs}
        pages: dict[str, str] = {}
        load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
        for _ in range(args.runs):
            for name, (cmd, cwd, before) in jobs.items():
                before()
                took, cpu, code, output = run(cmd, cwd)
                if code:
                    sys.exit(f"{name} failed ({code}):\n{output[-2000:]}")
                times[name].append(took)
                cpus[name].append(cpu)
                pages[name] = pages_of(output, name.split()[0])
                print(f"  {name:17} {took:6.2f} s wall {cpu:6.2f} s CPU", flush=True)
        hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True,
                                      check=False).stdout.strip()
        cpu = next((line.split(":", 1)[1].strip() for line in
                    Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "?")
        print(f"\ndate: {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n"
              f"machine: nproc {len(os.sched_getaffinity(0))}, {cpu}, load average "
              f"{load_start} at start, "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at end\n"
              f"python {platform.python_version()}; {hugo_version}\n"
              f"repository: {repo.name} ({args.incidents} incidents); Hugo content pages: "
              f"{hugo_pages}\n")
        print(f"{'build':17} {'pages':>22} {'wall s':>7} {'CPU s':>6} {'pages/s':>8}  "
              "wall runs (s)")
        summary = {}
        for name, took in times.items():
            median, cpu = statistics.median(took), statistics.median(cpus[name])
            count = int(pages[name].split()[0]) if pages[name][0].isdigit() else 0
            summary[name] = {"median_s": median, "runs_s": took, "cpu_median_s": cpu,
                             "cpu_runs_s": cpus[name], "pages": pages[name]}
            print(f"{name:17} {pages[name]:>22} {median:7.2f} {cpu:6.2f} {count / median:8.0f}"
                  "  " + " ".join(f"{t:.2f}" for t in took))
        ratios = {m: statistics.median(times[f"hugo {m}"]) / statistics.median(times[f"itsm {m}"])
                  for m in ("cold", "warm", "rebuild")}
        print("\nitsm's speed over Hugo's: " + ", ".join(
            f"{ratio:.2f}x {m}" for m, ratio in ratios.items()) + " (above 1: itsm is faster)")
        if args.json:
            args.json.write_text(json.dumps({"results": summary, "hugo": hugo_version,
                                             "incidents": args.incidents}, indent=2) + "\n")
    finally:
        for toggle in toggles:
            toggle.restore()
        shutil.rmtree(work, ignore_errors=True)
        if generated and not args.keep:
            shutil.rmtree(repo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
