"""`itsm desk forms`: the issue forms written into a folder (default
`.github/ISSUE_TEMPLATE`), all or nothing; forms this command wrote before for request
types that are gone are removed, files written by people are left alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from itsm_as_code.desk.forms import desk_forms
from itsm_as_code.desk.issueforms import HEAD, FormError, form_files
from itsm_as_code.errors import RecordError
from itsm_as_code.files import write_all
from itsm_as_code.model.context import RunContext


@dataclass(frozen=True)
class Written:
    folder: Path
    written: list[str]
    removed: list[str]
    labels: list[str]


def write_forms(ctx: RunContext, folder: Path) -> Written:
    forms = desk_forms(ctx.model)
    try:
        files = form_files(forms, ctx.config.site.base_url, ctx.config.organization)
    except FormError as error:
        raise RecordError(str(error)) from None
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise RecordError(f"{folder} is not a folder: give another with -o")
    folder.mkdir(parents=True, exist_ok=True)
    stale = sorted(path.name for path in folder.glob("*.yml")
                   if path.name not in files and path.is_file() and not path.is_symlink()
                   and path.read_text(encoding="utf-8", errors="replace").startswith(HEAD))
    write_all({folder / name: text.encode("utf-8") for name, text in files.items()})
    for name in stale:
        (folder / name).unlink()
    return Written(folder, sorted(files), stale, [form.label for form in forms])
