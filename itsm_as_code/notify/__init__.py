"""Telling people: what changed between revisions, as messages to the channels that
want them, each sent once."""
