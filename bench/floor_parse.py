"""The floor of validation: read and parse every record once with libyaml, nothing else.

    python bench/floor_parse.py DIR

DIR is a repository (its itsm.yaml names the records folder) or a folder of records.
Prints the number of files parsed. No validator can load the records for less than this.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml


def records_folder(root: Path) -> Path:
    config = root / "itsm.yaml"
    if not config.is_file():
        return root
    settings = yaml.load(config.read_bytes(), Loader=yaml.CSafeLoader) or {}
    return root / str(settings.get("records", "records"))


def walk(folder: str) -> Iterator[str]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path)
            elif entry.name.endswith((".yaml", ".yml")):
                yield entry.path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    parsed = 0
    for path in walk(str(records_folder(Path(argv[0])))):
        with open(path, "rb") as f:  # noqa: PTH123 -- no Path object per file on the floor
            data = f.read()
        yaml.load(data, Loader=yaml.CSafeLoader)
        parsed += 1
    print(f"{parsed} files parsed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
