"""itsm-as-code: ITIL Service Operation kept as YAML records in a git repository."""

__version__ = "0.1.0"
