"""Writing records and repositories: `itsm new` and `itsm init`."""
