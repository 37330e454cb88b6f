"""Validation: schema checks per record, then the cross-record rules (see runner)."""
