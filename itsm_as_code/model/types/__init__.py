"""The typed domain model: one frozen type per record kind, a module per area.

Values are built once per run (model/readers/) from records that passed their schema, so
every field can be trusted: timestamps are aware datetimes in UTC, durations are
timedeltas, optional fields are None or empty, references are ids. The record a value
came from (for its path and positions) is `Model.source(id)`.
"""
