"""`itsm init`: a new, empty ITSM repository that validates cleanly."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itsm_as_code import __version__
from itsm_as_code.authoring.writer import write_new
from itsm_as_code.config import CONFIG_FILE, load_config
from itsm_as_code.errors import UsageError
from itsm_as_code.git import repo as git
from itsm_as_code.resources import schema_dir
from itsm_as_code.store.kinds import KINDS

# Template file -> where it goes in the new repository.
FILES = {
    "itsm.yaml": CONFIG_FILE,
    "validate.yml": ".github/workflows/validate.yml",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "README.md": "README.md",
}


@dataclass(frozen=True)
class Initialized:
    root: Path
    written: list[Path]
    git_created: bool


def initialize(root: Path, organization: str, timezone: str) -> Initialized:
    """Write the settings, the record folders, the schemas and a CI workflow into `root`."""
    if (root / CONFIG_FILE).exists():
        raise UsageError(f"{root / CONFIG_FILE} already exists: this is an ITSM repository")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {timezone!r}: use an IANA name such as "
                         "Europe/Berlin") from None
    if "\n" in organization or not organization.strip():
        raise UsageError("the organisation name must be one non-empty line")
    values = {
        "organization": organization, "timezone": timezone, "version": __version__,
        # JSON strings are YAML scalars: any name is written safely.
        "organization_yaml": json.dumps(organization, ensure_ascii=False),
        "title_yaml": json.dumps(f"{organization} Status", ensure_ascii=False),
    }
    templates = resources.files("itsm_as_code.authoring") / "templates"
    texts = {
        root / target: Template(templates.joinpath(template).read_text("utf-8")).substitute(values)
        for template, target in FILES.items()
        if not (root / target).exists()
    }
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in texts.items():
        write_new(path, text)
        written.append(path)
    for folder in sorted({kind.folder for kind in KINDS.values()}):
        keep = root / "records" / folder / ".gitkeep"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.touch()
        written.append(keep)
    (root / "schemas").mkdir(exist_ok=True)
    for schema in sorted(schema_dir().glob("*.schema.json")):
        shutil.copyfile(schema, root / "schemas" / schema.name)
        written.append(root / "schemas" / schema.name)
    load_config(root)  # what was written must read back as valid settings
    git_created = git.enclosing(root) is None
    if git_created:
        git.init(root)
    return Initialized(root, written, git_created)
