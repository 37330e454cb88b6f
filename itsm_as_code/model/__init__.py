"""The typed domain model every capability reads (see model/model.py)."""
