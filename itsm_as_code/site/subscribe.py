"""The subscribe page (`subscribe.html`): every way to hear about incidents and
maintenance, instead of a link to raw XML.

Feeds a reader polls (the Atom feed of every incident, one per service, the iCalendar
feed of maintenance windows), and messages sent by `itsm notify` (a webhook, Slack or
Microsoft Teams, e-mail), which start with a Channel and a Subscription record added by
a pull request. The examples on the page name the site's own services, so they can be
copied as they are; with itsm.yaml's `site.repository`, the page also links to the
folder to add them to and to a new issue that asks for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from itsm_as_code.site import ical
from itsm_as_code.site.views import SiteView


@dataclass(frozen=True)
class FeedLink:
    name: str
    feed: str  # path under the site root
    page: str


@dataclass(frozen=True)
class Example:
    """One way to be sent messages: the two records a pull request adds."""

    slug: str  # the HTML id of its section
    title: str
    intro: str
    files: tuple[tuple[str, str], ...]  # (path in the repository, YAML)
    issue: str | None  # a new issue asking for it, when the repository is known


@dataclass(frozen=True)
class Subscribe:
    feeds: list[FeedLink]  # the site's feed first, then one per service by name
    calendar: str  # the iCalendar feed: an https link, or relative without a base URL
    webcal: str | None  # the same as webcal://, which opens a calendar application
    examples: list[Example]
    repository: str  # "" when itsm.yaml does not name it
    folder: str | None  # where the records go, on the repository's site


def subscribe(view: SiteView, title: str, base_url: str, repository: str,
              records: str) -> Subscribe:
    """What the subscribe page offers, for a site published at `base_url` whose records
    live in the folder `records` of `repository`."""
    services = sorted(view.services.values(), key=lambda v: (v.service.name.lower(),
                                                             v.service.id))
    feeds = [FeedLink(f"Every incident on {title}", "feed.atom", "index.html")]
    feeds += [FeedLink(v.service.name, f"services/{v.service.id}.atom",
                       f"services/{v.service.id}.html") for v in services]
    calendar = f"{base_url}/{ical.PATH}" if base_url else ical.PATH
    webcal = None
    if base_url:
        parts = urlsplit(calendar)
        webcal = "webcal://" + parts.netloc + parts.path
    named = [v.service for v in services if not v.service.internal][:2] or [
        v.service for v in services][:2]
    ids = [service.id for service in named]
    examples = [_example(kind, ids, [s.name for s in named], title, repository, records)
                for kind in ("webhook", "slack", "email")]
    folder = f"{repository}/tree/HEAD/{quote(records)}" if repository else None
    return Subscribe(feeds, calendar, webcal, examples, repository, folder)


# (section title, what the channel is, its YAML lines besides id, kind and audience)
_CHANNELS = {
    "webhook": ("A webhook", "Each message is a JSON POST to your URL, signed with "
                "HMAC-SHA256 over a timestamp and the body, so your receiver can tell it "
                "came from us.",
                ["type: webhook", "url_env: EXAMPLE_WEBHOOK_URL       "
                 "# the name of the secret holding the URL, never the URL",
                 "secret_env: EXAMPLE_WEBHOOK_SECRET"]),
    "slack": ("Slack or Microsoft Teams", "Messages go to a channel through an incoming "
              "webhook (`type: teams` for Microsoft Teams).",
              ["type: slack", "url_env: EXAMPLE_SLACK_WEBHOOK_URL"]),
    "email": ("E-mail", "Messages are sent over SMTP with STARTTLS to the addresses you "
              "give.",
              ["type: email", "smtp: {host: smtp.example.org}",
               "from: status@example.org", "to: [you@example.org]"]),
}


def _example(kind: str, services: list[str], names: list[str], title: str,
             repository: str, records: str) -> Example:
    heading, intro, settings = _CHANNELS[kind]
    channel_id = f"my-{kind}"
    # JSON is YAML: a quoted name stays one string whatever the site's title holds.
    name = json.dumps(f"{heading} for {title}"[:200], ensure_ascii=False)
    channel = "\n".join(["apiVersion: itsm/v1", "kind: Channel", f"id: {channel_id}",
                         f"name: {name}", *settings,
                         "audience: public                  "
                         "# public records and updates only"]) + "\n"
    lines = ["apiVersion: itsm/v1", "kind: Subscription", f"id: {channel_id}-status",
             f"channel: {channel_id}"]
    if services:
        lines.append(f"services: [{', '.join(services)}]"
                     f"{'  # ' + ', '.join(names) if names else ''}")
    lines += ["events: [incident.opened, incident.updated, incident.resolved,",
              "         maintenance.scheduled, maintenance.starting_soon, "
              "maintenance.canceled]",
              "audience: public"]
    subscription = "\n".join(lines) + "\n"
    files = ((f"{records}/channels/{channel_id}.yaml", channel),
             (f"{records}/subscriptions/{channel_id}-status.yaml", subscription))
    issue = None
    if repository:
        body = (f"Please send me messages from {title} by {heading.lower()}.\n\n"
                + "".join(f"`{path}`:\n\n```yaml\n{text}```\n\n" for path, text in files))
        issue = f"{repository}/issues/new?" + urlencode(
            {"title": f"Subscribe: {heading.lower()}", "body": body}, quote_via=quote)
    return Example(kind, heading, intro, files, issue)
