"""The one part of itsm that talks to git (through pygit2)."""
