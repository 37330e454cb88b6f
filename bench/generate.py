"""Generate a synthetic ITSM repository of valid records, for benchmarks.

    python bench/generate.py OUT_DIR --records N [--seed S] [--bad K]

N counts records of every kind. Reference kinds (services, teams, people, calendars,
SLAs, systems, access policies) grow slowly with N; of the rest about 2% are problems,
1% known errors, 10% service requests, 1% maintenance windows and the others incidents
(~2.4 KB of YAML each, 3-6 timeline entries) in month folders `incidents/YYYY/MM/`.
Every record is schema-valid and consistent (references, priority matrix, time order,
status = last timeline status). `--bad K` turns K incidents into schema failures that
still parse as YAML. The YAML text is written with f-strings: yaml.dump is ~20x slower.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

MIN, HOUR, DAY = 60, 3600, 86400
START = calendar.timegm((2021, 11, 1, 0, 0, 0))  # incidents are opened in [START, END)
END = calendar.timegm((2026, 11, 1, 0, 0, 0))
LEVELS = ("high", "medium", "low")
MATRIX = {
    "high": {"high": "P1", "medium": "P2", "low": "P3"},
    "medium": {"high": "P2", "medium": "P3", "low": "P4"},
    "low": {"high": "P3", "medium": "P4", "low": "P5"},
}
API = "apiVersion: itsm/v1\n"
SLAS = ("gold", "silver", "bronze", "internal-ola")

TEAMS = ("payments", "storefront", "platform", "identity", "messaging", "data",
         "infrastructure", "corporate-it", "security", "service-desk")
SERVICES = (  # (id, group, owner team index)
    ("payments-api", "Customer-facing", 0), ("checkout-web", "Customer-facing", 1),
    ("search", "Customer-facing", 1), ("catalog", "Customer-facing", 1),
    ("accounts", "Customer-facing", 3), ("login", "Customer-facing", 3),
    ("notifications", "Customer-facing", 4), ("email-delivery", "Customer-facing", 4),
    ("sms-gateway", "Customer-facing", 4), ("billing", "Customer-facing", 0),
    ("invoicing", "Back office", 0), ("orders", "Customer-facing", 1),
    ("inventory", "Back office", 1), ("shipping", "Back office", 1),
    ("pricing", "Back office", 0), ("reviews", "Customer-facing", 1),
    ("recommendations", "Customer-facing", 5), ("media-cdn", "Infrastructure", 6),
    ("dns", "Infrastructure", 6), ("vpn", "Corporate IT", 7), ("wiki", "Corporate IT", 7),
    ("chat", "Corporate IT", 7), ("mail", "Corporate IT", 7), ("crm", "Corporate IT", 7),
    ("erp", "Back office", 7), ("hr-portal", "Corporate IT", 7),
    ("analytics", "Data", 5), ("reporting", "Data", 5), ("data-warehouse", "Data", 5),
    ("ci", "Developer tools", 2), ("artifact-store", "Developer tools", 2),
    ("monitoring", "Developer tools", 2), ("logging", "Developer tools", 2),
    ("kubernetes", "Infrastructure", 2), ("postgres-cluster", "Infrastructure", 6),
    ("kafka", "Infrastructure", 6), ("redis", "Infrastructure", 6),
    ("object-storage", "Infrastructure", 6), ("backup", "Infrastructure", 6),
    ("sso-gateway", "Corporate IT", 8),
)
FIRST = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "uma", "victor",
         "wendy", "xavier", "yara", "zoe", "amir", "bea", "chen", "dilan", "eva", "farid",
         "gita", "hugo", "ines", "jonas", "kira", "lena", "milan", "noor", "omar", "pia", "raj")
LAST = ("schmidt", "mueller", "garcia", "smith", "nguyen", "kowalski", "rossi", "dubois",
        "jansen", "novak", "silva", "okafor", "tanaka", "larsen", "fischer", "weber", "meyer",
        "wagner", "becker", "hoffmann", "costa", "ivanova", "kim", "patel", "haddad", "berg",
        "lund", "moreau", "ortiz", "popescu", "quinn", "reyes", "sato", "toth", "ueda",
        "varga", "wolf", "young", "zimmer", "brandt")
SYMPTOMS = (  # noun phrases; no ": " or " #" anywhere, the text is written as plain YAML
    "HTTP 502 errors for {n}% of requests", "p95 latency above {n}00 ms",
    "login failures for some users", "timeouts from the EU region",
    "a queue backlog of {n}k messages", "timeouts on write requests",
    "an expired certificate on one endpoint", "an elevated error rate after a deploy",
    "disk usage at 9{n}% on the primary node", "jobs stuck in pending state",
    "stale data for {n}% of users", "intermittent connection resets",
)
CATEGORIES = ("application", "database", "network", "infrastructure", "security",
              "third-party", "capacity", "configuration")
SAYS = {  # timeline messages per status; None is an update without a status change
    "investigating": (
        "We are investigating reports of {sym} on {svc}. Some users may see errors or slow "
        "responses while we look into it.",
        "Monitoring alerted on {sym} on {svc}. The on-call engineer is looking at the "
        "dashboards and at recent changes to narrow down the cause.",
    ),
    "identified": (
        "The cause has been identified as a faulty configuration change on {svc}. We are "
        "rolling it back node by node and watching the error rates.",
        "We found the issue, a connection pool on {svc} was exhausted after a traffic spike. "
        "Capacity is being added now.",
    ),
    "monitoring": (
        "A fix has been applied to {svc} and error rates are back to normal. We keep "
        "monitoring the service closely for the next hour.",
    ),
    "on_hold": (
        "Waiting for the vendor to confirm the fix on their side before we can continue. "
        "The workaround for {svc} stays in place.",
    ),
    "resolved": (
        "This incident has been resolved. {svc} has been working normally since the fix and "
        "no further errors have been seen.",
    ),
    "closed": ("Closed after review. Follow-up actions are tracked in the linked problem and "
               "in the team backlog.",),
    "canceled": ("False alarm, the alert on {svc} was caused by a change to a monitoring "
                 "probe. There was no user impact.",),
    None: (
        "The team is still working on {svc}. We will post the next update within the hour or "
        "as soon as we know more.",
        "Paged the database on-call to help with the analysis of {sym} on {svc}.",
        "Customer support reports fewer complaints about {svc} over the last 30 minutes.",
    ),
}
MORE = (  # a second sentence for some messages
    " We are sorry for the trouble this causes.", " Next update in 30 minutes.",
    " Affected customers can retry their requests safely.",
    " Details are in the internal channel of the team.", "", "",
)


def ts(t: int) -> str:
    """RFC 3339 with the Europe/Berlin offset of that instant (EU DST rules)."""
    y = time.gmtime(t).tm_year
    off = 7200 if _dst(y)[0] <= t < _dst(y)[1] else 3600
    g = time.gmtime(t + off)
    return (f"{g.tm_year:04d}-{g.tm_mon:02d}-{g.tm_mday:02d}T{g.tm_hour:02d}:{g.tm_min:02d}:"
            f"{g.tm_sec:02d}+0{off // 3600}:00")


_DST: dict[int, tuple[int, int]] = {}


def _dst(year: int) -> tuple[int, int]:
    """Summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC."""
    if year not in _DST:
        def last_sunday(month: int) -> int:
            day = max(d for d in range(25, 32) if calendar.weekday(year, month, d) == 6)
            return calendar.timegm((year, month, day, 1, 0, 0))
        _DST[year] = (last_sunday(3), last_sunday(10))
    return _DST[year]


@dataclass
class Repo:
    """The ids already made, so that later records refer only to existing ones."""

    rng: random.Random
    out: Path
    teams: dict[str, list[str]] = field(default_factory=dict)  # team -> active members
    services: list[tuple[str, str]] = field(default_factory=list)  # (id, owner team)
    people: list[str] = field(default_factory=list)  # active people
    policies: list[tuple[str, list[str]]] = field(default_factory=list)  # (id, owners)
    written: int = 0

    def write(self, rel: str, text: str) -> None:
        path = self.out / "records" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.written += 1


def counts(n: int) -> dict[str, int]:
    c = {"services": max(5, round(n * 0.0004)), "teams": max(3, round(n / 10_000)),
         "people": max(20, round(n * 0.003)), "calendars": 3, "slas": 4, "systems": 2,
         "policies": max(3, round(n * 0.0005)), "problems": round(n * 0.02),
         "known_errors": round(n * 0.01), "requests": round(n * 0.1),
         "maintenance": round(n * 0.01)}
    c["incidents"] = n - sum(c.values())
    if c["incidents"] < 10:
        raise SystemExit(f"--records {n} is too small: use at least {n - c['incidents'] + 10}")
    return c


def named(base: tuple[str, ...], i: int) -> str:
    return base[i % len(base)] + ("" if i < len(base) else f"-{i // len(base) + 1}")


def gen_config(out: Path) -> None:
    rows = "".join(f"  {i}: {{high: {r['high']}, medium: {r['medium']}, low: {r['low']}}}\n"
                   for i, r in MATRIX.items())
    (out / "itsm.yaml").write_text(
        f"{API}organization: Example Retail GmbH\nrecords: records\ntimezone: Europe/Berlin\n"
        f"priority_matrix:\n{rows}site:\n  title: Example Retail status\n"
        "  base_url: https://status.example.com\n", encoding="utf-8")


def gen_reference(repo: Repo, c: dict[str, int]) -> None:
    """People, teams, calendars, SLAs, services, systems and access policies."""
    rng = repo.rng
    combos = [(f, la) for la in LAST for f in FIRST]
    rng.shuffle(combos)
    people = []
    for i in range(c["people"]):
        first, last = combos[i % len(combos)]
        pid = f"{first}.{last}" + ("" if i < len(combos) else str(i // len(combos) + 1))
        left = rng.random() < 0.05
        status = f"status: left\nleft_at: {ts(END - rng.randrange(400 * DAY))}\n" if left else ""
        if not left:
            people.append(pid)
        repo.write(f"people/{pid}.yaml",
                   f"{API}kind: Person\nid: {pid}\nname: {first.title()} {last.title()}\n"
                   f"email: {pid}@example.com\n{status}accounts:\n"
                   f"  corp-ldap: {pid.replace('.', '_')}\n")
    repo.people = people
    teams = [named(TEAMS, i) for i in range(c["teams"])]
    for i, tid in enumerate(teams):
        members = people[i::len(teams)]
        repo.teams[tid] = members
        repo.write(f"teams/{tid}.yaml",
                   f"{API}kind: Team\nid: {tid}\nname: {tid.replace('-', ' ').title()} team\n"
                   f"lead: {members[0]}\nemail: {tid}@example.com\nmembers:\n"
                   + "".join(f"  - {m}\n" for m in members))
    days = "".join(f"  {d}: [\"09:00-12:30\", \"13:30-17:00\"]\n" for d in
                   ("mon", "tue", "wed", "thu", "fri"))
    for cid, tz, country in (("berlin-office", "Europe/Berlin", "DE"),
                             ("new-york-office", "America/New_York", "US")):
        repo.write(f"calendars/{cid}.yaml",
                   f"{API}kind: Calendar\nid: {cid}\nname: {tz} office hours\ntimezone: {tz}\n"
                   f"hours:\n{days}holidays: [2025-12-24, 2025-12-31, 2026-12-24, 2026-12-31]\n"
                   f"holiday_country: {country}\n")
    repo.write("calendars/always-on.yaml",
               f"{API}kind: Calendar\nid: always-on\nname: 24x7\ntimezone: UTC\nhours: always\n")
    # Days on a working-time calendar are business days (a plain `d` there is a warning).
    pairs = (("15m", "4h"), ("1h", "1{d}"), ("4h", "3{d}"), ("1{d}", "5{d}"), ("2{d}", "10{d}"))
    targets = {day: "".join(f"  P{p}: {{response: {r.format(d=day)}, "
                            f"resolution: {s.format(d=day)}}}\n"
                            for p, (r, s) in enumerate(pairs, 1))
               for day in ("d", "bd")}
    for sid, typ, cal in zip(SLAS, ("SLA", "SLA", "SLA", "OLA"),
                             ("always-on", "berlin-office", "new-york-office", "berlin-office"),
                             strict=True):
        applies = "applies_to: [Incident]\n" if typ == "OLA" else ""
        repo.write(f"slas/{sid}.yaml",
                   f"{API}kind: SLA\nid: {sid}\nname: {sid.title()} support\ntype: {typ}\n"
                   f"{applies}calendar: {cal}\npause_on: [on_hold]\nwarn_at: 75\n"
                   f"targets:\n{targets['d' if cal == 'always-on' else 'bd']}")
    for i in range(c["services"]):
        base, group, owner = SERVICES[i % len(SERVICES)]
        sid, team = named(tuple(s[0] for s in SERVICES), i), teams[owner % len(teams)]
        repo.services.append((sid, team))
        deps = rng.sample([s for s, _ in repo.services[:-1]], min(i, rng.randrange(3)))
        vis = "internal" if group in ("Corporate IT", "Developer tools", "Data") else "public"
        repo.write(f"services/{sid}.yaml",
                   f"{API}kind: Service\nid: {sid}\nname: {sid.replace('-', ' ').title()}\n"
                   f"description: The {base.replace('-', ' ')} service.\ngroup: {group}\n"
                   f"owner: {team}\nvisibility: {vis}\nsla: {rng.choice(SLAS[:3])}\n"
                   f"depends_on: [{', '.join(deps)}]\nposition: {i}\n")
    systems = (("payments-db", "postgres", "connection: {dsn_env: PAYMENTS_DB_DSN}\n"
                "break_glass: [dba_emergency]\n"),
               ("corp-ldap", "ldap", "connection: {url_env: LDAP_URL, bind_dn_env: LDAP_BIND_DN,"
                " password_env: LDAP_PASSWORD}\nbreak_glass: [ldap-admin]\n"))
    for sid, provider, rest in systems:
        repo.write(f"access/{sid}.yaml", f"{API}kind: System\nid: {sid}\nname: {sid}\n"
                   f"owner: {teams[min(2, len(teams) - 1)]}\nprovider: {provider}\n{rest}")
    for i in range(c["policies"]):
        system = systems[i % 2][0]
        role = named(("readers", "writers", "admins", "vpn-users", "wiki-editors"), i // 2)
        pid = f"{system}-{role}"
        owners = rng.sample(people, rng.randint(1, 3))
        repo.policies.append((pid, owners))
        lines = [f"{API}kind: AccessPolicy\nid: {pid}\nsystem: {system}\n"
                 f"role: {role.replace('-', '_')}\nowners: [{', '.join(owners)}]\n"
                 f"exclusive: {str(i % 3 == 0).lower()}\nmax_duration: 365d\ngrants:\n"]
        subjects = rng.sample([p for p in people if p not in owners], min(len(people) - 3,
                                                                          rng.randint(3, 30)))
        team = rng.choice(teams)
        if rng.random() < 0.3 and set(owners) - set(repo.teams[team]):
            subjects.append(team)  # a team stands for its members: none of them may approve
        for subject in subjects:
            approver = rng.choice([o for o in owners if o not in repo.teams.get(subject, ())])
            approved = END - rng.randrange(120 * DAY)  # expiring well after END
            lines.append(f"  - subject: {subject}\n    justification: Needs {role} for on-call "
                         f"and support work\n    approved_by: {approver}\n"
                         f"    approved_at: {ts(approved)}\n"
                         f"    expires: {ts(approved + rng.randint(335, 365) * DAY)}\n")
        repo.write(f"access/{pid}.yaml", "".join(lines))


def gen_problems(repo: Repo, c: dict[str, int], opened: list[int], primary: list[int]
                 ) -> dict[int, tuple[str, str | None]]:
    """Problems and known errors over clusters of incidents of one service.

    Returns incident index -> (problem id, known error id or None).
    """
    rng, links = repo.rng, {}
    by_service: dict[int, list[int]] = {}
    for i, s in enumerate(primary):
        by_service.setdefault(s, []).append(i)
    for p in range(c["problems"]):
        s = primary[rng.randrange(len(primary))]
        pool, step = by_service[s], rng.randint(1, 20)
        start = rng.randrange(len(pool))
        cluster = [i for i in pool[start:start + step * rng.randint(1, 5):step] if i not in links]
        prb, ke = f"PRB-{p + 1:04d}", (f"KE-{p // 2 + 1:04d}" if p % 2 == 0
                                       and p // 2 < c["known_errors"] else None)
        first = opened[cluster[0]] if cluster else START + rng.randrange(END - START)
        last = opened[cluster[-1]] if cluster else first
        t_open = first + rng.randint(1, 3) * DAY
        t_res = max(last, t_open) + rng.randint(3, 40) * DAY
        status = rng.choice(("closed", "closed", "closed", "resolved", "fix_in_progress",
                             "root_cause_analysis", "assessing", "new"))
        t_close = t_res + rng.randint(1, 14) * DAY
        if t_close > END and status == "closed":
            status = "resolved"
        if t_res > END and status == "resolved":
            status = "fix_in_progress"
        svc, team = repo.services[s]
        done = status in ("resolved", "closed")
        repo.write(f"problems/{prb}.yaml",
                   f"{API}kind: Problem\nid: {prb}\ntitle: Recurring incidents on {svc}\n"
                   f"status: {status}\npriority: P{rng.randint(2, 4)}\n"
                   f"incidents: [{', '.join(f'INC-{i + 1:06d}' for i in cluster)}]\n"
                   f"services: [{svc}]\nowner: {rng.choice(repo.teams[team])}\n"
                   f"root_cause: |\n  Connection handling in {svc} does not recover after a\n"
                   f"  failover of its database; see the linked incidents.\n"
                   f"opened_at: {ts(t_open)}\nresolved_at: {ts(t_res) if done else 'null'}\n"
                   f"closed_at: {ts(t_close) if status == 'closed' else 'null'}\n")
        t_ke = t_open + rng.randint(1, 3) * DAY
        for i in cluster:
            links[i] = (prb, ke if ke and opened[i] >= t_ke else None)
        if ke:
            fixed = f"fix: Patched in release 4.{p}.\nfixed_at: {ts(t_res)}\n" if done else ""
            repo.write(f"known-errors/{ke}.yaml",
                       f"{API}kind: KnownError\nid: {ke}\ntitle: {svc} fails after database "
                       f"failover\nproblem: {prb}\nservices: [{svc}]\nsymptoms: |\n  Errors "
                       f"on {svc} right after a database failover.\nmatch: [\"{svc}.*timeout\", "
                       f"\"connection reset\"]\nroot_cause: Stale connections are not dropped.\n"
                       f"workaround: Restart the {svc} pods one by one.\n"
                       f"status: {'fixed' if done else 'open'}\nopened_at: {ts(t_ke)}\n{fixed}")
    return links


def incident_fate(rng: random.Random, t_open: int) -> tuple[str, list[str | None]]:
    """The final status and the timeline's statuses (None: an update without one)."""
    if END - t_open > 14 * DAY:
        r = rng.random()
        status = "canceled" if r < 0.03 else "resolved" if r < 0.08 else "closed"
    else:
        status = rng.choice(("new", "investigating", "identified", "monitoring", "on_hold",
                             "resolved", "closed"))
    paths: dict[str, list[str | None]] = {
        "new": [], "investigating": ["investigating"], "canceled": ["investigating", "canceled"],
        "identified": ["investigating", "identified"],
        "monitoring": ["investigating", "identified", "monitoring"],
        "on_hold": ["investigating", "identified", "on_hold"],
    }
    path = paths.get(status, ["investigating", "identified", "monitoring", "resolved"])
    if status in ("resolved", "closed") and rng.random() < 0.05:
        path.insert(2, "on_hold")
    if status == "closed":
        path.append("closed")
    want = rng.randint(1, 2) if status == "new" else rng.randint(3, 6)
    while len(path) < want:  # updates go after the first entry and before `closed`
        hi = len(path) - (status == "closed")
        path.insert(rng.randint(min(1, hi), hi), None)
    return status, path


def gen_incidents(repo: Repo, c: dict[str, int], bad: int) -> None:
    rng, n = repo.rng, c["incidents"]
    opened = sorted(START + rng.randrange(END - START) for _ in range(n))
    for k, t in enumerate(opened):  # keep the month folder the same in UTC and local time
        if int(ts(t)[5:7]) != time.gmtime(t).tm_mon:
            opened[k] = t + 3 * HOUR
    opened.sort()
    weights = [5 if s[1] == "Customer-facing" else 2 for s in SERVICES]
    weights = [weights[i % len(SERVICES)] for i in range(len(repo.services))]
    primary = rng.choices(range(len(repo.services)), weights, k=n)
    links = gen_problems(repo, c, opened, primary)
    spoiled = {n * k // bad: k for k in range(bad)}  # spread evenly over the incidents
    for i in range(n):
        text = incident(rng, repo, i, opened[i], primary[i], links.get(i))
        if i in spoiled:
            text = spoil(text, spoiled[i] % 4)
        month = ts(opened[i])[:7].replace("-", "/")
        repo.write(f"incidents/{month}/INC-{i + 1:06d}.yaml", text)


def spoil(text: str, how: int) -> str:
    """A schema error that keeps the file parseable YAML."""
    if how == 0:
        return text.replace("\nimpact: ", "\nimpact: severe\nx_impact: ", 1)
    if how == 1:
        return text.replace("\nmajor: ", "\nseverity: 2\nmajor: ", 1)
    if how == 2:
        return text.replace("\ntitle: ", "\nsummary: ", 1)
    return text.replace("\nmajor: false", '\nmajor: "no"', 1).replace(
        "\nmajor: true", '\nmajor: "yes"', 1)


def incident(rng: random.Random, repo: Repo, i: int, t_open: int, s0: int,
             link: tuple[str, str | None] | None) -> str:
    svc, team = repo.services[s0]
    members = repo.teams[team]
    assignee = rng.choice(members)
    impact = rng.choices(LEVELS, (1, 3, 6))[0]
    urgency = rng.choices(LEVELS, (2, 4, 4))[0]
    priority = MATRIX[impact][urgency]
    major = priority == "P1" and rng.random() < 0.3
    comp = {"high": "major_outage", "medium": "partial_outage", "low": "degraded_performance"}
    others = rng.sample(repo.services, rng.choices((0, 1, 2), (70, 22, 8))[0])
    services = [svc] + [s for s, _ in others if s != svc]
    sym = rng.choice(SYMPTOMS).format(n=rng.randint(2, 8))
    visibility = "public" if rng.random() < 0.8 else "internal"
    status, path = incident_fate(rng, t_open)
    fast = {"P1": 20, "P2": 60, "P3": 180, "P4": 600, "P5": 900}[priority]
    t = t_open + rng.randint(60, fast * 60)
    at: dict[str, int] = {}
    entries = []
    for st in path:
        entries.append(
            f"  - at: {ts(t)}\n" + (f"    status: {st}\n" if st else "")
            + f"    public: {str(visibility == 'public' and rng.random() < 0.9).lower()}\n"
            f"    author: {rng.choice((assignee, assignee, rng.choice(members)))}\n"
            f"    message: {rng.choice(SAYS[st]).format(svc=svc, sym=sym)}{rng.choice(MORE)}\n")
        if st:
            at.setdefault(st, t)
        gap = rng.randint(1, 3) * DAY if st == "resolved" else rng.randint(5 * MIN, fast * 80)
        t += gap
    ack = ts(at["investigating"]) if "investigating" in at else "null"
    res = ts(at["resolved"]) if status in ("resolved", "closed") else "null"
    closed = ts(at["closed"]) if status == "closed" else "null"
    link_lines = ""
    if link:
        link_lines = f"problem: {link[0]}\n" + (f"known_error: {link[1]}\n" if link[1] else "")
    pm = ""
    if status == "closed" and (major or (priority == "P2" and rng.random() < 0.3)):
        minutes = rng.randint(10, 90)
        pm = (f"postmortem: |\n  ## Summary\n  {svc} had {sym} for {minutes} minutes.\n"
              f"  ## Root cause\n  A configuration change reduced the connection limit of "
              f"{svc}\n  below the peak load; the canary did not catch it.\n  ## Action items\n"
              f"  - Alert on connection pool saturation\n  - Add the limit to the deploy "
              f"checklist\n  - Load test {svc} before each release\n")
    region = rng.choice(("EU", "US", "APAC"))
    flow = rng.choice(("checkout", "login", "search", "ordering"))
    description = (
        f"  Users of {svc} report {sym}. Monitoring shows the same\n"
        f"  since {ts(t_open)}; other services look normal so far.\n"
        f"  The first reports came from the {region} region through customer support\n"
        f"  and the synthetic checks. Dashboards are in grafana/d/{svc}, the logs in\n"
        f"  the {team} index. Impact is {impact} because {flow} depends on it;\n"
        f"  urgency is {urgency} given the time of day and the workaround.\n"
        f"  Customer support keeps the affected accounts in the incident channel.\n")
    return (
        f"{API}kind: Incident\nid: INC-{i + 1:06d}\ntitle: {sym[0].upper()}{sym[1:]} on {svc}\n"
        f"description: |\n{description}category: {rng.choice(CATEGORIES)}\nservices:\n"
        + "".join(f"  - {{id: {s}, status: {comp[impact]}}}\n" for s in services)
        + f"impact: {impact}\nurgency: {urgency}\npriority: {priority}\nstatus: {status}\n"
        f"major: {str(major).lower()}\nopened_at: {ts(t_open)}\nacknowledged_at: {ack}\n"
        f"resolved_at: {res}\nclosed_at: {closed}\nteam: {team}\nassignee: {assignee}\n"
        f"visibility: {visibility}\n{link_lines}timeline:\n{''.join(entries)}{pm}"
    )


def gen_requests(repo: Repo, c: dict[str, int]) -> None:
    rng = repo.rng
    for k, t in enumerate(sorted(START + rng.randrange(END - START)
                                 for _ in range(c["requests"]))):
        rid = f"REQ-{k + 1:06d}"
        svc, team = rng.choice(repo.services)
        requester = rng.choice(repo.people)
        staff = [p for p in repo.teams[team] if p != requester] or repo.people[:1]
        assignee = rng.choice(staff)
        policy, owners = rng.choice(repo.policies) if rng.random() < 0.2 else ("", staff)
        approvers = [p for p in owners if p != requester] or [assignee]
        if END - t < 30 * DAY:
            status = rng.choice(("submitted", "approved", "in_fulfilment", "fulfilled"))
        else:
            status = rng.choices(("fulfilled", "rejected", "canceled"), (90, 5, 5))[0]
        steps = {"submitted": ["submitted"], "approved": ["submitted", "approved"],
                 "in_fulfilment": ["submitted", "approved", "in_fulfilment"],
                 "fulfilled": ["submitted", "approved", "in_fulfilment", "fulfilled"],
                 "rejected": ["submitted", "rejected"], "canceled": ["submitted", "canceled"]}
        at, lines, when = {}, [], t
        for st in steps[status]:
            at[st] = when
            who = requester if st in ("submitted", "canceled") else assignee
            lines.append(f"  - at: {ts(when)}\n    status: {st}\n    author: {who}\n"
                         f"    message: Request {st.replace('_', ' ')}.\n")
            when += rng.randint(10 * MIN, 2 * DAY)
        decided = at.get("approved") or at.get("rejected")
        approvals = (f"approvals:\n  - by: {rng.choice(approvers)}\n    decision: "
                     f"{'rejected' if status == 'rejected' else 'approved'}\n"
                     f"    at: {ts(decided)}\n    comment: Checked against the policy.\n"
                     if decided else "")
        ack = ts(decided) if decided else "null"
        done = ts(at[status]) if status in ("fulfilled", "rejected", "canceled") else "null"
        repo.write(f"requests/{rid}.yaml",
                   f"{API}kind: ServiceRequest\nid: {rid}\ntitle: "
                   f"{'Access to ' + policy if policy else 'Help with ' + svc}\n"
                   f"description: Please set this up for the new project.\nservice: {svc}\n"
                   f"requested_by: {requester}\nteam: {team}\nassignee: {assignee}\n"
                   + (f"access_policy: {policy}\n" if policy else "")
                   + f"status: {status}\npriority: P{rng.randint(3, 5)}\nopened_at: {ts(t)}\n"
                   f"acknowledged_at: {ack}\nresolved_at: {done}\n{approvals}"
                   f"timeline:\n{''.join(lines)}")


def gen_maintenance(repo: Repo, c: dict[str, int]) -> None:
    rng = repo.rng
    for k, start in enumerate(sorted(START + rng.randrange(END - START + 60 * DAY)
                                     for _ in range(c["maintenance"]))):
        mid = f"MNT-{k + 1:05d}"
        start -= start % (15 * MIN)
        end = start + rng.randint(1, 8) * 30 * MIN
        services = [s for s, _ in rng.sample(repo.services, rng.randint(1, 3))]
        author = rng.choice(repo.teams[repo.services[0][1]])
        announced = min(start - rng.randint(3, 7) * DAY, END - HOUR)
        steps = [(announced, "scheduled", f"Planned maintenance of {services[0]}.")]
        if start >= END:
            status = "scheduled"
        elif rng.random() < 0.08:
            status = "canceled"
            steps.append((start - DAY, "canceled", "Postponed, the change was not approved."))
        else:
            status = "completed"
            steps += [(start, "in_progress", "Maintenance has started."),
                      (end - rng.randrange(20) * MIN, "completed", "Maintenance is complete.")]
        timeline = "".join(f"  - at: {ts(a)}\n    status: {st}\n    public: true\n"
                           f"    author: {author}\n    message: {msg}\n" for a, st, msg in steps)
        repo.write(f"maintenance/{mid}.yaml",
                   f"{API}kind: Maintenance\nid: {mid}\ntitle: Upgrade of {services[0]}\n"
                   f"services: [{', '.join(services)}]\nscheduled_start: {ts(start)}\n"
                   f"scheduled_end: {ts(end)}\nstatus: {status}\nvisibility: public\n"
                   f"timeline:\n{timeline}")


def generate(out: Path, n: int, seed: int, bad: int = 0) -> dict[str, int]:
    c = counts(n)
    if bad > c["incidents"]:
        raise SystemExit(f"--bad {bad} exceeds the {c['incidents']} incidents")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    repo = Repo(random.Random(seed), out)
    gen_config(out)
    gen_reference(repo, c)
    gen_requests(repo, c)
    gen_incidents(repo, c, bad)
    gen_maintenance(repo, c)
    if repo.written != n:
        raise AssertionError(f"wrote {repo.written} records, expected {n}")
    return c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to create (must be empty or missing)")
    ap.add_argument("--records", type=int, required=True, help="records of all kinds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad", type=int, default=0, help="incidents with a schema error")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    c = generate(args.out, args.records, args.seed, args.bad)
    took = time.perf_counter() - t0
    print(f"{args.records} records in {args.out} ({took:.1f} s): "
          + ", ".join(f"{k} {v}" for k, v in c.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
