"""`itsm new KIND`: scaffold a valid record with a fresh id, a module per area."""
