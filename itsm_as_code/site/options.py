"""What `itsm site build` is asked to do, and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from itsm_as_code.findings import Finding
from itsm_as_code.site import output, sections


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    internal: bool = False
    base_url: str | None = None  # None: itsm.yaml's site.base_url
    # From how many pages to render, and records to collect sections from, a second
    # process pays for itself (read when the options are made, not when this module is
    # imported).
    parallel_pages: int = field(default_factory=lambda: output.PARALLEL_FROM)
    parallel_records: int = field(default_factory=lambda: sections.PARALLEL_FROM)


@dataclass(frozen=True)
class BuildResult:
    out: Path
    internal: bool
    findings: list[Finding] = field(default_factory=list)  # errors stop the build
    pages: int = 0
    files: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def built(self) -> bool:
        return not self.findings

    def summary(self, where: str) -> str:
        """One line: what was built, where (`where`, as the reader sees the folder), and
        how much of it changed."""
        kind = "internal" if self.internal else "public"
        removed = f", {self.removed} removed" if self.removed else ""
        return (f"{kind} site written to {where.rstrip('/')}/: {self.pages} pages, "
                f"{self.files} files ({self.changed} changed{removed})")
