"""Problem management: recurring incidents found (trend detection), known errors matched."""
