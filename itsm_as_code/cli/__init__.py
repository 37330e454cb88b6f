"""The `itsm` command line: options in, one core call, findings rendered out."""
