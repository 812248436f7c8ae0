"""Meute's engine: the algorithms, on plain data.

No Django, no ORM, no clock, no I/O: functions take frozen dataclasses, numpy
arrays or the JSON formats of docs/formats.md and return plain data. Every
solver has a checker (``is_valid_…``) beside it.
"""
