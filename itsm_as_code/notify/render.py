"""Messages from wanted events: each (event, channel) cut to its audience and rendered by
the event's template for the channel's type.

Templates are looked up as `<type>/<event>.j2`, then `<event>.j2` (such as
`slack/incident.opened.j2`, then `incident.opened.j2`), first in the repository's
`templates/notify/` folder, then among those itsm ships. A template's first line is the
subject, the rest the body. Chat and webhook bodies are markdown (`**bold**`; Slack's and
Teams' payloads translate it), e-mail bodies plain text. Templates see the audience's
view only (notify/audience.py), with times as people read them in itsm.yaml's zone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import jinja2

from itsm_as_code.errors import ConfigError
from itsm_as_code.model.model import Model
from itsm_as_code.notify.audience import View, view
from itsm_as_code.notify.match import Wanted
from itsm_as_code.notify.message import Message
from itsm_as_code.templating import environment

OVERRIDES = Path("templates") / "notify"
MAX_TEMPLATE_BYTES = 64 * 1024


def message_key(event_key: str, channel: str) -> str:
    """The idempotency key: the same event to the same channel is the same message."""
    return hashlib.sha256(f"{event_key}\x00{channel}".encode()).hexdigest()[:32]


class Renderer:
    """Renders messages with the package's templates and a repository's overrides."""

    def __init__(self, root: Path, zone: str, base_url: str = "") -> None:
        folder = root / OVERRIDES
        overrides = (folder,) if folder.is_dir() else ()
        for path in (folder.rglob("*") if overrides else ()):
            if path.is_symlink() or (path.is_file() and path.stat().st_size
                                     > MAX_TEMPLATE_BYTES):
                raise ConfigError(f"{path.relative_to(root)}: a notification template must "
                                  f"be a regular file of at most {MAX_TEMPLATE_BYTES} bytes, "
                                  "not a link or a larger file: replace it")
        self._env = environment("notify/templates", zone=zone, overrides=overrides,
                                markup=False)
        self._base_url = base_url

    def messages(self, wanted: list[Wanted], model: Model) -> list[Message]:
        found: dict[str, Message] = {}
        for item in wanted:
            seen = view(item.event, model, not item.internal, self._base_url)
            if seen is None:
                continue
            subject, text = self.render(seen, item.channel.type)
            key = message_key(item.event.key, item.channel.id)
            found.setdefault(key, Message(key, item.channel.id, seen.event, seen.id, subject,
                                          text, seen.public, seen.url, item.recipients))
        return list(found.values())

    def render(self, seen: View, channel_type: str) -> tuple[str, str]:
        """The subject and the text of one view for one type of channel."""
        names = [f"{channel_type}/{seen.event}.j2", f"{seen.event}.j2"]
        try:
            template = self._env.select_template(names)
            text = template.render(view=seen, bold=_bold(channel_type), words=words)
        except (jinja2.TemplateError, TypeError, ValueError) as error:
            where = f" (line {error.lineno})" if isinstance(
                error, jinja2.TemplateSyntaxError) else ""
            raise ConfigError(f"notification template {' or '.join(names)}{where}: "
                              f"{error}") from None
        subject, _, body = text.strip().partition("\n")
        return " ".join(subject.split())[:200], body.strip() + "\n"


def words(value: str | None) -> str:
    """`partial_outage` -> `partial outage`: a status as people write it."""
    return (value or "").replace("_", " ")


def _bold(channel_type: str) -> Callable[[str], str]:
    if channel_type == "email":
        return str
    return lambda text: f"**{text}**"
