"""Event management: alert payloads in, new or updated incidents out."""
