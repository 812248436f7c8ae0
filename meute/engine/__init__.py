"""Meute's engine: the algorithms, on plain data.

No Django, no ORM, no clock, no I/O: functions take frozen dataclasses, numpy
arrays or the JSON formats of docs/formats.md and return plain data. Every
solver has a checker (``is_valid_…``) beside it. One package or module per
problem: :mod:`meute.engine.rotations` (speed-meeting rounds, one-to-one or at
tables, and their re-planning), :mod:`meute.engine.slots` (booked meetings),
:mod:`meute.engine.relevance` (pair weights from profiles),
:mod:`meute.engine.recommend` (networks for the questionnaire). Only
:mod:`meute.engine.cli` reads files and prints, and no engine module imports it.
"""

__all__: list[str] = []
