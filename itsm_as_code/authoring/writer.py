"""YAML text for new records, and writes that never clobber or leave half a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from itsm_as_code.errors import RecordError
from itsm_as_code.files import write_atomic
from itsm_as_code.yamlsafe import RecordResolver


class RecordDumper(
    yaml.emitter.Emitter, yaml.serializer.Serializer, yaml.representer.SafeRepresenter,
    RecordResolver,
):
    """Emits what RecordLoader reads back unchanged; timestamps stay unquoted."""

    def __init__(self, stream: Any, **options: Any) -> None:
        yaml.emitter.Emitter.__init__(
            self, stream, allow_unicode=True, width=options.get("width", 100), indent=2
        )
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, sort_keys=False)
        RecordResolver.__init__(self)


def _text(dumper: yaml.representer.SafeRepresenter, value: str) -> yaml.nodes.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


RecordDumper.add_representer(str, _text)


def render(data: dict[str, Any], schema_hint: str | None = None) -> str:
    """The text of a record file, with an editor hint to its schema on the first line."""
    body = yaml.dump(data, Dumper=RecordDumper, default_flow_style=False)
    head = f"# yaml-language-server: $schema={schema_hint}\n" if schema_hint else ""
    return head + body


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text` atomically; refuse if it exists."""
    try:
        write_atomic(path, text.encode("utf-8"), exclusive=True, durable=True)
    except FileExistsError:
        raise RecordError(f"{path} already exists: pick another id") from None
