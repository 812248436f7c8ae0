"""Shared helpers every app may use: web idioms, row locks, command options.

The lowest layer above the engine: it imports no app of Meute at run time
(type hints only), so any app may import it.
"""
