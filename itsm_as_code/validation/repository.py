"""`itsm validate` of a whole repository: the kept result of the last run when nothing
changed since (validation/results.py), else a validation, whose result is then kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from itsm_as_code.config import Config
from itsm_as_code.store.loader import Limits, find_files
from itsm_as_code.store.repository import Progress
from itsm_as_code.store.stats import StatIndex, hash_unknown
from itsm_as_code.validation.outcome import Validation, select
from itsm_as_code.validation.results import ResultCache, run_key

# Files without a known status read and hashed before a run key is made: a few just
# written; more than this (or a twentieth) means a fresh checkout, which loading reads.


def validate_repository(config: Config, paths: Sequence[str] = (), now: datetime | None = None,
                        progress: Progress | None = None) -> Validation:
    """`validate` of the repository `config` describes, loading it only when something
    changed since the last run (validation/results.py keeps that run's result)."""
    found = find_files(config.records_dir, config.root)
    stats, results = StatIndex.for_root(config.root), ResultCache.for_root(config.root)
    every = found.files + found.updates
    stats.look(every)
    run = None
    if now is not None and results.enabled:
        hash_unknown(every, stats, Limits(config.max_file_bytes, config.max_aliases))
        run = run_key(config, found, stats.keys)
        kept = results.get(run, now) if run is not None else None
        if kept is not None:
            findings, records, files = kept
            return Validation(select(findings, paths), records, files)
    # The model and the rules, imported only when the records are validated.
    from itsm_as_code.model.model import Model
    from itsm_as_code.validation.rules import future
    from itsm_as_code.validation.rules.base import Judged
    from itsm_as_code.validation.runner import validate

    # Each record judged by its schema and read into the model as it arrives, while the
    # parse workers read the rest.
    model = Model.read(config, progress, found=found, stats=stats)
    whole = validate(model, (), now)
    if now is not None and results.enabled:
        # Kept under the keys of the bytes loaded; a file that changed while it was
        # read (the keys differ) leaves nothing kept.
        after = run_key(config, found, stats.keys)
        if after is not None and run in (None, after):
            results.put(after, (whole.findings, whole.records, whole.files),
                        future.times(Judged(model, model.valid_records(), now)), now)
    return Validation(select(whole.findings, paths), whole.records, whole.files)
