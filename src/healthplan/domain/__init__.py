"""Pure types and rules: no I/O, imports nothing of ours outside ``domain``."""
