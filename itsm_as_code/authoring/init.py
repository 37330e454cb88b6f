"""`itsm init`: a new, empty ITSM repository that validates cleanly and whose CI works.

The workflows are the ones this project runs on itself (`.github/workflows/`), shipped in
the wheel with the action's reference as a placeholder: one source for both.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itsm_as_code import __version__
from itsm_as_code.authoring.writer import write_new
from itsm_as_code.config import CONFIG_FILE, load_config
from itsm_as_code.errors import UsageError
from itsm_as_code.git import repo as git
from itsm_as_code.git.initial import commit_work_tree, configured_identity
from itsm_as_code.resources import schema_dir
from itsm_as_code.store.kinds import KINDS

# Where organisations take the action from unless `--action` says otherwise: this
# release's tag of the project's repository.
DEFAULT_ACTION = f"itsm-as-code/itsm-as-code@v{__version__}"
# Written in the workflow templates where the action is used; this repository's own
# workflows say `./` there (tests/acceptance/test_workflows.py checks they agree).
ACTION_PLACEHOLDER = "__ITSM_ACTION__"
ACTION_FORMAT = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+@[A-Za-z0-9._/-]+")
FIRST_COMMIT = "itsm init: a new ITSM repository"

# Template file -> where it goes in the new repository (workflows are added by name).
FILES = {
    "itsm.yaml": CONFIG_FILE,
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "gitignore": ".gitignore",
    "README.md": "README.md",
}


@dataclass(frozen=True)
class Initialized:
    root: Path
    written: list[Path]
    git_created: bool
    action: str
    commit: str | None


def template(name: str) -> str:
    """The text of a template shipped in the wheel (`workflows/validate.yml`, ...)."""
    folder = resources.files("itsm_as_code.authoring") / "templates"
    for part in name.split("/"):
        folder = folder / part
    return folder.read_text("utf-8")


def workflow_templates() -> dict[str, str]:
    """Workflow file name -> its template text (the action still a placeholder)."""
    folder = resources.files("itsm_as_code.authoring") / "templates" / "workflows"
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yml"))
    return {name: template(f"workflows/{name}") for name in names}


def workflow(text: str, action: str) -> str:
    """A workflow template with the action's reference filled in."""
    return text.replace(ACTION_PLACEHOLDER, action)


def initialize(root: Path, organization: str, timezone: str, action: str,
               now: datetime) -> Initialized:
    """Write the settings, the record folders, the schemas, the workflows, the pre-commit
    configuration and a README into `root`; when `root` is not inside a git repository,
    make one and commit all of it (as the user git is configured for)."""
    if (root / CONFIG_FILE).exists():
        raise UsageError(f"{root / CONFIG_FILE} already exists: this is an ITSM repository")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {timezone!r}: use an IANA name such as "
                         "Europe/Berlin") from None
    if "\n" in organization or not organization.strip():
        raise UsageError("the organisation name must be one non-empty line")
    if not ACTION_FORMAT.fullmatch(action):
        raise UsageError(f"--action {action!r} is not OWNER/REPO@REF, such as "
                         f"{DEFAULT_ACTION}")
    existing = next(folder for folder in (root, *root.parents) if folder.exists())
    git_created = git.enclosing(existing) is None
    author = configured_identity() if git_created else None
    if git_created and author is None:
        # Asked before anything is written, so a second try starts from an empty folder.
        raise UsageError("itsm init makes a first commit, but git does not know who you "
                         "are: run `git config --global user.name \"Your Name\"` and "
                         "`git config --global user.email you@example.com`, then try again")
    texts = _texts(root, organization, timezone, action)
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
    commit = None
    if git_created:
        git.init(root)
        commit = commit_work_tree(root, FIRST_COMMIT, author, now)
    return Initialized(root, written, git_created, action, commit)


def _texts(root: Path, organization: str, timezone: str, action: str) -> dict[Path, str]:
    """Each file to write (those that exist already are left alone) -> its text."""
    repository, ref = action.split("@", 1)
    values = {
        "organization": organization, "timezone": timezone, "version": __version__,
        # JSON strings are YAML scalars: any name is written safely.
        "organization_yaml": json.dumps(organization, ensure_ascii=False),
        "title_yaml": json.dumps(f"{organization} Status", ensure_ascii=False),
        "action": action, "action_repository": repository, "action_ref": ref,
    }
    texts = {root / target: Template(template(name)).substitute(values)
             for name, target in FILES.items()}
    for name, text in workflow_templates().items():
        texts[root / ".github" / "workflows" / name] = workflow(text, action)
    return {path: text for path, text in texts.items() if not path.exists()}
