"""Records from files: safe YAML with positions, the record cache, the repository index."""
