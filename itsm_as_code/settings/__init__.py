"""Typed settings read from sections of itsm.yaml, below the config layer that reads the file."""
